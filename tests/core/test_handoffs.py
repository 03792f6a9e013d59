"""Hand-offs, the returning path and the record of disclosures (FERPA, 34 CFR § 99.32)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from tests.core.conftest import Conference, draft_with_items

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.handoffs import HandOffData, HandOffService
from circlekeeper.core.domain.eligibility import Eligibility
from circlekeeper.core.operations import Context
from circlekeeper.core.problems import InvalidInput, NotPermitted
from circlekeeper.core.profiles.viewer import ProfileRole, Viewer
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import AuditEvent, Circle, Disclosure, HandOff, Participant

COUNSELOR = Viewer("Dana Whitfield", ProfileRole.COUNSELOR.value)
OFFICER = Viewer("Sam Reyes", ProfileRole.SRO.value)
ON = date(2025, 3, 5)


def _btam(**changes: object) -> HandOffData:
    values: dict[str, object] = {
        "handed_to": "btam",
        "recipient": "Ms. Patel, threat assessment team lead",
        "handed_on": ON,
        "shared": "The referral, the incident date and what was said in the hallway.",
        "basis": "health_safety_emergency",
        "threat": "A student said he would bring a knife on Friday.",
    }
    values.update(changes)
    return HandOffData(**values)  # type: ignore[arg-type]


def _counts(db: Database) -> tuple[int, int, int]:
    with db.sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(HandOff)) or 0,
            session.scalar(select(func.count()).select_from(Disclosure)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        )


def test_a_hand_off_is_written_to_each_students_record_of_disclosures(
    conference: Conference,
) -> None:
    service = HandOffService(Context(conference.db.sessions, viewer=COUNSELOR))

    row = service.hand_off(_btam(), case_id=conference.case_id)

    assert row.is_open and row.students == 2  # José and Amara, not the guardians or staff
    lines = service.disclosures(person_id=conference.jose)
    assert [(d.kind, d.recipient, d.basis, d.disclosed_on) for d in lines] == [
        ("hand_off", "Ms. Patel, threat assessment team lead", "health_safety_emergency", ON)
    ]
    assert lines[0].reason == "A student said he would bring a knife on Friday."
    assert lines[0].disclosed_by == "Dana Whitfield"
    assert lines[0].student_name == "José Núñez"
    assert len(service.disclosures(person_id=conference.amara)) == 1
    assert service.disclosures(person_id=conference.lucia) == []
    assert [h.id for h in service.for_case(conference.case_id)] == [row.id]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"recipient": "   "}, "who received it"),
        ({"basis": ""}, "FERPA basis"),
        ({"basis": "because"}, "FERPA basis"),
        ({"handed_to": "the janitor"}, "where it is handed"),
        ({"shared": ""}, "what was shared"),
        ({"threat": None}, "what the threat was"),
        ({"recipient": "x" * 201}, "too long"),
    ],
)
def test_a_hand_off_missing_what_the_law_asks_is_refused_and_nothing_is_saved(
    conference: Conference, change: dict[str, object], words: str
) -> None:
    service = HandOffService(Context(conference.db.sessions, viewer=COUNSELOR))
    before = _counts(conference.db)

    with pytest.raises(InvalidInput, match=words) as refused:
        service.hand_off(_btam(**change), case_id=conference.case_id)

    assert "not saved" in str(refused.value)
    assert _counts(conference.db) == before


def test_a_school_official_hand_off_needs_no_threat(conference: Conference) -> None:
    service = HandOffService(Context(conference.db.sessions, viewer=COUNSELOR))
    row = service.hand_off(
        _btam(handed_to="mental_health", basis="school_official", threat=None),
        case_id=conference.case_id,
    )
    assert row.threat is None and row.students == 2


def test_an_excluded_case_goes_to_btam_and_comes_back_for_a_re_entry_circle(
    conference: Conference,
) -> None:
    # Given a case the screen excludes for a credible threat
    cases = CaseService(Context(conference.db.sessions, actor="Dana Whitfield"))
    cases.record_eligibility(conference.case_id, Eligibility(credible_threat=True))
    cases.move(conference.case_id, "screened")
    with pytest.raises(InvalidInput, match="Hand it off"):
        cases.move(conference.case_id, "preparing")
    service = HandOffService(Context(conference.db.sessions, viewer=COUNSELOR))
    row = service.hand_off(_btam(), case_id=conference.case_id)

    # When the team hands it back with a re-entry circle planned
    back = service.bring_back(
        row.id,
        on=date(2025, 3, 20),
        note="Team finished its assessment; safety plan in place.",
        reentry_at=datetime(2025, 3, 24, 14, 0, tzinfo=UTC),
    )

    # Then the hand-off is closed and a re-entry circle for the case invites its students
    assert not back.is_open and back.returned_on == date(2025, 3, 20)
    assert back.reentry_circle_id is not None
    with conference.db.sessions() as session:
        circle = session.get(Circle, back.reentry_circle_id)
        assert circle is not None
        assert (circle.kind, circle.case_id, circle.status) == (
            "reentry",
            conference.case_id,
            "planned",
        )
        invited = set(
            session.scalars(select(Participant.person_id).where(Participant.circle_id == circle.id))
        )
    assert invited == {conference.jose, conference.amara}
    with pytest.raises(InvalidInput, match="already came back"):
        service.bring_back(row.id, on=date(2025, 3, 21))


def test_it_cannot_come_back_before_it_was_handed_on(conference: Conference) -> None:
    service = HandOffService(Context(conference.db.sessions, viewer=COUNSELOR))
    row = service.hand_off(_btam(), case_id=conference.case_id)
    with pytest.raises(InvalidInput, match="before it was handed on"):
        service.bring_back(row.id, on=date(2025, 3, 1))
    assert service.for_case(conference.case_id)[0].is_open


def test_a_case_closes_as_handed_off_only_when_a_hand_off_was_recorded(
    conference: Conference,
) -> None:
    cases = CaseService(Context(conference.db.sessions, actor="Dana Whitfield"))
    with pytest.raises(InvalidInput, match="no hand-off recorded"):
        cases.close(conference.case_id, "handed_off", today=ON)
    assert cases.detail(conference.case_id).status == "referred"

    HandOffService(Context(conference.db.sessions, viewer=COUNSELOR)).hand_off(
        _btam(handed_to="title_ix", basis="school_official", threat=None),
        case_id=conference.case_id,
    )
    cases.close(conference.case_id, "handed_off", today=ON)
    detail = cases.detail(conference.case_id)
    assert (detail.status, detail.closure_reason) == ("closed", "handed_off")


def test_a_circles_concern_can_be_handed_off(conference: Conference) -> None:
    service = HandOffService(Context(conference.db.sessions, viewer=COUNSELOR))
    row = service.hand_off(
        _btam(handed_to="child_protection", basis="state_law_report", threat=None),
        circle_id=conference.circle_id,
    )
    assert row.circle_id == conference.circle_id and row.case_id == conference.case_id
    assert row.students == 2
    assert [h.id for h in service.for_case(conference.case_id)] == [row.id]


def test_an_officer_sees_that_a_hand_off_happened_but_not_what_was_shared(
    conference: Conference,
) -> None:
    HandOffService(Context(conference.db.sessions, viewer=COUNSELOR)).hand_off(
        _btam(), case_id=conference.case_id
    )
    HandOffService(Context(conference.db.sessions, viewer=COUNSELOR)).hand_off(
        _btam(handed_to="police", basis="law_enforcement_unit", threat=None, shared="Incident"),
        case_id=conference.case_id,
    )
    rows = {
        r.handed_to: r
        for r in HandOffService(Context(conference.db.sessions, viewer=OFFICER)).for_case(
            conference.case_id
        )
    }
    assert rows["btam"].shared is None and rows["btam"].threat is None
    assert rows["btam"].recipient == "Ms. Patel, threat assessment team lead"
    assert rows["police"].shared == "Incident"
    with pytest.raises(NotPermitted, match="record of disclosures"):
        HandOffService(Context(conference.db.sessions, viewer=OFFICER)).disclosures(
            person_id=conference.jose
        )


def test_a_sharing_copy_is_recorded_for_each_student_in_the_agreement(
    conference: Conference,
) -> None:
    agreement_id = draft_with_items(conference, 1)
    service = HandOffService(Context(conference.db.sessions, viewer=OFFICER))

    written = service.record_sharing_copy(agreement_id, on=ON, recipient="Officer's file")

    assert written == 2
    lines = HandOffService(Context(conference.db.sessions, viewer=COUNSELOR)).disclosures(
        person_id=conference.amara
    )
    assert [(d.kind, d.recipient, d.disclosed_by) for d in lines] == [
        ("sharing_copy", "Officer's file", "Sam Reyes")
    ]
    assert "copy for sharing" in lines[0].shared


def test_the_audit_trail_names_who_handed_off_without_copying_what_was_shared(
    conference: Conference,
) -> None:
    HandOffService(Context(conference.db.sessions, viewer=COUNSELOR)).hand_off(
        _btam(), case_id=conference.case_id
    )
    with conference.db.sessions() as session:
        line = session.scalars(select(AuditEvent).where(AuditEvent.action == "hand_off")).one()
    assert line.actor == "Dana Whitfield"
    assert json.loads(line.detail)["handed_to"] == "btam"
    assert "knife" not in line.detail and "hallway" not in line.detail


def test_disclosures_in_a_period_cover_every_student(conference: Conference) -> None:
    service = HandOffService(Context(conference.db.sessions, viewer=COUNSELOR))
    service.hand_off(_btam(), case_id=conference.case_id)
    service.hand_off(_btam(handed_on=date(2025, 5, 1)), case_id=conference.case_id)
    march = service.disclosures(start=date(2025, 3, 1), end=date(2025, 3, 31))
    assert sorted(d.person_id for d in march) == sorted([conference.jose, conference.amara])
