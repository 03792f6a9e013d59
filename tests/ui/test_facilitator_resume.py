"""Killed mid-circle, reopened: the main window offers to resume, exactly where it stopped."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from circlekeeper.core.settings.settings import SettingsService
from circlekeeper.core.store.database import open_database
from circlekeeper.ui.live.facilitator import FacilitatorWindow
from circlekeeper.ui.main_window import MainWindow

from .test_facilitator_helpers import harm_circle, open_window, press, to_first_round

Key = Qt.Key


def test_reopening_offers_to_resume_where_it_stopped(qtbot: QtBot, db_path: Path) -> None:
    # Given a circle run part way, with a note, and the database closed without ending it
    db = open_database(db_path)
    service = SettingsService(db.sessions)
    service.save(type(service.load())(welcome_done="1"))
    cid, ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    to_first_round(qtbot, window)
    press(qtbot, window, Key.Key_Space)
    press(qtbot, window, Key.Key_P)
    press(qtbot, window, Key.Key_N)
    qtbot.keyClicks(window.dialog.text, "Quiet group today.")  # type: ignore[union-attr]
    qtbot.keyClick(window.dialog.text, Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.dialog is None)
    before = window.state
    assert before is not None and before.speaker == ids["Bea"]
    window._ticker.stop()
    window.hide()
    db.close()  # the laptop dies: nothing else is saved

    # When circlekeeper starts again on the same database
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    assert main.open_database(db_path, interactive=True)
    qtbot.waitUntil(lambda: getattr(main, "resume_box", None) is not None)
    box = main.resume_box
    assert isinstance(box, QMessageBox) and "Harm and repair circle" in box.text()
    qtbot.keyClick(box, Key.Key_Return)  # Resume is the default answer

    # Then the facilitator view shows the same stage, speaker and notes
    qtbot.waitUntil(lambda: isinstance(getattr(main, "live_window", None), FacilitatorWindow))
    resumed: FacilitatorWindow = main.live_window  # type: ignore[attr-defined]
    qtbot.addWidget(resumed)
    assert resumed.resumed
    assert resumed.state is not None
    assert resumed.state.stage_index == before.stage_index == 2
    assert resumed.state.speaker == ids["Bea"]
    assert resumed.state.spoken == [ids["Kim"]] and resumed.state.passed == [ids["Ali"]]
    assert [n.text for n in resumed.notes] == ["Quiet group today."]
    assert "1 notes kept" in resumed.status.text() or "1 note" in resumed.status.text()
    assert resumed.stage_title.text() == "Guidelines"
    assert "Bea Test (speaking)" in resumed.ring.describe()
    resumed.close()
    main.close_database()


def test_no_offer_when_nothing_was_interrupted(qtbot: QtBot, db_path: Path) -> None:
    main = MainWindow()
    qtbot.addWidget(main)
    assert main.open_database(db_path, interactive=False)
    main.offer_resume()
    assert main.resume_box is None
    main.close_database()
