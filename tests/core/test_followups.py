"""Follow-ups: links, the agreement-date rule, default schedules, outcomes, due and overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from circlekeeper.core.followups.commands import FollowUpService
from circlekeeper.core.followups.rows import FollowUpData
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    Case,
    Circle,
    Participant,
    Person,
)

TODAY = date(2026, 3, 10)
CHICAGO = ZoneInfo("America/Chicago")


def _world(db: Database) -> dict[str, int]:
    """A case with a conference held on 2 March and an active agreement made that day."""
    with db.sessions.begin() as session:
        ana = Person(first_name="Ana", last_name="Ruiz", search_text="ana ruiz")
        ben = Person(first_name="Ben", last_name="Lee", search_text="ben lee")
        kim = Person(first_name="Kim", last_name="Osei", kind="staff", search_text="kim osei")
        session.add_all([ana, ben, kim])
        session.flush()
        case = Case(referred_on=date(2026, 2, 20), incident_category="Vandalism")
        session.add(case)
        session.flush()
        # 20:30 in Chicago on 2 March is already 3 March in UTC
        ended = datetime(2026, 3, 2, 20, 30, tzinfo=CHICAGO)
        circle = Circle(
            kind="conference",
            title="Conference",
            case_id=case.id,
            status="completed",
            scheduled_at=ended - timedelta(hours=1),
            ended_at=ended,
            facilitator_id=kim.id,
        )
        session.add(circle)
        session.flush()
        session.add_all(
            [
                Participant(circle_id=circle.id, person_id=kim.id, role="facilitator"),
                Participant(circle_id=circle.id, person_id=ana.id, role="responsible"),
                Participant(circle_id=circle.id, person_id=ben.id, role="harmed", seat_position=1),
            ]
        )
        agreement = Agreement(
            circle_id=circle.id,
            case_id=case.id,
            status="active",
            agreed_on=date(2026, 3, 2),
            follow_up_on=date(2026, 3, 23),
            follow_up_by_id=kim.id,
            harm_summary="Paint on the gym wall.",
        )
        session.add(agreement)
        session.flush()
        apology = AgreementItem(
            agreement_id=agreement.id,
            action="Write an apology letter",
            responsible_id=ana.id,
            due_on=date(2026, 3, 9),
        )
        repaint = AgreementItem(
            agreement_id=agreement.id,
            position=1,
            action="Help repaint the wall",
            responsible_id=ana.id,
            verifier_id=kim.id,
            due_on=date(2026, 3, 16),
        )
        session.add_all([apology, repaint])
        session.flush()
        return {
            "ana": ana.id,
            "kim": kim.id,
            "case": case.id,
            "circle": circle.id,
            "agreement": agreement.id,
            "apology": apology.id,
            "repaint": repaint.id,
        }


def test_a_follow_up_takes_its_case_from_what_it_is_linked_to(db: Database) -> None:
    w = _world(db)
    row = FollowUpService(db.sessions).create(
        FollowUpData(TODAY, w["kim"], "  Check   the letter ", agreement_item_id=w["apology"])
    )
    assert (row.agreement_id, row.case_id, row.circle_id) == (
        w["agreement"],
        w["case"],
        w["circle"],
    )
    assert row.purpose == "Check the letter"
    assert row.responsible_name == "Kim Osei"


def test_a_follow_up_dated_before_its_agreement_is_refused(db: Database) -> None:
    w = _world(db)
    service = FollowUpService(db.sessions)
    with pytest.raises(InvalidInput, match=r"2026-03-01 is before the agreement was made"):
        service.create(FollowUpData(date(2026, 3, 1), w["kim"], agreement_id=w["agreement"]))
    with pytest.raises(InvalidInput, match="before the agreement"):
        service.create(FollowUpData(date(2026, 3, 1), w["kim"], agreement_item_id=w["repaint"]))
    row = service.create(FollowUpData(date(2026, 3, 2), w["kim"], agreement_id=w["agreement"]))
    with pytest.raises(InvalidInput, match="before the agreement"):
        service.reschedule(row.id, date(2026, 2, 28))
    assert service.reschedule(row.id, date(2026, 3, 4)).due_on == date(2026, 3, 4)


def test_bad_follow_ups_are_refused_in_plain_words(db: Database) -> None:
    w = _world(db)
    service = FollowUpService(db.sessions)
    with pytest.raises(InvalidInput, match="is a student"):
        service.create(FollowUpData(TODAY, w["ana"], case_id=w["case"]))
    with pytest.raises(InvalidInput, match="belongs to a case"):
        service.create(FollowUpData(TODAY, w["kim"]))
    with pytest.raises(NotFound):
        service.create(FollowUpData(TODAY, 999, case_id=w["case"]))


def test_the_default_schedule_after_a_conference_uses_the_local_date(db: Database) -> None:
    w = _world(db)
    service = FollowUpService(db.sessions)
    # When the default schedule is made in the school's zone
    rows = service.schedule_after_conference(w["circle"], w["kim"], tz=CHICAGO)
    # Then the check-ins are one and four weeks after 2 March (not the UTC date, 3 March)
    assert [r.due_on for r in rows] == [date(2026, 3, 9), date(2026, 3, 30)]
    assert rows[0].purpose == "One-week check-in after the conference"
    assert all(r.case_id == w["case"] for r in rows)
    # And asking again adds nothing
    assert service.schedule_after_conference(w["circle"], w["kim"], tz=CHICAGO) == []
    extra = service.schedule_after_conference(w["circle"], w["kim"], (2,), held_on=TODAY)
    assert [r.due_on for r in extra] == [TODAY + timedelta(weeks=2)]
    with pytest.raises(InvalidInput, match="whole numbers of weeks"):
        service.schedule_after_conference(w["circle"], w["kim"], (0,))


def test_follow_ups_come_from_agreement_items_once(db: Database) -> None:
    w = _world(db)
    service = FollowUpService(db.sessions)
    with pytest.raises(InvalidInput, match="Nobody is named to check item 1"):
        with db.sessions.begin() as session:
            session.get(Agreement, w["agreement"]).follow_up_by_id = None  # type: ignore[union-attr]
        service.schedule_from_agreement(w["agreement"])
    rows = service.schedule_from_agreement(w["agreement"], responsible_id=w["kim"])
    assert [(r.due_on, r.agreement_item_id) for r in rows] == [
        (date(2026, 3, 9), w["apology"]),
        (date(2026, 3, 16), w["repaint"]),
        (date(2026, 3, 23), None),
    ]
    assert service.schedule_from_agreement(w["agreement"], responsible_id=w["kim"]) == []


def test_outcomes_due_and_overdue_on_a_fixed_day(db: Database) -> None:
    w = _world(db)
    service = FollowUpService(db.sessions)
    late = service.create(FollowUpData(date(2026, 3, 7), w["kim"], "Late", case_id=w["case"]))
    due = service.create(FollowUpData(TODAY, w["kim"], "Today", case_id=w["case"]))
    service.create(FollowUpData(TODAY + timedelta(days=1), w["kim"], "Later", case_id=w["case"]))
    listed = service.due(TODAY)
    assert [(f.purpose, f.days_overdue) for f in listed] == [("Late", 3), ("Today", 0)]
    assert [f.id for f in service.due(TODAY, include_overdue=False)] == [due.id]
    assert [f.id for f in service.overdue(TODAY)] == [late.id]
    # Recording outcomes
    with pytest.raises(InvalidInput, match="why the follow-up was missed"):
        service.record_outcome(late.id, "missed", " ", on=TODAY)
    with pytest.raises(InvalidInput, match="done or missed"):
        service.record_outcome(late.id, "open", "", on=TODAY)
    done = service.record_outcome(due.id, "done", "Letter handed in.", on=TODAY)
    assert (done.status, done.done_on, done.days_overdue) == ("done", TODAY, 0)
    service.record_outcome(late.id, "missed", "Student absent; try Friday.", on=TODAY)
    assert service.due(TODAY) == []
    service.cancel(
        service.for_links(today=TODAY, case_id=w["case"], statuses=["open"])[0].id,
        "No longer needed",
        on=TODAY,
    )
    assert service.for_links(today=TODAY, case_id=w["case"], statuses=["open"]) == []


def test_a_completion_meeting_is_planned_with_the_agreement_s_people(db: Database) -> None:
    w = _world(db)
    service = FollowUpService(db.sessions)
    at = datetime(2026, 3, 30, 15, 0, tzinfo=CHICAGO)
    with pytest.raises(InvalidInput, match="before the agreement was made"):
        service.schedule_completion_meeting(
            w["agreement"], datetime(2026, 3, 1, 15, tzinfo=UTC), facilitator_id=w["kim"]
        )
    with pytest.raises(InvalidInput, match="time zone"):
        service.schedule_completion_meeting(
            w["agreement"], datetime(2026, 3, 30, 15), facilitator_id=w["kim"]
        )
    meeting = service.schedule_completion_meeting(
        w["agreement"], at, facilitator_id=w["kim"], tz=CHICAGO
    )
    with db.sessions() as session:
        circle = session.get(Circle, meeting.circle_id)
        assert circle is not None
        assert (circle.kind, circle.status, circle.case_id) == (
            "completion_meeting",
            "planned",
            w["case"],
        )
        assert circle.scheduled_at == at
        assert [p.role for p in circle.participants] == ["responsible", "harmed"]
    follow_up = service.get(meeting.follow_up_id)
    assert (follow_up.due_on, follow_up.circle_id, follow_up.agreement_id) == (
        date(2026, 3, 30),
        meeting.circle_id,
        w["agreement"],
    )
