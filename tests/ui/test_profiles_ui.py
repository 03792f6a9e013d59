"""Who is using it: what each profile sees, choosing a profile, and unlocking with a PIN."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.profiles.profiles import ProfileService, Viewer
from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.store.database import Database, open_database
from circlekeeper.ui.main_window import MainWindow
from circlekeeper.ui.people.dialog import PersonDialog
from circlekeeper.ui.profiles import (
    ProfileChooser,
    ProfilesSection,
    choose_profile,
    current_viewer,
)
from circlekeeper.ui.security.guard import LockCover

from .a11y import unnamed_controls
from .profile_helpers import approve_when_asked
from .test_facilitator_helpers import harm_circle, open_window

DANA = Viewer("Dana", "counselor")
ALEX = Viewer("Alex", "counselor")
SAM = Viewer("Sam", "sro")


def test_an_sro_sees_no_equity_fields_and_saving_keeps_them(qtbot: QtBot, db: Database) -> None:
    people = PeopleService(db.sessions)
    jo = people.create(PersonData("Jo", "Park", gender="F", race_ethnicity="Asian")).id
    counselor = PersonDialog(people, jo, viewer=DANA)
    qtbot.addWidget(counselor)
    assert not counselor.equity_toggle.isHidden() and counselor.gender.text() == "F"
    dialog = PersonDialog(people, jo, viewer=SAM)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.equity_toggle.isHidden() and dialog.equity.isHidden()
    assert dialog.gender.text() == "" and dialog.race_ethnicity.text() == ""
    assert unnamed_controls(dialog) == []
    dialog.phone.setText("555-0100")
    dialog.accept()
    saved = people.details(jo).data
    assert (saved.phone, saved.gender, saved.race_ethnicity) == ("555-0100", "F", "Asian")


def test_private_notes_are_seen_by_their_author_only(qtbot: QtBot, db: Database) -> None:
    cid, _ids = harm_circle(db)
    window = open_window(qtbot, db, cid, context=Context(db.sessions, viewer=DANA))
    window.service.add_note("Dana's memory aid")
    window.service.add_note("For the file", privacy="record")
    FacilitationService(Context(db.sessions, actor="Alex"), cid).add_note("Alex's memory aid")
    window.close()

    def seen(viewer: Viewer) -> list[str]:
        other = open_window(qtbot, db, cid, context=Context(db.sessions, viewer=viewer))
        texts = [n.text for n in other.notes]
        assert texts == [n.text for n in other.service.notes()]
        other.close()
        return texts

    assert seen(DANA) == ["Dana's memory aid", "For the file"]
    assert seen(ALEX) == ["For the file", "Alex's memory aid"]
    assert seen(SAM) == ["For the file"]


def test_one_profile_is_chosen_silently_and_none_means_the_settings_name(db: Database) -> None:
    SettingsService(db.sessions).save(SchoolSettings(facilitator_name="Dana"))
    viewer, profile_id = choose_profile(db, None, interactive=True)
    assert profile_id is None and viewer.name == "Dana" and viewer.sees_unattributed
    pat = ProfileService(db.sessions).create("Pat", "administrator", pin="1234")
    viewer, profile_id = choose_profile(db, None, interactive=True)  # no dialog: only one
    assert (viewer, profile_id) == (Viewer("Pat", "administrator"), pat.id)


def test_the_chooser_asks_for_the_pin(qtbot: QtBot, db: Database) -> None:
    profiles = ProfileService(db.sessions)
    alex = profiles.create("Alex", pin="1357")
    profiles.create("Sam", "sro", pin="2468", approval=profiles.approve(alex.id, "1357"))
    chooser = ProfileChooser(profiles)
    qtbot.addWidget(chooser)
    chooser.show()
    assert chooser.windowTitle() == "Who is using circlekeeper?"
    assert unnamed_controls(chooser) == []
    chooser.profiles.setCurrentRow(1)  # Sam, who has a PIN
    assert chooser.pin.isVisible()
    chooser.pin.setText("1111")
    chooser.accept()
    assert chooser.chosen is None and chooser.isVisible() and "not right" in chooser.message.text()
    chooser.reject()  # someone must be chosen
    assert chooser.isVisible()
    chooser.pin.setText("2468")
    chooser.accept()
    assert chooser.chosen is not None and chooser.chosen.viewer == Viewer("Sam", "sro")


def test_profiles_are_managed_in_settings(qtbot: QtBot, db: Database) -> None:
    section = ProfilesSection(db)
    qtbot.addWidget(section)
    section.show()
    assert unnamed_controls(section) == []
    section.name.setText("Dana")
    section.role.setCurrentIndex(section.role.findData("counselor"))
    section.add_button.click()  # the first profile: nobody's PIN is needed yet
    section.set_pin("12")
    assert "digits" in section.status.text()
    section.set_pin("9876")
    section.name.setText("Sam Reyes")
    section.role.setCurrentIndex(section.role.findData("sro"))
    approve_when_asked(qtbot, "Dana", "9876")
    section.add_button.click()
    rows = ProfileService(db.sessions).list()
    assert [(r.name, r.role) for r in rows] == [("Dana", "counselor"), ("Sam Reyes", "sro")]
    section.list.setCurrentRow(0)
    section.name.setText("Dana Whitfield")
    approve_when_asked(qtbot, "Dana", "9876")
    section.save_button.click()
    dana = ProfileService(db.sessions).get(section.selected_id() or 0)
    assert dana.name == "Dana Whitfield" and dana.has_pin
    assert ProfileService(db.sessions).verify_pin(dana.id, "9876")


@pytest.fixture
def pin_window(qtbot: QtBot, home: Path) -> Iterator[MainWindow]:
    path = home / "plain.sqlite3"
    db = open_database(path)
    SettingsService(db.sessions).save(SchoolSettings(welcome_done="1"))
    ProfileService(db.sessions).create("Dana", pin="4321")
    db.close()
    main = MainWindow()
    qtbot.addWidget(main)
    assert main.open_database(path, interactive=False)
    yield main
    main.close_database()


def test_the_profile_pin_unlocks_an_unencrypted_database(qtbot: QtBot, pin_window) -> None:
    assert pin_window.viewer == Viewer("Dana") and pin_window.profile_id is not None
    pin_window.show()
    pin_window.guard.lock()
    cover = pin_window.findChildren(LockCover)[0]
    assert cover.field is not None and cover.field.accessibleName() == "PIN to unlock"
    cover.field.setText("0000")
    cover._unlock()
    assert pin_window.guard.locked and cover.message is not None
    assert "PIN is not right" in cover.message.text()
    assert not pin_window.guard.unlock("")
    assert pin_window.guard.unlock("4321") and not pin_window.guard.locked


def test_dialogs_opened_anywhere_use_the_main_windows_viewer(qtbot: QtBot, home: Path) -> None:
    path = home / "sro.sqlite3"
    db = open_database(path)
    profiles = ProfileService(db.sessions)
    dana = profiles.create("Dana", pin="1111")
    profiles.create("Sam", "sro", approval=profiles.approve(dana.id, "1111"))
    # Without asking (a test), the profile named in Settings is the one used.
    SettingsService(db.sessions).save(SchoolSettings(facilitator_name="Sam", welcome_done="1"))
    jo = PeopleService(db.sessions).create(PersonData("Jo", "Park", gender="F")).id
    db.close()
    main = MainWindow()
    qtbot.addWidget(main)
    assert main.open_database(path, interactive=False)
    assert current_viewer(main.database) == SAM
    dialog = PersonDialog(PeopleService(main.database.sessions), jo)  # type: ignore[union-attr]
    qtbot.addWidget(dialog)
    assert dialog.equity_toggle.isHidden() and dialog.gender.text() == ""
    main.close_database()
