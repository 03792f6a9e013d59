"""The case page and a conference's preparation panel show and save one eligibility screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.eligibility import EligibilityService, NotEligible
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.domain.eligibility import Eligibility
from circlekeeper.core.domain.enums import Role
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Circle
from circlekeeper.ui.cases.area import CasesArea
from circlekeeper.ui.circles.plan import PlanDialog

from .a11y import unnamed_controls
from .conftest import activate, add_person
from .test_circles import choose, invite

ZONE = ZoneInfo("America/Chicago")
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=ZONE)
MINOR = date(2011, 5, 1)


@pytest.fixture
def library(home) -> ScriptLibrary:
    return ScriptLibrary()


def when_modal(seen: list[str], button: Callable[[QMessageBox], object] | None = None) -> None:
    """Note the text of the next message box and close it."""

    def run() -> None:
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, QMessageBox):
            QTimer.singleShot(10, run)
            return
        seen.append(widget.windowTitle() + "\n" + widget.text())
        widget.done(0)

    QTimer.singleShot(0, run)


def tick(qtbot: QtBot, box: QWidget) -> None:
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_a_title_ix_screen_on_the_case_page_stops_its_conference(
    qtbot: QtBot, db: Database, people: PeopleService, library: ScriptLibrary
) -> None:
    # Given a referral between two students, and a counselor to keep the conference
    keeper = add_person(people, "Dana", "Whitfield", kind="staff")
    jose = add_person(people, "José", "Núñez", birth_date=MINOR)
    amara = add_person(people, "Amara", "Okafor", birth_date=MINOR)
    case_id = (
        CaseService(db.sessions)
        .intake(
            CaseIntake(
                referred_on=NOW.date(),
                incident_category="Harassment",
                parties=[(jose, "responsible"), (amara, "harmed")],
            )
        )
        .id
    )
    area = CasesArea(db, clock=lambda: NOW)
    qtbot.addWidget(area)
    area.resize(1366, 768)
    area.show()
    assert area.open_case(case_id)
    page = area.page

    # When the case page screens it: everyone consents, and it is a Title IX matter
    form = page.eligibility.form
    for name in ("responsibility_admitted", "participation_voluntary", "guardian_consent"):
        choose(form.consents[name], True)
    tick(qtbot, form.exclusions["title_ix"])
    qtbot.mouseClick(page.eligibility.save_button, Qt.MouseButton.LeftButton)
    assert "Title IX" in form.problems.text()
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert page.detail is not None and page.detail.status == "screened"

    # and its conference is planned
    dialog = PlanDialog(db, library=library)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    choose(dialog.kind, "conference")
    choose(dialog.case, case_id)
    choose(dialog.facilitator, keeper)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    circle_id = dialog.circle_id
    assert circle_id is not None
    invite(qtbot, dialog, "nunez", Role.RESPONSIBLE.value)
    invite(qtbot, dialog, "okafor", Role.HARMED.value)

    # Then the preparation panel shows the case's screen, with the exclusion
    dialog.tabs.setCurrentIndex(2)
    panel = dialog.preparation.form
    assert panel.exclusions["title_ix"].isChecked()
    assert panel.consents["guardian_consent"].currentData() is True
    assert f"case {case_id}" in dialog.preparation.whose.text()
    assert "Title IX" in panel.problems.text()
    readiness = [dialog.readiness.item(r).text() for r in range(dialog.readiness.count())]
    assert any(line.startswith("⚠") and "Title IX" in line for line in readiness)
    assert not any("not been done" in line for line in readiness)
    assert unnamed_controls(dialog) == []

    # When the panel is saved (a note typed, one exclusion ticked and untaken, one ticked)
    panel.notes.setFocus()
    qtbot.keyClicks(panel.notes, "Spoke with the Title IX coordinator")
    qtbot.keyClick(panel.notes, Qt.Key.Key_Return)
    tick(qtbot, panel.exclusions["police_matter"])
    tick(qtbot, panel.exclusions["police_matter"])
    tick(qtbot, panel.exclusions["serious_injury"])

    # Then the flag is kept, with what the panel changed
    stored = EligibilityService(db.sessions).for_case(case_id).answers
    assert stored is not None and stored.title_ix and stored.serious_injury
    assert stored.notes == "Spoke with the Title IX coordinator"
    assert not stored.police_matter

    # And the case page, still showing what it loaded, cannot clear the panel's answers by
    # saving its own change
    case_form = page.eligibility.form
    assert not case_form.exclusions["serious_injury"].isChecked()  # stale
    tick(qtbot, case_form.exclusions["credible_threat"])
    qtbot.mouseClick(page.eligibility.save_button, Qt.MouseButton.LeftButton)
    stored = EligibilityService(db.sessions).for_case(case_id).answers
    assert stored is not None and stored.title_ix and stored.serious_injury
    assert stored.credible_threat and stored.notes == "Spoke with the Title IX coordinator"
    assert case_form.exclusions["serious_injury"].isChecked()  # it now shows what is stored

    # And the case cannot move to preparing
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert page.detail.status == "screened"
    assert "cannot go to a conference" in page.message.text()
    assert "Title IX" in page.message.text()

    # And the conference cannot start: the start button explains, and nothing starts
    seen: list[str] = []
    when_modal(seen)
    dialog.start()
    assert seen and "cannot be held" in seen[0] and "Title IX" in seen[0]
    assert dialog.started is None
    with pytest.raises(NotEligible):
        FacilitationService(db.sessions, circle_id).start()
    with db.sessions() as session:
        circle = session.get(Circle, circle_id)
        assert circle is not None and circle.status == "planned"


def test_a_refused_save_on_the_panel_shows_what_is_stored(
    qtbot: QtBot, db: Database, people: PeopleService, library: ScriptLibrary
) -> None:
    # Given a conference whose case was closed after a police-matter screen
    keeper = add_person(people, "Dana", "Whitfield", kind="staff")
    jose = add_person(people, "José", "Núñez", birth_date=MINOR)
    cases = CaseService(db.sessions)
    case_id = cases.intake(
        CaseIntake(
            referred_on=NOW.date(),
            incident_category="Fight",
            parties=[(jose, "responsible")],
        )
    ).id
    screens = EligibilityService(db.sessions)
    screens.record_for_case(case_id, Eligibility(police_matter=True))
    dialog = PlanDialog(db, library=library)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    choose(dialog.kind, "conference")
    choose(dialog.case, case_id)
    choose(dialog.facilitator, keeper)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.circle_id is not None
    cases.close(case_id, "not_restorable", today=NOW.date())
    dialog.tabs.setCurrentIndex(2)
    panel = dialog.preparation.form
    assert panel.exclusions["police_matter"].isChecked()
    problems: list[Exception] = []
    dialog.preparation.error = problems.append

    # When someone unticks the exclusion on the panel
    tick(qtbot, panel.exclusions["police_matter"])

    # Then the save is refused in words, and the panel shows the stored answer again
    assert problems and "closed" in str(problems[0])
    assert panel.exclusions["police_matter"].isChecked()
    stored = screens.for_case(case_id).answers
    assert stored is not None and stored.police_matter
