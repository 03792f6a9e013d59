"""Opening the records in the app: the passphrase prompt and the damaged-file offer."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from tests.ui.a11y import unnamed_controls

from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.store.backups import make_backup
from circlekeeper.core.store.database import Database, open_database
from circlekeeper.ui.main_window import MainWindow
from circlekeeper.ui.security.damaged import DamagedDialog
from circlekeeper.ui.security.passphrase import PassphraseDialog

PASSPHRASE = "a quiet morning circle"


@pytest.fixture
def encrypted(home: Path, migrated_template: Path) -> Path:
    path = home / "circlekeeper.sqlite3"
    db = open_database(path, passphrase=PASSPHRASE)
    PeopleService(db.sessions).create(PersonData(first_name="Amara", last_name="Okafor"))
    _welcomed(db)
    db.close()
    return path


def _welcomed(db: Database) -> None:
    """Mark the first-run welcome as answered, so opening shows nothing else."""
    SettingsService(db.sessions).save(SchoolSettings(welcome_done="1"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


failures: list[BaseException] = []


@pytest.fixture(autouse=True)
def _no_failures_in_dialogs():
    failures.clear()
    yield
    if failures:
        raise failures[0]


def _when_modal(qtbot, act: Callable[[QWidget], None]) -> None:
    """Run ``act`` on the next modal dialog, once it is shown."""

    def step() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, step)
            return
        try:
            act(dialog)
        except BaseException as error:  # a failed check must not leave the dialog waiting
            failures.append(error)
            dialog.close()
            if dialog.isVisible() and hasattr(dialog, "reject"):
                dialog.reject()

    QTimer.singleShot(0, step)


def test_a_wrong_passphrase_is_said_plainly_and_the_right_one_opens(qtbot, encrypted: Path):
    window = MainWindow()
    qtbot.addWidget(window)
    seen: dict[str, object] = {}

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, PassphraseDialog)
        seen["unnamed"] = unnamed_controls(dialog)
        dialog.field.setText("not it")
        dialog.open_button.click()
        seen["message"] = dialog.message.text()
        seen["still_open"] = dialog.isVisible()
        dialog.field.setText(PASSPHRASE)
        dialog.open_button.click()

    _when_modal(qtbot, answer)
    assert window.open_database(encrypted, interactive=True)
    assert seen["unnamed"] == []
    assert "not right" in str(seen["message"])
    assert seen["still_open"] is True
    assert window.database is not None and window.database.encrypted
    assert [p.first_name for p in PeopleService(window.database.sessions).search("")] == ["Amara"]
    window.close_database()


def test_cancel_opens_nothing_and_leaves_the_file_as_it_was(qtbot, encrypted: Path):
    before = _digest(encrypted)
    window = MainWindow()
    qtbot.addWidget(window)
    _when_modal(qtbot, lambda dialog: dialog.reject())
    assert not window.open_database(encrypted, interactive=True)
    assert window.database is None
    assert _digest(encrypted) == before


def _damage(path: Path) -> None:
    with path.open("r+b") as handle:  # scribble over a page in the middle of the file
        handle.seek(4096 * 3)
        handle.write(b"\x0d" + b"\xff" * 4095)


def _check_after_opening(qtbot, window: MainWindow, *, reopens: bool = True) -> None:
    """Run the check that follows the first screen (as the app does) and wait for the offer."""
    first = window.database
    assert window.guard is not None and window.guard.backup_at_start() is not None
    qtbot.waitUntil(lambda: window.database is not first, timeout=10000)
    if reopens:
        qtbot.waitUntil(lambda: window.database is not None, timeout=10000)


def _with_backup(db_path: Path) -> Path:
    db = open_database(db_path)
    PeopleService(db.sessions).create(PersonData(first_name="Bo", last_name="Lindqvist"))
    _welcomed(db)
    backup = make_backup(db, "manual").path
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return backup


def test_a_damaged_file_is_moved_aside_and_the_newest_backup_restored(qtbot, db_path: Path):
    backup = _with_backup(db_path)
    _damage(db_path)
    damaged = _digest(db_path)
    window = MainWindow()
    qtbot.addWidget(window)
    seen: dict[str, object] = {}

    def restore(dialog: QWidget) -> None:
        assert isinstance(dialog, DamagedDialog)
        seen["unnamed"] = unnamed_controls(dialog)
        seen["text"] = " ".join(
            label.text() for label in dialog.findChildren(type(dialog.backup_label))
        )
        assert dialog.restore_button is not None
        dialog.restore_button.click()

    # The records show first; the page check runs on a worker just after (with the backup)
    assert window.open_database(db_path, interactive=True)
    _when_modal(qtbot, restore)
    _check_after_opening(qtbot, window)
    assert seen["unnamed"] == []
    assert "moved aside" in str(seen["text"]) and backup.name in str(seen["text"])
    aside = [
        p
        for p in db_path.parent.iterdir()
        if p.name.startswith(f"{db_path.name}.damaged-") and not p.name.endswith(("-wal", "-shm"))
    ]
    assert len(aside) == 1 and _digest(aside[0]) == damaged  # kept byte for byte
    assert window.database is not None
    names = [p.first_name for p in PeopleService(window.database.sessions).search("")]
    assert names == ["Bo"]
    window.close_database()


def test_a_damaged_file_can_give_way_to_an_empty_database(qtbot, db_path: Path):
    _with_backup(db_path)
    _damage(db_path)
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_database(db_path, interactive=True)
    _when_modal(qtbot, lambda dialog: dialog.empty_button.click())  # type: ignore[attr-defined]
    _check_after_opening(qtbot, window)
    assert window.database is not None
    assert PeopleService(window.database.sessions).search("") == []
    window.close_database()


def test_quitting_at_the_damage_offer_opens_nothing(qtbot, db_path: Path):
    _with_backup(db_path)
    _damage(db_path)
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_database(db_path, interactive=True)
    _when_modal(qtbot, lambda dialog: dialog.quit_button.click())  # type: ignore[attr-defined]
    _check_after_opening(qtbot, window, reopens=False)
    assert window.database is None
    assert not db_path.exists()  # moved aside, not deleted; nothing new made in its place
