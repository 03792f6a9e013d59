"""Windows reopen at the size they were left at, and splitters where they were dragged."""

from __future__ import annotations

import stat
from pathlib import Path

from PySide6.QtCore import QPoint, QSize
from PySide6.QtWidgets import QSplitter
from pytestqt.qtbot import QtBot

from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.store.database import Database
from circlekeeper.ui.circles.plan import PlanDialog
from circlekeeper.ui.geometry import FILENAME, window_settings
from circlekeeper.ui.main_window import MainWindow
from circlekeeper.ui.scripts.area import ScriptsArea


def test_main_window_reopens_at_the_size_it_was_closed_at(qtbot: QtBot, home: Path):
    # Given a first start: the window has its default size
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    assert first.size() == QSize(1100, 720)

    # When the counselor makes it smaller and closes it
    first.resize(760, 560)
    qtbot.waitUntil(lambda: first.size() == QSize(760, 560))
    first.close()

    # Then the next window opens at that size, and the file holding it is private
    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.size() == QSize(760, 560)
    assert stat.S_IMODE((home / FILENAME).stat().st_mode) == 0o600


def test_circle_plan_keeps_its_geometry_when_cancelled(qtbot: QtBot, db: Database):
    # Given the circle plan, moved and then cancelled (the test screen is smaller than the
    # plan's minimum size, so Qt fits a restored plan to it: the stored value is compared)
    library = ScriptLibrary()
    dialog = PlanDialog(db, library=library)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.move(40, 30)
    qtbot.waitUntil(lambda: dialog.pos() == QPoint(40, 30))
    left = dialog.saveGeometry()
    dialog.reject()

    # Then what it was left at is kept under its name, for the next plan to open with
    assert window_settings().value("circle-plan/geometry") == left


def test_scripts_splitter_stays_where_it_was_dragged(qtbot: QtBot, home: Path):
    # Given the scripts area with its list widened to 520 pixels
    area = ScriptsArea(None, library=ScriptLibrary())
    qtbot.addWidget(area)
    area.resize(1200, 760)
    area.show()
    qtbot.waitExposed(area)
    splitter = area.findChild(QSplitter)
    assert splitter.sizes()[0] != 520
    splitter.setSizes([520, splitter.width() - 520 - splitter.handleWidth()])
    moved = splitter.sizes()

    # When the area is closed and built again at the same size
    area.close()
    again = ScriptsArea(None, library=ScriptLibrary())
    qtbot.addWidget(again)
    again.resize(1200, 760)
    again.show()
    qtbot.waitExposed(again)

    # Then the list is as wide as it was left
    assert again.findChild(QSplitter).sizes() == moved
