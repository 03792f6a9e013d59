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
    assert dialog.preview_model.index(0, 2).data() == "Ana"
    assert dialog.preview_model.index(0, 1).data() == "New"
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
    assert people.count().number == 2
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
        assert people.count().number == 0
    else:  # the import finished before Cancel was seen: all of it is saved
        assert len(people.search(limit=5000)) == 3000  # the count stops at 1,000


def test_unusable_file_is_explained(qtbot: QtBot, db: Database, tmp_path: Path):
    dialog = make_dialog(qtbot, db)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert not dialog.load(empty)
    assert dialog.summary.text()
    assert "Traceback" not in dialog.summary.text()
    assert not dialog.import_button.isEnabled()


def import_and_wait(qtbot: QtBot, dialog: RosterImportDialog) -> None:
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=10000)
    assert dialog.result_summary is not None, dialog.summary.text()


def rows_shown(dialog: RosterImportDialog) -> dict[str, str]:
    """Each previewed row's ID and what happens to it, as the table shows them."""
    model = dialog.preview_model
    id_column = model.FIRST_FIELD + 5  # external_id in PREVIEW_FIELDS
    return {
        model.index(r, id_column).data(): model.index(r, model.CHANGE).data()
        for r in range(model.rowCount())
    }


def test_columns_can_be_chosen_and_a_reimport_shows_each_change(
    qtbot: QtBot, db: Database, tmp_path: Path, people: PeopleService
):
    header = "Student_Number,First_Name,Last_Name,Grade_Level,Homeroom\n"
    path = write_roster(tmp_path, header + "9,Ana,Ruiz,-1,Room 4\n8,Bo,Lee,11,Room 4\n")
    dialog = make_dialog(qtbot, db)
    assert dialog.load(path)
    assert "PowerSchool" in dialog.summary.text()

    # When the person says the unused Homeroom column holds the school
    homeroom = dialog.mapping.choice("Homeroom")
    assert homeroom is not None and homeroom.currentText() == "Not used"
    homeroom.setCurrentIndex(homeroom.findData("school"))

    # Then the preview reads it so, and choosing it for a second field-holder is undone
    school_column = dialog.preview_model.FIRST_FIELD + 6
    assert dialog.preview_model.index(0, school_column).data() == "Room 4"
    grade = dialog.mapping.choice("Grade_Level")
    assert grade is not None
    grade.setCurrentIndex(grade.findData("school"))
    assert (
        "not kept" in dialog.summary.text()
        and "both chosen for the school" in dialog.summary.text()
    )
    assert dialog.mapping.choice("Grade_Level").currentData() == "grade"
    import_and_wait(qtbot, dialog)
    assert people.count().number == 2

    # When next year's file is read: the choice is remembered, and each change is shown
    second = tmp_path / "second.csv"
    second.write_text(header + "9,Ana,Ruiz,TK,Room 4\n7,Cy,Ng,3,Room 4\n", encoding="utf-8")
    again = make_dialog(qtbot, db)
    assert again.load(second)
    assert again.mapping.choice("Homeroom").currentData() == "school"
    assert rows_shown(again) == {"9": "Grade: PK → TK", "7": "New"}
    assert again.missing.isVisible() and again.missing.item(0).text().startswith("Bo Lee (8)")
    again.archive_missing.setChecked(True)
    import_and_wait(qtbot, again)
    assert "1 archived" in again.result_summary
    assert people.count().number == 2  # Bo is archived, not deleted
    assert people.count(include_archived=True).number == 3


def test_a_workbook_with_several_sheets_asks_which(qtbot: QtBot, db: Database, tmp_path: Path):
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Staff"
    first.append(["Staff ID", "First Name", "Last Name"])
    students = book.create_sheet("Students")
    students.append(["Student ID", "First Name", "Last Name", "Grade"])
    students.append([1001, "Ana", "Ruiz", "KG"])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    dialog = make_dialog(qtbot, db)
    assert not dialog.load(path)
    assert dialog.sheet.isVisible() and "several sheets" in dialog.summary.text()
    assert [dialog.sheet.itemText(i) for i in range(dialog.sheet.count())] == ["Staff", "Students"]
    dialog.sheet.setCurrentIndex(1)
    dialog.sheet.activated.emit(1)
    assert dialog.preview_model.rowCount() == 1
    assert rows_shown(dialog) == {"1001": "New"}
