"""Every circle that deals with harm (harm-and-repair, re-entry, conference) is prepared and
screened before it starts, by the one eligibility rule; other circles are not."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.eligibility import EligibilityService, NotEligible
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CirclePlan
from circlekeeper.core.domain.eligibility import Eligibility, screen_applies
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Circle

TODAY = date(2026, 3, 10)
WHEN = datetime(2026, 3, 12, 14, 0, tzinfo=UTC)
CLEAR = Eligibility(
    responsibility_admitted=True, participation_voluntary=True, guardian_consent=True
)


@pytest.fixture
def world(db: Database, tmp_path: Path) -> dict[str, object]:
    people = PeopleService(db.sessions)
    ana = people.create(PersonData("Ana", "Ruiz", grade="8")).id
    ben = people.create(PersonData("Ben", "Lee", grade="8")).id
    kim = people.create(PersonData("Kim", "Osei", kind="staff", title="Counselor")).id
    case = CaseService(db.sessions).intake(
        CaseIntake(
            referred_on=TODAY,
            incident_category="Conflict between students",
            parties=[(ana, "responsible"), (ben, "harmed")],
        )
    )
    planner = CirclePlanner(db.sessions, ScriptLibrary(custom_dir=tmp_path / "scripts"))
    return {"ana": ana, "ben": ben, "kim": kim, "case": case.id, "planner": planner}


def _plan(world, kind: str, *, case: bool = True) -> int:  # type: ignore[no-untyped-def]
    planner = world["planner"]
    circle = planner.plan(
        CirclePlan(
            kind=kind,
            script_key=kind,
            scheduled_at=WHEN,
            case_id=world["case"] if case else None,
            facilitator_id=world["kim"],
        )
    )
    planner.add_participant(circle.id, world["ana"], "responsible")
    if kind != "reentry":
        planner.add_participant(circle.id, world["ben"], "harmed")
    return circle.id


def _start(db: Database, circle_id: int) -> str:
    FacilitationService(db.sessions, circle_id, clock=lambda: WHEN.timestamp()).start()
    with db.sessions() as session:
        circle = session.get(Circle, circle_id)
        assert circle is not None
        return circle.status


def test_the_circles_that_deal_with_harm_are_the_screened_ones() -> None:
    assert all(screen_applies(k) for k in ("conference", "harm_repair", "reentry"))
    assert not any(screen_applies(k) for k in ("community_building", "check_in", "grief"))


def test_a_harm_circle_asks_each_persons_consent_and_the_screen(db, world) -> None:  # type: ignore[no-untyped-def]
    circle_id = _plan(world, "harm_repair")
    reasons = world["planner"].readiness(circle_id)
    codes = {r.code for r in reasons}
    # The same questions as the conference's: a meeting, consent, a guardian's, the screen
    assert {"pre_meeting", "consent", "guardian_consent", "screen"} <= codes
    names = " ".join(r.message for r in reasons if r.code == "consent")
    assert "Ana Ruiz" in names and "Ben Lee" in names


def test_a_harm_circle_whose_screen_blocks_cannot_start(db, world) -> None:  # type: ignore[no-untyped-def]
    circle_id = _plan(world, "harm_repair")
    EligibilityService(db.sessions).record_for_case(
        world["case"], replace(CLEAR, participation_voluntary=False)
    )
    with pytest.raises(NotEligible, match="This circle cannot be held") as refused:
        _start(db, circle_id)
    assert any("voluntarily" in r for r in refused.value.reasons)
    with db.sessions() as session:
        assert session.get(Circle, circle_id).status == "planned"
    # With every answer given, it starts
    EligibilityService(db.sessions).record_for_case(world["case"], CLEAR)
    assert _start(db, circle_id) == "in_progress"


def test_a_harm_circle_without_a_case_keeps_its_own_screen(db, world) -> None:  # type: ignore[no-untyped-def]
    circle_id = _plan(world, "harm_repair", case=False)
    EligibilityService(db.sessions).record_for_circle(circle_id, replace(CLEAR, halted=True))
    with pytest.raises(NotEligible, match="not safe"):
        _start(db, circle_id)


def test_a_re_entry_circle_is_judged_on_consent_and_the_halt(db, world) -> None:  # type: ignore[no-untyped-def]
    # The case went to the threat assessment team: that exclusion does not stop the re-entry
    screens = EligibilityService(db.sessions)
    screens.record_for_case(world["case"], Eligibility(credible_threat=True))
    circle_id = _plan(world, "reentry")
    reasons = world["planner"].readiness(circle_id)
    assert not any(r.blocking for r in reasons)
    assert {"consent", "guardian_consent"} <= {r.code for r in reasons}
    assert not {"responsible", "harmed"} & {r.code for r in reasons}
    # but a guardian's refusal does, as does the facilitator's halt
    screens.record_for_case(
        world["case"], Eligibility(credible_threat=True, guardian_consent=False)
    )
    with pytest.raises(NotEligible, match="guardian"):
        _start(db, circle_id)
    screens.record_for_case(
        world["case"], Eligibility(credible_threat=True, guardian_consent=True, halted=True)
    )
    with pytest.raises(NotEligible, match="not safe"):
        _start(db, circle_id)
    # The halt lifted (the screen saves what was changed since it was loaded), it starts
    halted = Eligibility(credible_threat=True, guardian_consent=True, halted=True)
    screens.record_for_case(world["case"], replace(halted, halted=False), loaded=halted)
    assert _start(db, circle_id) == "in_progress"
