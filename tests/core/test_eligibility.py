"""The one eligibility rule: each exclusion and each consent rule stops a case and its conference.

Every rule is tested on its own, through the real services on a real database, so removing any
one of them from :func:`circlekeeper.core.domain.eligibility.assess` fails a test here.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.eligibility import EligibilityService, NotEligible
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CirclePlan
from circlekeeper.core.domain.eligibility import (
    EXCLUSION_NAMES,
    Eligibility,
    assess,
    decode,
    encode,
)
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import AuditEvent, Case, Circle

TODAY = date(2026, 3, 10)
WHEN = datetime(2026, 3, 12, 14, 0, tzinfo=UTC)

# Every answer a conference needs, given: the screen lets the case go ahead.
CLEAR = Eligibility(
    responsibility_admitted=True, participation_voluntary=True, guardian_consent=True
)

# Each rule, as the one answer that breaks it and words the reason must contain.
BLOCKING = [
    *[({name: True}, None) for name in EXCLUSION_NAMES],
    ({"halted": True}, "not safe"),
    ({"responsibility_admitted": False}, "does not admit"),
    ({"participation_voluntary": False}, "voluntarily"),
    ({"guardian_consent": False}, "guardian"),
]
MISSING = [
    ({"responsibility_admitted": None}, "admits their part"),
    ({"participation_voluntary": None}, "voluntarily"),
    ({"guardian_consent": None}, "guardian"),
]


def _ids(cases: list[tuple[dict[str, object], str | None]]) -> list[str]:
    return [next(iter(change)) for change, _ in cases]


@pytest.fixture
def world(db: Database, tmp_path: Path) -> dict[str, int]:
    """A referral with a minor responsible and a minor harmed, and its planned conference."""
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
    circle = planner.plan(
        CirclePlan(
            kind="conference",
            script_key="conference",
            scheduled_at=WHEN,
            case_id=case.id,
            facilitator_id=kim,
        )
    )
    planner.add_participant(circle.id, ana, "responsible")
    planner.add_participant(circle.id, ben, "harmed")
    return {"case": case.id, "circle": circle.id, "ana": ana, "kim": kim}


def _start(db: Database, circle_id: int) -> None:
    FacilitationService(db.sessions, circle_id, clock=lambda: WHEN.timestamp()).start()


def _status(db: Database, circle_id: int) -> str:
    with db.sessions() as session:
        circle = session.get(Circle, circle_id)
        assert circle is not None
        return circle.status


def test_a_clear_screen_lets_the_case_and_its_conference_go_ahead(
    db: Database, world: dict[str, int]
) -> None:
    # The control for every test below: with all answers given, nothing stops anything.
    assert assess(CLEAR).may_go_ahead
    cases = CaseService(db.sessions)
    EligibilityService(db.sessions).record_for_case(world["case"], CLEAR)
    for step in ("screened", "preparing"):
        assert cases.move(world["case"], step) == step
    _start(db, world["circle"])
    assert _status(db, world["circle"]) == "in_progress"


@pytest.mark.parametrize(("change", "words"), BLOCKING, ids=_ids(BLOCKING))
def test_each_exclusion_and_refusal_stops_the_case_and_its_conference(
    db: Database, world: dict[str, int], change: dict[str, object], words: str | None
) -> None:
    # Given a case screened with everything clear except this one answer
    screens = EligibilityService(db.sessions)
    answers = CLEAR.with_changes(change)
    verdict = screens.record_for_case(world["case"], answers).verdict
    # Then the one verdict blocks it, in words
    assert verdict.blocked and not verdict.may_go_ahead
    if words:
        assert any(words in reason for reason in verdict.blocked)
    # And the case cannot move to preparing
    cases = CaseService(db.sessions)
    assert cases.move(world["case"], "screened") == "screened"
    with pytest.raises(NotEligible, match="cannot go to a conference"):
        cases.move(world["case"], "preparing")
    assert cases.detail(world["case"]).status == "screened"
    # And its conference cannot start, not even by going round the planner
    with pytest.raises(NotEligible, match="cannot be held"):
        _start(db, world["circle"])
    assert _status(db, world["circle"]) == "planned"
    assert any(r.blocking for r in CirclePlanner(db.sessions).readiness(world["circle"]))


@pytest.mark.parametrize(("change", "words"), BLOCKING, ids=_ids(BLOCKING))
def test_an_exclusion_found_during_preparation_stops_the_case_being_held(
    db: Database, world: dict[str, int], change: dict[str, object], words: str | None
) -> None:
    # Given a case already preparing on a clear screen
    screens = EligibilityService(db.sessions)
    cases = CaseService(db.sessions)
    screens.record_for_case(world["case"], CLEAR)
    cases.move(world["case"], "screened")
    cases.move(world["case"], "preparing")
    # When the conference's panel records the exclusion or refusal
    screens.record_for_circle(world["circle"], CLEAR.with_changes(change), loaded=CLEAR)
    # Then the case cannot be marked held, and the conference cannot start
    with pytest.raises(NotEligible):
        cases.move(world["case"], "held")
    with pytest.raises(NotEligible):
        _start(db, world["circle"])
    assert cases.detail(world["case"]).status == "preparing"


@pytest.mark.parametrize(("change", "words"), MISSING, ids=_ids(MISSING))
def test_an_answer_not_known_yet_keeps_the_case_from_preparing(
    db: Database, world: dict[str, int], change: dict[str, object], words: str
) -> None:
    screens = EligibilityService(db.sessions)
    verdict = screens.record_for_case(world["case"], CLEAR.with_changes(change)).verdict
    assert not verdict.blocked and any(words in reason for reason in verdict.missing)
    cases = CaseService(db.sessions)
    cases.move(world["case"], "screened")
    with pytest.raises(NotEligible, match=words):
        cases.move(world["case"], "preparing")
    # The keeper may still start a conference with an answer only missing: they know more.
    _start(db, world["circle"])
    assert _status(db, world["circle"]) == "in_progress"


def test_guardian_consent_is_needed_only_when_a_minor_takes_part() -> None:
    unknown = replace(CLEAR, guardian_consent=None)
    assert assess(unknown, minors=False).may_go_ahead
    assert not assess(unknown, minors=True).may_go_ahead
    # A refusal stops it whoever takes part
    assert assess(replace(CLEAR, guardian_consent=False), minors=False).blocked


def test_guardian_consent_is_judged_with_the_one_minor_rule(db: Database, tmp_path: Path) -> None:
    # Given a case between two adults (staff, with birth dates on file)
    people = PeopleService(db.sessions)
    adults = [
        people.create(PersonData(n, "Adult", kind="staff", birth_date=date(1980, 1, 1))).id
        for n in ("Ada", "Bo")
    ]
    case_id = (
        CaseService(db.sessions)
        .intake(
            CaseIntake(
                referred_on=TODAY,
                incident_category="Conflict between staff",
                parties=[(adults[0], "responsible"), (adults[1], "harmed")],
            )
        )
        .id
    )
    screens = EligibilityService(db.sessions)
    no_guardian = replace(CLEAR, guardian_consent=None)
    planner = CirclePlanner(db.sessions, ScriptLibrary(custom_dir=tmp_path / "scripts"))
    circle = planner.plan(CirclePlan(kind="conference", case_id=case_id)).id
    planner.add_participant(circle, adults[0], "responsible")

    def guardian_asked() -> list[bool]:
        """Whether each view of the screen asks for a guardian's consent."""
        return [
            any("guardian" in p for p in screens.for_case(case_id).verdict.problems),
            any(
                "guardian" in p
                for p in CaseService(db.sessions).detail(case_id).eligibility_problems
            ),
            any("guardian" in p for p in screens.for_circle(circle).verdict.problems),
            any("guardian" in r.message for r in planner.readiness(circle) if r.code == "screen"),
            any("guardian" in p for p in planner.detail(circle).eligibility.verdict.problems),
        ]

    # Then no guardian's consent is asked for, on any view
    assert screens.record_for_case(case_id, no_guardian).verdict.may_go_ahead
    assert guardian_asked() == [False] * 5
    # When a student joins the case, it is, everywhere
    student = people.create(PersonData("Cy", "Young", grade="7")).id
    CaseService(db.sessions).add_party(case_id, student, "harmed")
    assert guardian_asked() == [True] * 5

    # And a conference with no case asks when a minor is invited to it
    alone = planner.plan(CirclePlan(kind="conference")).id
    planner.add_participant(alone, adults[1], "harmed")
    screens.record_for_circle(alone, no_guardian)

    def asked_alone() -> list[bool]:
        return [
            any("guardian" in p for p in screens.for_circle(alone).verdict.problems),
            any("guardian" in r.message for r in planner.readiness(alone) if r.code == "screen"),
            any("guardian" in p for p in planner.detail(alone).eligibility.verdict.problems),
        ]

    assert asked_alone() == [False] * 3
    planner.add_participant(alone, student, "responsible")
    assert asked_alone() == [True] * 3


def test_saving_a_stale_screen_keeps_the_answers_the_other_screen_set(
    db: Database, world: dict[str, int]
) -> None:
    screens = EligibilityService(db.sessions)
    # Given the case page and the conference panel both open on a clear screen
    screens.record_for_case(world["case"], CLEAR)
    case_page = screens.for_case(world["case"]).shown
    panel = screens.for_circle(world["circle"]).shown
    assert case_page == panel == CLEAR
    # When the case page records a Title IX matter
    screens.record_for_case(world["case"], replace(case_page, title_ix=True), loaded=case_page)
    # and the panel, still showing the old answers, saves a note
    screens.record_for_circle(
        world["circle"], replace(panel, notes="Met Ana's mother."), loaded=panel
    )
    # Then both answers are kept, and both screens show the same
    stored = screens.for_case(world["case"]).answers
    assert stored is not None and stored.title_ix and stored.notes == "Met Ana's mother."
    assert screens.for_circle(world["circle"]).answers == stored


def test_a_person_can_still_clear_an_answer_they_see(db: Database, world: dict[str, int]) -> None:
    screens = EligibilityService(db.sessions)
    screens.record_for_case(world["case"], replace(CLEAR, weapons=True))
    shown = screens.for_circle(world["circle"]).shown
    assert shown.weapons
    screens.record_for_circle(world["circle"], replace(shown, weapons=False), loaded=shown)
    assert screens.for_case(world["case"]).verdict.may_go_ahead


def test_the_stored_format_is_one_and_an_unreadable_screen_blocks(
    db: Database, world: dict[str, int]
) -> None:
    answers = replace(CLEAR, title_ix=True, halted=True, notes="Señora Ruiz")
    assert decode(encode(answers)) == answers
    stored = json.loads(encode(answers))
    assert stored["format"] == 2 and stored["exclusions"] == ["title_ix"]
    # The old formats are not read as blank screens (that is how a flag was lost)
    for old in ('{"title_ix": true}', '{"must_refer": true, "answered": true}', "[]"):
        with pytest.raises(ValueError):
            decode(old)
    with db.sessions.begin() as session:
        case = session.get(Case, world["case"])
        assert case is not None
        case.eligibility = '{"title_ix": true}'
    screen = EligibilityService(db.sessions).for_case(world["case"])
    assert screen.unreadable and screen.verdict.blocked
    with pytest.raises(NotEligible):
        _start(db, world["circle"])


def test_a_conference_linked_to_a_case_brings_its_screen_along(
    db: Database, world: dict[str, int], tmp_path: Path
) -> None:
    # Given a conference planned on its own and screened as a Title IX matter
    planner = CirclePlanner(db.sessions, ScriptLibrary(custom_dir=tmp_path / "scripts"))
    alone = planner.plan(CirclePlan(kind="conference", script_key="conference", scheduled_at=WHEN))
    screens = EligibilityService(db.sessions)
    screens.record_for_circle(alone.id, replace(CLEAR, title_ix=True))
    assert screens.for_circle(alone.id).case_id is None
    screens.record_for_case(world["case"], replace(CLEAR, notes="Case notes"))
    # When it is linked to the case
    plan = replace(planner.detail(alone.id).plan, case_id=world["case"])
    planner.update_plan(alone.id, plan)
    # Then the case's one screen holds both, and the flag still stops the case
    answers = screens.for_case(world["case"]).answers
    assert answers is not None and answers.title_ix and answers.notes == "Case notes"
    assert screens.for_circle(alone.id).case_id == world["case"]
    with db.sessions() as session:
        circle = session.get(Circle, alone.id)
        assert circle is not None and "eligibility" not in json.loads(circle.summary or "{}")


def test_a_re_entry_circle_is_not_stopped_by_its_case_exclusion(
    db: Database, world: dict[str, int], tmp_path: Path
) -> None:
    # A case excluded for a credible threat goes to the threat assessment team; the student may
    # come back through a re-entry circle, which the conference screen does not govern.
    EligibilityService(db.sessions).record_for_case(
        world["case"], replace(CLEAR, credible_threat=True)
    )
    planner = CirclePlanner(db.sessions, ScriptLibrary(custom_dir=tmp_path / "scripts"))
    circle = planner.plan(
        CirclePlan(
            kind="reentry",
            script_key="reentry",
            scheduled_at=WHEN,
            case_id=world["case"],
            facilitator_id=world["kim"],
        )
    )
    planner.add_participant(circle.id, world["ana"], "member")
    _start(db, circle.id)
    assert _status(db, circle.id) == "in_progress"


def test_a_closed_case_screen_cannot_be_changed_from_either_screen(
    db: Database, world: dict[str, int]
) -> None:
    screens = EligibilityService(db.sessions)
    screens.record_for_case(world["case"], replace(CLEAR, police_matter=True))
    CaseService(db.sessions).close(world["case"], "not_restorable", today=TODAY)
    for record in (
        lambda: screens.record_for_case(world["case"], CLEAR),
        lambda: screens.record_for_circle(world["circle"], CLEAR),
    ):
        with pytest.raises(InvalidInput, match="closed"):
            record()
    assert screens.for_case(world["case"]).shown.police_matter


def test_the_audit_trail_says_a_screen_was_saved_but_not_what_it_found(
    db: Database, world: dict[str, int]
) -> None:
    # The trail is append-only (retention cannot rewrite it): it must not keep that a minor's
    # case was a Title IX or child protection matter, nor the screen's notes.
    screens = EligibilityService(Context(db.sessions, actor="Ms. Ortiz"))
    secret = "Disclosed at home, coordinator told"
    screens.record_for_case(world["case"], replace(CLEAR, title_ix=True, notes=secret))
    screens.record_for_circle(world["circle"], replace(CLEAR, child_protection=True), loaded=CLEAR)
    with db.sessions() as session:
        lines = session.scalars(select(AuditEvent).where(AuditEvent.action == "screen")).all()
        text = " ".join(f"{e.detail} {e.actor}" for e in lines)
    assert len(lines) == 2 and "Ms. Ortiz" in text and '"blocked": true' in text
    for word in ("title_ix", "Title IX", "child_protection", "protection", secret):
        assert word not in text
