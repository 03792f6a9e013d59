"""A report as tidy CSV: one row per figure, the shape analysts and district scripts rely on.

Columns ``report,section,group,measure,value,suppressed``. ``group`` is ``all`` for the whole
population; a suppressed figure has an empty ``value`` and ``suppressed`` = ``yes``, because the
report handed in already holds no hidden value. Numbers are written plainly (a dot for decimals,
no thousands separator) so every tool reads them the same way; text goes through the one
formula-injection guard.
"""

from __future__ import annotations

import csv
from pathlib import Path

from circlekeeper.core.export.cells import neutralise
from circlekeeper.core.export.report_files import check_shareable, write_whole
from circlekeeper.core.reports.model import Report, Unit

HEADER = ("report", "section", "group", "measure", "value", "suppressed")
# Digits kept per unit: enough for a rate per 100 students per school day to stay meaningful.
_DIGITS = {Unit.RATE: 4, Unit.RATIO: 3, Unit.PERCENT: 2, Unit.DAYS: 2, Unit.HOURS: 2}


def value_text(value: float | None, unit: Unit) -> str:
    """A figure as the CSV writes it: whole numbers without decimals, empty when hidden."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{round(value, _DIGITS.get(unit, 4)):g}"


def csv_rows(report: Report) -> list[tuple[str, ...]]:
    """A report as the tidy CSV's rows (report, section, group, measure, value, suppressed)."""
    units = {
        (section.key, column.measure): column.unit
        for section in report.sections
        for column in section.columns
    }
    rows: list[tuple[str, ...]] = [HEADER]
    for figure in report.figures():
        unit = units[(figure.section, figure.measure)]
        rows.append(
            (
                neutralise(figure.report),
                neutralise(figure.section),
                neutralise(figure.group),
                neutralise(figure.measure),
                "" if figure.suppressed else value_text(figure.value, unit),
                "yes" if figure.suppressed else "no",
            )
        )
    return rows


def write_csv(report: Report, path: Path) -> None:
    """Write the report's figures to ``path`` (UTF-8, whole or not at all); the internal view
    with nothing hidden is refused, as by every other writer."""
    check_shareable(report)

    def write(temp: Path) -> None:
        with temp.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(csv_rows(report))

    write_whole(path, write)
