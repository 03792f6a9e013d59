"""A hand-built report saved as XLSX and read back with openpyxl: typed, marked, inert."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from circlekeeper.core.export.report_format import NO_FIGURE_MARK, SUPPRESSED_MARK
from circlekeeper.core.export.report_sample import sample_report
from circlekeeper.core.export.report_xlsx import write_xlsx
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.reports.model import Unit


def _table(sheet: Worksheet, header: str) -> list[list[object]]:
    """The rows under the header row whose first cell is ``header`` (up to the first gap)."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == header)
    table = []
    for row in rows[start + 1 :]:
        if row[0] is None:
            break
        table.append(list(row))
    return table


def _all_text(sheet: Worksheet) -> str:
    return "\n".join(
        str(value) for row in sheet.iter_rows(values_only=True) for value in row if value
    )


def test_every_figure_is_a_typed_cell_and_every_hidden_one_the_mark(tmp_path: Path) -> None:
    report = sample_report()
    out = tmp_path / "report.xlsx"
    write_xlsx(report, "en", out)
    book = load_workbook(out)
    assert book.sheetnames == [
        "Referrals (the Big 5)",
        "Referrals per month",
        "Referrals by incident type",
        "Referrals by English learner",  # Excel allows 31 characters: cut at a word
    ]
    for section, name in zip(report.sections, book.sheetnames[1:], strict=True):
        sheet = book[name]
        table = _table(sheet, "Group")
        assert len(table) == len(section.rows)
        for row, line in zip(section.rows, table, strict=True):
            for cell, value in zip(row.cells, line[1:], strict=True):
                if cell.suppressed:
                    assert value == SUPPRESSED_MARK
                elif cell.value is None:
                    assert value == NO_FIGURE_MARK
                elif cell.unit is Unit.PERCENT:
                    assert value == pytest.approx(cell.value / 100)  # a real percentage
                else:
                    assert value == pytest.approx(cell.value)
                    assert isinstance(value, int if cell.unit is Unit.COUNT else float)
    by_type = book["Referrals by incident type"]
    formats = {c.number_format for r in by_type.iter_rows(min_col=2) for c in r if c.value}
    assert {"#,##0", "0.0%"} <= formats


def test_the_first_sheet_says_what_the_report_counts_and_hides(tmp_path: Path) -> None:
    report = sample_report()
    out = tmp_path / "report.xlsx"
    write_xlsx(report, "en", out)
    about = _all_text(load_workbook(out).worksheets[0])
    for words in (
        "September 1, 2025 – November 30, 2025",
        report.school,
        report.population.en,
        report.suppression.en,
        report.definitions[0].en,
        "* hidden to protect students' privacy",
    ):
        assert words in about


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    write_xlsx(sample_report(), "en", out)
    book = load_workbook(out)
    sheet = book["Referrals by incident type"]
    labels = [row[0] for row in _table(sheet, "Group")]
    assert '\'=HYPERLINK("x")' in labels
    assert "'-Other (unmapped)" in labels
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


@pytest.mark.parametrize(
    ("lang", "sheet", "present"),
    [
        ("es", "Remisiones por tipo de", ["Desafío a la autoridad", "Grupo"]),
        ("en+es", "Referrals by incident type", ["Defiance / Desafío a la autoridad"]),
    ],
)
def test_spanish_and_both_languages(tmp_path: Path, lang: str, sheet: str, present: list[str]):
    out = tmp_path / f"report-{lang}.xlsx"
    write_xlsx(sample_report(), lang, out)
    book = load_workbook(out)
    assert sheet in book.sheetnames
    text = _all_text(book[sheet])
    for words in present:
        assert words in text


def test_an_empty_period_is_one_sheet_that_says_so(tmp_path: Path) -> None:
    out = tmp_path / "empty.xlsx"
    write_xlsx(sample_report(empty=True), "es", out)
    book = load_workbook(out)
    assert len(book.worksheets) == 1
    assert "No se registraron remisiones en este periodo." in _all_text(book.worksheets[0])


def test_the_internal_view_is_never_written_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "internal.xlsx"
    with pytest.raises(InvalidInput, match="for the screen only"):
        write_xlsx(dataclasses.replace(sample_report(), unsuppressed=True), "en", out)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_place_is_refused_and_the_old_file_kept(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        write_xlsx(sample_report(), "en", tmp_path / "nowhere" / "r.xlsx")
    folder = tmp_path / "locked"
    folder.mkdir()
    old = folder / "r.xlsx"
    old.write_bytes(b"the earlier copy")
    folder.chmod(0o500)
    old.chmod(0o400)
    try:
        with pytest.raises(InvalidInput, match="Nothing was saved"):
            write_xlsx(sample_report(), "en", old)
    finally:
        folder.chmod(0o700)
    assert old.read_bytes() == b"the earlier copy"
    assert list(folder.iterdir()) == [old]
