"""Circles, facilitation and agreements run through the operation pipeline.

Every write of these areas names the context's actor on its audit line, announces what it
changed, and the live key presses stay one short transaction each without audit lines.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from circlekeeper.core.agreements.commands import AgreementService
from circlekeeper.core.agreements.rows import AgreementHeader, ItemData
from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CirclePlan
from circlekeeper.core.circles.summary import CircleSummaryService
from circlekeeper.core.domain.enums import PersonKind, Role
from circlekeeper.core.export.views import CircleSummaryView
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.operations import Changes, Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import AuditEvent, Note

from .conftest import Conference, draft_with_items
from .held import WHEN, Clock


def _audit_lines(db: Database) -> list[tuple[str, str, str]]:
    with db.sessions() as session:
        return [
            (line.entity, line.action, line.actor)
            for line in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


def _count(db: Database) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def _person(db: Database, first: str, kind: str = PersonKind.STUDENT.value) -> int:
    return PeopleService(db.sessions).create(PersonData(first, "Test", kind=kind)).id  # type: ignore[arg-type]


def test_planning_and_running_a_circle_name_the_acting_keeper(db: Database, tmp_path: Path) -> None:
    # Given a keeper, Kim, acting through the operation context
    context = Context(db.sessions, actor="Kim Lee")
    heard: list[Changes] = []
    context.subscribe(heard.append)
    planner = CirclePlanner(context, ScriptLibrary(custom_dir=tmp_path / "scripts"))
    keeper = _person(db, "Kim", PersonKind.STAFF.value)
    student = _person(db, "Rio")
    before = _count(db)
    # When Kim plans, changes, invites, prepares, seats, runs and ends a circle
    cid = planner.plan(
        CirclePlan(
            kind="community_building",
            script_key="community_building",
            facilitator_id=keeper,
            scheduled_at=WHEN,
        )
    ).id
    planner.update_plan(
        cid,
        CirclePlan(
            kind="community_building",
            script_key="community_building",
            title="Monday circle",
            facilitator_id=keeper,
            scheduled_at=WHEN,
        ),
    )
    member = planner.add_participant(cid, student, Role.MEMBER).id
    planner.set_preparation(member, pre_meeting_held=True)
    planner.set_role(member, Role.MEMBER.value)
    planner.set_seating(cid, list(reversed([p.id for p in planner.detail(cid).participants])))
    live = FacilitationService(context, cid, clock=Clock())
    live.start()
    note = live.add_note("Rio was quiet today")
    live.next_stage()
    ended_at = len(heard)
    live.end()
    other = planner.plan(CirclePlan(kind="community_building")).id
    planner.cancel(other)
    # Then every audit line those writes made names Kim, and nobody else
    lines = _audit_lines(db)[before:]
    assert {(entity, action) for entity, action, _ in lines} >= {
        ("circle", "plan"),
        ("circle", "update"),
        ("circle", "start"),
        ("circle", "end"),
        ("circle", "cancel"),
        ("participant", "preparation"),
        ("note", "add_note"),
    }
    assert {actor for _, _, actor in lines} == {"Kim Lee"}
    # and the private note is Kim's
    assert note.author == "Kim Lee"
    # and ending the circle announced a change to that very circle
    ending = heard[ended_at]
    assert ending.touched("circle", cid) and ending.touches("stage_record")


def test_a_key_press_is_one_transaction_with_no_audit_line(db: Database, tmp_path: Path) -> None:
    context = Context(db.sessions, actor="Kim")
    planner = CirclePlanner(context, ScriptLibrary(custom_dir=tmp_path / "scripts"))
    cid = planner.plan(
        CirclePlan(
            kind="community_building",
            script_key="community_building",
            facilitator_id=_person(db, "Kim", PersonKind.STAFF.value),
        )
    ).id
    for name in ("Ana", "Ben", "Cy"):
        planner.add_participant(cid, _person(db, name), Role.MEMBER)
    live = FacilitationService(context, cid, clock=Clock())
    session = live.start()
    while not session.script.stages[live.state().stage_index].has_round:
        live.next_stage()
    heard: list[Changes] = []
    context.subscribe(heard.append)
    before = _count(db)
    # When the keeper passes the piece on three times
    for _ in range(3):
        live.next_speaker()
    # Then each press was one committed operation naming the circle, and none was audited
    assert len(heard) == 3 and all(c.touches("circle") and c.touches("turn") for c in heard)
    assert _count(db) == before


def test_every_agreement_write_names_the_actor(conference: Conference) -> None:
    context = Context(conference.db.sessions, actor="Dana Whitfield")
    service = AgreementService(context)
    before = _count(conference.db)
    draft = service.create_draft(circle_id=conference.circle_id)
    service.update_header(
        draft.id,
        AgreementHeader(harm_summary="The headphones broke.", follow_up_on=date(2025, 4, 1)),
    )
    first = service.add_item(
        draft.id, ItemData("Pay for the headphones", responsible_id=conference.jose)
    )
    second = service.add_item(draft.id, ItemData("Say sorry", responsible_id=conference.jose))
    service.update_item(second.id, ItemData("Say sorry to Amara", responsible_id=conference.jose))
    service.reorder_items(draft.id, [second.id, first.id])
    extra = service.add_item(draft.id, ItemData("Something dropped"))
    service.remove_item(extra.id)
    signed = service.record_signature(draft.id, conference.jose, date(2025, 3, 4))
    service.remove_signature(signed.id)
    service.record_signature(draft.id, conference.jose, date(2025, 3, 4))
    service.activate(draft.id, date(2025, 3, 4))
    service.complete_item(first.id, date(2025, 3, 10))
    service.reopen_item(first.id)
    service.complete_item(first.id, date(2025, 3, 10))
    newer = service.renegotiate(draft.id)
    assert context.last_changes.touched("agreement", newer.id)
    lines = _audit_lines(conference.db)[before:]
    actions = {action for entity, action, _ in lines if entity == "agreement"}
    assert actions >= {
        "create",
        "update",
        "add_item",
        "update_item",
        "reorder_items",
        "remove_item",
        "sign",
        "unsign",
        "activate",
        "complete_item",
        "reopen_item",
        "supersede",
        "renegotiate",
    }
    assert {actor for _, _, actor in lines} == {"Dana Whitfield"}
    # and another person closing the new version is named on the closing line
    before = _count(conference.db)
    closing = AgreementService(Context(conference.db.sessions, actor="Grace Okafor"))
    version = closing.get(newer.id)
    for item in version.items:
        if item.completed_on is None:
            closing.update_item(item.id, ItemData(item.data.action, responsible_id=conference.jose))
    closing.record_signature(newer.id, conference.jose, date(2025, 3, 12))
    closing.activate(newer.id, date(2025, 3, 12))
    closing.close(newer.id, "partially_completed")
    lines = _audit_lines(conference.db)[before:]
    assert ("agreement", "close", "Grace Okafor") in lines
    assert {actor for _, _, actor in lines} == {"Grace Okafor"}


def test_an_sro_gets_the_circle_summary_for_sharing_from_core(conference: Conference) -> None:
    # Given a conference with a private note by Dana, a private note by the officer, a record
    # note, and an agreement made for the case
    with conference.db.sessions.begin() as session:
        for text, privacy, author in (
            ("Dana's memory aid", "private", "Dana Whitfield"),
            ("The officer's own aid", "private", "Sam Reyes"),
            ("For the file", "record", "Dana Whitfield"),
        ):
            session.add(
                Note(circle_id=conference.circle_id, text=text, privacy=privacy, author=author)
            )
    draft_with_items(conference)
    sessions = conference.db.sessions

    def summary(viewer: Viewer) -> CircleSummaryView:
        return CircleSummaryService(Context(sessions, viewer=viewer)).view(conference.circle_id)

    # When the counselor and the school resource officer each ask core for the summary
    school = summary(Viewer("Dana Whitfield"))
    shared = summary(Viewer("Sam Reyes", "sro"))
    # Then the counselor gets her own private note and the school's details
    assert [n.text for n in school.notes] == ["Dana's memory aid", "For the file"]
    assert any(p.pronouns == "he/him" for p in school.participants)
    assert school.agreement is not None and school.agreement.case_description
    # and the officer gets no private note (not even his own), no demographic, no school wording
    assert [n.text for n in shared.notes] == ["For the file"]
    assert all(p.pronouns is None and p.grade is None for p in shared.participants)
    assert shared.agreement is not None and shared.agreement.case_description is None
