"""Follow-ups long past their date: grouped on Today, closed as lapsed together, reopened one."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from circlekeeper.core.followups.commands import FollowUpService
from circlekeeper.core.followups.lapsed import LAPSE_AFTER_DAYS, LapsedFollowUps
from circlekeeper.core.operations import Context
from circlekeeper.core.problems import InvalidInput, NotPermitted
from circlekeeper.core.profiles.viewer import ProfileRole, Viewer
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import AuditEvent, Case, FollowUp, Person
from circlekeeper.core.today.today import today_view

ZONE = ZoneInfo("America/New_York")
TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=ZONE)
COUNSELOR = Viewer("Ms. Rivera", ProfileRole.COUNSELOR.value)
OFFICER = Viewer("Officer Reyes", ProfileRole.SRO.value)


def _fill(db: Database) -> dict[str, list[int]]:
    """Follow-ups 1..5 days overdue, 3 exactly LAPSE_AFTER_DAYS, and 4 far older."""
    with db.sessions.begin() as session:
        kim = Person(first_name="Kim", last_name="Osei", kind="staff", search_text="kim osei")
        case = Case(referred_on=date(2025, 1, 5), incident_category="Conflict")
        session.add_all([kim, case])
        session.flush()

        def add(days_overdue: int, status: str = "open") -> int:
            row = FollowUp(
                due_on=TODAY - timedelta(days=days_overdue),
                case_id=case.id,
                responsible_id=kim.id,
                purpose=f"Check-in {days_overdue}",
                status=status,
            )
            session.add(row)
            session.flush()
            return row.id

        return {
            "recent": [add(d) for d in range(1, 6)],
            "edge": [add(LAPSE_AFTER_DAYS) for _ in range(3)],  # overdue 90 days: still listed
            "old": [add(LAPSE_AFTER_DAYS + d) for d in (1, 30, 400, 3000)],
            "closed": [add(500, "done")],
        }


def test_today_lists_what_needs_doing_now_and_counts_the_long_overdue(db: Database) -> None:
    ids = _fill(db)
    view = today_view(db.sessions, TODAY, NOW)
    # The list holds what is overdue up to 90 days; the older ones are one count
    assert {f.id for f in view.overdue} == set(ids["recent"] + ids["edge"])
    assert view.more_overdue == 0
    assert view.long_overdue == len(ids["old"])


def test_a_review_closes_the_chosen_as_lapsed_in_one_audited_operation(db: Database) -> None:
    ids = _fill(db)
    ctx = Context(db.sessions, actor="Ms. Rivera", viewer=COUNSELOR)
    lapsed = LapsedFollowUps(ctx)
    # Given the review list: the oldest first, only the long overdue ones
    review = lapsed.for_review(TODAY)
    assert [r.id for r in review] == list(reversed(ids["old"]))
    assert lapsed.count(TODAY) == 4
    announced = []
    ctx.subscribe(announced.append)

    # When three of the four are chosen, and a recent one slipped in by mistake
    chosen = ids["old"][:3]
    result = lapsed.close_as_lapsed([*chosen, ids["recent"][0]], today=TODAY)

    # Then the three are closed as lapsed (missed, with words saying so), the recent one not
    assert (result.closed, result.skipped) == (3, 1)
    service = FollowUpService(ctx)
    for follow_up_id in chosen:
        row = service.get(follow_up_id)
        assert row.status == "missed" and row.done_on == TODAY
        assert row.outcome is not None and row.outcome.startswith("Lapsed:")
    assert service.get(ids["recent"][0]).status == "open"
    assert service.get(ids["old"][3]).status == "open"
    # In one operation (one announcement) with an audit line each naming the actor
    assert len(announced) == 1 and announced[0].touches("follow_up")
    with db.sessions() as session:
        lines = session.scalars(select(AuditEvent).where(AuditEvent.action == "lapse")).all()
    assert len(lines) == 3 and {line.actor for line in lines} == {"Ms. Rivera"}
    # And Today now counts one
    assert today_view(db.sessions, TODAY, NOW).long_overdue == 1

    # Reversible one at a time: reopening a lapsed one puts it back, without the lapse words
    back = service.reopen(chosen[0])
    assert (back.status, back.outcome, back.done_on) == ("open", None, None)
    assert today_view(db.sessions, TODAY, NOW).long_overdue == 2
    with db.sessions() as session:
        assert session.scalar(select(AuditEvent.actor).where(AuditEvent.action == "reopen")) == (
            "Ms. Rivera"
        )
    with pytest.raises(InvalidInput, match="already open"):
        service.reopen(chosen[0])


def test_reopening_keeps_words_a_person_wrote(db: Database) -> None:
    ids = _fill(db)
    service = FollowUpService(db.sessions)
    service.record_outcome(ids["recent"][0], "missed", "Ana was absent", on=TODAY)
    assert service.reopen(ids["recent"][0]).outcome == "Ana was absent"


def test_an_sro_cannot_close_follow_ups_as_lapsed_and_nothing_changes(db: Database) -> None:
    ids = _fill(db)
    officer = LapsedFollowUps(Context(db.sessions, actor="Officer Reyes", viewer=OFFICER))
    with pytest.raises(NotPermitted, match="Nothing was changed"):
        officer.close_as_lapsed(ids["old"], today=TODAY)
    assert LapsedFollowUps(db.sessions).count(TODAY) == 4


def test_closing_nothing_is_refused_in_plain_words(db: Database) -> None:
    _fill(db)
    with pytest.raises(InvalidInput, match="at least one follow-up"):
        LapsedFollowUps(db.sessions).close_as_lapsed([], today=TODAY)
