"""The Today view and a student's history, on a fixed clock in a fixed zone."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from circlekeeper.core.problems import NotFound
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    Case,
    CaseParty,
    Circle,
    FollowUp,
    Participant,
    Person,
)
from circlekeeper.core.today.today import student_history, today_view

NEW_YORK = ZoneInfo("America/New_York")
TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 11, 0, tzinfo=NEW_YORK)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=NEW_YORK)


def _fill(db: Database) -> dict[str, int]:
    with db.sessions.begin() as session:
        ana = Person(first_name="Ana", last_name="Ruiz", search_text="ana ruiz")
        kim = Person(first_name="Kim", last_name="Osei", kind="staff", search_text="kim osei")
        session.add_all([ana, kim])
        session.flush()
        case = Case(referred_on=date(2026, 2, 1), incident_category="Theft", location="Gym")
        session.add(case)
        session.flush()
        session.add(CaseParty(case_id=case.id, person_id=ana.id, role="responsible"))
        circles = {
            # 23:30 on the 9th in New York is 04:30 UTC on the 10th: not today
            "late_yesterday": Circle(kind="check_in", scheduled_at=_at(date(2026, 3, 9), 23, 30)),
            "early": Circle(kind="check_in", title="Morning check-in", scheduled_at=_at(TODAY, 8),
                            status="completed"),
            "missed_start": Circle(kind="grief", scheduled_at=_at(TODAY, 9)),
            # 21:00 in New York is 01:00 UTC tomorrow: still today here
            "evening": Circle(kind="family", title="Family circle", scheduled_at=_at(TODAY, 21)),
            "cancelled": Circle(kind="staff", scheduled_at=_at(TODAY, 13), status="cancelled"),
            "tomorrow": Circle(kind="conference", title="Conference", case_id=case.id,
                               scheduled_at=_at(TODAY + timedelta(days=1), 10)),
            "running": Circle(kind="problem_solving", scheduled_at=_at(date(2026, 3, 3), 10),
                              status="in_progress", started_at=_at(date(2026, 3, 3), 10)),
        }  # fmt: skip
        session.add_all(circles.values())
        session.flush()
        session.add(
            Participant(circle_id=circles["tomorrow"].id, person_id=ana.id, role="responsible")
        )
        late = Agreement(
            case_id=case.id,
            circle_id=circles["tomorrow"].id,
            status="active",
            agreed_on=date(2026, 2, 10),
            harm_summary="Took a phone.",
        )
        passed = Agreement(
            status="active", agreed_on=date(2026, 2, 10), follow_up_on=date(2026, 3, 1)
        )
        passed_but_done = Agreement(
            status="active", agreed_on=date(2026, 2, 10), follow_up_on=date(2026, 3, 1)
        )
        kept = Agreement(
            status="active", agreed_on=date(2026, 2, 10), follow_up_on=date(2026, 3, 20)
        )
        finished = Agreement(
            status="completed", agreed_on=date(2026, 2, 10), follow_up_on=date(2026, 3, 1)
        )
        session.add_all([late, passed, passed_but_done, kept, finished])
        session.flush()
        session.add_all([
            AgreementItem(agreement_id=late.id, action="Return the phone", due_on=date(2026, 3, 2)),
            AgreementItem(agreement_id=late.id, action="Apologise", due_on=date(2026, 3, 5)),
            AgreementItem(agreement_id=late.id, action="Done already", due_on=date(2026, 3, 1),
                          completed_on=date(2026, 3, 1)),
            AgreementItem(agreement_id=kept.id, action="Later", due_on=date(2026, 3, 11)),
            FollowUp(due_on=date(2026, 3, 1), agreement_id=passed_but_done.id, status="done"),
            FollowUp(due_on=date(2026, 3, 5), case_id=case.id, purpose="Overdue",
                     responsible_id=kim.id),
            FollowUp(due_on=TODAY, case_id=case.id, purpose="Due today", responsible_id=kim.id),
            FollowUp(due_on=TODAY + timedelta(days=1), case_id=case.id, purpose="Tomorrow"),
            FollowUp(due_on=date(2026, 3, 4), case_id=case.id, purpose="Done", status="done"),
        ])  # fmt: skip
        return {
            "ana": ana.id,
            "case": case.id,
            "late": late.id,
            "passed": passed.id,
            **{name: c.id for name, c in circles.items()},
        }


def test_today_shows_the_local_day_s_circles_follow_ups_and_agreements_at_risk(
    db: Database,
) -> None:
    ids = _fill(db)
    view = today_view(db.sessions, TODAY, NOW)
    # Circles of the local day, by time, cancelled ones left out, times shown in the local zone
    assert [c.id for c in view.circles] == [ids["early"], ids["missed_start"], ids["evening"]]
    assert view.circles[2].scheduled_at.hour == 21
    assert view.circles[2].scheduled_at.tzinfo == NEW_YORK
    # The next circle to start is the first planned one today, even if its time has passed
    assert view.next_circle is not None and view.next_circle.id == ids["missed_start"]
    assert view.in_progress is not None and view.in_progress.id == ids["running"]
    # Follow-ups due today and overdue, with days overdue
    assert [f.purpose for f in view.due_today] == ["Due today"]
    assert [(f.purpose, f.days_overdue) for f in view.overdue] == [("Overdue", 5)]
    assert view.overdue[0].responsible_name == "Kim Osei"
    # Agreements at risk: overdue items, or a follow-up date passed with nothing done
    assert [a.id for a in view.at_risk] == [ids["passed"], ids["late"]]
    late = view.at_risk[1]
    assert (late.overdue_items, late.oldest_due_on) == (2, date(2026, 3, 2))
    assert late.reasons == ["2 items are overdue (the oldest by 8 days)."]
    assert view.at_risk[0].reasons == [
        "The follow-up date 2026-03-01 has passed with no follow-up done."
    ]


def test_next_circle_looks_beyond_today(db: Database) -> None:
    ids = _fill(db)
    with db.sessions.begin() as session:
        for name in ("missed_start", "evening"):
            session.get(Circle, ids[name]).status = "completed"  # type: ignore[union-attr]
    view = today_view(db.sessions, TODAY, NOW)
    assert view.next_circle is not None and view.next_circle.id == ids["tomorrow"]


def test_today_needs_an_aware_now(db: Database) -> None:
    with pytest.raises(ValueError, match="time-zone aware"):
        today_view(db.sessions, TODAY, datetime(2026, 3, 10, 11))


def test_an_empty_database_has_an_empty_today(db: Database) -> None:
    view = today_view(db.sessions, TODAY, NOW)
    assert (view.circles, view.due_today, view.overdue, view.at_risk) == ([], [], [], [])
    assert view.next_circle is None and view.in_progress is None


def test_a_student_s_history_is_in_date_order(db: Database) -> None:
    ids = _fill(db)
    history = student_history(db.sessions, ids["ana"], tz=NEW_YORK)
    assert [(e.on, e.kind) for e in history] == [
        (date(2026, 2, 1), "case"),
        (date(2026, 2, 10), "agreement"),
        (date(2026, 3, 4), "follow_up"),
        (date(2026, 3, 5), "follow_up"),
        (TODAY, "follow_up"),
        (TODAY + timedelta(days=1), "circle"),
        (TODAY + timedelta(days=1), "follow_up"),
    ]
    assert history[0].role == "responsible" and history[0].title == "Theft at Gym"
    assert history[5].title == "Conference"
    with pytest.raises(NotFound):
        student_history(db.sessions, 999)
