"""Suppression on every report: no figure about fewer than n students is shown, and no hidden
figure can be worked out from the totals, other rows, other columns or other tables.

The check reads only the finished reports: it solves the sums the tables imply (each section's
rows add up to its ``all`` row; the same total shown in several tables is one figure) for the
hidden figures, and fails if any one of them is determined.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from tests.core.reports.report_seed import AS_OF, END, START

from circlekeeper.core.export.report_csv import csv_rows
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.profiles.profiles import Viewer
from circlekeeper.core.reports.engine import REPORT_NAMES, build_report
from circlekeeper.core.reports.model import Report, Unit
from circlekeeper.core.store.database import Database

# The same figure shown in several tables of one report (from the reports' definitions).
SAME_TOTALS = {
    "referrals": [
        [
            (s, "referrals")
            for s in (
                "per_month",
                "by_incident_type",
                "by_state_category",
                "by_location",
                "by_time_of_day",
                "by_grade",
            )
        ]
    ],
    "diversion": [
        [("diversion_by_month", m), ("diversion_by_incident_type", m)]
        for m in (
            "suspensions",
            "suspension_days",
            "expulsions",
            "citations",
            "arrests",
            "reinstated",
        )
    ],
    "board": [
        [
            ("per_month", "referrals"),
            ("by_incident_type", "referrals"),
            ("key_figures", "referrals"),
        ]
    ],
    "monthly": [
        [
            ("per_month", "referrals"),
            ("by_incident_type", "referrals"),
            ("key_figures", "referrals"),
        ]
    ],
}


_EVENTS = ("referrals", "exclusions_replaced", "conferences_offered", "agreements_completed")
_DIMENSIONS = ("race_ethnicity", "gender", "disability", "english_learner", "low_income")
SAME_TOTALS["equity"] = [
    [(f"{event}_{dimension}", "students") for dimension in _DIMENSIONS] for event in _EVENTS
] + [[(f"{event}_{dimension}", "enrolled") for event in _EVENTS for dimension in _DIMENSIONS]]


def _report(db: Database, name: str, n: int, **extra: object) -> Report:
    return build_report(name, db.sessions, start=START, end=END, min_cell=n, as_of=AS_OF, **extra)  # type: ignore[arg-type]


def _rank(rows: list[list[Fraction]]) -> int:
    matrix = [row[:] for row in rows if any(row)]
    rank, column = 0, 0
    width = len(matrix[0]) if matrix else 0
    while rank < len(matrix) and column < width:
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            column += 1
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column] != 0:
                factor = matrix[r][column] / matrix[rank][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
        column += 1
    return rank


def _recoverable(report: Report) -> list[tuple[str, str, str]]:
    """Hidden student counts that the report's own sums pin down to one value."""
    hidden: list[tuple[str, str, str]] = []
    equations: list[dict[tuple[str, str, str], int]] = []
    for section in report.sections:
        for index, column in enumerate(section.columns):
            if not column.counts_students:
                continue
            for row in section.rows:
                if row.cells[index].suppressed:
                    hidden.append((section.key, row.group, column.measure))
            if section.parts_of_all:
                # all - sum(parts) = 0: only the hidden ones are unknowns.
                equation = {}
                for row in section.rows:
                    if row.cells[index].suppressed:
                        equation[(section.key, row.group, column.measure)] = (
                            1 if row.group == "all" else -1
                        )
                equations.append(equation)
    for group in SAME_TOTALS.get(report.name, []):
        refs = [(s, "all", m) for s, m in group if any(x.key == s for x in report.sections)]
        for a, b in zip(refs, refs[1:], strict=False):
            equations.append({k: v for k, v in ((a, 1), (b, -1)) if k in hidden})
    index_of = {ref: i for i, ref in enumerate(hidden)}

    def row_of(equation: dict[tuple[str, str, str], int]) -> list[Fraction]:
        row = [Fraction(0)] * len(hidden)
        for ref, coefficient in equation.items():
            row[index_of[ref]] += coefficient
        return row

    matrix = [row_of(e) for e in equations if e]
    base = _rank(matrix) if matrix else 0
    found = []
    for ref in hidden:
        unit = [Fraction(0)] * len(hidden)
        unit[index_of[ref]] = Fraction(1)
        if _rank([*matrix, unit]) == base:
            found.append(ref)
    return found


@pytest.mark.parametrize("name", REPORT_NAMES)
@pytest.mark.parametrize("n", [5, 10])
def test_no_small_figure_is_shown_and_no_hidden_one_can_be_worked_out(
    programme_db: Database, name: str, n: int
) -> None:
    report = _report(programme_db, name, n)
    full = _report(programme_db, name, n, unsuppressed=True, viewer=Viewer("Ana", "counselor"))
    assert not report.is_empty
    hidden_any = False
    true = {
        (section.key, row.group, column.measure): cell.value
        for section in full.sections
        for row in section.rows
        for column, cell in zip(section.columns, row.cells, strict=True)
    }
    for section in report.sections:
        for row in section.rows:
            counts = [
                (column, cell)
                for column, cell in zip(section.columns, row.cells, strict=True)
                if column.counts_students
            ]
            for column, cell in counts:
                ref = (section.key, row.group, column.measure)
                if cell.suppressed:
                    hidden_any = True
                    assert cell.value is None
                else:
                    # Shown: exactly the true figure (rare typed names are shown together as
                    # "other", which the internal view spells out), never between 1 and n - 1.
                    assert ref in true or row.group == "other", ref
                    assert ref not in true or cell.value == true[ref], ref
                    assert not (0 < (cell.value or 0) < n), ref
            # (Key figures are one row of unrelated figures, each tied to its own table.)
            if section.key != "key_figures" and any(cell.suppressed for _c, cell in counts):
                # A rate, share or ratio of a row with a hidden count cannot divide it back.
                for column, cell in zip(section.columns, row.cells, strict=True):
                    if column.unit in (Unit.RATE, Unit.PERCENT, Unit.RATIO):
                        # (a cell with no figure at all, like the total's own ratio, holds nothing)
                        assert cell.suppressed or cell.value is None, (
                            section.key,
                            row.group,
                            column.measure,
                        )
    # (A report that counts no people, like fidelity's circles, has nothing to hide.)
    counts_people = any(c.counts_students for s in report.sections for c in s.columns)
    assert hidden_any or not counts_people, "the fixture must give every report something to hide"
    assert _recoverable(report) == []


@pytest.mark.parametrize("n", [5, 10])
def test_a_zero_is_shown_only_for_a_group_of_at_least_n(programme_db: Database, n: int) -> None:
    report = _report(programme_db, "equity", n)
    full = _report(programme_db, "equity", n, unsuppressed=True, viewer=Viewer("Ana", "counselor"))
    for section, raw in zip(report.sections, full.sections, strict=True):
        enrolled = {r.group: r.cells[0].value for r in raw.rows}
        for row in section.rows:
            students = row.cells[1]
            if not students.suppressed and students.value == 0:
                assert (enrolled[row.group] or 0) >= n, (section.key, row.group)


def test_the_csv_holds_the_suppressed_figures_not_the_raw_ones(programme_db: Database) -> None:
    report = _report(programme_db, "referrals", 10)
    rows = csv_rows(report)
    assert rows[0] == ("report", "section", "group", "measure", "value", "suppressed")
    hidden = [r for r in rows[1:] if r[5] == "yes"]
    assert hidden and all(r[4] == "" for r in hidden)
    shown = {(r[1], r[2], r[3]): r[4] for r in rows[1:] if r[5] == "no"}
    assert shown[("per_month", "all", "referrals")] == str(
        int(report.section("per_month").cell("all", "referrals").value or 0)
    )
    assert len(rows) - 1 == sum(1 for _ in report.figures())


@pytest.mark.parametrize("viewer", [None, Viewer("Sam", "sro")])
def test_only_counselors_and_administrators_get_the_unsuppressed_view(
    programme_db: Database, viewer: Viewer | None
) -> None:
    with pytest.raises(InvalidInput, match="counselor and administrator"):
        _report(programme_db, "referrals", 10, unsuppressed=True, viewer=viewer)
    admin = _report(
        programme_db, "referrals", 10, unsuppressed=True, viewer=Viewer("Lee", "administrator")
    )
    assert admin.unsuppressed and "Internal view" in admin.suppression.en
    assert not any(f.suppressed for f in admin.figures())


def test_min_cell_changes_what_is_hidden(programme_db: Database) -> None:
    loose = sum(f.suppressed for f in _report(programme_db, "referrals", 2).figures())
    strict = sum(f.suppressed for f in _report(programme_db, "referrals", 20).figures())
    assert loose < strict
    assert "fewer than 20 students" in _report(programme_db, "referrals", 20).suppression.en


def test_the_school_setting_chooses_the_default_minimum(programme_db: Database) -> None:
    from circlekeeper.core.reports.engine import configured_min_cell, set_min_cell

    assert configured_min_cell(programme_db.sessions) == 10
    set_min_cell(programme_db.sessions, 15)
    assert configured_min_cell(programme_db.sessions) == 15
    with pytest.raises(InvalidInput, match="at least 1"):
        set_min_cell(programme_db.sessions, 0)
    assert configured_min_cell(programme_db.sessions) == 15
