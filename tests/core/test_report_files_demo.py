"""Every report of the demo saved as PDF and XLSX and read back: the figures are all there.

The engine builds each report from a real demo database; the PDF (pypdf) must hold every
section, every shown figure and one picture per chart, and the workbook every figure at its
place, typed, with hidden ones as the mark.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from circlekeeper.charts import BAR, LINE
from circlekeeper.core.demo.demo import build_demo
from circlekeeper.core.export.report_format import (
    NO_FIGURE_MARK,
    SUPPRESSED_MARK,
    cell_text,
    has_chart,
    reads_down,
)
from circlekeeper.core.export.report_xlsx import write_xlsx
from circlekeeper.core.reports.engine import REPORT_NAMES, build_report
from circlekeeper.core.reports.model import Report, Unit
from circlekeeper.core.store.database import open_database

TODAY = date(2026, 3, 16)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Report]:
    path = tmp_path_factory.mktemp("demo-reports") / "demo.sqlite3"
    build_demo(path, "small", today=TODAY)
    db = open_database(path)
    try:
        return {
            name: build_report(name, db.sessions, start=date(2025, 8, 1), end=TODAY, as_of=TODAY)
            for name in REPORT_NAMES
        }
    finally:
        db.close()


def _painted(path: Path, colour: str) -> bool:
    wanted = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    for page in PdfReader(path).pages:
        stream = page.get_contents()
        content = stream.get_data().decode("latin-1") if stream is not None else ""
        for found in re.finditer(r"([\d.]+) ([\d.]+) ([\d.]+) (?:scn|SCN|rg|RG)", content):
            if all(abs(float(v) - w) < 0.002 for v, w in zip(found.groups(), wanted, strict=True)):
                return True
    return False


def _pdf_text(path: Path) -> str:
    pages = PdfReader(path).pages
    return unicodedata.normalize(
        "NFKC", " ".join(" ".join((p.extract_text() or "").split()) for p in pages)
    )


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_the_pdf_of_each_report_holds_its_figures(qapp, home, tmp_path, reports, name):
    from circlekeeper.report_pdf import write_report_pdf

    report = reports[name]
    assert report.sections, f"the demo gives {name} nothing to show"
    out = tmp_path / f"{name}.pdf"
    write_report_pdf(report, "en", out)
    text = _pdf_text(out)
    assert " ".join(report.suppression.en.split()[:8]) in text
    for section in report.sections:
        assert " ".join(section.title.en.split()) in text
        for row in section.rows:
            for cell in row.cells:
                assert cell_text(cell, "en") in text, (section.key, row.group)
    if any(has_chart(s) for s in report.sections):
        assert _painted(out, BAR.name()) or _painted(out, LINE.name())


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_the_workbook_of_each_report_holds_its_figures(tmp_path, reports, name):
    report = reports[name]
    out = tmp_path / f"{name}.xlsx"
    write_xlsx(report, "en", out)
    book = load_workbook(out)
    assert len(book.worksheets) == 1 + len(report.sections)
    for section, sheet in zip(report.sections, book.worksheets[1:], strict=True):
        rows = list(sheet.iter_rows(values_only=True))
        start = next(i for i, line in enumerate(rows) if line[0] == "Group")
        table = rows[start + 1 : start + 1 + len(section.rows)]
        assert not reads_down(section) or len(table) == 1
        for row, line in zip(section.rows, table, strict=True):
            for cell, value in zip(row.cells, line[1:], strict=False):
                if cell.suppressed:
                    assert value == SUPPRESSED_MARK
                elif cell.value is None:
                    assert value == NO_FIGURE_MARK
                elif cell.unit is Unit.PERCENT:
                    assert value == pytest.approx(cell.value / 100)
                else:
                    assert value == pytest.approx(cell.value)
