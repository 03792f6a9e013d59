"""Every area and window of the product, opened on a demo database, for whole-product checks.

``open_screens`` yields each screen by name once it is shown, at the size it opens at on the
tests' 1366x768 screen (a school laptop; see tests/conftest.py): the nine areas of the main
window, the report once built, a case's page, a student's page, the plan of a circle, the
facilitator view of a planned circle, its projector, the agreement builder of a held
conference, the follow-up window of an agreement in force, and the new-case and person
dialogs. The language checks and the screen-fit checks walk these.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QWidget,
)
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
# Every screen open_screens shows, in order: a check that walks them can say it saw them all.
SCREENS = (
    *AREAS,
    "reports (built)",
    "case page",
    "student page",
    "circle plan",
    "facilitator view",
    "projector",
    "agreement builder",
    "agreement follow-up",
    "new case",
    "person",
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


def _record(path: Path, sql: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(sql).fetchone()[0])


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
    case_id = _record(
        path, "select case_id from case_party group by case_id order by count(*) desc"
    )
    in_force = _record(path, "select id from agreement where status = 'active' order by id")
    window = MainWindow()
    qtbot.addWidget(window)
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
    window.show_area(AREAS.index("cases"))
    assert window.cases.open_case(case_id)
    _settle(qtbot)
    yield "case page", window
    student_id = _record(
        path, "select person_id from case_party group by person_id order by count(*) desc"
    )
    window.show_area(AREAS.index("people"))
    assert window.people.open_person(student_id)
    _settle(qtbot)
    yield "student page", window

    assert window.database is not None
    database = window.database
    from circlekeeper.ui.circles.plan import PlanDialog

    plan = PlanDialog(database, planned, window)
    qtbot.addWidget(plan)
    plan.show()
    _settle(qtbot)
    yield "circle plan", plan
    plan.close()

    live = FacilitatorWindow(database, planned)
    qtbot.addWidget(live)
    live.show()
    _settle(qtbot)
    yield "facilitator view", live
    live.toggle_projector()
    _settle(qtbot)
    yield "projector", live.projector
    live.projector.close()
    live.close()

    from circlekeeper.ui.agreements.builder import AgreementBuilder
    from circlekeeper.ui.agreements.monitor import AgreementMonitor

    builder = open_agreement_for_circle(database, held, window)
    assert isinstance(builder, AgreementBuilder)
    qtbot.addWidget(builder)
    builder.show()
    _settle(qtbot)
    yield "agreement builder", builder
    builder.close()
    monitor = AgreementMonitor(database, in_force, window)
    qtbot.addWidget(monitor)
    monitor.show()
    _settle(qtbot)
    yield "agreement follow-up", monitor
    monitor.close()

    from circlekeeper.core.cases.commands import CaseService
    from circlekeeper.core.people.people import PeopleService
    from circlekeeper.ui.cases.intake import IntakeDialog
    from circlekeeper.ui.operations import context_for
    from circlekeeper.ui.people.dialog import PersonDialog

    context = context_for(database)
    intake = IntakeDialog(CaseService(context), PeopleService(context), DEMO_DAY, window)
    qtbot.addWidget(intake)
    intake.show()
    _settle(qtbot)
    yield "new case", intake
    intake.close()
    student = _record(path, "select id from person where kind = 'student' order by id")
    person = PersonDialog(PeopleService(context), student, window)
    qtbot.addWidget(person)
    person.show()
    _settle(qtbot)
    yield "person", person
    person.close()
    window.close_database()


def clipped_controls(root: QWidget) -> list[str]:
    """Visible labels and buttons whose text needs more room than they were given."""
    problems = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.width() <= 0:
            continue
        if isinstance(widget.parentWidget(), QAbstractItemView):
            continue
        if isinstance(widget, QLabel):
            if not widget.text() or widget.pixmap() is not None and not widget.pixmap().isNull():
                continue
            if widget.wordWrap():
                needed = widget.heightForWidth(widget.width())
                if needed > widget.height() + 1:
                    problems.append(f"label {widget.text()[:50]!r}: {needed} > {widget.height()}")
                continue
        elif not isinstance(widget, (QPushButton, QCheckBox, QRadioButton)):
            continue
        needed = widget.sizeHint().width()
        if needed > widget.width() + 1:
            text = widget.text()[:50]
            problems.append(f"{type(widget).__name__} {text!r}: {needed} > {widget.width()}")
    return problems
