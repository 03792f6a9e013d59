"""The district roll-up: one row per school and the district total, checked against the rows.

The figures are counted again here with plain SQL over the seeded programme (two schools);
suppression is checked cell by cell, as someone with the published report would try to
subtract a hidden school back out of the district total.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.core.reports.report_seed import AS_OF, END, NORTH, SOUTH, START

from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.reports.engine import build_report
from circlekeeper.core.reports.model import Report
from circlekeeper.core.store.database import Database

RESPONSIBLE = "('responsible', 'harmed_and_responsible')"


@pytest.fixture
def programme(programme_template: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{programme_template}?mode=ro", uri=True)
    yield conn
    conn.close()


def _rollup(db: Database, name: str = "referrals", min_cell: int = 1) -> Report:
    return build_report(
        name, db.sessions, start=START, end=END, min_cell=min_cell, as_of=AS_OF, by_school=True
    )


def _by_school(report: Report) -> dict[str, dict[str, float | None]]:
    section = report.section("by_school")
    return {
        row.label.en: {
            column.measure: cell.value
            for column, cell in zip(section.columns, row.cells, strict=True)
        }
        for row in section.rows
    }


def _hidden(report: Report) -> dict[str, set[str]]:
    section = report.section("by_school")
    return {
        row.label.en: {
            column.measure
            for column, cell in zip(section.columns, row.cells, strict=True)
            if cell.suppressed
        }
        for row in section.rows
    }


def _counted(conn: sqlite3.Connection, school: str) -> dict[str, int]:
    """One school's figures, counted from the rows."""
    school_id = conn.execute("SELECT id FROM school WHERE name = ?", (school,)).fetchone()[0]
    period = (START.isoformat(), END.isoformat())
    referrals = conn.execute(
        f"""SELECT p.person_id, c.diverted_from FROM case_file c
            JOIN case_party p ON p.case_id = c.id JOIN person s ON s.id = p.person_id
            WHERE p.role IN {RESPONSIBLE} AND s.kind = 'student' AND c.school_id = ?
              AND c.referred_on BETWEEN ? AND ?""",
        (school_id, *period),
    ).fetchall()
    enrolled = conn.execute(
        "SELECT count(*) FROM person WHERE kind = 'student' AND archived_at IS NULL"
        " AND school_id = ?",
        (school_id,),
    ).fetchone()[0]
    circles = conn.execute(
        "SELECT count(*) FROM circle WHERE status = 'completed' AND school_id = ?"
        " AND kind NOT IN ('pre_meeting', 'completion_meeting')"
        " AND substr(started_at, 1, 10) BETWEEN ? AND ?",
        (school_id, *period),
    ).fetchone()[0]
    agreements = conn.execute(
        "SELECT count(*) FROM agreement a JOIN case_file c ON c.id = a.case_id"
        " WHERE c.school_id = ? AND a.status NOT IN ('draft', 'superseded')"
        " AND a.agreed_on BETWEEN ? AND ?",
        (school_id, *period),
    ).fetchone()[0]
    return {
        "enrolled": enrolled,
        "students": len({person for person, _d in referrals}),
        "referrals": len(referrals),
        "diverted": sum(1 for _p, diverted in referrals if diverted != "none"),
        "circles": circles,
        "agreements": agreements,
    }


def test_each_school_has_a_row_and_the_district_row_is_their_total(
    programme_db: Database, programme: sqlite3.Connection
) -> None:
    # Given a programme at two schools, when the referrals report is asked for by school
    rows = _by_school(_rollup(programme_db))
    # Then each school's row holds its own figures, counted from the rows
    for school in (NORTH, SOUTH):
        expected = _counted(programme, school)
        got = {measure: rows[school][measure] for measure in expected}
        assert got == pytest.approx(expected)
        assert rows[school]["per_100"] == pytest.approx(
            expected["referrals"] / expected["enrolled"] * 100
        )
    # ...and the district's row adds them up (every record here names its school)
    assert "School not recorded" not in rows
    for measure in ("enrolled", "referrals", "diverted", "circles", "agreements"):
        parts = rows[NORTH][measure] + rows[SOUTH][measure]  # type: ignore[operator]
        assert rows["District total"][measure] == parts
    # ...the same total the per-month table shows
    per_month = _rollup(programme_db).section("per_month")
    total = next(r for r in per_month.rows if r.group == "all").cells[0].value
    assert rows["District total"]["referrals"] == total


def test_a_small_school_is_hidden_and_cannot_be_subtracted_back_out(
    programme_db: Database, programme: sqlite3.Connection
) -> None:
    # Given South Lake's referrals are fewer than the smallest group shown
    south = _counted(programme, SOUTH)["referrals"]
    north = _counted(programme, NORTH)["referrals"]
    min_cell = south + 1
    assert north >= min_cell
    report = _rollup(programme_db, min_cell=min_cell)
    hidden = _hidden(report)
    rows = _by_school(report)
    # Then South Lake's referrals are hidden, and so is its rate built on them
    assert {"referrals", "per_100"} <= hidden[SOUTH]
    assert rows[SOUTH]["referrals"] is None
    # ...and in each column counting students, a hidden school never stands alone: the
    # district total minus the schools shown would give it back otherwise
    section = report.section("by_school")
    for column in section.columns:
        if not column.counts_students:
            continue
        alone = [name for name, measures in hidden.items() if column.measure in measures]
        assert len(alone) != 1, (column.measure, alone)
    # ...and the district total hidden here is hidden where the report shows it again
    if "referrals" in hidden["District total"]:
        per_month = report.section("per_month")
        assert next(r for r in per_month.rows if r.group == "all").cells[0].suppressed


def test_the_roll_up_is_only_for_the_whole_district_and_reports_that_compare_schools(
    programme_db: Database,
) -> None:
    with pytest.raises(InvalidInput, match="whole district"):
        build_report(
            "referrals", programme_db.sessions, start=START, end=END, school=NORTH, by_school=True
        )
    with pytest.raises(InvalidInput, match="no row per school"):
        build_report("sro", programme_db.sessions, start=START, end=END, by_school=True)
    for name in ("restorative", "diversion", "board", "monthly"):
        assert _rollup(programme_db, name).section("by_school").rows
