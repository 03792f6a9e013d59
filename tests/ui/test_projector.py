"""The projector window shows the question, follows the stages, and never shows a name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from circlekeeper.core.store.database import Database

from .test_facilitator_helpers import conference, harm_circle, open_window, press

Key = Qt.Key
SHOW = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def all_texts(window: QWidget) -> str:
    parts = [window.windowTitle(), window.accessibleName()]
    for child in window.findChildren(QWidget):
        parts.append(child.accessibleName())
        parts.append(child.toolTip())
        if isinstance(child, QLabel):
            parts.append(child.text())
    return "\n".join(parts)


def test_projector_shows_the_question_and_never_a_name(qtbot: QtBot, db: Database) -> None:
    # Given a conference running, with the projector shown in both languages with guidelines
    cid, ids = conference(db)
    window = open_window(qtbot, db, cid)
    press(qtbot, window, Key.Key_P, SHOW)
    projector = window.projector
    assert projector.isVisible()
    press(qtbot, window, Key.Key_L, SHOW)
    press(qtbot, window, Key.Key_G, SHOW)
    names = [row.name for row in window.live.participants.values()]
    first_names = [name.split()[0] for name in names]
    roles = ["responsible", "harmed", "supporter", "guardian", "facilitator", "Note"]
    seen_questions = set()

    # When the keeper walks through every stage, taking a note and turns on the way
    while True:
        stage = window.script.stages[window.state.stage_index]  # type: ignore[union-attr]
        question = stage.question_in("en") or stage.title
        # Then the projector follows, in both languages, and shows nobody
        assert projector.question.text() == question
        if stage.question.get("es") and stage.question.get("es") != question:
            assert projector.second.text() == stage.question["es"]
        shown = all_texts(projector)
        for word in [*names, *first_names, *roles]:
            assert word not in shown, (word, stage.title)
        seen_questions.add(question)
        if window.state.is_last_stage:  # type: ignore[union-attr]
            break
        press(qtbot, window, Key.Key_Space)
        press(qtbot, window, Key.Key_PageDown)
    assert len(seen_questions) > 5
    has_guidelines = any(s.type.value == "guidelines" for s in window.script.stages)
    assert projector.guidelines.isVisible() == has_guidelines
    assert ids  # the conference had people; none reached the projector


def test_projector_survives_a_screen_change(qtbot: QtBot, db: Database) -> None:
    cid, _ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    press(qtbot, window, Key.Key_PageDown)
    press(qtbot, window, Key.Key_P, SHOW)
    projector = window.projector
    qtbot.waitExposed(projector)
    # one screen offscreen: a normal window, not full screen over the keeper's view
    assert len(QGuiApplication.screens()) == 1
    assert projector.placement == "window" and not projector.isFullScreen()
    before = projector.question.text()
    assert before

    # When a projector is plugged in or out (Qt announces a screen; here the slot is called)
    projector._screens_changed(QGuiApplication.primaryScreen())
    qtbot.waitUntil(lambda: projector.isVisible() and projector.placement == "window")

    # Then it still shows the same question, and keeps following the circle
    assert projector.question.text() == before
    press(qtbot, window, Key.Key_PageDown)
    assert projector.question.text() != before or not before
    # Hidden and shown again with the same keys
    press(qtbot, window, Key.Key_P, SHOW)
    assert not projector.isVisible()
    assert not window.buttons["projector"].isChecked()


def test_the_other_screen_is_chosen_when_there_is_one(qtbot: QtBot) -> None:
    from circlekeeper.ui.live.projector import other_screen

    only = QGuiApplication.primaryScreen()
    assert other_screen(only) is None  # a single screen: stay a window
    assert other_screen(None) is None


def test_the_language_key_cycles_english_both_and_spanish_only(qtbot: QtBot, db: Database) -> None:
    # Given a harm circle on its opening stage with the projector shown
    cid, _ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    press(qtbot, window, Key.Key_P, SHOW)
    projector = window.projector
    stage = window.script.stages[window.state.stage_index]  # type: ignore[union-attr]
    assert window.stage_panel.words.text() == stage.words.strip()

    # When the keeper presses Ctrl+Shift+L once: both languages on the projector
    press(qtbot, window, Key.Key_L, SHOW)
    assert window.languages == ["en", "es"]
    assert projector.question.text() == stage.question["en"]
    assert projector.second.text() == stage.question["es"]
    assert window.stage_panel.words.text() == stage.words.strip()

    # Twice: Spanish only, on the projector and in the keeper's words, title and tips
    press(qtbot, window, Key.Key_L, SHOW)
    assert window.languages == ["es"]
    assert projector.question.text() == stage.question["es"]
    assert not projector.second.isVisible()
    assert window.stage_panel.words.text() == stage.words_in("es").strip()
    assert window.stage_panel.words.text() != stage.words.strip()
    assert window.stage_title.text() == stage.title_in("es")
    assert "Español" in window.buttons["languages"].text()

    # A third time: back to English
    press(qtbot, window, Key.Key_L, SHOW)
    assert window.languages == ["en"]
    assert projector.question.text() == stage.question["en"]
    assert window.stage_panel.words.text() == stage.words.strip()
