"""Planning circles and running them through the FacilitationService, on a real database."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from circlekeeper.core.cases.eligibility import EligibilityService
from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.queries import find_interrupted
from circlekeeper.core.circles.rows import CirclePlan
from circlekeeper.core.domain.eligibility import Eligibility
from circlekeeper.core.domain.enums import Attendance, CircleStatus, PersonKind, Role
from circlekeeper.core.domain.live import PieceMode
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.store.database import Database, open_database
from circlekeeper.core.store.models import AuditEvent, Circle, Note, StageRecord, Turn

WHEN = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand, so nothing waits and nothing depends on speed."""

    def __init__(self) -> None:
        self.now = WHEN.timestamp()

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float = 30) -> None:
        self.now += seconds


@pytest.fixture
def planner(db: Database, tmp_path: Path) -> CirclePlanner:
    return CirclePlanner(
        Context(db.sessions, actor="Ms. Ortiz"), ScriptLibrary(custom_dir=tmp_path / "scripts")
    )


def person(db: Database, first: str, kind: str = "student", **extra: object) -> int:
    return PeopleService(db.sessions).create(PersonData(first, "Test", kind=kind, **extra)).id  # type: ignore[arg-type]


def conference(db: Database, planner: CirclePlanner) -> tuple[int, dict[str, int]]:
    """A planned conference: facilitator, SRO co-facilitator, two principals, supporters."""
    counselor = person(db, "Ana", PersonKind.STAFF)
    officer = person(db, "Ben", PersonKind.SRO)
    detail = planner.plan(
        CirclePlan(
            kind="conference",
            script_key="conference",
            scheduled_at=WHEN,
            location="Room 12",
            facilitator_id=counselor,
            co_facilitator_id=officer,
        )
    )
    cid = detail.id
    keeper, co = (p.id for p in detail.participants)
    responsible = planner.add_participant(cid, person(db, "Rio"), Role.RESPONSIBLE).id
    harmed = planner.add_participant(cid, person(db, "Hana"), Role.HARMED).id
    mum = planner.add_participant(
        cid, person(db, "Rosa", PersonKind.GUARDIAN), Role.GUARDIAN, responsible
    ).id
    friend = planner.add_participant(cid, person(db, "Hugo"), Role.SUPPORTER, harmed).id
    teacher = planner.add_participant(cid, person(db, "Tess", PersonKind.STAFF), Role.COMMUNITY).id
    ids = dict(
        keeper=keeper,
        co=co,
        responsible=responsible,
        harmed=harmed,
        mum=mum,
        friend=friend,
        teacher=teacher,
    )
    return cid, ids


def test_planning_keeps_a_snapshot_and_seats_the_facilitators(
    db: Database, planner: CirclePlanner
) -> None:
    cid, ids = conference(db, planner)
    detail = planner.detail(cid)
    assert detail.status == CircleStatus.PLANNED
    assert detail.plan.title == "Restorative conference"
    assert detail.plan.planned_minutes == detail.script.suggested_minutes  # type: ignore[union-attr]
    assert [p.role for p in detail.participants][:2] == ["facilitator", "co_facilitator"]
    assert detail.script is not None and detail.script.key == "conference"
    with db.sessions() as session:
        snapshot = session.scalar(select(Circle.script_snapshot).where(Circle.id == cid))
    assert snapshot is not None and json.loads(snapshot)["key"] == "conference"
    with pytest.raises(InvalidInput, match="time zone"):
        planner.plan(CirclePlan(kind="staff", scheduled_at=datetime(2026, 3, 2, 9)))
    with pytest.raises(InvalidInput, match="already in this circle"):
        planner.add_participant(cid, detail.participants[2].person_id)


def test_suggested_conference_seating(db: Database, planner: CirclePlanner) -> None:
    cid, ids = conference(db, planner)
    observer = planner.add_participant(cid, person(db, "Otto", PersonKind.STAFF), Role.OBSERVER)
    suggestion = planner.suggest_seating(cid)
    # Facilitator between the principals; each principal beside their supporters; the two
    # sides face each other with the teacher and the SRO at the far end; observers outside.
    assert suggestion.ring == [
        ids["keeper"],
        ids["responsible"],
        ids["mum"],
        ids["teacher"],
        ids["co"],
        ids["friend"],
        ids["harmed"],
    ]
    assert suggestion.outer_ring == [observer.id]
    rows = planner.set_seating(cid, suggestion.ring + suggestion.outer_ring)
    assert [r.id for r in rows] == suggestion.ring + suggestion.outer_ring
    with pytest.raises(InvalidInput, match="exactly once"):
        planner.set_seating(cid, suggestion.ring)


def test_readiness_explains_what_is_missing_in_plain_words(
    db: Database, planner: CirclePlanner
) -> None:
    cid, ids = conference(db, planner)
    adult = planner.add_participant(
        cid, person(db, "Ada", PersonKind.STAFF, birth_date=date(1980, 1, 1)), Role.COMMUNITY
    )
    reasons = planner.readiness(cid)
    messages = [r.message for r in reasons]
    assert "The eligibility screen has not been done yet." in messages
    assert "No preparation meeting has been held with Rio Test." in messages
    assert "Rio Test has not agreed to take part yet." in messages
    assert "Rio Test is a minor, and a guardian's consent is not recorded." in messages
    assert not any(r.participant_id == adult.id and r.code == "guardian_consent" for r in reasons)
    assert not any(r.participant_id in (ids["keeper"], ids["co"]) for r in reasons)
    assert not any(r.blocking for r in reasons)  # nothing is refused yet, only missing

    # When the screen shows an exclusion and no admission, it says so, and the exclusion blocks
    screens = EligibilityService(db.sessions)
    screens.record_for_circle(cid, Eligibility(weapons=True))
    reasons = planner.readiness(cid)
    blocking = [r.message for r in reasons if r.blocking]
    assert any("weapon" in m for m in blocking)
    assert any("admits their part" in r.message and not r.blocking for r in reasons)

    # When everything is prepared, nothing is missing
    screen = screens.for_circle(cid).shown
    screens.record_for_circle(
        cid,
        Eligibility(
            responsibility_admitted=True, participation_voluntary=True, guardian_consent=True
        ),
        loaded=screen,
    )
    for row in planner.detail(cid).participants:
        planner.set_preparation(row.id, pre_meeting_held=True, consent=True, guardian_consent=True)
    assert planner.readiness(cid) == []
    assert screens.for_circle(cid).answers == Eligibility(
        responsibility_admitted=True, participation_voluntary=True, guardian_consent=True
    )


def test_a_circle_without_supporter_link_or_script_is_explained(
    db: Database, planner: CirclePlanner
) -> None:
    cid = planner.plan(CirclePlan(kind="harm_repair")).id
    planner.add_participant(cid, person(db, "Sam"), Role.SUPPORTER)
    messages = [r.message for r in planner.readiness(cid)]
    assert "No script has been chosen." in messages
    assert "No facilitator has been named." in messages
    assert "Sam Test is listed as a supporter, but not of whom." in messages
    with pytest.raises(InvalidInput, match="script"):
        FacilitationService(db.sessions, cid).start()


def test_a_whole_harm_circle_run_leaves_a_full_record(db: Database, planner: CirclePlanner) -> None:
    # Given a harm circle with a keeper and four students, one absent
    keeper = person(db, "Kim", PersonKind.STAFF)
    cid = planner.plan(
        CirclePlan(
            kind="harm_repair", script_key="harm_repair", facilitator_id=keeper, scheduled_at=WHEN
        )
    ).id
    students = [
        planner.add_participant(cid, person(db, n), Role.MEMBER).id
        for n in ("Ali", "Bea", "Cy", "Dee")
    ]
    rows = planner.detail(cid).participants
    present = [r.id for r in rows if r.id != students[3]]
    clock = Clock()
    live = FacilitationService(Context(db.sessions, actor="Kim"), cid, clock=clock)

    # When the keeper runs it start to finish
    session = live.start(present)
    assert session.state.stage_index == 0 and session.state.speaker is None
    script = session.script
    while not script.stages[live.state().stage_index].has_round:
        clock.tick()
        live.next_stage()
    state = live.state()  # guidelines round
    ring = state.turn_order
    assert ring[0] == rows[0].id  # the keeper starts
    clock.tick()
    live.start_timer()
    for _ in ring:
        clock.tick(20)
        state = live.next_speaker()
    assert state.round_complete
    note = live.add_note("Bea named respect first.", privacy="record", participant_id=students[1])
    clock.tick()
    state = live.next_stage()  # check-in (the piece was introduced before the guidelines)
    clock.tick(10)
    live.pass_turn()  # the keeper passes
    clock.tick(10)
    live.next_speaker()
    clock.tick(10)
    state = live.back()  # oops: undo Ali's turn
    assert state.speaker == students[0]
    clock.tick(10)
    live.pass_turn()
    # Dee arrives late and sits beside Ali; Cy has to leave
    joined = live.join_late(rows[4].person_id, position=2)
    assert joined.participant.id == students[3]
    live.leave_early(students[2])
    state = live.state()
    while not state.round_complete:
        clock.tick(15)
        state = live.next_speaker()
    live.set_piece_aside(True)
    live.add_note("Keep an eye on Cy.", participant_id=students[2])
    live.set_piece_aside(False)
    while not state.is_last_stage:
        clock.tick(60)
        state = live.next_stage()
    clock.tick(60)
    summary = live.end()

    # Then the database holds the whole circle
    detail = planner.detail(cid)
    assert detail.status == CircleStatus.COMPLETED
    attendance = {p.id: p.attendance for p in detail.participants}
    assert attendance[students[2]] == Attendance.LEFT_EARLY
    assert attendance[students[3]] == Attendance.JOINED_LATE
    assert attendance[students[0]] == Attendance.PRESENT
    with db.sessions() as s:
        turns = s.execute(
            select(Turn.stage_index, Turn.participant_id, Turn.passed)
            .where(Turn.circle_id == cid)
            .order_by(Turn.id)
        ).all()
        stages = s.scalar(
            select(func.count()).select_from(StageRecord).where(StageRecord.circle_id == cid)
        )
        open_stages = s.scalar(
            select(func.count())
            .select_from(StageRecord)
            .where(StageRecord.circle_id == cid, StageRecord.ended_at.is_(None))
        )
        notes = s.scalars(select(Note).where(Note.circle_id == cid)).all()
        actions = s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    check_in = [(p, passed) for i, p, passed in turns if i == 3]
    # Bea already held the piece when Dee sat down behind it, so Dee speaks last.
    assert check_in == [
        (rows[0].id, True),
        (students[0], True),
        (students[1], False),
        (students[3], False),
    ]
    assert stages == len(script.stages) and open_stages == 0
    assert {(n.privacy, n.stage_index) for n in notes} == {("record", 2), ("private", 3)}
    assert note.stage_index == 2
    assert "start" in actions and "end" in actions and actions.count("add_note") == 2
    assert "next_speaker" not in actions
    assert summary["notes"] == {"private": 1, "record": 1, "total": 2}
    assert summary["turns"] == len(turns)
    assert students[0] in summary["passed"] and students[1] in summary["spoke"]
    assert summary["duration_seconds"] == round(clock.now - WHEN.timestamp())
    assert sum(s["seconds"] for s in summary["stages"]) == summary["duration_seconds"]
    assert detail.summary == summary
    with pytest.raises(InvalidInput, match="not running"):
        live.next_speaker()
    assert find_interrupted(db.sessions) == []


def test_a_whole_conference_gives_each_role_its_questions(
    db: Database, planner: CirclePlanner
) -> None:
    cid, ids = conference(db, planner)
    planner.set_seating(cid, planner.suggest_seating(cid).ring)
    clock = Clock()
    live = FacilitationService(db.sessions, cid, clock=clock)
    session = live.start()
    spoken_by_stage: dict[int, list[int]] = {}
    state = session.state
    while True:
        stage = session.script.stages[state.stage_index]
        if stage.has_round:
            order = []
            while not state.round_complete:
                order.append(state.speaker)
                clock.tick(45)
                state = live.next_speaker()
            spoken_by_stage[state.stage_index] = order
        if state.is_last_stage:
            break
        clock.tick(5)
        state = live.next_stage()
    live.end()
    kinds = {i: s.addressed_to.value for i, s in enumerate(session.script.stages)}
    by_role = {kinds[i]: who for i, who in spoken_by_stage.items() if kinds[i] != "all"}
    assert by_role["responsible"] == [ids["responsible"]]
    assert by_role["harmed"] == [ids["harmed"]]
    assert by_role["supporters_of_responsible"] == [ids["mum"]]
    assert by_role["supporters_of_harmed"] == [ids["friend"]]
    # Rounds for everyone leave out the facilitators, who ask rather than answer.
    everyone = spoken_by_stage[0]
    assert ids["keeper"] not in everyone and ids["co"] not in everyone
    assert set(everyone) == {ids[k] for k in ("responsible", "mum", "teacher", "friend", "harmed")}
    with db.sessions() as s:
        count = s.scalar(select(func.count()).select_from(Turn).where(Turn.circle_id == cid))
    assert count == sum(len(v) for v in spoken_by_stage.values())


def test_resume_after_reopening_the_database_mid_circle(
    db_path: Path, planner: CirclePlanner, db: Database
) -> None:
    # Given a circle interrupted mid-round, with a note taken
    keeper = person(db, "Kim", PersonKind.STAFF)
    cid = planner.plan(
        CirclePlan(
            kind="community_building", script_key="community_building", facilitator_id=keeper
        )
    ).id
    for name in ("Ali", "Bea", "Cy"):
        planner.add_participant(cid, person(db, name))
    clock = Clock()
    live = FacilitationService(db.sessions, cid, clock=clock)
    live.start()
    live.next_stage()  # the talking piece
    live.next_stage()  # guidelines round
    live.next_speaker()
    live.set_mode(PieceMode.POPCORN)
    live.next_speaker()
    live.choose_speaker(live.state().remaining[-1])
    live.start_timer()
    clock.tick(42)
    live.add_note("Quiet group today.")
    before = live.state()
    db.close()  # the lid closes; nothing else is saved

    # When the database is opened again
    reopened = open_database(db_path)
    try:
        (row,) = find_interrupted(reopened.sessions)
        assert row.id == cid and row.status == CircleStatus.IN_PROGRESS
        again = FacilitationService(reopened.sessions, cid, clock=clock)
        session = again.resume()

        # Then it is exactly where it was: stage, speaker, mode, timer, notes
        assert session.state == before
        assert session.state.speaker == before.speaker is not None
        assert session.state.mode is PieceMode.POPCORN
        assert session.state.round_elapsed(clock.now) == 42
        assert [n.text for n in session.notes] == ["Quiet group today."]
        assert set(session.participants) >= set(session.state.seating)
        # And it carries on
        state = again.back()
        assert state.speaker is None
    finally:
        reopened.close()


def test_moves_that_make_no_sense_are_refused_in_plain_words(
    db: Database, planner: CirclePlanner
) -> None:
    cid = planner.plan(CirclePlan(kind="check_in", script_key="check_in_out")).id
    planner.add_participant(cid, person(db, "Ali"))
    live = FacilitationService(db.sessions, cid, clock=Clock())
    with pytest.raises(InvalidInput, match="not been started"):
        live.next_speaker()
    live.start()
    with pytest.raises(InvalidInput, match="no talking-piece round"):
        live.next_speaker()
    with pytest.raises(InvalidInput, match="first stage"):
        live.previous_stage()
    with pytest.raises(InvalidInput, match="empty"):
        live.add_note("   ")
    with pytest.raises(InvalidInput, match="only a planned circle"):
        live.start()
    assert live.state().stage_index == 0
