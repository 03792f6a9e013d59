"""Holding a circle for a case moves the case along, or leaves it to be asked about."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CirclePlan
from circlekeeper.core.domain.enums import PersonKind, Role
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import AuditEvent, Case

from .held import WHEN, Clock


def _hold_for_case(db: Database, tmp_path: Path, status: str) -> tuple[int, FacilitationService]:
    """Given a case at ``status`` and a circle planned for it, when the circle is run and
    ended."""
    ctx = Context(db.sessions, actor="Kim")
    with db.sessions.begin() as session:
        case = Case(referred_on=date(2026, 2, 20), incident_category="conflict", status=status)
        session.add(case)
        session.flush()
        case_id = case.id
    people = PeopleService(ctx)
    keeper = people.create(PersonData("Kim", "Osei", kind=PersonKind.STAFF.value)).id
    student = people.create(PersonData("Ana", "Ruiz")).id
    planner = CirclePlanner(ctx, ScriptLibrary(custom_dir=tmp_path / "scripts"))
    circle_id = planner.plan(
        CirclePlan(
            kind="community_building",
            script_key="community_building",
            facilitator_id=keeper,
            scheduled_at=WHEN,
            case_id=case_id,
        )
    ).id
    planner.add_participant(circle_id, student, Role.MEMBER)
    live = FacilitationService(ctx, circle_id, clock=Clock())
    live.start()
    live.end()
    return case_id, live


def _status(db: Database, case_id: int) -> str:
    with db.sessions() as session:
        return session.get(Case, case_id).status  # type: ignore[union-attr]


def test_a_case_being_prepared_is_held_when_its_circle_ends(db: Database, tmp_path: Path) -> None:
    case_id, live = _hold_for_case(db, tmp_path, "preparing")
    assert _status(db, case_id) == "held"
    assert live.case_move is not None and live.case_move.moved
    assert (live.case_move.before, live.case_move.after) == ("preparing", "held")
    with db.sessions() as session:
        moves = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "move", AuditEvent.entity == "case")
        ).all()
    assert [m.actor for m in moves] == ["Kim"]
    assert "held" in (moves[0].detail or "")


@pytest.mark.parametrize("status", ["referred", "screened"])
def test_a_case_not_yet_prepared_is_not_jumped_ahead_but_asked_about(
    db: Database, tmp_path: Path, status: str
) -> None:
    case_id, live = _hold_for_case(db, tmp_path, status)
    assert _status(db, case_id) == status
    assert live.case_move is not None and not live.case_move.moved
    assert live.case_move.before == status


def test_a_case_already_past_held_stays_where_it_is(db: Database, tmp_path: Path) -> None:
    case_id, live = _hold_for_case(db, tmp_path, "monitoring")
    assert _status(db, case_id) == "monitoring"
    assert live.case_move is None
