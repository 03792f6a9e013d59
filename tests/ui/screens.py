"""Every area and window of the product, opened on a demo database, for whole-product checks.

``open_screens`` yields each screen by name once it is shown at 1366x768: the nine areas of the
main window, the report once built, the facilitator view of a planned circle, its projector,
and the agreement builder of a held conference. The language checks walk these.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

SCREEN_SIZE = (1366, 768)
AREAS = (
    "today",
    "cases",
    "people",
    "circles",
    "scripts",
    "agreements",
    "reports",
    "sro",
    "settings_view",
)
DEMO_DAY = date(2026, 3, 12)


def demo_copy(template: Path, folder: Path) -> Path:
    """A fresh copy of the demo database for one test."""
    path = folder / "demo.sqlite3"
    shutil.copyfile(template, path)
    return path


def build_demo_template(folder: Path) -> Path:
    from circlekeeper.core.demo.demo import build_demo

    path = folder / "demo-template.sqlite3"
    build_demo(path, "small", today=DEMO_DAY)
    return path


def _ids(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        planned = conn.execute(
            "select id from circle where status = 'planned' order by id limit 1"
        ).fetchone()[0]
        # A held circle with no agreement yet, nor its case: the builder opens on a new draft.
        held = conn.execute(
            "select id from circle where status = 'completed' and id not in "
            "(select circle_id from agreement where circle_id is not null) and (case_id is null "
            "or case_id not in (select case_id from agreement where case_id is not null)) "
            "order by kind = 'harm_repair' desc, id limit 1"
        ).fetchone()[0]
    return int(planned), int(held)


def _settle(qtbot: QtBot) -> None:
    for _ in range(5):
        QApplication.processEvents()
    qtbot.wait(10)


def open_screens(qtbot: QtBot, path: Path) -> Iterator[tuple[str, QWidget]]:
    """Open each screen in turn (in the language installed now) and yield it, shown."""
    from circlekeeper.ui.agreements import open_agreement_for_circle
    from circlekeeper.ui.live.facilitator import FacilitatorWindow
    from circlekeeper.ui.main_window import MainWindow

    planned, held = _ids(path)
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(*SCREEN_SIZE)
    window.show()
    assert window.open_database(path, interactive=False)
    for row, name in enumerate(AREAS):
        window.show_area(row)
        _settle(qtbot)
        yield name, window
    reports = window.reports
    window.show_area(AREAS.index("reports"))
    reports.build_report()
    deadline = time.monotonic() + 60
    while reports.report is None and time.monotonic() < deadline:
        qtbot.wait(50)
    assert reports.report is not None, "the report was not built"
    _settle(qtbot)
    yield "reports (built)", window

    assert window.database is not None
    live = FacilitatorWindow(window.database, planned)
    qtbot.addWidget(live)
    live.resize(*SCREEN_SIZE)
    live.show()
    _settle(qtbot)
    yield "facilitator view", live
    live.toggle_projector()
    live.projector.resize(*SCREEN_SIZE)
    _settle(qtbot)
    yield "projector", live.projector
    live.projector.close()
    live.close()

    from circlekeeper.ui.agreements.builder import AgreementBuilder

    builder = open_agreement_for_circle(window.database, held, window)
    assert isinstance(builder, AgreementBuilder)
    qtbot.addWidget(builder)
    builder.resize(*SCREEN_SIZE)
    builder.show()
    _settle(qtbot)
    yield "agreement builder", builder
    builder.close()
    window.close_database()
