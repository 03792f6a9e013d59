"""The ring keeps its place and size while a round goes on and when it completes.

The words under the ring grow from one line to two when everyone has had a turn; if the ring
gave up that line each time, it would jump under the keeper's eyes and the whole ring would be
laid out and painted again at that key press (the slowest presses of a circle).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from circlekeeper.core.store.database import Database

from .test_facilitator_helpers import harm_circle, open_window, press, to_first_round


def test_the_ring_does_not_move_when_a_round_completes_or_a_new_one_begins(
    qtbot: QtBot, db: Database
) -> None:
    # Given a harm circle at its first round, in the facilitator window at 1366x768
    cid, _ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    to_first_round(qtbot, window)
    assert window.state is not None and not window.state.round_complete
    qtbot.wait(10)
    before = window.ring.geometry()

    for round_number in (1, 2):
        # When everyone has had a turn (the words under the ring take two or three lines:
        # the second round's end also names the round)
        while not window.state.round_complete:
            press(qtbot, window, Qt.Key.Key_Space)
            qtbot.wait(1)
            # Then the ring stays where it was, the same size, at every press
            assert window.ring.geometry() == before
        assert "Everyone has had a turn" in window.progress.text()
        assert (" · round 2" in window.progress.text()) == (round_number == 2)

        # And a new round (one line again) leaves it in place as well
        press(qtbot, window, Qt.Key.Key_Space)
        qtbot.wait(1)
        assert not window.state.round_complete
        assert window.ring.geometry() == before
