"""The circle list's order: today's circles by time, then the coming ones, then the past."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from circlekeeper.core.circles.queries import CircleQueries
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Circle

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 3, 10, 11, 0, tzinfo=CHICAGO)


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = NOW.date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHICAGO)


def _fill(db: Database) -> None:
    circles = [
        Circle(kind="staff", title="Last month", scheduled_at=_at(-30, 9), status="completed",
               started_at=_at(-30, 9, 5)),
        Circle(kind="check_in", title="Yesterday", scheduled_at=_at(-1, 9), status="completed",
               started_at=_at(-1, 9, 20)),
        Circle(kind="grief", title="Left running", scheduled_at=_at(-1, 13),
               status="in_progress", started_at=_at(-1, 13)),
        Circle(kind="community_building", title="This afternoon", scheduled_at=_at(0, 14)),
        # Planned for 8:00 and held from 8:40: today's, at the time it was held
        Circle(kind="check_in", title="This morning", scheduled_at=_at(0, 8), status="completed",
               started_at=_at(0, 8, 40)),
        # 23:30 in Chicago is the next day in UTC: still today here
        Circle(kind="family", title="Tonight", scheduled_at=_at(0, 23, 30)),
        Circle(kind="conference", title="Next week", scheduled_at=_at(7, 10)),
        Circle(kind="academic", title="Tomorrow", scheduled_at=_at(1, 8, 15)),
        Circle(kind="staff", title="No date yet"),
    ]  # fmt: skip
    with db.sessions.begin() as session:
        session.add_all(circles)


def test_today_first_in_time_order_then_coming_then_past(db: Database) -> None:
    _fill(db)
    rows = CircleQueries(db.sessions).in_order(NOW)
    assert [r.title for r in rows] == [
        "Left running",
        "This morning",
        "This afternoon",
        "Tonight",
        "Tomorrow",
        "Next week",
        "No date yet",
        "Yesterday",
        "Last month",
    ]
    # A held circle is dated by when it was held, not when it was planned
    morning = rows[1]
    assert morning.held and morning.when == _at(0, 8, 40)
    assert not rows[2].held and rows[2].when == _at(0, 14)


def test_a_status_filter_and_a_limit_keep_the_order(db: Database) -> None:
    _fill(db)
    queries = CircleQueries(db.sessions)
    planned = queries.in_order(NOW, status="planned")
    assert [r.title for r in planned] == [
        "This afternoon",
        "Tonight",
        "Tomorrow",
        "Next week",
        "No date yet",
    ]
    assert [r.title for r in queries.in_order(NOW, limit=3)] == [
        "Left running",
        "This morning",
        "This afternoon",
    ]


def test_today_is_a_local_day(db: Database) -> None:
    with pytest.raises(ValueError, match="time-zone aware"):
        CircleQueries(db.sessions).in_order(datetime(2026, 3, 10, 11, 0))
