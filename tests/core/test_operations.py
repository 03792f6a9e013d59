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


def test_a_read_the_database_refuses_says_so_and_not_that_a_change_was_lost(db) -> None:
    # A page that could not be read changed nothing: telling a counselor mid-circle that
    # "the last change could not be saved" sends her looking for a loss that never happened.
    from sqlalchemy import text

    context = Context(db.sessions, actor="x")
    with pytest.raises(DatabaseProblem) as refused, context.read() as session:
        session.execute(text("SELECT no_such_column FROM person"))
    words = str(refused.value)
    assert "could not be read" in words and "Nothing was changed" in words, words
    assert "saved" not in words, words


def test_the_viewer_defaults_to_the_actor_as_a_counselor(db) -> None:
    assert Context(db.sessions, actor="Ms. Rivera").viewer() == Viewer("Ms. Rivera")
    sro = Viewer("Officer Diaz", "sro")
    assert Context(db.sessions, viewer=lambda: sro).actor() == "Officer Diaz"


def test_a_read_that_tries_to_write_is_refused_and_writes_nothing(db) -> None:
    # A read is never committed: on a server it reads outside a transaction, so a write
    # slipped into one would otherwise be kept.
    from sqlalchemy import update

    context = Context(db.sessions, actor="Ms. Rivera")
    with context.write() as session:
        session.add(Person(first_name="Ana", last_name="Lopez", kind="student"))
    with pytest.raises(RuntimeError, match="only reads"), context.read() as session:
        session.add(Person(first_name="Ben", last_name="Lee", kind="student"))
        session.flush()
    with pytest.raises(RuntimeError, match="only reads"), context.read() as session:
        session.execute(update(Person).values(first_name="Changed"))
    with db.sessions() as session:
        assert session.scalars(select(Person.first_name)).all() == ["Ana"]


def test_a_server_keeps_a_pages_statements_prepared_from_view_to_view(db) -> None:
    # psycopg forgets the statements it prepared at every ROLLBACK, which ended every read:
    # each page view was planned afresh (planning was two thirds of a student's history's
    # statements on the large demo).
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a file has no prepared statements")
    from sqlalchemy import text

    from circlekeeper.core.people.people import PeopleService, PersonData
    from circlekeeper.core.people.story import person_story

    context = Context(db.sessions, actor="Ms. Rivera")
    person = PeopleService(context).create(PersonData("Ana", "Lopez", kind="student")).id
    for _ in range(12):
        person_story(context, person)
    with context.read() as session:
        prepared = session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
    assert prepared and prepared >= 5
