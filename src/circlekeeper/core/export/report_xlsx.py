"""A programme report as an Excel workbook people read: typed cells, one sheet per table.

The first sheet says what the report is (period, school, who is counted, the small-numbers rule,
definitions, what the marks mean); each section follows on its own sheet with its table. Figures
are real numbers with a number format (a percentage is stored as a fraction and formatted as
one), so a spreadsheet can sum and chart them; a hidden figure is the text mark the other
formats show, never a number. Every piece of text goes through ``neutralise`` so a label typed
as ``=HYPERLINK(…)`` stays text.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from circlekeeper.core.export.cells import neutralise
from circlekeeper.core.export.report_files import check_shareable, write_whole
from circlekeeper.core.export.report_format import (
    NO_FIGURE_LEGEND,
    NO_FIGURE_MARK,
    SUPPRESSED_LEGEND,
    SUPPRESSED_MARK,
    UNSUPPRESSED_WARNING,
    label,
    period_text,
    prose,
    school_text,
)
from circlekeeper.core.reports.model import Cell, Report, Section, Unit

_FORMATS = {
    Unit.COUNT: "#,##0",
    Unit.RATE: "0.00",
    Unit.RATIO: "0.00",
    Unit.PERCENT: "0.0%",
    Unit.DAYS: "0.0",
    Unit.HOURS: "0.0",
}
_TITLE = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E4ECF2")
_WRAP = Alignment(wrap_text=True, vertical="top")
_RIGHT = Alignment(horizontal="right")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def _text(value: str) -> str:
    return neutralise(value)


def _sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name (Excel allows 31 characters and none of []:*?/\\)."""
    base = _SHEET_NAME_BAD.sub(" ", title).strip().strip("'")
    if len(base) > 31:  # cut at a word, not in the middle of one
        base = base[:32].rsplit(" ", 1)[0] if " " in base[:32] else base[:31]
    base = base.strip() or "Table"
    name, number = base, 2
    while name.casefold() in taken:
        suffix = f" {number}"
        name = base[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(name.casefold())
    return name


def _put_figure(sheet: Worksheet, row: int, column: int, cell: Cell) -> None:
    target = sheet.cell(row=row, column=column)
    if cell.suppressed or cell.value is None:
        target.value = SUPPRESSED_MARK if cell.suppressed else NO_FIGURE_MARK
        target.alignment = _RIGHT
        return
    value = cell.value / 100 if cell.unit is Unit.PERCENT else cell.value
    target.value = int(value) if cell.unit is Unit.COUNT and float(value).is_integer() else value
    number_format = _FORMATS.get(cell.unit, "0.00")
    if cell.unit is Unit.COUNT and not float(value).is_integer():
        number_format = "#,##0.0"
    target.number_format = number_format


def _about_sheet(sheet: Worksheet, report: Report, lang: str, names: list[str]) -> None:
    sheet.append([_text(report.title.in_lang(lang))])
    sheet["A1"].font = _TITLE
    facts = [
        (label("period", lang), period_text(report, lang)),
        (label("school", lang), school_text(report, lang)),
        (label("population", lang), prose(report.population, lang)),
        (label("suppression", lang), prose(report.suppression, lang)),
    ]
    if report.generated_at is not None:
        facts.append((label("made", lang), report.generated_at.strftime("%Y-%m-%d %H:%M UTC")))
    sheet.append([])
    for name, value in facts:
        sheet.append([_text(name), _text(value)])
        sheet.cell(row=sheet.max_row, column=1).font = _BOLD
        sheet.cell(row=sheet.max_row, column=2).alignment = _WRAP
    if report.unsuppressed:
        sheet.append([])
        sheet.append([_text(UNSUPPRESSED_WARNING.in_lang(lang))])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, color="9C2A00")
    if report.is_empty and report.empty_message is not None:
        sheet.append([])
        sheet.append([_text(report.empty_message.in_lang(lang))])
        sheet.cell(row=sheet.max_row, column=1).font = _BOLD
    if report.definitions:
        sheet.append([])
        sheet.append([_text(label("definitions", lang))])
        sheet.cell(row=sheet.max_row, column=1).font = _BOLD
        for definition in report.definitions:
            sheet.append(["", _text(prose(definition, lang))])
            sheet.cell(row=sheet.max_row, column=2).alignment = _WRAP
    sheet.append([])
    for legend in (SUPPRESSED_LEGEND, NO_FIGURE_LEGEND):
        sheet.append(["", _text(legend.in_lang(lang))])
    if names:
        sheet.append([])
        sheet.append([_text(label("contents", lang))])
        sheet.cell(row=sheet.max_row, column=1).font = _BOLD
        for name in names:
            sheet.append(["", _text(name)])
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 90


def _section_sheet(sheet: Worksheet, report: Report, section: Section, lang: str) -> None:
    sheet.append([_text(section.title.in_lang(lang))])
    sheet["A1"].font = _TITLE
    sheet.append([_text(f"{period_text(report, lang)} · {school_text(report, lang)}")])
    if section.note is not None:
        sheet.append([_text(section.note.in_lang(lang))])
    sheet.append([])
    header = [label("group", lang)] + [c.label.in_lang(lang) for c in section.columns]
    sheet.append([_text(h) for h in header])
    header_row = sheet.max_row
    for column in range(1, len(header) + 1):
        target = sheet.cell(row=header_row, column=column)
        target.font = _BOLD
        target.fill = _HEADER_FILL
        target.alignment = Alignment(wrap_text=True, vertical="bottom")
    for row in section.rows:
        sheet.append([_text(row.label.in_lang(lang))])
        line = sheet.max_row
        if row.group == "all":
            sheet.cell(row=line, column=1).font = _BOLD
        for offset, cell in enumerate(row.cells, start=2):
            _put_figure(sheet, line, offset, cell)
    sheet.append([])
    if any(cell.suppressed for row in section.rows for cell in row.cells):
        sheet.append([_text(SUPPRESSED_LEGEND.in_lang(lang))])
    if any(c.value is None and not c.suppressed for row in section.rows for c in row.cells):
        sheet.append([_text(NO_FIGURE_LEGEND.in_lang(lang))])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    widest = max([len(row.label.in_lang(lang)) for row in section.rows] + [12])
    sheet.column_dimensions["A"].width = min(48, widest + 2)
    for index in range(2, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18


def build_workbook(report: Report, lang: str) -> Workbook:
    """The workbook of one report in ``en``, ``es`` or ``en+es`` (labels in both)."""
    book = Workbook()
    about = book.active
    assert about is not None  # a new workbook always has its first sheet
    taken: set[str] = set()
    about.title = _sheet_name(report.title.in_lang(lang.split("+")[0]), taken)
    names: list[str] = []
    for section in report.sections:
        name = _sheet_name(section.title.in_lang(lang.split("+")[0]), taken)
        names.append(name)
        _section_sheet(book.create_sheet(name), report, section, lang)
    _about_sheet(about, report, lang, names)
    book.properties.title = report.title.in_lang(lang)
    book.properties.creator = "circlekeeper"
    return book


def write_xlsx(report: Report, lang: str, path: Path) -> None:
    """Save the report as an ``.xlsx`` workbook at ``path`` (whole, or nothing at all)."""
    check_shareable(report)
    book = build_workbook(report, lang)
    write_whole(Path(path), lambda temp: book.save(temp))
