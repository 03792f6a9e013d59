"""The script editor: duplicate a built-in, change its stages, save, import a broken file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.ui.scripts.area import ScriptsArea

from .a11y import unnamed_controls
from .conftest import activate


@pytest.fixture
def area(qtbot: QtBot, home: Path) -> ScriptsArea:
    widget = ScriptsArea(None, library=ScriptLibrary())
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    activate(qtbot, widget)
    return widget


def select(area: ScriptsArea, key: str) -> None:
    area.list.setCurrentRow(area._row_of(key))


def test_builtin_is_read_only_and_duplicate_makes_an_editable_copy(qtbot: QtBot, area):
    # Given the built-in harm script is selected
    select(area, "harm_repair")
    assert area.editor.read_only
    assert not area.editor.add_button.isEnabled()
    assert not area.delete_button.isEnabled()
    assert area.editor.stage_list.count() > 3
    assert unnamed_controls(area) == []

    # When it is duplicated
    qtbot.mouseClick(area.duplicate_button, Qt.MouseButton.LeftButton)

    # Then the copy is selected, editable, and in the library
    assert area.current_key() == "harm_repair-copy"
    assert not area.editor.read_only
    assert area.editor.title_edit.hasFocus()
    assert ScriptLibrary().get("harm_repair-copy").title.endswith("(copy)")
    assert unnamed_controls(area) == []


def test_add_reorder_edit_stage_save_and_reload(qtbot: QtBot, area):
    # Given a custom copy of the check-in script
    select(area, "check_in_out")
    area.duplicate()
    editor = area.editor
    count = editor.stage_list.count()
    editor.stage_list.setFocus()
    editor.stage_list.setCurrentRow(0)

    # When a stage is added after the first, filled in, and moved up with Alt+Up
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.stage_list.currentRow() == 1
    assert editor.stage_title.hasFocus()
    qtbot.keyClicks(editor.stage_title, "Breathing together")
    editor.stage_type.setCurrentIndex(editor.stage_type.findData("opening"))
    editor.words.setFocus()
    qtbot.keyClicks(editor.words, "Invite three slow breaths.")
    qtbot.keyClicks(editor.question_en, "How is your breath today?")
    editor.question_es.insertPlainText("¿Cómo está tu respiración hoy?")  # QTest types ASCII only
    editor.minutes.setValue(3)
    editor.stage_list.setFocus()
    qtbot.keyClick(editor.stage_list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert editor.stage_list.currentRow() == 0
    assert area.save_button.isEnabled()

    # and saved with Ctrl+S
    qtbot.keyClick(editor.stage_list, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    # Then the library holds the new stage first, with both languages
    script = ScriptLibrary().get("check_in_out-copy")
    assert len(script.stages) == count + 1
    first = script.stages[0]
    assert first.title == "Breathing together"
    assert first.type.value == "opening"
    assert first.words == "Invite three slow breaths."
    assert first.question == {
        "en": "How is your breath today?",
        "es": "¿Cómo está tu respiración hoy?",
    }
    assert first.suggested_minutes == 3
    assert not area.dirty and not area.save_button.isEnabled()
    # And the editor shows what was reloaded from the file
    assert editor.stage_list.item(0).text().startswith("1. Breathing together")

    # When the stage is removed with the Delete key and saved again
    editor.stage_list.setFocus()
    editor.stage_list.setCurrentRow(0)
    qtbot.keyClick(editor.stage_list, Qt.Key.Key_Delete)
    assert area.save()
    assert len(ScriptLibrary().get("check_in_out-copy").stages) == count


def test_save_refuses_an_empty_stage_and_names_it(qtbot: QtBot, area):
    # Given a copy with a stage whose words were erased
    select(area, "staff")
    area.duplicate()
    editor = area.editor
    editor.stage_list.setCurrentRow(1)
    title = editor.stage_title.text()
    editor.words.clear()

    # When saving
    assert not area.save()

    # Then the problem is said in words with the stage, and the stage is selected
    assert area.errors.isVisible()
    assert any(f"Stage 2 “{title}”" in line and "words" in line for line in area.last_errors)
    assert editor.stage_list.currentRow() == 1
    assert area.dirty


def test_malformed_import_shows_file_and_line(qtbot: QtBot, area, tmp_path: Path, monkeypatch):
    # Given a shared file with an unknown stage type on line 7
    bad = tmp_path / "shared.toml"
    bad.write_text(
        'key = "shared"\nkind = "community_building"\ntitle = "Shared"\n\n'
        '[[stages]]\ntitle = "Start"\ntype = "dancing"\nwords = "Hello"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))

    # When it is imported
    qtbot.mouseClick(area.import_button, Qt.MouseButton.LeftButton)

    # Then the error names the file and line, and nothing was added
    assert area.errors.isVisible()
    assert any(line.startswith("shared.toml, line 7:") for line in area.last_errors)
    assert "dancing" in area.errors.text()
    assert "shared" not in {s.key for s in ScriptLibrary().scripts()}

    # When a good file is imported
    good = tmp_path / "good.toml"
    library = ScriptLibrary()
    library.export("staff", good)
    text = good.read_text(encoding="utf-8").replace('key = "staff"', 'key = "staff-shared"')
    good.write_text(text, encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    qtbot.mouseClick(area.import_button, Qt.MouseButton.LeftButton)
    assert area.current_key() == "staff-shared"


def test_export_and_delete(qtbot: QtBot, area, tmp_path: Path, monkeypatch):
    select(area, "academic")
    target = tmp_path / "out.toml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(area.export_button, Qt.MouseButton.LeftButton)
    assert 'key = "academic"' in target.read_text(encoding="utf-8")

    area.duplicate()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(area.delete_button, Qt.MouseButton.LeftButton)
    assert "academic-copy" not in {s.key for s in ScriptLibrary().scripts()}
