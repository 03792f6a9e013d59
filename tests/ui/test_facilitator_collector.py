"""While a circle runs, the cycle collector leaves alone what existed before; after, it sees all.

A full collection of everything start-up made took ~90 ms inside some key press; the window
freezes what exists when it opens (``ui/live/collector.py``) and hands it back when it closes.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Turn

from .test_facilitator_helpers import harm_circle, open_window, press, to_first_round


def test_a_running_circle_freezes_what_existed_and_closing_thaws_it(
    qtbot: QtBot, db: Database
) -> None:
    assert gc.get_freeze_count() == 0
    # Given a circle opened in the facilitator window
    cid, _ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    # Then what existed is out of the collector's sight, and a collection walks only the rest
    frozen = gc.get_freeze_count()
    assert frozen > 10_000
    # And key presses still work and are kept, with collections running as usual meanwhile
    to_first_round(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Space)
    gc.collect()
    press(qtbot, window, Qt.Key.Key_Space)
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Turn).where(Turn.circle_id == cid))
    # When a second window opens and the first closes, the freeze holds for the one still open
    second = open_window(qtbot, db, harm_circle(db)[0])
    window.close()
    assert gc.get_freeze_count() > 0
    # When the last one closes, everything is the collector's again
    second.close()
    assert gc.get_freeze_count() == 0


def test_a_freeze_made_before_the_circle_is_left_as_it_was(qtbot: QtBot, db: Database) -> None:
    # Given objects someone froze before any circle opened (start-up, say)
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        cid, _ids = harm_circle(db)
        window = open_window(qtbot, db, cid)
        # When the circle's window opens and closes
        window.close()
        # Then what they froze is still frozen
        assert gc.get_freeze_count() >= before
    finally:
        gc.unfreeze()


class _Cycle:
    """An object in a reference cycle: only the cycle collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_garbage_lying_about_when_a_circle_opens_is_not_kept_for_ever(
    qtbot: QtBot, db: Database
) -> None:
    # Given start-up's freeze, and a cycle nobody holds any more when a circle opens
    import weakref

    gc.freeze()
    try:
        dropped = _Cycle()
        gone = weakref.ref(dropped)
        gc.collect()  # it lives on into the oldest generation, where only a full walk looks
        del dropped
        cid, _ids = harm_circle(db)
        window = open_window(qtbot, db, cid)
        # When the circle is kept and closed, and the collector runs as it will
        window.close()
        gc.collect()
        # Then the cycle was freed, not frozen with what was alive
        assert gone() is None
    finally:
        gc.unfreeze()
