"""The Cases area: a referral goes from intake to closed through the real screens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTime, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from tests.ui.a11y import unnamed_controls
from tests.ui.conftest import add_person

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.followups.commands import FollowUpService
from circlekeeper.core.followups.rows import FollowUpData
from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.area import CasesArea
from circlekeeper.ui.cases.dialogs import CloseCaseDialog, ReasonDialog
from circlekeeper.ui.cases.history import StudentHistoryDialog
from circlekeeper.ui.cases.intake import IntakeDialog

ZONE = ZoneInfo("America/Chicago")
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=ZONE)


def clock() -> datetime:
    return NOW


def when_modal(handler: Callable[[QWidget], None]) -> None:
    """Answer the next modal dialog as soon as it is shown."""

    def run() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            QTimer.singleShot(10, run)
            return
        handler(widget)

    QTimer.singleShot(0, run)


def _fill_intake(qtbot, dialog: QWidget) -> None:
    assert isinstance(dialog, IntakeDialog)
    assert not unnamed_controls(dialog)
    # The category is typed; the people are found by typing and added with Enter.
    dialog.category.setFocus()
    qtbot.keyClicks(dialog.category, "Property damage")
    qtbot.keyClicks(dialog.place, "Lockers, B hall")
    # The time of day is "Not known" until set; the reports count referrals by it.
    assert dialog.incident_time.text() == "Not known"
    dialog.incident_time.setTime(QTime(13, 45))
    qtbot.keyClicks(dialog.description, "A locker door was bent.")
    dialog.finder.field.setFocus()
    qtbot.keyClicks(dialog.finder.field, "nun")
    qtbot.keyClick(dialog.finder.field, Qt.Key.Key_Return)
    assert [p.display_name for p, _role in dialog.parties] == ["José Núñez"]
    dialog.role.setCurrentIndex(dialog.role.findData("harmed"))
    qtbot.keyClicks(dialog.finder.field, "amara")
    qtbot.keyClick(dialog.finder.field, Qt.Key.Key_Return)
    # Adding the same person twice is refused in words
    qtbot.keyClicks(dialog.finder.field, "amara")
    qtbot.keyClick(dialog.finder.field, Qt.Key.Key_Return)
    assert "already listed" in dialog.problem.text()
    assert [(p.first_name, role) for p, role in dialog.parties] == [
        ("José", "responsible"),
        ("Amara", "harmed"),
    ]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_referral_from_intake_to_closed(qtbot, db: Database, people: PeopleService) -> None:
    # Given a directory with two students and a counselor
    jose = add_person(people, "José", "Núñez", grade="8")
    add_person(people, "Amara", "Okafor", grade="8")
    dana = add_person(people, "Dana", "Whitfield", kind="staff")
    area = CasesArea(db, clock=clock)
    qtbot.addWidget(area)
    area.resize(1000, 760)
    area.show()
    assert not unnamed_controls(area)

    # When a referral is taken in through the intake dialog
    when_modal(lambda dialog: _fill_intake(qtbot, dialog))
    area.new_referral()

    # Then its page is open at "referred" with both people
    page = area.page
    assert area.stack.currentWidget() is page
    detail = page.detail
    assert detail is not None and detail.status == "referred"
    assert detail.incident_category == "Property damage"
    assert detail.incident_time == "13:45"
    assert detail.referred_on == date(2026, 3, 10)
    assert [(p.name, p.role) for p in detail.parties] == [
        ("José Núñez", "responsible"),
        ("Amara Okafor", "harmed"),
    ]
    assert not unnamed_controls(area)

    # Moving on without a screen is refused in words, nothing changes
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert "eligibility" in page.message.text().lower()
    assert page.detail.status == "referred"

    # The screen: an exclusion ticked shows the problem in plain words
    screen = page.eligibility
    for name in ("responsibility_admitted", "participation_voluntary", "guardian_consent"):
        combo = screen.form.consents[name]
        combo.setCurrentIndex(combo.findData(True))
    screen.form.exclusions["weapons"].setChecked(True)
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert "weapon" in screen.problems.text()
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)  # to screened
    assert page.detail.status == "screened"
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)  # preparing is refused
    assert page.detail.status == "screened"
    assert "cannot go to a conference" in page.message.text()
    screen.form.exclusions["weapons"].setChecked(False)
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert "Eligible" in screen.problems.text()

    for step in ("preparing", "held"):
        qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
        assert page.detail.status == step

    # Going back asks why
    def give_reason(dialog: QWidget) -> None:
        assert isinstance(dialog, ReasonDialog)
        qtbot.keyClicks(dialog.reason, "The conference was postponed")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)

    when_modal(give_reason)
    qtbot.mouseClick(page.previous_button, Qt.MouseButton.LeftButton)
    assert page.detail.status == "preparing"
    for step in ("held", "monitoring"):
        qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
        assert page.detail.status == step

    # A diversion and a family contact
    page.diversion.diverted_from.setCurrentIndex(
        page.diversion.diverted_from.findData("suspension")
    )
    page.diversion.amount.setValue(3)
    qtbot.mouseClick(page.diversion.save_button, Qt.MouseButton.LeftButton)
    assert page.detail.diverted_from == "suspension" and page.detail.diversion_amount == 3

    def log_contact(dialog: QWidget) -> None:
        qtbot.keyClicks(dialog.outcome, "Father will come on Thursday")  # type: ignore[attr-defined]
        dialog.accept()  # type: ignore[attr-defined]

    when_modal(log_contact)
    qtbot.mouseClick(page.contact_button, Qt.MouseButton.LeftButton)
    assert [c.outcome for c in page.detail.contacts] == ["Father will come on Thursday"]

    # An open follow-up, so closing asks what to do with it
    follow_up = FollowUpService(db.sessions).create(
        FollowUpData(NOW.date() + timedelta(days=7), dana, "Check in", case_id=detail.id)
    )
    page.reload()
    assert "Check in" in page.follow_up_table.item(0, 1).text()

    def close_completed(dialog: QWidget) -> None:
        assert isinstance(dialog, CloseCaseDialog)
        dialog.reason.setCurrentIndex(dialog.reason.findData("completed"))
        when_modal(lambda box: _click(box, "dont_close"))
        dialog.accept()

    # "Don't close" leaves everything as it was
    when_modal(close_completed)
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    assert page.detail.status == "monitoring"
    assert "nothing was changed" in page.message.text()

    def close_cancelling(dialog: QWidget) -> None:
        assert isinstance(dialog, CloseCaseDialog)
        dialog.reason.setCurrentIndex(dialog.reason.findData("completed"))
        when_modal(lambda box: _click(box, "cancel_follow_ups"))
        dialog.accept()

    when_modal(close_cancelling)
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)

    # Then the case is closed with its reason and the follow-up cancelled
    closed = CaseService(db.sessions).detail(detail.id)
    assert closed.status == "closed" and closed.closure_reason == "completed"
    assert closed.closed_on == NOW.date()
    assert [(f.id, f.status) for f in closed.follow_ups] == [(follow_up.id, "cancelled")]
    assert "Closed" in page.pipeline.text()
    assert not page.close_button.isEnabled()

    # The student's history is reachable from the parties
    page.parties.setCurrentRow(0)
    qtbot.mouseClick(page.history_button, Qt.MouseButton.LeftButton)
    history = page.history_dialog
    qtbot.addWidget(history)
    assert isinstance(history, StudentHistoryDialog)
    assert any(e.kind == "case" and e.id == detail.id for e in history.entries)
    assert "José" in history.windowTitle()
    assert jose in {p.person_id for p in closed.parties}
    assert not unnamed_controls(history)
    history.close()

    # Back on the list, the open-only filter hides the closed case, "every case" shows it
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    assert area.stack.currentWidget() is area.list_page
    assert area.model.row_of(detail.id) == -1
    area.open_only.setChecked(False)
    assert area.model.row_of(detail.id) >= 0
    assert "Closed: Completed" in area.model.index(area.model.row_of(detail.id), 3).data()


def _click(box: QWidget, name: str) -> None:
    assert isinstance(box, QMessageBox)
    button = box.findChild(QPushButton, name)
    assert button is not None, name
    button.click()


def test_calendar_export_from_the_cases_area(qtbot, db: Database, tmp_path) -> None:
    from icalendar import Calendar

    from circlekeeper.ui.cases.calendar_export import export_calendar

    area = CasesArea(db, clock=clock)
    qtbot.addWidget(area)
    worked, text = export_calendar(db, area, tmp_path / "mine")
    assert worked, text
    assert "0 circle(s)" in text
    Calendar.from_ical((tmp_path / "mine.ics").read_bytes())
    worked, text = export_calendar(db, area, tmp_path / "missing" / "x.ics")
    assert not worked and "does not exist" in text
