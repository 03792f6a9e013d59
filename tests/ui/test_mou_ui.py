"""The MOU in Settings, driven with the keyboard, and its refusals where people plan and close."""

from __future__ import annotations

import json
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.profiles.viewer import ProfileRole, Viewer
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.sro import mou
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import AuditEvent, Case, Circle
from circlekeeper.ui.circles.plan import PlanDialog
from circlekeeper.ui.mou_section import MouSection

from .a11y import unnamed_controls
from .conftest import activate, add_person

OFFICER = Viewer("Sam Reyes", ProfileRole.SRO.value)


class Window(QWidget):
    """Stands for the main window: whose profile is active on this database."""

    def __init__(self, database: Database, viewer: Viewer) -> None:
        from circlekeeper.ui.operations import register

        super().__init__()
        self.database = database
        self.viewer = viewer
        # As MainWindow does: its profile acts and looks in every operation on the database.
        register(database, actor=lambda: self.viewer.name, viewer=lambda: self.viewer)


@pytest.fixture
def as_officer(qtbot: QtBot, db: Database) -> Window:
    window = Window(db, OFFICER)
    qtbot.addWidget(window)
    return window


def _refusals(db: Database) -> list[tuple[str, str]]:
    with db.sessions() as session:
        lines = session.scalars(select(AuditEvent).where(AuditEvent.action == "mou_refused"))
        return [(line.actor, json.loads(line.detail)["attempted"]) for line in lines]


def test_a_counselor_sets_the_mou_with_the_keyboard(qtbot: QtBot, db: Database) -> None:
    section = MouSection(db)
    qtbot.addWidget(section)
    activate(qtbot, section)
    # When the counselor ticks "may lead" with the space bar and writes the school's statement
    section.may_lead.setFocus()
    qtbot.keyClick(section.may_lead, Qt.Key.Key_Space)
    section.admissions_en.setFocus()
    qtbot.keyClick(section.admissions_en, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(section.admissions_en, "Admissions are not used for charges.")
    section.save_button.setFocus()
    qtbot.keyClick(section.save_button, Qt.Key.Key_Space)
    # Then the MOU is saved as typed, and the section says so
    recorded = mou.load(db.sessions)
    assert recorded.sro_may_lead is True and recorded.sro_in_discipline is False
    assert recorded.admissions_en == "Admissions are not used for charges."
    assert recorded.admissions_es == mou.DEFAULT_ADMISSIONS_ES
    assert "saved" in section.message.text()
    assert unnamed_controls(section) == []


def test_an_empty_statement_is_refused_on_screen(qtbot: QtBot, db: Database) -> None:
    section = MouSection(db)
    qtbot.addWidget(section)
    activate(qtbot, section)
    section.admissions_es.setFocus()
    qtbot.keyClick(section.admissions_es, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(section.admissions_es, Qt.Key.Key_Delete)
    section.save_button.setFocus()
    qtbot.keyClick(section.save_button, Qt.Key.Key_Space)
    assert "English and in Spanish" in section.message.text()
    assert mou.load(db.sessions) == mou.Mou()


def test_an_officers_profile_sees_the_mou_read_only(
    qtbot: QtBot, db: Database, as_officer: Window
) -> None:
    section = MouSection(db)
    qtbot.addWidget(section)
    assert not section.save_button.isEnabled() and not section.may_lead.isEnabled()
    assert "counselor or an administrator" in section.message.text()
    # Even if the save is reached another way, core refuses it and records who tried
    assert section.save() is False
    assert _refusals(db) == [("Sam Reyes (school resource officer)", "change the MOU")]


def test_making_an_officer_lead_is_refused_in_the_plan(
    qtbot: QtBot, db: Database, people: PeopleService, home, monkeypatch
) -> None:
    officer = add_person(people, "Sam", "Reyes", kind="sro")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    dialog = PlanDialog(db, None, library=ScriptLibrary())
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    # When the planner picks the officer as facilitator and saves
    dialog.kind.setCurrentIndex(dialog.kind.findData("conference"))
    dialog.facilitator.setCurrentIndex(dialog.facilitator.findData(officer))
    dialog.save_button.setFocus()
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)
    # Then a plain message says why, and no circle was made
    assert len(warnings) == 1 and "does not lead" in warnings[0]
    assert dialog.circle_id is None
    with db.sessions() as session:
        assert session.scalars(select(Circle)).all() == []
    assert [attempt for _, attempt in _refusals(db)] == [
        "make a school resource officer the lead facilitator"
    ]


def test_the_readiness_panel_says_when_an_officer_attends(
    qtbot: QtBot, db: Database, people: PeopleService, home
) -> None:
    keeper = add_person(people, "Dana", "Whitfield", kind="staff")
    officer = add_person(people, "Sam", "Reyes", kind="sro")
    dialog = PlanDialog(db, None, library=ScriptLibrary())
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("conference"))
    dialog.facilitator.setCurrentIndex(dialog.facilitator.findData(keeper))
    dialog.co_facilitator.setCurrentIndex(dialog.co_facilitator.findData(officer))
    dialog.save_button.setFocus()
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)
    lines = [dialog.readiness.item(r).text() for r in range(dialog.readiness.count())]
    assert any("school resource officer attends (Sam Reyes)" in line for line in lines)


def test_an_officer_cannot_close_a_case_from_the_case_page(
    qtbot: QtBot, db: Database, people: PeopleService, as_officer: Window, monkeypatch
) -> None:
    from circlekeeper.ui.cases import dialogs
    from circlekeeper.ui.cases.page import CasePage

    ana = add_person(people, "Ana", "Ruiz")
    kim = add_person(people, "Kim", "Osei", kind="staff")
    case_id = (
        CaseService(db.sessions)
        .intake(
            CaseIntake(
                referred_on=date(2026, 3, 10),
                incident_category="Conflict between students",
                referral_source="teacher",
                referred_by_id=kim,
                parties=[(ana, "responsible")],
            )
        )
        .id
    )
    page = CasePage(db)
    qtbot.addWidget(page)
    assert page.load(case_id)
    monkeypatch.setattr(dialogs.CloseCaseDialog, "exec", lambda self: True)
    monkeypatch.setattr(
        dialogs.CloseCaseDialog, "choice", lambda self: ("declined", date(2026, 3, 11))
    )
    page.close_case()
    assert "takes no part in school discipline" in page.message.text()
    with db.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.status == "referred"
    assert _refusals(db) == [("Sam Reyes (school resource officer)", "close a case")]
