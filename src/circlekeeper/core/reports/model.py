"""What a programme report is, as plain data: the one shape every format is written from.

The engine builds a ``Report`` from the rows (with suppression already applied); the writers (CSV,
XLSX, HTML/PDF) and the Reports area only lay it out. Nothing here reads the database or knows Qt.
A suppressed cell keeps no value at all, so no writer can leak the hidden number by mistake.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class Text:
    """A label or sentence in both of the programme's languages."""

    en: str
    es: str

    def in_lang(self, lang: str) -> str:
        """The text for ``en``, ``es`` or ``en+es`` (English, then Spanish, joined by " / ")."""
        if lang == "es":
            return self.es
        if lang == "en+es":
            return self.en if self.en == self.es else f"{self.en} / {self.es}"
        return self.en


class Unit(StrEnum):
    """What a number measures; writers format and type cells by it."""

    COUNT = "count"  # students, referrals, circles: whole numbers
    RATE = "rate"  # per 100 students per school day, or per enrolled student
    RATIO = "ratio"  # a risk ratio against a named comparison group
    PERCENT = "percent"  # 0-100
    DAYS = "days"
    HOURS = "hours"


@dataclass(frozen=True)
class Cell:
    """One figure. When ``suppressed`` is true, ``value`` is always None."""

    value: float | None
    unit: Unit
    suppressed: bool = False

    def __post_init__(self) -> None:
        if self.suppressed and self.value is not None:
            raise ValueError("a suppressed cell keeps no value")


@dataclass(frozen=True)
class Column:
    """A measure shown as one column of a section's table (``measure`` is the CSV key)."""

    measure: str
    label: Text
    unit: Unit
    # True when the column counts students (or their referrals): small values are hidden.
    counts_students: bool = False


@dataclass(frozen=True)
class Row:
    """One group of a section (``group`` is the CSV key: ``all`` for the whole population)."""

    group: str
    label: Text
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Chart:
    """How a section is best drawn: ``bar`` or ``line`` over its rows, for one column."""

    kind: str
    measure: str
    title: Text


@dataclass(frozen=True)
class Section:
    """One table of a report, with an optional chart drawn from the same cells."""

    key: str
    title: Text
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    note: Text | None = None
    chart: Chart | None = None
    # True when the rows other than ``all`` split the ``all`` row: its counts are their sums.
    parts_of_all: bool = False

    def cell(self, group: str, measure: str) -> Cell:
        """The cell of one group and one measure (KeyError when there is none)."""
        index = next(i for i, c in enumerate(self.columns) if c.measure == measure)
        for row in self.rows:
            if row.group == group:
                return row.cells[index]
        raise KeyError((self.key, group, measure))


@dataclass(frozen=True)
class Figure:
    """One line of the tidy CSV: ``report,section,group,measure,value,suppressed``."""

    report: str
    section: str
    group: str
    measure: str
    value: float | None
    suppressed: bool


@dataclass(frozen=True)
class Report:
    """A finished report: its period, population, definitions, suppression rule and sections."""

    name: str
    title: Text
    period_start: dt.date
    period_end: dt.date
    school: str | None
    population: Text
    suppression: Text
    min_cell: int
    sections: tuple[Section, ...]
    definitions: tuple[Text, ...] = ()
    generated_at: dt.datetime | None = None
    # Said instead of tables when the period holds no data (a report, not an error).
    empty_message: Text | None = None
    # True only for the unsuppressed internal view (counselor and administrator profiles).
    unsuppressed: bool = field(default=False)

    @property
    def is_empty(self) -> bool:
        return self.empty_message is not None

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def figures(self) -> Iterator[Figure]:
        """Every cell as one tidy figure, in section, row, column order."""
        for section in self.sections:
            for row in section.rows:
                for column, cell in zip(section.columns, row.cells, strict=True):
                    yield Figure(
                        self.name,
                        section.key,
                        row.group,
                        column.measure,
                        cell.value,
                        cell.suppressed,
                    )
