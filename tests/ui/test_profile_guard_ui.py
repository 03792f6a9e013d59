"""An SRO signed in cannot give itself more: Settings asks a keeper's PIN, the window says who."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from circlekeeper.core.agreements.commands import AgreementService
from circlekeeper.core.profiles.profiles import ProfileService
from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.store.database import open_database
from circlekeeper.ui.agreements.exporting import ExportBar
from circlekeeper.ui.main_window import MainWindow
from circlekeeper.ui.operations import context_for

from .a11y import unnamed_controls
from .profile_helpers import approval_dialog, approve_when_asked

_spec = importlib.util.spec_from_file_location(
    "core_conference_fixtures_for_guard", Path(__file__).parents[1] / "core" / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_fixtures = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _fixtures
_spec.loader.exec_module(_fixtures)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def sro_window(qtbot: QtBot, home: Path) -> Iterator[MainWindow]:
    """The main window with Sam (SRO, PIN 2222) signed in; Dana (counselor) has PIN 1111."""
    path = home / "school.sqlite3"
    db = open_database(path)
    conference = _fixtures.build_conference(db)
    agreement_id = _fixtures.draft_with_items(conference, 1)
    profiles = ProfileService(db.sessions)
    dana = profiles.create("Dana Whitfield", pin="1111")
    profiles.create("Sam Reyes", "sro", pin="2222", approval=profiles.approve(dana.id, "1111"))
    # Without asking (a test), the profile named in Settings is the one used.
    settings = SettingsService(db.sessions)
    settings.save(SchoolSettings(facilitator_name="Sam Reyes", welcome_done="1"))
    db.close()
    main = MainWindow()
    qtbot.addWidget(main)
    assert main.open_database(path, interactive=False)
    main.agreement_id = agreement_id  # type: ignore[attr-defined]
    yield main
    main.close_database()


def _sam_row(section) -> int:  # type: ignore[no-untyped-def]
    for row in range(section.list.count()):
        if section.list.item(row).text().startswith("Sam Reyes"):
            return row
    raise AssertionError("Sam is not listed")


def test_an_sro_cannot_make_itself_a_counselor_without_a_keepers_pin(
    qtbot: QtBot, sro_window: MainWindow
) -> None:
    # Given Sam, an SRO, signed in and looking at Settings → Who uses circlekeeper
    assert sro_window.viewer is not None and sro_window.viewer.is_sro
    section = sro_window.settings_view.profiles
    section.list.setCurrentRow(_sam_row(section))
    # When Sam makes their own profile a counselor's and saves
    section.role.setCurrentIndex(section.role.findData("counselor"))
    seen: list[object] = []

    def look_then_cancel() -> None:
        dialog = approval_dialog()
        if dialog is None:
            QTimer.singleShot(10, look_then_cancel)
            return
        seen.append([dialog.who.itemText(i) for i in range(dialog.who.count())])
        seen.append(unnamed_controls(dialog))
        dialog.reject()

    QTimer.singleShot(0, look_then_cancel)
    section.save_button.click()
    # Then a keeper's PIN is asked (Sam's own cannot approve), and without it nothing changes
    assert seen == [["Dana Whitfield"], []]
    assert section.status.text() == "Nothing was changed."
    sam = ProfileService(sro_window.database.sessions).find("Sam Reyes")  # type: ignore[union-attr]
    assert sam is not None and sam.role == "sro"


def test_a_wrong_keeper_pin_is_refused_and_the_next_try_waits(
    qtbot: QtBot, sro_window: MainWindow
) -> None:
    clock = Clock()
    section = sro_window.settings_view.profiles
    section.service = ProfileService(sro_window.database.sessions, clock=clock)  # type: ignore[union-attr]
    section.list.setCurrentRow(_sam_row(section))
    section.role.setCurrentIndex(section.role.findData("administrator"))
    messages: list[str] = []

    def guess() -> None:
        dialog = approval_dialog()
        if dialog is None:
            QTimer.singleShot(10, guess)
            return
        for pin in ("0000", "1234", "1111"):  # two wrong guesses, then the right PIN too soon
            dialog.pin.setText(pin)
            dialog.accept()
            messages.append(dialog.message.text())
        assert dialog.isVisible()
        dialog.reject()

    QTimer.singleShot(0, guess)
    section.save_button.click()
    assert messages[:2] == ["That is not Dana Whitfield's PIN. Nothing was changed."] * 2
    assert messages[2].startswith("Too many wrong PINs for Dana Whitfield. Wait 1 second")
    profiles = ProfileService(sro_window.database.sessions, clock=clock)  # type: ignore[union-attr]
    assert profiles.find("Sam Reyes").role == "sro"  # type: ignore[union-attr]
    # After the wait, the counselor's right PIN approves the change.
    clock.now += timedelta(seconds=1)
    approve_when_asked(qtbot, "Dana Whitfield", "1111")
    section.save_button.click()
    assert profiles.find("Sam Reyes").role == "administrator"  # type: ignore[union-attr]


def test_the_main_window_says_who_is_signed_in(qtbot: QtBot, sro_window: MainWindow) -> None:
    sro_window.show()
    label = sro_window.profile_label
    assert label.isVisible() and label.accessibleName() == "Active profile"
    assert label.text() == "Using circlekeeper as Sam Reyes, School resource officer"
    sro_window.statusBar().showMessage("The last backup could not be made.", 15000)
    assert label.isVisible()  # a passing message in the status bar does not hide it
    sro_window.resize(1366, 768)
    sro_window.grab().save("/tmp/profiles-viewer-main-sro.png")


def test_the_export_offers_an_sro_only_the_sharing_copy(
    qtbot: QtBot, sro_window: MainWindow, tmp_path: Path
) -> None:
    database = sro_window.database
    assert database is not None
    bar = ExportBar(AgreementService(context_for(database)), sro_window.agreement_id)  # type: ignore[attr-defined]
    qtbot.addWidget(bar)
    choices = [bar.audience.itemData(i) for i in range(bar.audience.count())]
    assert choices == ["sharing"]
    rendered: list[str] = []
    bar._render(lambda html, _title: rendered.append(html))  # prepared off the UI thread
    qtbot.waitUntil(lambda: bool(rendered), timeout=30000)
    assert "(he/him)" not in rendered[0] and "education record" in rendered[0]
    assert bar.problem.isHidden()
    # Even a combo forced to the school copy gets a plain refusal, not the school copy.
    bar.audience.addItem("School copy", "school")
    bar.audience.setCurrentIndex(1)
    bar._render(lambda html, _title: rendered.append(html))
    assert len(rendered) == 1 and bar._task is None
    assert "only the copy for sharing" in bar.problem.text()


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Every profile service's clock stands still, so a wait after wrong PINs never ends."""
    clock = Clock()
    monkeypatch.setattr("circlekeeper.core.profiles.profiles.utcnow", clock)
    return clock


def test_the_lock_and_the_chooser_make_wrong_pins_wait(
    qtbot: QtBot, sro_window: MainWindow, frozen_clock: Clock
) -> None:
    from circlekeeper.ui.profiles import ProfileChooser
    from circlekeeper.ui.security.guard import LockCover

    # The app lock: two wrong PINs, then even Sam's right one must wait
    sro_window.show()
    sro_window.guard.lock()  # type: ignore[union-attr]
    cover = sro_window.findChildren(LockCover)[0]
    assert cover.field is not None and cover.message is not None
    for pin in ("0000", "0001", "2222"):
        cover.field.setText(pin)
        cover._unlock()
    assert sro_window.guard.locked  # type: ignore[union-attr]
    assert cover.message.text().startswith("Too many wrong PINs for Sam Reyes. Wait 1 second")
    frozen_clock.now += timedelta(seconds=1)
    cover.field.setText("2222")
    cover._unlock()
    assert not sro_window.guard.locked  # type: ignore[union-attr]
    # The chooser at start: the same count, per profile
    chooser = ProfileChooser(ProfileService(sro_window.database.sessions))  # type: ignore[union-attr]
    qtbot.addWidget(chooser)
    chooser.show()
    chooser.profiles.setCurrentRow(0)  # Dana Whitfield
    for pin in ("9999", "9998", "1111"):
        chooser.pin.setText(pin)
        chooser.accept()
    assert chooser.chosen is None and chooser.isVisible()
    assert chooser.message.text().startswith("Too many wrong PINs for Dana Whitfield. Wait 1")


def test_a_start_without_asking_shows_only_what_may_be_shared(qtbot: QtBot, home: Path) -> None:
    from circlekeeper.core.profiles.viewer import NOBODY
    from circlekeeper.ui.profiles import choose_profile

    db = open_database(home / "two.sqlite3")
    try:
        profiles = ProfileService(db.sessions)
        dana = profiles.create("Dana", pin="1111")
        profiles.create("Sam", "sro", approval=profiles.approve(dana.id, "1111"))
        SettingsService(db.sessions).save(SchoolSettings(facilitator_name="Someone else"))
        viewer, profile_id = choose_profile(db, None, interactive=False)
        assert (viewer, profile_id) == (NOBODY, None)
        assert not viewer.can_see_demographics and viewer.audiences == ("sharing",)
    finally:
        db.close()


def test_a_counselor_added_beside_an_sro_is_asked_for_a_pin(
    qtbot: QtBot, sro_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    asked: list[str] = []

    def give_pin(_parent, title, _label, _echo):  # type: ignore[no-untyped-def]
        asked.append(title)
        return "5555", True

    monkeypatch.setattr(QInputDialog, "getText", give_pin)
    section = sro_window.settings_view.profiles
    section.name.setText("Pat Osei")
    section.role.setCurrentIndex(section.role.findData("administrator"))
    approve_when_asked(qtbot, "Dana Whitfield", "1111")
    section.add_button.click()
    assert asked == ["A PIN for the new profile"]
    pat = ProfileService(sro_window.database.sessions).find("Pat Osei")  # type: ignore[union-attr]
    assert pat is not None and pat.has_pin and pat.role == "administrator"


def test_a_screen_with_no_window_behind_it_shows_only_what_may_be_shared(
    qtbot: QtBot, home: Path
) -> None:
    from circlekeeper.core.people.people import PeopleService, PersonData
    from circlekeeper.core.profiles.viewer import NOBODY
    from circlekeeper.ui.people.dialog import PersonDialog
    from circlekeeper.ui.profiles import current_viewer

    db = open_database(home / "alone.sqlite3")
    try:
        SettingsService(db.sessions).save(SchoolSettings(facilitator_name="Dana"))
        assert current_viewer(db).name == "Dana"  # no profiles: the one user
        people = PeopleService(db.sessions)
        jo = people.create(PersonData("Jo", "Park", gender="F")).id
        profiles = ProfileService(db.sessions)
        dana = profiles.create("Dana", pin="1111")
        profiles.create("Sam", "sro", approval=profiles.approve(dana.id, "1111"))
        assert current_viewer(db) == NOBODY == current_viewer(sessions=db.sessions)
        dialog = PersonDialog(people, jo)  # opened with no main window to say who is looking
        qtbot.addWidget(dialog)
        assert dialog.equity_toggle.isHidden() and dialog.gender.text() == ""
    finally:
        db.close()
