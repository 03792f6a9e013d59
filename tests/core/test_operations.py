"""The operation pipeline: actor stamped, storage errors in plain words, changes announced."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from circlekeeper.core.audit import audit
from circlekeeper.core.operations import Changes, Context
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.store.models import AuditEvent, Case, CaseParty, Person
from circlekeeper.core.store.problems import DatabaseProblem


def test_audit_lines_name_the_operations_actor_and_changes_are_announced(db) -> None:
    context = Context(db.sessions, actor="Ms. Rivera")
    heard: list[Changes] = []
    context.subscribe(heard.append)
    with context.write("add person") as session:
        person = Person(first_name="Ana", last_name="Lopez", kind="student")
        session.add(person)
        session.flush()
        audit.record(session, "create", "person", person.uuid)
    with db.sessions() as session:
        actors = session.scalars(select(AuditEvent.actor)).all()
    assert actors and set(actors) == {"Ms. Rivera"}
    assert len(heard) == 1 and heard[0].touches("person")
    assert heard[0].touched("person", person.id)
    assert context.last_changes == heard[0]


def test_an_update_made_without_its_own_audit_line_still_names_the_actor(db) -> None:
    context = Context(db.sessions, actor=lambda: "Mr. Chen")
    with context.write() as session:
        person = Person(first_name="Ana", last_name="Lopez", kind="student")
        session.add(person)
    with context.write() as session:
        found = session.get(Person, person.id)
        assert found is not None
        found.first_name = "Anna"
    with db.sessions() as session:
        lines = session.scalars(select(AuditEvent).where(AuditEvent.action == "update")).all()
    assert lines and all(line.actor == "Mr. Chen" for line in lines)


def test_a_part_of_a_record_counts_as_a_change_to_that_record(db) -> None:
    context = Context(db.sessions, actor="x")
    with context.write() as session:
        person = Person(first_name="Ana", last_name="Lopez", kind="student")
        case = Case(
            referred_on=date(2026, 11, 2),
            referral_source="teacher",
            incident_category="conflict",
            status="referred",
        )
        session.add_all([person, case])
    with context.write() as session:
        session.add(CaseParty(case_id=case.id, person_id=person.id, role="harmed"))
    case_id = case.id
    assert context.last_changes.touched("case", case_id)
    assert context.last_changes.touches("case_party")


def test_a_failed_block_announces_nothing_and_keeps_nothing(db) -> None:
    context = Context(db.sessions, actor="x")
    heard: list[Changes] = []
    context.subscribe(heard.append)
    with pytest.raises(ValueError), context.write() as session:
        session.add(Person(first_name="Ana", last_name="Lopez", kind="student"))
        session.flush()
        raise ValueError("a check refused it")
    with db.sessions() as session:
        assert session.scalars(select(Person)).all() == []
    assert heard == []


def test_storage_errors_come_out_as_plain_words(db) -> None:
    context = Context(db.sessions, actor="x")
    with pytest.raises(DatabaseProblem, match="could not be saved"), context.write() as session:
        session.add(Person(first_name="Ana", last_name="Lopez", kind="no such kind" * 20))
        session.add(Person(first_name=None, last_name=None, kind="student"))  # type: ignore[arg-type]


def test_the_viewer_defaults_to_the_actor_as_a_counselor(db) -> None:
    assert Context(db.sessions, actor="Ms. Rivera").viewer() == Viewer("Ms. Rivera")
    sro = Viewer("Officer Diaz", "sro")
    assert Context(db.sessions, viewer=lambda: sro).actor() == "Officer Diaz"
