"""The first-run welcome offers to protect the records with a passphrase."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.settings.settings import SettingsService
from circlekeeper.core.store.database import Database, is_encrypted, open_database
from circlekeeper.ui.main_window import MainWindow
from circlekeeper.ui.security.passphrase import NewPassphraseDialog
from circlekeeper.ui.welcome import EMPTY, WelcomeDialog

from .a11y import unnamed_controls


@pytest.fixture(autouse=True)
def _quiet_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    ok = QMessageBox.StandardButton.Ok
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *_a, **_k: ok)


def test_the_welcome_offers_a_passphrase(qtbot: QtBot, db: Database) -> None:
    dialog = WelcomeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.protect.isHidden() and dialog.protect.isChecked()
    assert unnamed_controls(dialog) == []
    dialog.protect.setChecked(False)
    dialog.accept()
    assert dialog.choice == EMPTY and not dialog.wants_passphrase


@pytest.fixture
def fresh_window(qtbot: QtBot, db_path: Path) -> Iterator[MainWindow]:
    db = open_database(db_path)
    PeopleService(db.sessions).create(PersonData(first_name="Quillonette", last_name="Ashgrove"))
    db.close()
    main = MainWindow()
    qtbot.addWidget(main)
    assert main.open_database(db_path, interactive=False)
    main.show()
    yield main
    main.guard.wait_for_backup()
    main.close_database()


def test_protecting_from_the_welcome_encrypts_the_file(
    qtbot: QtBot, fresh_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fresh_window.database.path  # type: ignore[union-attr]

    def answer(dialog: WelcomeDialog) -> int:
        dialog.facilitator_name.setText("Dana")
        dialog.accept()
        return 1

    monkeypatch.setattr(WelcomeDialog, "exec", answer)

    def choose() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NewPassphraseDialog):
            QTimer.singleShot(20, choose)
            return
        dialog.new.setText("a long school passphrase")
        dialog.confirm.setText("a long school passphrase")
        dialog.accept()

    QTimer.singleShot(0, choose)
    fresh_window.welcome_if_first_run()
    database = fresh_window.database
    assert database is not None and database.encrypted and is_encrypted(path)
    assert b"Quillonette" not in path.read_bytes()
    assert SettingsService(database.sessions).load().facilitator_name == "Dana"


def test_protecting_with_demo_data_encrypts_the_demo_file_in_use(
    qtbot: QtBot, fresh_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from circlekeeper.core.store.crypto import SQLITE_HEADER
    from circlekeeper.core.store.problems import PassphraseNeeded
    from circlekeeper.ui.last_database import demo_database_path, remembered_database

    first = fresh_window.database.path  # type: ignore[union-attr]
    demo = demo_database_path(first)
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda _parent, _title, text, *_a: told.append(text)
    )

    # Given the welcome, answered with demo data and the passphrase box left ticked
    def answer(dialog: WelcomeDialog) -> int:
        dialog.facilitator_name.setText("Dana")
        dialog.demo.setChecked(True)
        assert dialog.protect.isChecked()
        dialog.accept()
        return 1

    monkeypatch.setattr(WelcomeDialog, "exec", answer)

    def choose() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NewPassphraseDialog):
            QTimer.singleShot(20, choose)
            return
        dialog.new.setText("a long school passphrase")
        dialog.confirm.setText("a long school passphrase")
        dialog.accept()

    QTimer.singleShot(0, choose)
    fresh_window.welcome_if_first_run()

    # Then the file in use is the demo file, and it is the one encrypted
    database = fresh_window.database
    assert database is not None and database.path == demo
    assert database.encrypted
    assert not demo.read_bytes().startswith(SQLITE_HEADER)
    # the confirmation names that file and is true of it
    assert any("Encryption is on" in text and str(demo) in text for text in told), told
    # Settings says On
    status = fresh_window.settings_view.protection.encryption_status.text()
    assert status.startswith("On")
    # The next start opens the demo file, which asks for the passphrase
    assert remembered_database() == demo
    fresh_window.guard.wait_for_backup()  # type: ignore[union-attr]
    fresh_window.close_database()
    with pytest.raises(PassphraseNeeded):
        open_database(demo)
    reopened = open_database(demo, passphrase="a long school passphrase")
    assert SettingsService(reopened.sessions).load().facilitator_name == "Dana"
    reopened.close()


def test_a_one_character_passphrase_is_refused_with_the_rule(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    from circlekeeper.core.store.crypto import MIN_PASSPHRASE_LENGTH

    dialog = NewPassphraseDialog(title="Turn encryption on", explanation="Choose a passphrase.")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.new.setText("x")
    dialog.confirm.setText("x")
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    assert f"at least {MIN_PASSPHRASE_LENGTH} characters" in dialog.message.text()
    assert MIN_PASSPHRASE_LENGTH == 8
