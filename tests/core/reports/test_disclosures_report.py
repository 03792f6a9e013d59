"""The ``disclosures`` report: every figure recomputed here with plain SQL from the rows of the
record of disclosures, and small figures hidden in the published view."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.core.reports.report_seed import END, NORTH, START

from circlekeeper.core.reports.engine import build_report
from circlekeeper.core.reports.model import Report
from circlekeeper.core.store.database import Database


@pytest.fixture
def programme(programme_template: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{programme_template}?mode=ro", uri=True)
    yield conn
    conn.close()


def _figures(report: Report, key: str) -> dict[str, float | None]:
    section = next(s for s in report.sections if s.key == key)
    column = [c.measure for c in section.columns].index("disclosures")
    return {row.group: row.cells[column].value for row in section.rows}


LINES = """
    SELECT d.person_id, d.disclosed_on, d.kind, h.handed_to, d.basis,
        (SELECT name FROM school WHERE id = p.school_id)
    FROM disclosure d LEFT JOIN hand_off h ON h.id = d.hand_off_id
    JOIN person p ON p.id = d.person_id
    WHERE d.disclosed_on BETWEEN ? AND ?
"""


def test_every_figure_is_recomputed_from_the_record_of_disclosures(
    programme_db: Database, programme: sqlite3.Connection
) -> None:
    report = build_report("disclosures", programme_db.sessions, start=START, end=END, min_cell=1)
    rows = programme.execute(LINES, (START.isoformat(), END.isoformat())).fetchall()
    assert len(rows) > 20  # the seed's hand-offs reached the students' records

    went = Counter(h if kind == "hand_off" else kind for _p, _d, kind, h, _b, _s in rows)
    by_basis = Counter(b or "not_stated" for *_x, b, _s in rows)
    by_month = Counter(d[:7] for _p, d, *_x in rows)

    assert {g: v for g, v in _figures(report, "disclosures_by_recipient").items() if v} == {
        **{k: float(v) for k, v in went.items()},
        "all": float(len(rows)),
    }
    assert {g: v for g, v in _figures(report, "disclosures_by_basis").items() if v} == {
        **{k: float(v) for k, v in by_basis.items()},
        "all": float(len(rows)),
    }
    assert {g: v for g, v in _figures(report, "disclosures_by_month").items() if v} == {
        **{k: float(v) for k, v in by_month.items()},
        "all": float(len(rows)),
    }
    total = next(s for s in report.sections if s.key == "disclosures_total").rows[0].cells
    assert [c.value for c in total] == [float(len(rows)), float(len({r[0] for r in rows}))]


def test_a_school_counts_only_its_own_students_records(
    programme_db: Database, programme: sqlite3.Connection
) -> None:
    report = build_report(
        "disclosures", programme_db.sessions, start=START, end=END, min_cell=1, school=NORTH
    )
    rows = [
        r
        for r in programme.execute(LINES, (START.isoformat(), END.isoformat())).fetchall()
        if r[5] == NORTH
    ]
    assert len(rows) > 0
    assert _figures(report, "disclosures_by_recipient")["all"] == float(len(rows))


def test_small_counts_are_hidden_in_the_published_view(programme_db: Database) -> None:
    report = build_report("disclosures", programme_db.sessions, start=START, end=END, min_cell=10)
    shown = [
        cell.value
        for section in report.sections
        for row in section.rows
        for cell in row.cells
        if not cell.suppressed
    ]
    hidden = [
        cell for section in report.sections for row in section.rows for cell in row.cells
        if cell.suppressed
    ]  # fmt: skip
    assert hidden and all(c.value is None for c in hidden)
    assert not any(0 < (value or 0) < 10 for value in shown)


def test_a_period_with_no_disclosures_says_so(programme_db: Database) -> None:
    from datetime import date

    report = build_report(
        "disclosures", programme_db.sessions, start=date(2024, 1, 1), end=date(2024, 2, 1)
    )
    assert report.is_empty
