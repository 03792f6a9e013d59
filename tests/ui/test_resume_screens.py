"""Resume restores everything: the projector, its languages and the guidelines come back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from circlekeeper.core.settings.settings import SettingsService
from circlekeeper.core.store.database import open_database
from circlekeeper.ui.live.facilitator import FacilitatorWindow
from circlekeeper.ui.main_window import MainWindow

from .conftest import activate
from .test_facilitator_helpers import Clock, harm_circle, open_window, press, to_first_round

Key = Qt.Key
Mod = Qt.KeyboardModifier


def test_resuming_brings_back_the_projector_its_languages_and_guidelines(
    qtbot: QtBot, db_path: Path
) -> None:
    # Given a circle on the projector, in both languages, with the guidelines shown
    db = open_database(db_path)
    cid, _ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    to_first_round(qtbot, window)
    press(qtbot, window, Key.Key_Space)
    press(qtbot, window, Key.Key_P, Mod.ControlModifier | Mod.ShiftModifier)
    press(qtbot, window, Key.Key_L, Mod.ControlModifier | Mod.ShiftModifier)
    window.buttons["guidelines"].click()
    press(qtbot, window, Key.Key_PageDown)  # on to a stage after the guidelines
    assert window.projector.isVisible() and window.languages == ["en", "es"]
    shown = window.projector.shown_texts()
    stage = window.state.stage_index if window.state else None
    window._ticker.stop()
    window.projector.hide()
    window.hide()
    db.close()  # the laptop dies

    # When the circle is resumed on a freshly opened database
    again = open_database(db_path)
    resumed = open_window(qtbot, again, cid)

    # Then the projector is open again, in the same languages, with the guidelines
    assert resumed.resumed and resumed.state is not None and resumed.state.stage_index == stage
    assert resumed.projector.isVisible()
    assert resumed.buttons["projector"].isChecked()
    assert resumed.languages == ["en", "es"]
    assert resumed.buttons["languages"].text() == "Languages: English + Español"
    assert resumed.buttons["guidelines"].isChecked()
    assert resumed.projector.guidelines.isVisible() and resumed.projector.guidelines.text()
    assert resumed.projector.shown_texts() == shown
    resumed.close()
    again.close()


def test_a_circle_resumed_without_the_projector_keeps_it_closed(
    qtbot: QtBot, db_path: Path
) -> None:
    db = open_database(db_path)
    cid, _ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    press(qtbot, window, Key.Key_P, Mod.ControlModifier | Mod.ShiftModifier)
    press(qtbot, window, Key.Key_P, Mod.ControlModifier | Mod.ShiftModifier)  # closed again
    window._ticker.stop()
    window.hide()
    db.close()

    again = open_database(db_path)
    resumed = open_window(qtbot, again, cid)
    assert not resumed.projector.isVisible() and resumed.languages == ["en"]
    resumed.close()
    again.close()


def test_the_offer_to_resume_says_the_stage_and_who_holds_the_piece(
    qtbot: QtBot, db_path: Path
) -> None:
    db = open_database(db_path)
    service = SettingsService(db.sessions)
    service.save(type(service.load())(welcome_done="1"))
    cid, ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    to_first_round(qtbot, window)
    press(qtbot, window, Key.Key_Space)  # Kim spoke: Ali holds the piece
    assert window.state is not None and window.state.speaker == ids["Ali"]
    stage = window.state.stage_index + 1
    window._ticker.stop()
    window.hide()
    db.close()

    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    assert main.open_database(db_path, interactive=True)
    qtbot.waitUntil(lambda: getattr(main, "resume_box", None) is not None)
    assert (
        f"It resumes at: Stage {stage}, Guidelines, Ali Test holds the piece."
        in main.resume_box.text()
    )
    main.resume_box.reject()
    main.close_database()


def test_resumed_clocks_leave_out_the_time_the_program_was_not_running(
    qtbot: QtBot, db_path: Path
) -> None:
    # Given a circle running for a few minutes with the round timer on
    db = open_database(db_path)
    cid, _ids = harm_circle(db)
    clock = Clock()
    window = FacilitatorWindow(db, cid, clock=clock)
    qtbot.addWidget(window)
    activate(qtbot, window)
    to_first_round(qtbot, window)
    press(qtbot, window, Key.Key_T)
    press(qtbot, window, Key.Key_Space)
    window._tick()
    state = window.state
    assert state is not None
    now = clock.now
    before = (state.elapsed(now), state.stage_elapsed(now), state.round_elapsed(now))
    window._ticker.stop()
    window.hide()
    db.close()

    # When the laptop was off for two hours, then the circle is resumed
    clock.now += 2 * 3600
    again = open_database(db_path)
    resumed = FacilitatorWindow(again, cid, clock=clock)
    qtbot.addWidget(resumed)

    # Then every clock goes on from where it was, not two hours later
    state = resumed.state
    assert state is not None and resumed.resumed
    now = clock.now
    after = (state.elapsed(now), state.stage_elapsed(now), state.round_elapsed(now))
    for was, shown in zip(before, after, strict=True):
        assert was <= shown < was + 120
    assert "2:0" not in resumed.total_clock.text()
    resumed.close()
    again.close()


def test_skip_moves_every_clock_on_and_nothing_else() -> None:
    from circlekeeper.core.domain.live import LiveState, StagePlan

    state = LiveState.begin([StagePlan(True)], [1, 2], now=1000.0)
    state.start_timer(1010.0)
    state.next_speaker(1020.0)
    speaker = state.speaker
    state.skip(500.0)
    assert state.elapsed(1600.0) == 100.0
    assert state.round_elapsed(1600.0) == 90.0
    assert state.speaker == speaker
