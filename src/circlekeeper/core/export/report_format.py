"""How a report's figures and marks are written for people: one place for every format.

The HTML/PDF, the XLSX sheets and the Reports area all show a hidden figure with the same mark
and explain it with the same words, and write a number the way the chosen language does.
"""

from __future__ import annotations

from circlekeeper.core.export.templates import format_date
from circlekeeper.core.reports.model import Cell, Report, Row, Section, Text, Unit

# The mark of a suppressed figure in every format people read (the CSV leaves the value empty).
SUPPRESSED_MARK = "*"
# A figure that does not exist (a group with no denominator has no rate), as opposed to hidden.
NO_FIGURE_MARK = "–"

SUPPRESSED_LEGEND = Text(
    "* hidden to protect students' privacy (too few students, or it would let a hidden figure "
    "be worked out)",
    "* oculto para proteger la privacidad del estudiantado (muy pocos estudiantes, o permitiría "
    "deducir una cifra oculta)",
)
NO_FIGURE_LEGEND = Text(
    "– no figure (for example, no denominator)",
    "– sin cifra (por ejemplo, no hay denominador)",
)
UNSUPPRESSED_WARNING = Text(
    "Internal view: nothing is hidden. Do not share or publish it.",
    "Vista interna: no se oculta nada. No la comparta ni la publique.",
)

# Decimals shown per unit; XLSX number formats follow the same choice.
DECIMALS = {
    Unit.COUNT: 0,
    Unit.RATE: 2,
    Unit.RATIO: 2,
    Unit.PERCENT: 1,
    Unit.DAYS: 1,
    Unit.HOURS: 1,
}


def number_text(value: float, unit: Unit, lang: str = "en") -> str:
    """A number as the language writes it: 1,234.5 in English, 1234,5 in Spanish; % for percent."""
    decimals = DECIMALS.get(unit, 2)
    if unit in (Unit.COUNT, Unit.DAYS, Unit.HOURS) and float(value).is_integer():
        decimals = 0  # 204 days, not 204.0
    elif unit is Unit.COUNT:
        decimals = 1
    text = f"{value:,.{decimals}f}"
    if lang == "es":
        # Spanish style (RAE): comma for decimals, a thin space only from five digits up.
        whole, _, fraction = text.partition(".")
        digits = whole.replace(",", "")
        sign = "-" if digits.startswith("-") else ""
        digits = digits.lstrip("-")
        if len(digits) > 4:
            groups: list[str] = []
            while digits:
                groups.insert(0, digits[-3:])
                digits = digits[:-3]
            digits = "\u202f".join(groups)
        text = sign + digits + ("," + fraction if fraction else "")
    if unit is Unit.PERCENT:
        text += " %" if lang == "es" else "%"
    return text


def cell_text(cell: Cell, lang: str = "en") -> str:
    """What a table shows for one cell: the number, the suppressed mark, or the no-figure mark."""
    if cell.suppressed:
        return SUPPRESSED_MARK
    if cell.value is None:
        return NO_FIGURE_MARK
    return number_text(cell.value, cell.unit, lang)


def period_text(report: Report, lang: str = "en") -> str:
    """The report's period in words, in one language or both ("en+es")."""
    parts = lang.split("+") if lang == "en+es" else [lang]
    texts = []
    for part in parts:
        start = format_date(report.period_start, part)
        end = format_date(report.period_end, part)
        texts.append(f"{start} – {end}")
    return texts[0] if len(set(texts)) == 1 else " / ".join(texts)


LABELS = {
    "period": Text("Period", "Periodo"),
    "school": Text("School", "Escuela"),
    "all_schools": Text("All schools", "Todas las escuelas"),
    "population": Text("Who is counted", "A quién se cuenta"),
    "suppression": Text("Small numbers", "Cifras pequeñas"),
    "definitions": Text("Definitions", "Definiciones"),
    "made": Text("Made", "Elaborado"),
    "group": Text("Group", "Grupo"),
    "measure": Text("Measure", "Medida"),
    "contents": Text("Contents", "Contenido"),
}


def label(key: str, lang: str = "en") -> str:
    """A fixed heading of every report (Period, School, …) in the chosen language(s)."""
    return LABELS[key].in_lang(lang)


def school_text(report: Report, lang: str = "en") -> str:
    """The school a report covers, or 'all schools', in the chosen language."""
    return report.school or label("all_schools", lang)


def chart_rows(section: Section) -> tuple[Row, ...]:
    """The rows a section's chart draws: every group but the total (it would dwarf the rest)."""
    rows = tuple(row for row in section.rows if row.group != "all")
    return rows or section.rows


def chart_cells(section: Section) -> list[tuple[Row, Cell]]:
    """Each drawn row with its cell of the chart's measure (empty when the section has none)."""
    if section.chart is None:
        return []
    measures = [column.measure for column in section.columns]
    if section.chart.measure not in measures:
        return []
    index = measures.index(section.chart.measure)
    return [(row, row.cells[index]) for row in chart_rows(section)]


def chart_summary(section: Section, lang: str = "en") -> str:
    """The chart in words, for a screen reader: "Defiance 48; Fighting *; …"."""
    return "; ".join(
        f"{row.label.in_lang(lang)} {cell_text(cell, lang)}" for row, cell in chart_cells(section)
    )


def reads_down(section: Section) -> bool:
    """True for a single row of many figures (key figures): shown as one figure per line."""
    return len(section.rows) == 1 and len(section.columns) > 3


def prose(text: Text, lang: str = "en") -> str:
    """A sentence in the chosen language; with both, the Spanish on its own line under it."""
    if lang == "en+es" and text.en != text.es:
        return f"{text.en}\n{text.es}"
    return text.in_lang(lang)


def has_chart(section: Section) -> bool:
    """Whether the section's chart is worth drawing: at least two figures to compare.

    A chart of one bar, or of hidden figures only, says nothing its table does not, and takes
    half a page of a report meant to be short.
    """
    return sum(1 for _, cell in chart_cells(section) if cell.value is not None) >= 2
