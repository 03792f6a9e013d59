"""Consent to a circle that deals with harm is dated and can be withdrawn: a withdrawal counts
as no consent for the one eligibility rule, so Start is refused naming the person and the date,
and consent recorded again lets the circle go ahead."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.eligibility import EligibilityService, NotEligible
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CirclePlan
from circlekeeper.core.domain.eligibility import Eligibility
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import AuditEvent, Circle, Participant

TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
WHEN = datetime(2026, 3, 12, 14, 0, tzinfo=UTC)
CLEAR = Eligibility(
    responsibility_admitted=True, participation_voluntary=True, guardian_consent=True
)


@pytest.fixture
def world(db: Database, tmp_path: Path) -> dict[str, object]:
    people = PeopleService(db.sessions)
    ana = people.create(PersonData("Ana", "Ruiz", grade="8", birth_date=date(2012, 5, 1))).id
    ben = people.create(PersonData("Ben", "Lee", kind="staff", title="Teacher")).id
    kim = people.create(PersonData("Kim", "Osei", kind="staff", title="Counselor")).id
    case = CaseService(db.sessions).intake(
        CaseIntake(
            referred_on=TODAY,
            incident_category="Conflict between students",
            parties=[(ana, "responsible"), (ben, "harmed")],
        )
    )
    EligibilityService(db.sessions).record_for_case(case.id, CLEAR)
    context = Context(db.sessions, actor="Kim Osei", clock=lambda: NOW)
    planner = CirclePlanner(context, ScriptLibrary(custom_dir=tmp_path / "scripts"))
    circle = planner.plan(
        CirclePlan(
            kind="harm_repair",
            script_key="harm_repair",
            scheduled_at=WHEN,
            case_id=case.id,
            facilitator_id=kim,
        )
    )
    rows = {
        "ana": planner.add_participant(circle.id, ana, "responsible").id,
        "ben": planner.add_participant(circle.id, ben, "harmed").id,
    }
    for row in rows.values():
        planner.set_preparation(row, pre_meeting_held=True, consent=True, guardian_consent=True)
    return {"planner": planner, "circle": circle.id, **rows}


def _start(db: Database, circle_id: int) -> str:
    FacilitationService(db.sessions, circle_id, clock=lambda: WHEN.timestamp()).start()
    with db.sessions() as session:
        circle = session.get(Circle, circle_id)
        assert circle is not None
        return circle.status


def test_consent_is_dated_when_it_is_recorded(db, world) -> None:  # type: ignore[no-untyped-def]
    row = next(
        r for r in world["planner"].detail(world["circle"]).participants if r.id == world["ana"]
    )
    assert row.consent and row.consent_given_on == TODAY and not row.withdrawn


def test_a_withdrawn_consent_blocks_start_naming_the_person_and_the_date(db, world) -> None:  # type: ignore[no-untyped-def]
    planner, circle_id = world["planner"], world["circle"]
    assert not [r for r in planner.readiness(circle_id) if r.code != "status"]
    # When Ana's guardian withdraws consent on March 9
    row = planner.withdraw_consent(world["ana"], date(2026, 3, 9), "guardian")
    assert row.withdrawn and row.consent_withdrawn_by == "guardian"
    assert row.consent_given_on == TODAY  # when it was given is kept
    # Then readiness says so as a block (the screen's verdict), not as a "start anyway"
    blocking = [r.message for r in planner.readiness(circle_id) if r.blocking]
    assert {r.code for r in planner.readiness(circle_id) if r.blocking} == {"withdrawn"}
    assert blocking == [
        "A guardian of Ana Ruiz withdrew consent on March 9, 2026; record consent again "
        "before this circle is held."
    ]
    # and Start is refused in core, nothing started
    with pytest.raises(NotEligible, match=r"Ana Ruiz withdrew consent on March 9, 2026"):
        _start(db, circle_id)
    with db.sessions() as session:
        assert session.get(Circle, circle_id).status == "planned"
        withdrawn = session.get(Participant, world["ana"])
        assert withdrawn.consent_withdrawn_on == date(2026, 3, 9)
        assert withdrawn.consent_given_on == TODAY
        line = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "withdraw consent")
        ).one()
        assert line.actor == "Kim Osei"
        detail = json.loads(line.detail)
        assert (detail["by"], detail["on"]) == ("guardian", "2026-03-09")
        assert detail["changes"]["consent_withdrawn_on"] == [None, "2026-03-09"]


def test_consent_recorded_again_unblocks(db, world) -> None:  # type: ignore[no-untyped-def]
    planner, circle_id = world["planner"], world["circle"]
    planner.withdraw_consent(world["ben"], by="participant")
    assert any(
        "Ben Lee withdrew their consent on March 10, 2026" in r.message
        for r in planner.readiness(circle_id)
        if r.blocking
    )
    # The keeper records Ben's consent again
    row = planner.set_preparation(world["ben"], consent=True)
    assert row.consent and not row.withdrawn and row.consent_given_on == TODAY
    assert not [r for r in planner.readiness(circle_id) if r.blocking]
    with db.sessions() as session:
        again = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "preparation")
            .order_by(AuditEvent.id.desc())
        ).first()
        assert json.loads(again.detail)["consent_again"] == "2026-03-10"
    assert _start(db, circle_id) == "in_progress"


def test_a_withdrawal_is_refused_in_plain_words_when_it_cannot_be(db, world) -> None:  # type: ignore[no-untyped-def]
    planner = world["planner"]
    with pytest.raises(InvalidInput, match="day still to come"):
        planner.withdraw_consent(world["ana"], date(2026, 3, 11))
    with pytest.raises(InvalidInput, match="given on March 10, 2026"):
        planner.withdraw_consent(world["ana"], date(2026, 3, 1))
    with pytest.raises(InvalidInput, match="Ben Lee is an adult"):
        planner.withdraw_consent(world["ben"], by="guardian")
    planner.withdraw_consent(world["ana"])
    with pytest.raises(InvalidInput, match="already withdrawn on March 10, 2026"):
        planner.withdraw_consent(world["ana"])
    blocking = [r.message for r in planner.readiness(world["circle"]) if r.blocking]
    assert blocking == [
        "Consent for Ana Ruiz was withdrawn on March 10, 2026; record consent again before "
        "this circle is held."
    ]
