"""A conference with an officer opens by reading the school's MOU statement on admissions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from circlekeeper.core.operations import Context
from circlekeeper.core.profiles.viewer import ProfileRole, Viewer
from circlekeeper.core.sro import mou
from circlekeeper.core.store.database import Database

from .test_facilitator_helpers import conference, harm_circle, open_window, press

STATEMENT = "Nothing said in this conference will be used for a citation or a charge."


def test_the_opening_reads_the_statement_then_moves_on(qtbot: QtBot, db: Database) -> None:
    # Given the school's statement and a conference the officer co-facilitates
    mou.save(
        Context(db.sessions, viewer=Viewer("Dana", ProfileRole.COUNSELOR.value)),
        mou.Mou(admissions_en=STATEMENT),
    )
    cid, _ = conference(db)
    window = open_window(qtbot, db, cid)
    panel = window.stage_panel
    # Then the opening shows it, to be read aloud word for word
    assert window.state is not None and window.state.stage_index == 0
    assert panel.read_aloud.isVisible() and panel.read_aloud.text() == STATEMENT
    assert panel.read_aloud.accessibleName() == "Statement to read aloud"
    # And the next stage no longer does
    press(qtbot, window, Qt.Key.Key_PageDown)
    assert not panel.read_aloud.isVisible()


def test_a_circle_without_an_officer_has_no_statement(qtbot: QtBot, db: Database) -> None:
    cid, _ = harm_circle(db)
    window = open_window(qtbot, db, cid)
    assert not window.stage_panel.read_aloud.isVisible()
