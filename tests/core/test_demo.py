"""The demo database: realistic, consistent, and never left half-built."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from circlekeeper.core.demo.demo import DemoCancelled, build_demo
from circlekeeper.core.domain.eligibility import assess, decode
from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.settings.settings import SettingsService
from circlekeeper.core.store.database import SchemaState, inspect_schema, open_database
from circlekeeper.core.store.models import Circle, Person

TODAY = date(2026, 3, 16)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    seen: list[tuple[int, int]] = []
    summary = build_demo(path, "small", progress=lambda d, t: seen.append((d, t)), today=TODAY)
    assert seen and seen[-1][0] == seen[-1][1]
    assert 500 <= summary.people <= 700
    assert summary.cases == 120 and summary.circles == 700
    assert summary.participants > 3 * summary.circles
    assert summary.agreements > 0 and summary.follow_ups > 0
    return path


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_small_demo_is_a_current_consistent_database(small: Path) -> None:
    assert inspect_schema(small).state is SchemaState.CURRENT
    assert query(small, "PRAGMA foreign_key_check") == []
    assert query(small, "PRAGMA integrity_check") == [("ok",)]
    assert not Path(f"{small}.building").exists()
    orphans = "SELECT count(*) FROM participant p LEFT JOIN circle c ON c.id = p.circle_id "
    assert query(small, orphans + "WHERE c.id IS NULL") == [(0,)]
    assert query(small, "SELECT count(*) FROM person WHERE search_text = ''") == [(0,)]
    assert query(small, "SELECT count(DISTINCT uuid) = count(*) FROM participant") == [(1,)]


def test_small_demo_looks_like_a_school_year(small: Path) -> None:
    kinds = dict(query(small, "SELECT kind, count(*) FROM person GROUP BY kind"))
    assert kinds["student"] == 420 and kinds["guardian"] > 50 and kinds["sro"] == 1
    titles = {t for (t,) in query(small, "SELECT title FROM person WHERE kind = 'staff'")}
    assert {"Counselor", "Principal", "Assistant principal"} <= titles
    grades = {
        g for (g,) in query(small, "SELECT DISTINCT grade FROM person WHERE grade IS NOT NULL")
    }
    assert grades == {str(g) for g in range(6, 13)}
    assert query(
        small,
        "SELECT count(*) FROM person WHERE kind = 'student' "
        "AND (race_ethnicity IS NULL OR gender IS NULL)",
    ) == [(0,)]
    circle_kinds = {k for (k,) in query(small, "SELECT DISTINCT kind FROM circle")}
    assert {"community_building", "conference", "harm_repair", "pre_meeting"} <= circle_kinds
    assert len(circle_kinds) >= 10
    statuses = {s for (s,) in query(small, "SELECT DISTINCT status FROM case_file")}
    assert {"closed", "monitoring"} <= statuses
    assert query(small, "SELECT count(*) FROM turn")[0][0] > 0
    assert {p for (p,) in query(small, "SELECT DISTINCT privacy FROM note")} == {
        "private",
        "record",
    }
    assert query(small, "SELECT count(*) FROM signature WHERE as_guardian_of_id IS NOT NULL")[0][0]
    overdue = "SELECT count(*) FROM follow_up WHERE status = 'open' AND due_on < '2026-03-16'"
    assert query(small, overdue)[0][0] > 0
    diverted = "SELECT count(*) FROM case_file WHERE diverted_from = 'suspension'"
    assert query(small, diverted)[0][0] > 0


def test_most_demo_circles_are_proactive_on_school_days_in_school_hours(small: Path) -> None:
    from datetime import datetime

    rows = query(small, "SELECT kind, scheduled_at FROM circle")
    kinds = [kind for kind, _ in rows]
    proactive = sum(k in ("community_building", "check_in", "academic") for k in kinds)
    assert proactive > len(kinds) / 2
    assert proactive > kinds.count("conference") * 5
    # Every circle starts on a school day between 8:00 and 14:30 where the demo was built
    starts = [datetime.fromisoformat(str(at)).astimezone() for _, at in rows]
    assert starts and all(s.weekday() < 5 for s in starts)
    assert all((8, 0) <= (s.hour, s.minute) <= (14, 30) for s in starts)
    # and no weekday is a pile-up of moved weekends
    per_day = [sum(s.weekday() == d for s in starts) for d in range(5)]
    assert max(per_day) < 1.5 * min(per_day)


def test_small_demo_reads_back_through_the_services(small: Path) -> None:
    db = open_database(small)
    try:
        settings = SettingsService(db.sessions).load()
        assert settings.school_name and settings.school_address
        assert settings.first_run  # the welcome still greets whoever opens the demo
        people = PeopleService(db.sessions)
        found = people.count()  # exact: fewer than the count's cap of 1,000
        assert not found.more and found.number > 500
        with db.sessions() as session:
            circle = session.get(Circle, 1)
            assert circle is not None and circle.created_at.tzinfo is not None
            assert session.get(Person, 1) is not None
    finally:
        db.close()


def test_demo_screens_are_written_through_the_one_eligibility_model(small: Path) -> None:
    rows = query(small, "SELECT status, closure_reason, eligibility FROM case_file")
    verdicts = {}
    for status, closure, text in rows:
        if status == "referred":
            assert text is None
            continue
        answers = decode(text)  # the one stored format: an old one would raise here
        verdict = assess(answers)
        verdicts.setdefault((status, closure), []).append(verdict)
        # A case that went on to a conference never has a screen that forbids it
        if status in ("preparing", "held", "monitoring") or closure == "completed":
            assert verdict.may_go_ahead, (status, closure, verdict)
    # and the demo shows the screen stopping cases: "not restorable" ones are blocked
    stopped = verdicts[("closed", "not_restorable")]
    assert stopped and all(v.blocked for v in stopped)
    assert any(len(v.blocked) > 1 for v in stopped)  # an exclusion or halt besides a denial


def test_same_seed_same_demo(tmp_path: Path, small: Path) -> None:
    again = tmp_path / "again.sqlite3"
    build_demo(again, "small", today=TODAY)
    sql = "SELECT uuid, first_name, last_name FROM person ORDER BY id"
    assert query(again, sql) == query(small, sql)
    other = tmp_path / "other.sqlite3"
    build_demo(other, "small", today=TODAY, seed=8)
    assert query(other, sql) != query(small, sql)


def test_existing_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "records.sqlite3"
    target.write_bytes(b"precious")
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    with pytest.raises(InvalidInput, match="already exists; the demo will not overwrite it"):
        build_demo(target)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == digest
    with pytest.raises(InvalidInput, match="is a folder"):
        build_demo(tmp_path)


def test_cancel_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "demo.sqlite3"
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 3  # stop part-way through, after some rows were written

    with pytest.raises(DemoCancelled):
        build_demo(target, cancelled=cancelled)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_unknown_size_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="small, large"):
        build_demo(tmp_path / "demo.sqlite3", "huge")
    assert list(tmp_path.iterdir()) == []
