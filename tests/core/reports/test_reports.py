"""Every figure of every report, recomputed here from the rows with plain SQL and compared.

The report is built with a minimum cell of 1 (nothing small to hide) so each figure can be
compared exactly; tests/core/test_report_suppression.py checks what is hidden.
"""

from __future__ import annotations

import sqlite3
import statistics
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from tests.core.reports.report_seed import AS_OF, END, NORTH, SOUTH, START

from circlekeeper.core.reports.engine import REPORT_NAMES, build_report
from circlekeeper.core.reports.model import Report
from circlekeeper.core.store.database import Database

RESPONSIBLE = "('responsible', 'harmed_and_responsible')"


@pytest.fixture
def db(programme_db: Database) -> Database:
    return programme_db


@pytest.fixture
def programme(programme_template: Path) -> Iterator[sqlite3.Connection]:
    """The seeded rows, read with plain SQL (read-only: the reports get their own copy)."""
    conn = sqlite3.connect(f"file:{programme_template}?mode=ro", uri=True)
    yield conn
    conn.close()


def _report(db: Database, name: str, school: str | None = None) -> Report:
    return build_report(
        name, db.sessions, start=START, end=END, school=school, min_cell=1, as_of=AS_OF
    )


def _values(report: Report, section: str) -> dict[tuple[str, str], float | None]:
    found = report.section(section)
    return {
        (row.group, column.measure): cell.value
        for row in found.rows
        for column, cell in zip(found.columns, row.cells, strict=True)
    }


def _weekdays(first: date, last: date) -> int:
    return sum(1 for n in range((last - first).days + 1) if (first + timedelta(n)).weekday() < 5)


def _referrals(conn: sqlite3.Connection, school: str | None = None) -> list[tuple]:
    where = "AND c.school_id = (SELECT id FROM school WHERE name = :school)" if school else ""
    return conn.execute(
        f"""SELECT c.id, p.person_id, c.referred_on, coalesce(t.key, 'not_recorded'),
                   c.location, c.incident_time, s.grade, c.diverted_from, c.diversion_amount,
                   c.consequence_reinstated
            FROM case_file c JOIN case_party p ON p.case_id = c.id
            JOIN person s ON s.id = p.person_id
            LEFT JOIN incident_type t ON t.id = c.incident_type_id
            WHERE p.role IN {RESPONSIBLE} AND s.kind = 'student'
              AND c.referred_on BETWEEN :start AND :end {where}""",
        {"start": START.isoformat(), "end": END.isoformat(), "school": school},
    ).fetchall()


def _enrolled(conn: sqlite3.Connection, school: str | None = None) -> int:
    where = "AND school_id = (SELECT id FROM school WHERE name = ?)" if school else ""
    args = (school,) if school else ()
    sql = f"SELECT count(*) FROM person WHERE kind = 'student' AND archived_at IS NULL {where}"
    return conn.execute(sql, args).fetchone()[0]


@pytest.mark.parametrize("school", [None, SOUTH])
def test_referrals_big_five(
    db: Database, programme: sqlite3.Connection, school: str | None
) -> None:
    report = _report(db, "referrals", school)
    rows = _referrals(programme, school)
    enrolled = _enrolled(programme, school)
    assert rows, "the fixture must have referrals"

    months = _values(report, "per_month")
    by_month = Counter(r[2][:7] for r in rows)
    for month in ("2025-09", "2025-10", "2025-11", "2025-12"):
        first = date.fromisoformat(month + "-01")
        last = min(END, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1))
        days = _weekdays(first, last)
        assert months[(month, "referrals")] == by_month[month]
        assert months[(month, "school_days")] == days
        assert months[(month, "per_100_per_day")] == pytest.approx(
            by_month[month] / days / enrolled * 100
        )
    all_days = _weekdays(START, END)
    assert months[("all", "referrals")] == len(rows)
    assert months[("all", "per_day")] == pytest.approx(len(rows) / all_days)

    for section, column in (
        ("by_incident_type", 3),
        ("by_time_of_day", 5),
        ("by_grade", 6),
    ):
        expected = Counter(
            ((r[column] or "")[:2] if column == 5 else r[column]) or "not_recorded" for r in rows
        )
        got = _values(report, section)
        assert {g: got[(g, "referrals")] for g in expected} == dict(expected)
        assert got[("all", "referrals")] == len(rows)
        for group, n in expected.items():
            assert got[(group, "share")] == pytest.approx(n / len(rows) * 100)
    places = Counter((r[4] or "not_recorded").lower() for r in rows)
    got = _values(report, "by_location")
    assert {g: got[(g, "referrals")] for g in places} == dict(places)

    per_student = Counter(r[1] for r in rows)
    bands = _values(report, "students_by_count")
    assert bands[("1", "students")] == sum(1 for n in per_student.values() if n == 1)
    assert bands[("2-5", "students")] == sum(1 for n in per_student.values() if 2 <= n <= 5)
    assert bands[("6+", "students")] == sum(1 for n in per_student.values() if n >= 6)
    assert bands[("all", "students")] == len(per_student)


def test_restorative_figures(db: Database, programme: sqlite3.Connection) -> None:
    report = _report(db, "restorative")
    circles = programme.execute(
        """SELECT c.id, c.kind, substr(c.started_at, 1, 10), c.case_id,
                  (SELECT count(*) FROM participant p WHERE p.circle_id = c.id
                     AND p.attendance IN ('present', 'joined_late', 'left_early'))
           FROM circle c WHERE c.status = 'completed'
             AND c.kind NOT IN ('pre_meeting', 'completion_meeting')
             AND substr(c.started_at, 1, 10) BETWEEN ? AND ?""",
        (START.isoformat(), END.isoformat()),
    ).fetchall()
    kinds = _values(report, "circles_by_kind")
    for kind, n in Counter(c[1] for c in circles).items():
        assert kinds[(kind, "circles")] == n
        assert kinds[(kind, "participants")] == sum(c[4] for c in circles if c[1] == kind)
    responsive = [
        c for c in circles if c[3] is not None or c[1] in ("harm_repair", "conference", "reentry")
    ]
    purpose = _values(report, "circle_purpose")
    assert purpose[("responsive", "circles")] == len(responsive)
    assert purpose[("proactive", "circles")] == len(circles) - len(responsive)
    assert purpose[("proactive", "share")] == pytest.approx(
        (len(circles) - len(responsive)) / len(circles) * 100
    )

    referred = dict(programme.execute("SELECT id, referred_on FROM case_file").fetchall())
    linked = [c for c in circles if c[3] is not None]
    responses = _values(report, "responses")
    conferences = [c for c in linked if c[1] == "conference"]
    assert responses[("conference", "held")] == len(conferences)
    assert responses[("all", "held")] == len(linked)
    assert responses[("all", "participants")] == sum(c[4] for c in linked)
    days = [(date.fromisoformat(c[2]) - date.fromisoformat(referred[c[3]])).days for c in linked]
    assert responses[("all", "median_days")] == statistics.median(days)

    agreements = dict(
        programme.execute(
            """SELECT status, count(*) FROM agreement WHERE agreed_on BETWEEN ? AND ?
               AND status NOT IN ('draft', 'superseded') GROUP BY status""",
            (START.isoformat(), END.isoformat()),
        ).fetchall()
    )
    got = _values(report, "agreements")
    assert got[("completed", "agreements")] == agreements.get("completed", 0)
    assert got[("partially_completed", "agreements")] == agreements.get("partially_completed", 0)
    assert got[("not_completed", "agreements")] == agreements.get("not_completed", 0)
    assert got[("open", "agreements")] == agreements.get("active", 0)
    assert got[("all", "agreements")] == sum(agreements.values())

    follow = programme.execute(
        """SELECT
             sum(status = 'done' AND (done_on IS NULL OR done_on <= due_on)),
             sum(status = 'done' AND done_on > due_on),
             sum(status = 'missed' OR (status = 'open' AND due_on < :as_of)),
             count(*)
           FROM follow_up WHERE due_on BETWEEN :start AND :end AND status != 'cancelled'""",
        {"start": START.isoformat(), "end": END.isoformat(), "as_of": AS_OF.isoformat()},
    ).fetchone()
    got = _values(report, "follow_ups")
    assert (
        got[("on_time", "follow_ups")],
        got[("late", "follow_ups")],
        got[("not_done", "follow_ups")],
        got[("all", "follow_ups")],
    ) == follow

    # Each responded student's first response day, then their referrals around it.
    first: dict[int, tuple[date, int]] = {}
    for _id, _kind, day, case_id, _n in linked:
        for (person,) in programme.execute(
            f"SELECT person_id FROM case_party WHERE case_id = ? AND role IN {RESPONSIBLE}",
            (case_id,),
        ):
            candidate = (date.fromisoformat(day), case_id)
            if person not in first or candidate < first[person]:
                first[person] = candidate
    all_referrals = programme.execute(
        f"""SELECT p.person_id, c.referred_on, c.id FROM case_file c
            JOIN case_party p ON p.case_id = c.id WHERE p.role IN {RESPONSIBLE}"""
    ).fetchall()
    repeat = _values(report, "repeat_referrals")
    for window in (30, 90):
        again = sum(
            1
            for person, (day, case_id) in first.items()
            if any(
                p == person
                and c != case_id
                and day < date.fromisoformat(on) <= day + timedelta(window)
                for p, on, c in all_referrals
            )
        )
        assert repeat[(f"within_{window}_days", "students")] == len(first)
        assert repeat[(f"within_{window}_days", "referred_again")] == again
    around = _values(report, "before_after")
    before = sum(
        1
        for p, on, _c in all_referrals
        if p in first and first[p][0] - timedelta(90) <= date.fromisoformat(on) < first[p][0]
    )
    after = sum(
        1
        for p, on, _c in all_referrals
        if p in first and first[p][0] < date.fromisoformat(on) <= first[p][0] + timedelta(90)
    )
    assert around[("before", "referrals")] == before
    assert around[("after", "referrals")] == after
    assert around[("after", "per_student")] == pytest.approx(after / len(first))


def test_diversion_counts_each_consequence_apart(
    db: Database, programme: sqlite3.Connection
) -> None:
    report = _report(db, "diversion")
    cases = programme.execute(
        f"""SELECT c.id, substr(c.referred_on, 1, 7), t.key, c.diverted_from,
                   c.diversion_amount, c.consequence_reinstated
            FROM case_file c JOIN incident_type t ON t.id = c.incident_type_id
            WHERE c.referred_on BETWEEN ? AND ? AND c.diverted_from != 'none'
              AND EXISTS (SELECT 1 FROM case_party p JOIN person s ON s.id = p.person_id
                          WHERE p.case_id = c.id AND p.role IN {RESPONSIBLE}
                            AND s.kind = 'student')""",
        (START.isoformat(), END.isoformat()),
    ).fetchall()
    for section, column in (("diversion_by_month", 1), ("diversion_by_incident_type", 2)):
        got = _values(report, section)
        for group in {c[column] for c in cases} | {"all"}:
            mine = [c for c in cases if group == "all" or c[column] == group]
            kept = [c for c in mine if not c[5]]
            assert got[(group, "suspensions")] == sum(c[3] == "suspension" for c in kept)
            assert got[(group, "suspension_days")] == sum(
                c[4] or 0 for c in kept if c[3] == "suspension"
            )
            assert got[(group, "citations")] == sum(c[3] == "citation" for c in kept)
            assert got[(group, "arrests")] == sum(c[3] == "arrest" for c in kept)
            assert got[(group, "expulsions")] == sum(c[3] == "expulsion" for c in kept)
            assert got[(group, "reinstated")] == sum(1 for c in mine if c[5])


def test_equity_rates_and_risk_ratios(db: Database, programme: sqlite3.Connection) -> None:
    report = _report(db, "equity")
    enrolled = dict(
        programme.execute(
            """SELECT coalesce(race_ethnicity, 'not_recorded'), count(*) FROM person
               WHERE kind = 'student' AND archived_at IS NULL GROUP BY 1"""
        ).fetchall()
    )
    referred = dict(
        programme.execute(
            f"""SELECT coalesce(s.race_ethnicity, 'not_recorded'), count(DISTINCT s.id)
                FROM case_file c JOIN case_party p ON p.case_id = c.id
                JOIN person s ON s.id = p.person_id
                WHERE p.role IN {RESPONSIBLE} AND s.kind = 'student'
                  AND c.referred_on BETWEEN ? AND ? GROUP BY 1""",
            (START.isoformat(), END.isoformat()),
        ).fetchall()
    )
    got = _values(report, "referrals_race_ethnicity")
    total, total_enrolled = sum(referred.values()), sum(enrolled.values())
    for group, n in referred.items():
        size = enrolled.get(group, 0)
        assert got[(group, "students")] == n
        if size == 0:
            # Referred, but no enrolled student of that group: no denominator, no rate.
            assert got[(group, "enrolled")] is None and got[(group, "risk_index")] is None
            label = next(
                r.label for r in report.section("referrals_race_ethnicity").rows if r.group == group
            )
            assert "no denominator" in label.en and "sin denominador" in label.es
            continue
        assert got[(group, "enrolled")] == size
        assert got[(group, "risk_index")] == pytest.approx(n / size * 100)
        others = (total - n) / (total_enrolled - size)
        assert got[(group, "risk_ratio")] == pytest.approx((n / size) / others)
    assert got[("all", "students")] == total and got[("all", "enrolled")] == total_enrolled
    note = report.section("referrals_race_ethnicity").note
    assert note is not None and "all other students" in note.en

    flags = dict(
        programme.execute(
            """SELECT s.disability, count(DISTINCT s.id) FROM case_file c
               JOIN case_party p ON p.case_id = c.id JOIN person s ON s.id = p.person_id
               WHERE p.role IN ('responsible', 'harmed_and_responsible')
                 AND c.diverted_from IN ('suspension', 'expulsion')
                 AND c.consequence_reinstated = 0 AND c.referred_on BETWEEN ? AND ?
               GROUP BY 1""",
            (START.isoformat(), END.isoformat()),
        ).fetchall()
    )
    got = _values(report, "exclusions_replaced_disability")
    assert got[("yes", "students")] == flags.get(1, 0)
    assert got[("no", "students")] == flags.get(0, 0)


def test_board_and_monthly_key_figures_match_their_tables(
    db: Database, programme: sqlite3.Connection
) -> None:
    rows = _referrals(programme)
    board = _report(db, "board")
    key = _values(board, "key_figures")
    assert key[("all", "referrals")] == len(rows)
    assert key[("all", "students_referred")] == len({r[1] for r in rows})
    kept = {r[0]: r for r in rows if r[7] != "none" and not r[9]}
    assert key[("all", "suspension_days")] == sum(
        r[8] or 0 for r in kept.values() if r[7] == "suspension"
    )
    assert key[("all", "citations")] == sum(r[7] == "citation" for r in kept.values())
    assert key[("all", "per_100_per_day")] == pytest.approx(
        len(rows) / _weekdays(START, END) / _enrolled(programme) * 100
    )
    held = programme.execute(
        """SELECT count(*), sum(case_id IS NULL AND kind NOT IN
                 ('harm_repair', 'conference', 'reentry')), sum(case_id IS NOT NULL)
           FROM circle WHERE status = 'completed'
             AND kind NOT IN ('pre_meeting', 'completion_meeting')
             AND substr(started_at, 1, 10) BETWEEN ? AND ?""",
        (START.isoformat(), END.isoformat()),
    ).fetchone()
    assert key[("all", "circles")] == held[0]
    assert key[("all", "proactive_share")] == pytest.approx(held[1] / held[0] * 100)
    assert key[("all", "responses")] == held[2]
    made = programme.execute(
        """SELECT sum(status = 'completed'), count(*) FROM agreement
           WHERE agreed_on BETWEEN ? AND ? AND status NOT IN ('draft', 'superseded')""",
        (START.isoformat(), END.isoformat()),
    ).fetchone()
    assert key[("all", "agreements_completed")] == pytest.approx(made[0] / made[1] * 100)
    monthly = build_report(
        "monthly",
        db.sessions,
        start=date(2025, 10, 1),
        end=date(2025, 10, 31),
        min_cell=1,
        as_of=AS_OF,
    )
    october = [r for r in rows if r[2].startswith("2025-10")]
    assert _values(monthly, "key_figures")[("all", "referrals")] == len(october)
    assert _values(monthly, "by_incident_type")[("all", "referrals")] == len(october)


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_a_period_with_no_data_says_so(
    db: Database, programme: sqlite3.Connection, name: str
) -> None:
    report = build_report(name, db.sessions, start=date(2019, 1, 1), end=date(2019, 1, 31))
    assert report.is_empty and report.sections == ()
    assert report.empty_message is not None and "January 1, 2019" in report.empty_message.en
    assert "10" in report.suppression.en and report.population.en


def test_state_categories_appear_once_the_school_maps_its_types(
    db: Database, programme: sqlite3.Connection
) -> None:
    from circlekeeper.core.cases.incidents import IncidentVocabulary

    assert "by_state_category" not in {s.key for s in _report(db, "referrals").sections}
    vocabulary = IncidentVocabulary(db.sessions)
    fighting = next(t for t in vocabulary.types() if t.key == "fighting")
    vocabulary.map(
        fighting.id, swis_behavior="Fighting", swis_level="major", state_category="Violence"
    )
    got = _values(_report(db, "referrals"), "by_state_category")
    rows = _referrals(programme)
    assert got[("violence", "referrals")] == sum(1 for r in rows if r[3] == "fighting")
    assert got[("not_recorded", "referrals")] == sum(1 for r in rows if r[3] != "fighting")


def test_a_group_in_the_directory_s_own_words_too_small_to_name_is_other(
    db: Database, programme: sqlite3.Connection
) -> None:
    from circlekeeper.core.cases.commands import CaseService
    from circlekeeper.core.cases.rows import CaseIntake
    from circlekeeper.core.people.people import PeopleService, PersonData
    from circlekeeper.core.profiles.profiles import Viewer

    # Given one student whose race/ethnicity was typed in the directory's own words
    person = PeopleService(db.sessions).create(
        PersonData("Una", "Sola", race_ethnicity="Zorblattian heritage")
    )
    CaseService(db.sessions).intake(
        CaseIntake(date(2025, 10, 9), "Fighting", parties=[(person.id, "responsible")])
    )
    published = build_report("equity", db.sessions, start=START, end=END, as_of=AS_OF)
    section = published.section("referrals_race_ethnicity")
    # Then the published report counts them under "other", never by that name
    assert "Zorblattian heritage" not in {row.label.en for row in section.rows}
    assert "other" in {row.group for row in section.rows}
    internal = build_report(
        "equity",
        db.sessions,
        start=START,
        end=END,
        as_of=AS_OF,
        unsuppressed=True,
        viewer=Viewer("Lee", "administrator"),
    )
    got = _values(internal, "referrals_race_ethnicity")
    assert got[("Zorblattian heritage", "students")] == 1


def test_records_naming_no_school_belong_to_the_installation_s_own(
    db: Database, programme: sqlite3.Connection
) -> None:
    from circlekeeper.core.cases.commands import CaseService
    from circlekeeper.core.cases.rows import CaseIntake
    from circlekeeper.core.people.people import PeopleService, PersonData
    from circlekeeper.core.settings.settings import SettingsService

    settings = SettingsService(db.sessions)
    chosen = settings.load()
    chosen.school_name = NORTH
    settings.save(chosen)
    before = _values(_report(db, "referrals", NORTH), "per_month")[("all", "referrals")] or 0
    # Given a student added by hand and a referral typed at intake, neither naming a school
    person = PeopleService(db.sessions).create(PersonData("Nadie", "Escuela"))
    CaseService(db.sessions).intake(
        CaseIntake(date(2025, 10, 9), "Fighting", parties=[(person.id, "responsible")])
    )
    # Then they count for this installation's own school, and not for another
    north = _report(db, "referrals", NORTH)
    assert _values(north, "per_month")[("all", "referrals")] == before + 1
    assert f"{_enrolled(programme, NORTH) + 1} enrolled" in north.population.en
    south = _report(db, "referrals", SOUTH)
    assert _values(south, "per_month")[("all", "referrals")] == len(_referrals(programme, SOUTH))
