"""The roster import dialog: preview, problems by line, skip, import off the UI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.store.database import Database
from circlekeeper.ui.people.import_dialog import RosterImportDialog

from .conftest import activate

ROSTER = (
    "Student ID,First Name,Last Name,Grade,School,Favourite colour\n"
    "1001,Ana,Núñez,7,Lincoln Middle,blue\n"
    "1002,Liam,Smith,Q,Lincoln Middle,green\n"
    "1003,Mei,Nguyen,8,Lincoln Middle,red\n"
)


def write_roster(tmp_path: Path, text: str = ROSTER) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


def make_dialog(qtbot: QtBot, db: Database) -> RosterImportDialog:
    dialog = RosterImportDialog(db)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    return dialog


def test_preview_shows_rows_mapping_and_problems(qtbot: QtBot, db: Database, tmp_path: Path):
    dialog = make_dialog(qtbot, db)
    assert not dialog.import_button.isEnabled()

    # When a roster with one bad grade is chosen
    assert dialog.load(write_roster(tmp_path))

    # Then good rows are previewed, the column mapping and unused column are shown,
    # and the problem is listed with its line number
    assert dialog.preview_model.rowCount() == 2
    assert dialog.preview_model.index(0, 1).data() == "Ana"
    used = {
        dialog.mapping.item(r, 0).text(): dialog.mapping.item(r, 1).text()
        for r in range(dialog.mapping.rowCount())
    }
    assert used["Student ID"] == "Student/staff ID"
    assert used["Favourite colour"] == "Not used"
    assert dialog.problems.count() == 1
    assert dialog.problems.item(0).text().startswith("Line 3:")
    assert "utf" in dialog.summary.text().lower()

    # And Import stays disabled until "skip rows with problems" is ticked
    assert not dialog.import_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.skip_bad.isChecked)
    assert dialog.import_button.isEnabled()


def test_import_runs_in_background_and_reports(
    qtbot: QtBot, db: Database, tmp_path: Path, people: PeopleService
):
    dialog = make_dialog(qtbot, db)
    dialog.load(write_roster(tmp_path))
    dialog.skip_bad.setChecked(True)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=10000)
    assert dialog.result_summary is not None
    assert "2 added" in dialog.result_summary
    assert people.count() == 2
    assert not dialog.import_button.isEnabled()  # no double import


def test_cancel_leaves_nothing_imported(
    qtbot: QtBot, db: Database, tmp_path: Path, people: PeopleService
):
    rows = "".join(f"{2000 + n},First{n},Family{n},6,Lincoln\n" for n in range(3000))
    dialog = make_dialog(qtbot, db)
    dialog.load(write_roster(tmp_path, "Student ID,First Name,Last Name,Grade,School\n" + rows))
    assert dialog.import_button.isEnabled()
    dialog.start_import()
    assert dialog.close_button.text() == "Cancel import"
    dialog.reject()  # Cancel / Escape while importing
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
    if dialog.result_summary is None:
        assert "Nothing was imported" in dialog.summary.text()
        assert people.count() == 0
    else:  # the import finished before Cancel was seen: all of it is saved
        assert people.count() == 3000


def test_unusable_file_is_explained(qtbot: QtBot, db: Database, tmp_path: Path):
    dialog = make_dialog(qtbot, db)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert not dialog.load(empty)
    assert dialog.summary.text()
    assert "Traceback" not in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
