"""The Reports area driven with pytest-qt: choose, build, read, switch language, save.

Until a test needs the real engine, the area is given a hand-built report
(``core/export/report_sample.py``), so what is checked is the screen itself.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from circlekeeper.core.export.report_sample import sample_report
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.database import Database
from circlekeeper.ui.reports.area import ReportRequest, ReportsArea, school_year_start

from .a11y import unnamed_controls
from .conftest import activate


def _area(qtbot: QtBot, db: Database, build=None, **kwargs) -> ReportsArea:
    requests: list[ReportRequest] = []

    def hand_built(request: ReportRequest):
        requests.append(request)
        return sample_report()

    area = ReportsArea(
        db,
        build=build or hand_built,
        names=("referrals", "equity"),
        schools=["Riverside Middle School"],
        today=date(2025, 12, 1),
        **kwargs,
    )
    area.requests = requests  # type: ignore[attr-defined]
    qtbot.addWidget(area)
    area.resize(1146, 708)
    return area


def _build(qtbot: QtBot, area: ReportsArea) -> None:
    with qtbot.waitSignal(area.built, timeout=10_000):
        area.build_button.click()


def test_the_period_defaults_to_the_school_year() -> None:
    assert school_year_start(date(2025, 12, 1)) == date(2025, 8, 1)
    assert school_year_start(date(2026, 3, 9)) == date(2025, 8, 1)
    assert school_year_start(date(2026, 8, 1)) == date(2026, 8, 1)


def test_keyboard_alone_chooses_builds_and_reads_the_report(qtbot: QtBot, db: Database, home):
    area = _area(qtbot, db)
    activate(qtbot, area)
    # Given the report choice has the focus, when a person picks the second report by
    # keyboard, sets the smallest group and presses Ctrl+Enter
    area.report_choice.setFocus()
    qtbot.keyClick(area.report_choice, Qt.Key.Key_Down)
    area.min_cell.setFocus()
    area.min_cell.selectAll()
    qtbot.keyClicks(area.min_cell, "15")
    with qtbot.waitSignal(area.built, timeout=10_000):
        qtbot.keyClick(area, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # then the engine was asked for exactly that
    (request,) = area.requests  # type: ignore[attr-defined]
    assert request == ReportRequest(
        "equity", date(2025, 8, 1), date(2025, 12, 1), None, 15, unsuppressed=False
    )
    # and every section is on show with its table, the charted ones with their chart
    report = area.report
    assert report is not None
    assert [s.section.key for s in area.view.sections] == [s.key for s in report.sections]
    charted = [s for s in area.view.sections if s.chart is not None]
    assert [s.section.key for s in charted] == ["by_month", "by_incident_type"]
    assert area.view.facts["suppression"].text() == report.suppression.en
    # and Tab reaches the tables and every save button
    reached = set()
    widget = area.build_button
    widget.setFocus()
    for _ in range(60):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.add(QApplication.focusWidget())
    assert {s.table for s in area.view.sections} <= reached
    assert set(area.export_buttons.values()) <= reached


def test_hidden_figures_show_the_mark_and_say_hidden(qtbot: QtBot, db: Database, home):
    area = _area(qtbot, db)
    _build(qtbot, area)
    by_type = next(s for s in area.view.sections if s.section.key == "by_incident_type")
    model = by_type.model
    row = [r.group for r in by_type.section.rows].index("fighting")
    cell = model.index(row, 1)
    assert model.data(cell) == "*"
    assert "hidden" in model.data(cell, Qt.ItemDataRole.AccessibleTextRole)
    assert model.data(model.index(0, 1)) == "48"
    assert by_type.chart is not None
    assert by_type.chart.accessibleName() == "Chart: Referrals by incident type"
    assert "Fighting *" in by_type.chart.accessibleDescription()
    assert "Defiance 48" in by_type.chart.accessibleDescription()


def test_every_control_is_named_before_and_after_building(qtbot: QtBot, db: Database, home):
    area = _area(qtbot, db)
    area.show()
    assert unnamed_controls(area) == []
    _build(qtbot, area)
    assert unnamed_controls(area) == []


def test_language_changes_the_report_on_show_without_building_again(qtbot, db, home):
    area = _area(qtbot, db)
    _build(qtbot, area)
    area.language.setCurrentIndex(area.language.findData("es"))
    first = area.view.sections[0]
    assert first.title.text() == "Remisiones por mes"
    assert first.model.data(first.model.index(0, 2)) == "0,45"
    area.language.setCurrentIndex(area.language.findData("en+es"))
    assert area.view.sections[0].title.text() == "Referrals per month / Remisiones por mes"
    assert len(area.requests) == 1  # type: ignore[attr-defined]
    assert all(button.isEnabled() for button in area.export_buttons.values())


def test_saving_waits_for_a_new_build_after_a_choice_changes(qtbot, db, home):
    area = _area(qtbot, db)
    assert not any(b.isEnabled() for b in area.export_buttons.values())
    _build(qtbot, area)
    assert all(b.isEnabled() for b in area.export_buttons.values())
    area.school.setCurrentIndex(1)
    assert not any(b.isEnabled() for b in area.export_buttons.values())
    assert "build the report again" in area.message.text()
    _build(qtbot, area)
    assert area.requests[-1].school == "Riverside Middle School"  # type: ignore[attr-defined]
    assert all(b.isEnabled() for b in area.export_buttons.values())


def test_a_refused_build_says_why_and_keeps_the_report_on_show(qtbot, db, home):
    calls = []

    def build(request: ReportRequest):
        calls.append(request)
        if len(calls) > 1:
            raise InvalidInput("The period starts after it ends. Choose a start before the end.")
        return sample_report()

    area = _area(qtbot, db, build=build)
    _build(qtbot, area)
    shown = area.report
    area.start_date.setDate(area.end_date.date().addDays(1))
    with qtbot.waitSignal(area.build_failed, timeout=10_000):
        area.build_button.click()
    assert "starts after it ends" in area.message.text()
    assert area.report is shown
    assert not any(b.isEnabled() for b in area.export_buttons.values())


def test_an_empty_period_is_a_report_that_says_so(qtbot, db, home):
    area = _area(qtbot, db, build=lambda request: sample_report(empty=True))
    _build(qtbot, area)
    assert area.view.sections == []
    assert area.message.isHidden()
    texts = [label.text() for label in area.view.widget().findChildren(type(area.description))]
    assert "No referrals were recorded in this period." in texts


def test_the_internal_view_warns_on_screen(qtbot, db, home):
    internal = dataclasses.replace(sample_report(), unsuppressed=True)
    area = _area(qtbot, db, build=lambda request: internal)
    area.show()
    assert area.internal.isVisible()  # a counselor may ask for it
    area.internal.setChecked(True)
    _build(qtbot, area)
    texts = [label.text() for label in area.view.widget().findChildren(type(area.description))]
    assert any("Internal view: nothing is hidden" in text for text in texts)
    # It is for the screen only: no saving or printing, and saying so.
    assert not any(b.isEnabled() for b in (*area.export_buttons.values(), area.print_button))
    assert "for this screen only" in area.message.text()
    area.ask_path = lambda key: home / f"internal.{key}"  # type: ignore[method-assign]
    assert not area.export("csv")
    assert not (home / "internal.csv").exists()


@pytest.mark.parametrize("key", ["pdf", "xlsx", "html"])
def test_each_format_saves_what_is_shown(qtbot, db, home, tmp_path: Path, key: str):
    area = _area(qtbot, db)
    _build(qtbot, area)
    area.language.setCurrentIndex(area.language.findData("es"))
    target = tmp_path / f"report.{key}"
    area.ask_path = lambda _key: target  # type: ignore[method-assign]
    assert area.export(key)
    assert area.last_saved == target
    assert str(target) in area.message.text()
    if key == "pdf":
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(target).pages)
        assert "Remisiones por tipo de incidente" in text
    elif key == "xlsx":
        from openpyxl import load_workbook

        sheets = load_workbook(target).sheetnames
        assert "Remisiones por mes" in sheets
    else:
        assert "Remisiones por mes" in target.read_text(encoding="utf-8")


def test_saving_to_a_missing_folder_says_so_in_place(qtbot, db, home, tmp_path: Path):
    area = _area(qtbot, db)
    _build(qtbot, area)
    area.ask_path = lambda _key: tmp_path / "gone" / "r.pdf"  # type: ignore[method-assign]
    assert not area.export("pdf")
    assert "does not exist" in area.message.text()
    assert area.last_saved is None


def test_key_figures_read_down_on_screen_too(qtbot: QtBot, db: Database, home) -> None:
    from circlekeeper.core.reports.model import Cell, Column, Row, Section, Text, Unit
    from circlekeeper.ui.reports.section_view import SectionModel

    columns = tuple(
        Column(f"m{i}", Text(f"Measure {i}", f"Medida {i}"), Unit.COUNT) for i in range(5)
    )
    cells = (*(Cell(float(i), Unit.COUNT) for i in range(4)), Cell(None, Unit.COUNT, True))
    section = Section(
        "key", Text("Key", "Clave"), columns, (Row("all", Text("All", "Total"), cells),)
    )
    model = SectionModel(section, "en")
    assert (model.rowCount(), model.columnCount()) == (5, 2)
    assert [model.data(model.index(r, 0)) for r in range(5)] == [f"Measure {i}" for i in range(5)]
    assert model.data(model.index(2, 1)) == "2"
    assert model.data(model.index(4, 1)) == "*"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "All"


def test_the_schools_smallest_group_is_kept_and_used_next_time(qtbot, db, home) -> None:
    from circlekeeper.core.reports.engine import configured_min_cell

    area = _area(qtbot, db)
    assert area.min_cell.value() == 10  # nothing chosen yet: the usual 10
    area.min_cell.setValue(15)
    area.keep_min_cell.click()
    assert "15 students" in area.message.text()
    assert configured_min_cell(db.sessions) == 15
    again = _area(qtbot, db)
    assert again.min_cell.value() == 15


def test_printing_lays_out_the_report_on_show_with_its_charts(qtbot, db, home, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    area = _area(qtbot, db)
    assert not area.print_button.isEnabled()
    _build(qtbot, area)
    area.language.setCurrentIndex(area.language.findData("es"))
    # Given a printer that writes a PDF, when the preview asks for the pages
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    pages = area.print_on(printer)
    del printer
    # then they hold the Spanish report, every section of it
    reader = PdfReader(out)
    assert len(reader.pages) == pages >= 2
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    for section in sample_report().sections:
        assert section.title.es in text
    area.print_preview()
    assert area.preview.isVisible()
    area.preview.reject()


def test_quick_periods_fill_the_dates(qtbot, db, home) -> None:
    from circlekeeper.ui.reports.area import last_month

    assert last_month(date(2026, 3, 16)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert last_month(date(2026, 1, 5)) == (date(2025, 12, 1), date(2025, 12, 31))
    area = _area(qtbot, db)
    area.last_month_button.click()
    assert area.request().start == date(2025, 11, 1)
    assert area.request().end == date(2025, 11, 30)
    area.school_year_button.click()
    assert (area.request().start, area.request().end) == (date(2025, 8, 1), date(2025, 12, 1))
