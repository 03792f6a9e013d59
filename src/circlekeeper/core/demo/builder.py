"""The demo builder's shared state and helpers: ids, uuids, days and weighted picks."""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from circlekeeper.core.demo.plan import Plan
from circlekeeper.core.demo.words import CULTURES
from circlekeeper.core.demo.writer import TABLES, Writer, ts
from circlekeeper.core.scripts.scripts import ScriptLibrary

# When circles start on a school day, local time.
SCHOOL_STARTS = tuple(
    (hour, minute)
    for hour in range(8, 15)
    for minute in (0, 15, 30, 45)
    if (hour, minute) <= (14, 30)
)


class BuilderBase:
    """Generates the demo's records; ids are assigned here so rows can point at each other."""

    def __init__(self, plan: Plan, writer: Writer, seed: int, today: date) -> None:
        self.plan = plan
        self.w = writer
        self.rng = random.Random(seed)
        self.today = today
        self.now = datetime(today.year, today.month, today.day, 12, tzinfo=UTC)
        self.ids: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.library = ScriptLibrary()
        self.snapshots: dict[str, str] = {}
        self.names: dict[int, str] = {}
        self.students: dict[str, list[int]] = {}
        self.students_by_grade: dict[tuple[str, int], list[int]] = {}
        self.guardians_of: dict[int, list[int]] = {}
        self.staff: dict[tuple[str, str], list[int]] = {}  # (school, role) -> ids
        self.school_ids: dict[str, int] = {}  # school name -> its row
        self.school_of: dict[int, int] = {}  # person id -> their school's row
        self.case_school: dict[int, int | None] = {}  # case id -> its school's row
        self.teachers: dict[str, list[int]] = {}
        self.community: list[int] = []
        self.student_ids: set[int] = set()
        # How likely each student is to be referred: the disproportion equity reviews look for.
        self.referral_weight: dict[int, float] = {}
        self._pupil_weights: dict[str, list[float]] = {}
        self.incident_types: dict[str, int] = {}
        self.student_numbers = self.rng.sample(range(100_000, 999_999), plan.students + 10)
        culture_weights = [c[0] for c in CULTURES]
        self._culture_weights = culture_weights

    def school_id(self, name: str | None) -> int | None:
        """The row of the school called ``name`` (written the first time it is named)."""
        if name is None:
            return None
        found = self.school_ids.get(name)
        if found is None:
            # Not from the seeded generator: the rest of the demo stays as it always was.
            found, stamp = self.next_id("school"), ts(self.now)
            suuid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"circlekeeper-demo-school:{name}"))
            self.w.add("school", id=found, uuid=suuid, created_at=stamp, updated_at=stamp,
                       name=name, district_code=None)  # fmt: skip
            self.school_ids[name] = found
        return found

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def record(self, table: str, moment: datetime) -> tuple[int, str, str, str]:
        rid = self.next_id(table)
        stamp = ts(moment)
        return rid, str(uuid.UUID(int=self.rng.getrandbits(128), version=4)), stamp, stamp

    def day(self, back_from: int = 0, back_to: int | None = None) -> date:
        """A school day between ``back_to`` and ``back_from`` days before today.

        Drawn again on a weekend (moving every weekend to its Friday made Fridays three
        times as busy as any other day); a span with no school day in it gives its Friday.
        """
        span = self.plan.days if back_to is None else back_to
        for _ in range(20):
            when = self.today - timedelta(days=self.rng.randint(back_from, max(back_from, span)))
            if when.weekday() < 5:
                return when
        return when - timedelta(days=max(0, when.weekday() - 4))

    def school_time(self, when: datetime) -> datetime:
        """``when`` moved onto a school day (Monday to Friday) and a start within school
        hours (8:00 to 14:30, so a circle is over by about 15:30), in this computer's time
        zone: the demo is built where it is opened. A past weekend moves back to its Friday,
        a coming one on to Monday, so what was held stays held."""
        day = when.date()
        ahead = when > self.now
        while day.weekday() >= 5:
            day += timedelta(days=1 if ahead else -1)
        hour, minute = self.rng.choice(SCHOOL_STARTS)
        local = datetime(day.year, day.month, day.day, hour, minute).astimezone()
        return local.astimezone(UTC)

    @staticmethod
    def at_fixed(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, 16, tzinfo=UTC)

    def at(self, day: date, hour: int | None = None) -> datetime:
        hour = self.rng.randint(13, 21) if hour is None else hour  # school hours, US, in UTC
        return datetime(
            day.year, day.month, day.day, hour, self.rng.choice((0, 15, 30, 45)), tzinfo=UTC
        )

    def pick(self, items: Sequence[tuple[Any, int]]) -> Any:
        return self.rng.choices([i[0] for i in items], [i[1] for i in items])[0]

    def culture(self) -> tuple[int, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        return self.rng.choices(CULTURES, self._culture_weights)[0]
