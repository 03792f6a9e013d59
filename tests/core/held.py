"""Circles and conferences run through the real planner and facilitation service, then ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CirclePlan
from circlekeeper.core.domain.enums import PersonKind, Role
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.store.database import Database

WHEN = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


@dataclass
class Held:
    circle_id: int
    planner: CirclePlanner
    members: list[int]  # participant ids of the people who take part (not the keeper)
    stages: int  # how many stages the script has


class Clock:
    def __init__(self) -> None:
        self.now = WHEN.timestamp()

    def __call__(self) -> float:
        self.now += 30
        return self.now


def _person(db: Database, first: str, kind: str = PersonKind.STUDENT.value) -> int:
    return PeopleService(db.sessions).create(PersonData(first, "Test", kind=kind)).id  # type: ignore[arg-type]


def held_circle(
    db: Database,
    tmp_path: Path,
    *,
    members: int = 4,
    absent: int = 1,
    stages_run: int = 4,
    when: datetime = WHEN,
) -> Held:
    """A community circle: a keeper and ``members`` students (the last ``absent`` absent);
    the keeper reaches ``stages_run`` stages, and in a stage with a round everyone takes a turn."""
    planner = CirclePlanner(
        Context(db.sessions, actor="Kim"), ScriptLibrary(custom_dir=tmp_path / "scripts")
    )
    keeper = _person(db, "Kim", PersonKind.STAFF.value)
    cid = planner.plan(
        CirclePlan(
            kind="community_building",
            script_key="community_building",
            facilitator_id=keeper,
            scheduled_at=when,
        )
    ).id
    ids = [
        planner.add_participant(cid, _person(db, f"Member{n}"), Role.MEMBER).id
        for n in range(members)
    ]
    rows = planner.detail(cid).participants
    present = [r.id for r in rows if r.id not in ids[members - absent :]]
    live = FacilitationService(Context(db.sessions, actor="Kim"), cid, clock=Clock())
    session = live.start(present)
    for index in range(stages_run):
        if index:
            live.next_stage()
        if session.script.stages[index].has_round:
            state = live.state()
            while not state.round_complete:
                state = live.next_speaker()
    live.end()
    return Held(cid, planner, ids, len(session.script.stages))


def held_conference(db: Database, tmp_path: Path, *, prepared: int = 2) -> Held:
    """A conference with an SRO co-facilitator and three people to prepare (``prepared`` of them
    had their pre-meeting), run through every stage."""
    planner = CirclePlanner(
        Context(db.sessions, actor="Ana"), ScriptLibrary(custom_dir=tmp_path / "scripts")
    )
    cid = planner.plan(
        CirclePlan(
            kind="conference",
            script_key="conference",
            scheduled_at=WHEN,
            facilitator_id=_person(db, "Ana", PersonKind.STAFF.value),
            co_facilitator_id=_person(db, "Ben", PersonKind.SRO.value),
        )
    ).id
    responsible = planner.add_participant(cid, _person(db, "Rio"), Role.RESPONSIBLE).id
    harmed = planner.add_participant(cid, _person(db, "Hana"), Role.HARMED).id
    mum = planner.add_participant(
        cid, _person(db, "Rosa", PersonKind.GUARDIAN.value), Role.GUARDIAN, responsible
    ).id
    members = [responsible, harmed, mum]
    for pid in members[:prepared]:
        planner.set_preparation(pid, pre_meeting_held=True, consent=True)
    live = FacilitationService(Context(db.sessions, actor="Ana"), cid, clock=Clock())
    session = live.start()
    for index, stage in enumerate(session.script.stages):
        if index:
            live.next_stage()
        if stage.has_round:
            state = live.state()
            while not state.round_complete:
                state = live.next_speaker()
    live.end()
    return Held(cid, planner, members, len(session.script.stages))


def running_circle(db: Database, scripts: Path, *, members: int = 6, actor: str = "Kim") -> int:
    """A community circle planned, started and at its first round (not ended): its id."""
    planner = CirclePlanner(Context(db.sessions, actor=actor), ScriptLibrary(custom_dir=scripts))
    keeper = _person(db, actor, PersonKind.STAFF.value)
    cid = planner.plan(
        CirclePlan(
            kind="community_building",
            script_key="community_building",
            facilitator_id=keeper,
            scheduled_at=WHEN,
        )
    ).id
    for n in range(members):
        planner.add_participant(cid, _person(db, f"Member{n}"), Role.MEMBER)
    live = FacilitationService(Context(db.sessions, actor=actor), cid)
    stages = live.start().script.stages
    while not stages[live.state().stage_index].has_round:  # on to the first round
        live.next_stage()
    return cid
