"""The main window's active profile is the actor and viewer of every operation on its database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from circlekeeper.core.audit import audit
from circlekeeper.core.profiles.profiles import ProfileService
from circlekeeper.core.profiles.viewer import NOBODY, Viewer
from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.store.database import Database, open_database
from circlekeeper.core.store.models import AuditEvent, Person
from circlekeeper.ui.main_window import MainWindow
from circlekeeper.ui.operations import context_for, hub_for
from circlekeeper.ui.profiles import current_viewer


def _window(qtbot: QtBot, path: Path) -> MainWindow:
    main = MainWindow()
    qtbot.addWidget(main)
    assert main.open_database(path, interactive=False)
    return main


@pytest.fixture
def two_profiles(home: Path) -> Path:
    """A database with a counselor (Dana, PIN) and an SRO (Sam); Settings names Dana."""
    path = home / "profiles.sqlite3"
    db = open_database(path)
    profiles = ProfileService(db.sessions)
    dana = profiles.create("Dana", pin="1111")
    profiles.create("Sam", "sro", approval=profiles.approve(dana.id, "1111"))
    SettingsService(db.sessions).save(SchoolSettings(facilitator_name="Dana", welcome_done="1"))
    db.close()
    return path


@pytest.fixture
def window(qtbot: QtBot, two_profiles: Path) -> Iterator[MainWindow]:
    main = _window(qtbot, two_profiles)
    yield main
    main.close_database()


def _add_person(database: Database, first: str) -> None:
    with context_for(database).write("add person") as session:
        person = Person(first_name=first, last_name="Lopez", kind="student")
        session.add(person)
        session.flush()
        audit.record(session, "create", "person", person.uuid)


def _actors(database: Database) -> list[str]:
    with database.sessions() as session:
        return list(session.scalars(select(AuditEvent.actor).order_by(AuditEvent.id)))


def test_the_windows_profile_acts_and_looks_in_every_operation(window: MainWindow) -> None:
    # Given a window opened without asking: the profile named in Settings (Dana) is used
    database = window.database
    assert database is not None and window.viewer == Viewer("Dana")
    context = context_for(database)
    assert context.actor() == "Dana" and context.viewer() == Viewer("Dana")
    assert current_viewer(database) == Viewer("Dana")
    # When a write runs through the database's context, the audit line names Dana
    _add_person(database, "Ana")
    # And when the window's profile changes, the next operation names the new one at once
    window.viewer = Viewer("Sam", "sro")
    assert current_viewer(database).is_sro
    _add_person(database, "Bea")
    assert _actors(database)[-2:] == ["Dana", "Sam"]


def test_a_screen_listening_before_the_window_registered_keeps_hearing(
    qtbot: QtBot, window: MainWindow
) -> None:
    database = window.database
    assert database is not None
    heard: list[object] = []
    hub_for(database).changed.connect(heard.append)
    window.register_context(database)  # a second registration (a sign-in as someone else)
    _add_person(database, "Cai")
    qtbot.waitUntil(lambda: len(heard) == 1)


def test_a_database_no_window_shows_gets_no_other_windows_viewer(
    qtbot: QtBot, window: MainWindow, home: Path, two_profiles: Path
) -> None:
    # Given Dana's window on one file, and the same file opened again by something else
    other = open_database(two_profiles)
    try:
        # Then that second opening is nobody's until a window says who uses it (no scanning
        # of top-level windows for a viewer)
        assert current_viewer(other) == NOBODY
        assert current_viewer(sessions=other.sessions) == NOBODY
        assert current_viewer(sessions=window.database.sessions) == Viewer("Dana")  # type: ignore[union-attr]
    finally:
        other.close()


def test_without_profiles_the_facilitator_in_settings_is_the_actor(
    qtbot: QtBot, home: Path
) -> None:
    path = home / "single.sqlite3"
    db = open_database(path)
    SettingsService(db.sessions).save(
        SchoolSettings(facilitator_name="Ms. Rivera", welcome_done="1")
    )
    db.close()
    main = _window(qtbot, path)
    assert main.database is not None
    assert context_for(main.database).actor() == "Ms. Rivera"
    _add_person(main.database, "Dee")
    assert _actors(main.database)[-1] == "Ms. Rivera"
    main.close_database()


def test_renaming_the_one_user_in_settings_renames_the_actor(qtbot: QtBot, home: Path) -> None:
    path = home / "single.sqlite3"
    db = open_database(path)
    SettingsService(db.sessions).save(SchoolSettings(facilitator_name="Dana", welcome_done="1"))
    db.close()
    main = _window(qtbot, path)
    assert main.database is not None
    main.settings_view.facilitator_name.setText("Dana Ruiz")
    assert main.settings_view.save()
    assert context_for(main.database).actor() == "Dana Ruiz"
    assert "Dana Ruiz" in main.profile_label.text()
    main.close_database()


def test_a_name_typed_in_settings_never_signs_in_as_that_profile(window: MainWindow) -> None:
    # Given nobody signed in where profiles exist (a start without asking gave Dana, so
    # make the window nobody's, as an unanswered chooser leaves it)
    window.viewer, window.profile_id = NOBODY, None
    window.settings_view.facilitator_name.setText("Sam")
    assert window.settings_view.save()
    assert window.viewer == NOBODY
