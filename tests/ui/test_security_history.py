"""The audit trail, readable on a person: a change made in the form shows as old → new."""

from __future__ import annotations

from PySide6.QtCore import Qt
from tests.ui.a11y import unnamed_controls
from tests.ui.conftest import add_person

from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.store.database import Database
from circlekeeper.ui.people.dialog import PersonDialog
from circlekeeper.ui.security.history import HistoryDialog


def _rows(dialog: HistoryDialog) -> list[list[str]]:
    table = dialog.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_a_change_made_in_the_person_form_shows_in_its_history(qtbot, db: Database) -> None:
    people = PeopleService(Context(db.sessions, actor="Ms Rivera"))
    person_id = add_person(people, "Sam", "Rivera", grade="6")

    # Given the person is edited through the form and saved
    form = PersonDialog(people, person_id)
    qtbot.addWidget(form)
    form.show()
    form.last_name.setText("Rivers")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert people.details(person_id).data.last_name == "Rivers"

    # When the form is opened again and History is pressed
    again = PersonDialog(people, person_id)
    qtbot.addWidget(again)
    again.show()
    assert again.history_button.isVisible()
    qtbot.mouseClick(again.history_button, Qt.MouseButton.LeftButton)
    history = again.history_dialog
    assert isinstance(history, HistoryDialog)
    qtbot.waitExposed(history)

    # Then it lists the creation and the change, field by field, with who made it
    rows = _rows(history)
    assert rows[0][2].startswith("Added")
    assert rows[-1][1] == "Ms Rivera"
    assert "last name Rivera → Rivers" in rows[-1][2]
    assert unnamed_controls(history) == []
    history.close()


def test_a_new_person_has_no_history_button(qtbot, db: Database) -> None:
    form = PersonDialog(PeopleService(db.sessions))
    qtbot.addWidget(form)
    form.show()
    assert not form.history_button.isVisible()


def test_a_case_page_shows_every_saved_change_to_the_case(qtbot, db: Database) -> None:
    from datetime import date

    from circlekeeper.core.cases.commands import CaseService
    from circlekeeper.core.cases.rows import CaseIntake
    from circlekeeper.ui.cases.area import CasesArea

    # Given a referral, later marked as diverted from a two-day suspension
    cases = CaseService(Context(db.sessions, actor="Mr Okafor"))
    case_id = cases.intake(CaseIntake(date(2026, 3, 2), "Conflict between students")).id
    cases.set_diversion(case_id, "suspension", 2)

    # When its page is open and Changes is pressed
    area = CasesArea(db)
    qtbot.addWidget(area)
    area.show()
    assert area.open_case(case_id)
    qtbot.mouseClick(area.page.changes_button, Qt.MouseButton.LeftButton)
    history = area.page.changes_dialog
    qtbot.waitExposed(history)

    # Then both the intake and the diversion are there, with who made them
    rows = _rows(history)
    assert len(rows) >= 2 and rows[-1][1] == "Mr Okafor"
    assert "suspension" in " ".join(r[2] for r in rows)
    assert unnamed_controls(history) == []
    history.close()


def test_a_record_without_a_trail_says_so_instead_of_an_empty_table(qtbot, db: Database) -> None:
    from PySide6.QtWidgets import QLabel

    dialog = HistoryDialog(db.sessions, "00000000-0000-4000-8000-000000000000", "Case 1")
    qtbot.addWidget(dialog)
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert dialog.table.rowCount() == 0
    assert "No changes have been recorded for this record yet" in texts
