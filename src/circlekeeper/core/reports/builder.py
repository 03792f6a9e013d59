"""Assemble a report's sections from figures, then suppress once over the whole report.

Reports add sections and rows of :class:`Fig` values; the builder records which figures add up
to which totals (the ``all`` row of a section whose rows split it, and the same total shown in
several sections) and, at the end, turns every figure into a :class:`Cell` with suppression
applied, so no writer ever sees a hidden value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from circlekeeper.core.reports.model import Cell, Chart, Column, Row, Section, Text, Unit
from circlekeeper.core.reports.suppression import Fig, Ref, Sum, hidden_figures

ALL = "all"


def count(value: int, *, students: bool = True, group_size: int | None = None) -> Fig:
    """A whole-number figure; ``students`` says whether it counts students (then protected)."""
    return Fig(float(value), Unit.COUNT, value if students else None, group_size)


def ratio_of(
    top: float,
    bottom: float,
    unit: Unit,
    rests_on: tuple[Ref, ...],
    *,
    scale: float = 1.0,
) -> Fig:
    """``top / bottom * scale``, or no figure when the bottom is zero (no denominator)."""
    value = top / bottom * scale if bottom else None
    return Fig(value, unit, rests_on=rests_on)


@dataclass
class SectionBuilder:
    """One table of a report as it is built: its columns, then rows of figures."""

    key: str
    title: Text
    columns: tuple[Column, ...]
    note: Text | None = None
    chart: Chart | None = None
    parts_of_all: bool = False
    rows: list[tuple[str, Text, dict[str, Fig]]] = field(default_factory=list)

    def ref(self, group: str, measure: str) -> Ref:
        return (self.key, group, measure)

    def row(self, group: str, label: Text, figs: Mapping[str, Fig]) -> None:
        missing = {c.measure for c in self.columns} - set(figs)
        if missing:
            raise ValueError(f"row {group!r} of {self.key!r} lacks {sorted(missing)}")
        self.rows.append((group, label, dict(figs)))


class ReportBuilder:
    """The sections of one report, and the sums that tie their figures together."""

    def __init__(self, merge_below: int = 0) -> None:
        self.sections: list[SectionBuilder] = []
        self._links: list[Sum] = []
        # Rows named by words someone typed (a place, an incident type not yet mapped) with
        # fewer referrals than this are shown together as "other": a typed name must not reach
        # a published report. 0 (the internal view) shows each one.
        self.merge_below = merge_below

    def section(
        self,
        key: str,
        title: Text,
        columns: Sequence[Column],
        *,
        note: Text | None = None,
        chart: Chart | None = None,
        parts_of_all: bool = False,
    ) -> SectionBuilder:
        if any(s.key == key for s in self.sections):
            raise ValueError(f"two sections called {key!r}")
        section = SectionBuilder(key, title, tuple(columns), note, chart, parts_of_all)
        self.sections.append(section)
        return section

    def same(self, a: Ref, b: Ref) -> None:
        """Two places show the same figure: hiding one must hide the other."""
        self._links.append((a, (b,)))

    def adds_up(self, total: Ref, parts: tuple[Ref, ...]) -> None:
        """Figures within one row add up to another (answers to a question): hiding one part
        must hide another, so the hidden one cannot be worked out by subtraction."""
        self._links.append((total, parts))

    def figures(self) -> dict[Ref, Fig]:
        return {
            (s.key, group, measure): fig
            for s in self.sections
            for group, _label, figs in s.rows
            for measure, fig in figs.items()
        }

    def sums(self) -> list[Sum]:
        sums = list(self._links)
        for s in self.sections:
            if not s.parts_of_all:
                continue
            groups = [group for group, _label, _figs in s.rows if group != ALL]
            for column in s.columns:
                if column.counts_students:
                    parts = tuple((s.key, g, column.measure) for g in groups)
                    sums.append(((s.key, ALL, column.measure), parts))
        return sums

    def finish(self, min_cell: int, *, unsuppressed: bool = False) -> tuple[Section, ...]:
        """The sections as the report shows them: hidden figures keep no value at all."""
        hidden = set() if unsuppressed else hidden_figures(self.figures(), self.sums(), min_cell)
        sections = []
        for s in self.sections:
            rows = []
            for group, label, figs in s.rows:
                cells = []
                for column in s.columns:
                    fig = figs[column.measure]
                    if (s.key, group, column.measure) in hidden:
                        cells.append(Cell(None, fig.unit, suppressed=True))
                    else:
                        cells.append(Cell(fig.value, fig.unit))
                rows.append(Row(group, label, tuple(cells)))
            sections.append(
                Section(
                    s.key,
                    s.title,
                    s.columns,
                    tuple(rows),
                    note=s.note,
                    chart=s.chart,
                    parts_of_all=s.parts_of_all,
                )
            )
        return tuple(sections)
