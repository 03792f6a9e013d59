"""The Reports area in the main window, on the real engine and a real demo database.

Start-up must not pay for it: the area, the charts, the engine and openpyxl load only when a
person first opens Reports (checked in a clean interpreter).
"""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from circlekeeper.core.demo.demo import build_demo
from circlekeeper.core.profiles.profiles import ProfileService
from circlekeeper.core.reports.engine import REPORT_NAMES
from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.store.database import open_database
from circlekeeper.ui.main_window import AreaSlot, MainWindow

TODAY = date(2026, 3, 16)

START_UP = r"""
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from circlekeeper.ui.main_window import MainWindow
app = QApplication([])
window = MainWindow()
window.show()
app.processEvents()
assert window.open_database(Path(sys.argv[1]), interactive=False)
app.processEvents()
heavy = ("circlekeeper.ui.reports", "circlekeeper.charts", "circlekeeper.report_pdf",
         "circlekeeper.core.reports", "circlekeeper.core.export.report_xlsx", "openpyxl")
print(",".join(sorted(m for m in sys.modules if m.startswith(heavy))))
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reports-demo") / "demo.sqlite3"
    build_demo(path, "small", today=TODAY)
    return path


def _window(qtbot: QtBot, path: Path) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.open_database(path, interactive=False)
    return window


def test_opening_the_records_loads_nothing_of_the_reports(db_path: Path, home: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", START_UP, str(db_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_reports_is_an_area_built_when_first_shown(qtbot: QtBot, db_path: Path, home: Path):
    window = _window(qtbot, db_path)
    titles = [window.navigation.item(r).text() for r in range(window.navigation.count())]
    row = titles.index("Reports")
    assert titles.index("Agreements") < row < titles.index("Settings")
    slot = window.stack.widget(row + 1)
    assert isinstance(slot, AreaSlot) and slot.area is None
    window.show_area(row)
    assert slot.area is window.reports
    assert window.reports.report_choice.count() == len(REPORT_NAMES)
    window.close_database()


def test_an_sro_is_not_offered_the_internal_view(qtbot: QtBot, home: Path) -> None:
    path = home / "sro.sqlite3"
    db = open_database(path)
    # An SRO's profile needs a counselor (or administrator) with a PIN first, to approve it.
    profiles = ProfileService(db.sessions)
    dana = profiles.create("Dana", pin="1111")
    profiles.create("Sam", "sro", approval=profiles.approve(dana.id, "1111"))
    SettingsService(db.sessions).save(SchoolSettings(facilitator_name="Sam"))  # opened as Sam
    db.close()
    window = _window(qtbot, path)
    assert window.viewer is not None and window.viewer.name == "Sam" and window.viewer.is_sro
    area = window.reports
    assert area.internal.isHidden()
    area.internal.setChecked(True)  # even if it were ticked somehow
    assert area.request().unsuppressed is False
    window.close_database()


def test_a_counselor_builds_every_report_from_the_demo_and_saves_it(
    qtbot: QtBot, demo: Path, home: Path, tmp_path: Path
) -> None:
    window = _window(qtbot, demo)
    area = window.reports
    assert not area.internal.isHidden()
    area.start_date.setDate(area.start_date.date().fromString("2025-08-01", "yyyy-MM-dd"))
    area.end_date.setDate(area.end_date.date().fromString("2026-03-16", "yyyy-MM-dd"))
    outcome: list[str] = []
    area.built.connect(lambda: outcome.append("built"))
    area.build_failed.connect(outcome.append)
    for index, name in enumerate(REPORT_NAMES):
        area.report_choice.setCurrentIndex(index)
        outcome.clear()
        area.build_button.click()
        qtbot.waitUntil(lambda: bool(outcome), timeout=30_000)
        assert outcome[-1] == "built", outcome
        report = area.report
        assert report is not None and report.name == name
        assert report.sections, f"{name} has nothing to show on the demo"
        assert len(area.view.sections) == len(report.sections)
    # The last one (monthly) saved as XLSX and CSV holds the same figures.
    report = area.report
    assert report is not None
    area.ask_path = lambda key: tmp_path / f"monthly.{key}"  # type: ignore[method-assign]
    assert area.export("csv") and area.export("xlsx")
    with open(tmp_path / "monthly.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(list(report.figures()))
    book = load_workbook(tmp_path / "monthly.xlsx")
    assert len(book.worksheets) == 1 + len(report.sections)
    window.close_database()


def test_a_school_added_since_is_offered_when_reports_is_shown_again(qtbot, db_path, home):
    from circlekeeper.core.people.people import PeopleService, PersonData

    window = _window(qtbot, db_path)
    titles = [window.navigation.item(r).text() for r in range(window.navigation.count())]
    window.show_area(titles.index("Reports"))
    area = window.reports
    assert area.school.findData("Hillside Elementary") < 0
    PeopleService(window.database.sessions).create(  # type: ignore[union-attr]
        PersonData("Ana", "Núñez", grade="4", school="Hillside Elementary")
    )
    window.show_area(titles.index("Today"))
    window.show_area(titles.index("Reports"))
    assert area.school.findData("Hillside Elementary") > 0
    window.close_database()
