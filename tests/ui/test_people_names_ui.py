"""The people form, the GUI door to saved names: what is pasted is saved clean."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from circlekeeper.core.people.people import PeopleService
from circlekeeper.ui.people.dialog import PersonDialog

from .conftest import activate, add_person


def test_pasted_bidi_and_zero_width_characters_are_not_saved(
    qtbot: QtBot, people: PeopleService
) -> None:
    # Given the add form with a name pasted from a message that carried hidden characters
    dialog = PersonDialog(people)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    dialog.first_name.setText("Ma\u200bria\u202e")
    dialog.last_name.setText("\u2066Lo\ufeffpez\u2069")
    dialog.external_id.setText(" s 77 ")
    # When it is saved
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    # Then the directory holds the name as it reads, and the ID in its one form
    assert not dialog.isVisible()
    [row] = people.search("")
    assert (row.first_name, row.last_name, row.external_id) == ("Maria", "Lopez", "S77")


def test_an_id_differing_only_in_case_or_spaces_is_refused_as_taken(
    qtbot: QtBot, people: PeopleService
) -> None:
    add_person(people, "Ana", "Núñez", external_id="S1001")
    dialog = PersonDialog(people)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    dialog.first_name.setText("Other")
    dialog.last_name.setText("Person")
    dialog.external_id.setText("s 1001")
    dialog.accept()
    assert dialog.isVisible()
    assert "already belongs to Ana Núñez" in dialog.error.text()
    assert people.count().number == 1
