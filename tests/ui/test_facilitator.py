"""The facilitator window, driven by the keyboard alone, and what the database holds after."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.domain.enums import Attendance, CircleStatus
from circlekeeper.core.domain.live import PieceMode, SeatStatus
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Agreement, Note, StageRecord, Turn
from circlekeeper.ui.live.dialogs import ConfirmEndDialog, NoteDialog, PickPersonDialog
from circlekeeper.ui.live.facilitator import FacilitatorWindow

from .a11y import unnamed_controls
from .conftest import activate
from .test_facilitator_helpers import conference, harm_circle, open_window, press, to_first_round

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


def write_note(qtbot: QtBot, window: FacilitatorWindow, text: str, *, record: bool) -> None:
    press(qtbot, window, Key.Key_N)
    dialog = window.dialog
    assert isinstance(dialog, NoteDialog)
    assert dialog.private.isChecked()  # private is the default
    assert window.state is not None
    assert dialog.participant_id() == window.state.speaker  # about the speaker unless changed
    if record:
        dialog.record.setChecked(True)
        dialog.about.setCurrentIndex(2)  # the second person in the ring
    qtbot.keyClicks(dialog.text, text)
    qtbot.keyClick(dialog.text, Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: window.dialog is None)


def end_circle(qtbot: QtBot, window: FacilitatorWindow) -> None:
    press(qtbot, window, Key.Key_W, CTRL)
    dialog = window.dialog
    assert isinstance(dialog, ConfirmEndDialog)
    qtbot.mouseClick(dialog.end_button, Qt.MouseButton.LeftButton)  # a deliberate choice
    qtbot.waitUntil(lambda: window.summary is not None)


def test_a_whole_harm_circle_with_the_keyboard_only(qtbot: QtBot, db: Database) -> None:
    # Given a planned harm circle, opened in the facilitator window
    cid, ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    assert window.state is not None and window.state.stage_index == 0
    assert window.stage_title.text() == "Opening and purpose"
    assert window.stage_title.font().pointSizeF() >= 26

    # When the keeper introduces the talking piece (no round yet: Space is refused quietly)
    press(qtbot, window, Key.Key_PageDown)
    press(qtbot, window, Key.Key_Space)
    assert "no talking-piece round" in window.status.text()
    # ... and goes round the guidelines round: everyone speaks
    press(qtbot, window, Key.Key_PageDown)
    assert window.state.stage.has_round and window.state.speaker == ids["Kim"]
    assert "0 of 5 have spoken" in window.progress.text()
    press(qtbot, window, Key.Key_T)  # the round timer starts
    assert window.state.timer_running and window.buttons["timer"].text() == "Pause timer"
    for _ in range(5):
        press(qtbot, window, Key.Key_Space)
    assert window.state.round_complete
    assert "Everyone has had a turn" in window.progress.text()
    write_note(qtbot, window, "Bea named respect first.", record=True)

    # ... moves on, with passes, a slip undone, the right arrow, and someone leaving
    press(qtbot, window, Key.Key_Right, CTRL)  # check-in
    press(qtbot, window, Key.Key_P)  # Kim passes
    press(qtbot, window, Key.Key_Right)  # Ali speaks
    press(qtbot, window, Key.Key_Backspace)  # oops
    assert window.state.speaker == ids["Ali"]
    press(qtbot, window, Key.Key_P)  # Ali passes
    assert window.ring.describe().count("(passed") == 2
    press(qtbot, window, Key.Key_L)
    leave = window.dialog
    assert isinstance(leave, PickPersonDialog)
    qtbot.keyClicks(leave.filter, "Cy")
    qtbot.keyClick(leave.filter, Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None)
    assert ids["Cy"] in window.state.left and "Cy Test (left early)" in window.outside.text()
    while not window.state.round_complete:
        press(qtbot, window, Key.Key_Space)
    press(qtbot, window, Key.Key_A)  # piece set aside for open talk
    assert (
        window.state.mode is PieceMode.ASIDE and window.buttons["aside"].text() == "Pick piece up"
    )
    press(qtbot, window, Key.Key_A)
    holder = window.state.speaker
    write_note(qtbot, window, "Keep an eye on Cy.", record=False)
    press(qtbot, window, Key.Key_PageUp)  # back a stage, then on again
    assert window.state.stage_index == 2
    while not window.state.is_last_stage:
        press(qtbot, window, Key.Key_PageDown)
    end_circle(qtbot, window)

    # Then the database holds the whole circle, and the summary is shown
    detail = CirclePlanner(db.sessions).detail(cid)
    assert detail.status == CircleStatus.COMPLETED
    assert {p.id: p.attendance for p in detail.participants}[ids["Cy"]] == Attendance.LEFT_EARLY
    with db.sessions() as s:
        turns = s.execute(
            select(Turn.stage_index, Turn.participant_id, Turn.passed)
            .where(Turn.circle_id == cid)
            .order_by(Turn.id)
        ).all()
        notes = s.execute(select(Note.privacy, Note.stage_index, Note.participant_id)).all()
        stage_rows = s.scalar(select(func.count()).select_from(StageRecord))
        open_rows = s.scalar(
            select(func.count()).select_from(StageRecord).where(StageRecord.ended_at.is_(None))
        )
    assert [(p, passed) for i, p, passed in turns if i == 2] == [
        (ids[n], False) for n in ("Kim", "Ali", "Bea", "Cy", "Dee")
    ]
    assert [(p, passed) for i, p, passed in turns if i == 3] == [
        (ids["Kim"], True),
        (ids["Ali"], True),
        (ids["Bea"], False),
        (ids["Dee"], False),
    ]
    assert sorted(notes, key=str) == sorted(
        [("record", 2, ids["Ali"]), ("private", 3, holder)], key=str
    )
    assert stage_rows == len(detail.script.stages) + 2 and open_rows == 0  # type: ignore[union-attr]
    summary = window.summary
    assert summary is not None and detail.summary == summary
    assert summary["turns"] == len(turns) and summary["notes"]["total"] == 2
    view = window.summary_view
    assert view is not None and view.isVisible()
    page = view.text.toPlainText()  # type: ignore[attr-defined]
    assert "Bea named respect first." in page and "Time per stage" in page
    assert not window.isVisible() and not window.projector.isVisible()
    # And from the summary the group goes straight on to writing the repair agreement
    assert view.agreement_button is not None
    view.agreement_button.click()
    builder = view.agreement_window
    assert builder is not None and builder.isVisible()
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Agreement)) == 1
    builder.close()
    # and saves the circle's summary for the file, the same document as ``export summary``
    view.save_summary_button.click()
    saver = view.summary_window
    assert saver is not None and saver.isVisible()
    assert saver.windowTitle() == "Circle summary" and not saver.student.isVisible()
    saver.close()


def test_a_whole_conference_with_the_keyboard_only(qtbot: QtBot, db: Database) -> None:
    # Given a conference with an SRO co-facilitating, seated as suggested
    cid, ids = conference(db)
    window = open_window(qtbot, db, cid)
    script = window.script
    asked: dict[int, list[int]] = {}

    # When every question stage is run round its ring
    while True:
        state = window.state
        assert state is not None
        if state.stage.has_round:
            order = []
            while not window.state.round_complete:
                order.append(window.state.speaker)
                press(qtbot, window, Key.Key_Space)
            asked[state.stage_index] = order
        if window.state.is_last_stage:
            break
        press(qtbot, window, Key.Key_PageDown)
    # the role shows beside the names in a conference
    assert "with Rio" in window.ring.describe()
    end_circle(qtbot, window)

    # Then each role answered its own questions, and the database agrees
    by_role = {script.stages[i].addressed_to.value: who for i, who in asked.items()}
    assert by_role["responsible"] == [ids["Rio"]]
    assert by_role["harmed"] == [ids["Hana"]]
    assert by_role["supporters_of_responsible"] == [ids["Rosa"]]
    assert by_role["supporters_of_harmed"] == [ids["Hugo"]]
    with db.sessions() as s:
        count = s.scalar(select(func.count()).select_from(Turn).where(Turn.circle_id == cid))
    assert count == sum(len(v) for v in asked.values())
    assert CirclePlanner(db.sessions).detail(cid).status == CircleStatus.COMPLETED


def test_popcorn_join_late_and_the_end_can_be_cancelled(qtbot: QtBot, db: Database) -> None:
    cid, ids = harm_circle(db)
    newcomer_planner = CirclePlanner(db.sessions)
    window = open_window(qtbot, db, cid, present=[i for n, i in ids.items() if n != "Dee"])
    assert "Dee Test (absent)" in window.outside.text()
    to_first_round(qtbot, window)
    # Popcorn: the keeper hands the piece to Cy
    press(qtbot, window, Key.Key_O)
    pick = window.dialog
    assert isinstance(pick, PickPersonDialog)
    qtbot.keyClicks(pick.filter, "cy")
    qtbot.keyClick(pick.filter, Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None)
    assert window.state is not None and window.state.mode is PieceMode.POPCORN
    assert window.state.speaker == ids["Cy"]
    assert window.ring.describe().count("(speaking)") == 1
    press(qtbot, window, Key.Key_R)  # back to the ring
    assert window.state.mode is PieceMode.RING
    # Dee arrives: she was invited, so she is offered first
    press(qtbot, window, Key.Key_J)
    join = window.dialog
    assert isinstance(join, PickPersonDialog)
    assert join.list.item(0).text() == "Dee Test (invited)"
    qtbot.keyClick(join.filter, Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None)
    assert ids["Dee"] in window.state.seating and not window.outside.isVisible()
    assert window.state.seat_status(ids["Dee"]) is SeatStatus.WAITING
    # Esc does not end the circle; Ctrl+W asks, and Return (the default) keeps going
    press(qtbot, window, Key.Key_Escape)
    assert window.dialog is None and "Ctrl+W" in window.status.text()
    press(qtbot, window, Key.Key_W, CTRL)
    confirm = window.dialog
    assert isinstance(confirm, ConfirmEndDialog)
    qtbot.keyClick(confirm, Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None)
    assert window.summary is None
    assert newcomer_planner.detail(cid).status == CircleStatus.IN_PROGRESS


def test_every_control_has_a_name(qtbot: QtBot, db: Database) -> None:
    cid, _ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    to_first_round(qtbot, window)
    assert unnamed_controls(window) == []
    for key, modifier in (
        (Key.Key_N, None),
        (Key.Key_O, None),
        (Key.Key_J, None),
        (Key.Key_L, None),
        (Key.Key_W, CTRL),
    ):
        press(qtbot, window, key, modifier)
        dialog = window.dialog
        assert dialog is not None
        qtbot.waitExposed(dialog)
        assert unnamed_controls(dialog) == [], key
        qtbot.keyClick(dialog, Key.Key_Escape)
        qtbot.waitUntil(lambda: window.dialog is None)
        activate(qtbot, window)
    press(
        qtbot,
        window,
        Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.projector.isVisible()
    assert unnamed_controls(window.projector) == []


def test_f11_toggles_full_screen(qtbot: QtBot, db: Database) -> None:
    cid, _ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    press(qtbot, window, Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    assert window.buttons["fullscreen"].isChecked()
    press(qtbot, window, Key.Key_F11)
    qtbot.waitUntil(lambda: not window.isFullScreen())


@pytest.mark.parametrize("names", [("Ali", "Bea")])
def test_buttons_do_what_keys_do(qtbot: QtBot, db: Database, names: tuple[str, str]) -> None:
    cid, ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    qtbot.mouseClick(window.buttons["next_stage"], Qt.MouseButton.LeftButton)  # the piece
    qtbot.mouseClick(window.buttons["next_stage"], Qt.MouseButton.LeftButton)  # guidelines
    qtbot.mouseClick(window.buttons["next"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.buttons["pass"], Qt.MouseButton.LeftButton)
    assert window.state is not None and window.state.spoken == [ids["Kim"]]
    assert window.state.passed == [ids[names[0]]] and window.state.speaker == ids[names[1]]
    assert "Space" in window.buttons["next"].toolTip()
    assert QApplication.activeWindow() is window
