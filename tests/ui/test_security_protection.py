"""Settings → Protection through the UI: encryption, passphrase change, backups, retention."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from tests.store.retention_seed import GONE_WORDS, KEPT_WORDS, files_holding, plant
from tests.store.seed import seed
from tests.ui.a11y import unnamed_controls

from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.search.search import search
from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.store.backups import make_backup
from circlekeeper.core.store.database import inspect_schema, is_encrypted, open_database
from circlekeeper.core.store.problems import WrongPassphrase
from circlekeeper.ui.main_window import MainWindow
from circlekeeper.ui.security.passphrase import NewPassphraseDialog
from circlekeeper.ui.security.protection import ProtectionSection, RetentionDialog

failures: list[BaseException] = []
told: list[str] = []


@pytest.fixture(autouse=True)
def _quiet_messages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Message boxes are recorded, not shown; a failed check in a dialog fails the test."""
    failures.clear()
    told.clear()

    def record(_parent: object, _title: str, text: str, *_a: object) -> object:
        told.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "information", record)
    monkeypatch.setattr(QMessageBox, "warning", record)
    monkeypatch.setattr(QMessageBox, "critical", record)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    yield
    if failures:
        raise failures[0]


def _when_modal(act: Callable[[QWidget], None]) -> None:
    def step() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NewPassphraseDialog) and not hasattr(dialog, "field"):
            QTimer.singleShot(20, step)
            return
        try:
            act(dialog)
        except BaseException as error:
            failures.append(error)
            dialog.reject()  # type: ignore[attr-defined]

    QTimer.singleShot(0, step)


@pytest.fixture
def window(qtbot, db_path: Path) -> Iterator[MainWindow]:
    db = open_database(db_path)
    SettingsService(db.sessions).save(
        SchoolSettings(facilitator_name="Ms Rivera", welcome_done="1")
    )
    PeopleService(db.sessions).create(PersonData(first_name="Quillonette", last_name="Ashgrove"))
    db.close()
    main = MainWindow()
    qtbot.addWidget(main)
    assert main.open_database(db_path, interactive=False)
    main.show()
    yield main
    main.guard.wait_for_backup()
    main.close_database()


def _section(window: MainWindow) -> ProtectionSection:
    return window.settings_view.protection


def _names(window: MainWindow) -> list[str]:
    assert window.database is not None
    return sorted(p.first_name for p in PeopleService(window.database.sessions).search(""))


def test_protection_controls_are_named(window: MainWindow) -> None:
    window.show_area(window.navigation.count() - 1)
    assert unnamed_controls(window.settings_view) == []


def test_encryption_on_change_and_off_through_settings(window: MainWindow) -> None:
    path = window.database.path  # type: ignore[union-attr]

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, NewPassphraseDialog)
        dialog.new.setText("first passphrase")
        dialog.confirm.setText("first passphrasf")
        dialog.accept()
        assert dialog.isVisible() and "not the same" in dialog.message.text()
        dialog.confirm.setText("first passphrase")
        dialog.accept()

    _when_modal(choose)
    assert _section(window).toggle_encryption()
    assert is_encrypted(path) and window.database is not None and window.database.encrypted
    assert b"Quillonette" not in path.read_bytes()
    assert _names(window) == ["Quillonette"]
    assert _section(window).encrypt_button.text().replace("&", "").startswith("Turn encryption off")

    def change(dialog: QWidget) -> None:
        assert isinstance(dialog, NewPassphraseDialog)
        dialog.current.setText("first passphrase")
        dialog.new.setText("second passphrase")
        dialog.confirm.setText("second passphrase")
        dialog.accept()

    _when_modal(change)
    assert _section(window).change_passphrase()
    inspect_schema(path, "second passphrase")  # opens with the new one
    with pytest.raises(WrongPassphrase):
        inspect_schema(path, "first passphrase")
    assert _names(window) == ["Quillonette"]

    def off(dialog: QWidget) -> None:
        assert isinstance(dialog, NewPassphraseDialog)
        dialog.current.setText("second passphrase")
        dialog.accept()

    _when_modal(off)
    assert _section(window).toggle_encryption()
    assert not is_encrypted(path)
    assert _names(window) == ["Quillonette"]


def test_back_up_now_then_restore_moves_the_current_file_aside(window: MainWindow) -> None:
    section = _section(window)
    info = section.back_up_now()
    assert info is not None and info.path.exists()
    assert section.backups.count() == 1
    PeopleService(window.database.sessions).create(  # type: ignore[union-attr]
        PersonData(first_name="Later", last_name="Person")
    )
    path = window.database.path  # type: ignore[union-attr]
    section.backups.setCurrentRow(0)
    assert section.restore_selected()
    assert _names(window) == ["Quillonette"]
    aside = [p for p in path.parent.iterdir() if ".before-restore-" in p.name]
    assert aside, "the replaced database is kept beside it"
    assert any("restored" in text for text in told)


def test_retention_preview_and_typed_confirmation(window: MainWindow, qtbot) -> None:
    assert window.database is not None
    old = seed(window.database, closed_on=date(2015, 3, 1), tag="old")
    seed(window.database, tag="open")
    section = _section(window)
    section.years.setValue(5)
    dialog = section.preview()
    assert isinstance(dialog, RetentionDialog)
    qtbot.addWidget(dialog)
    assert [c.case_id for c in dialog.candidates] == [old["case"]]
    assert dialog.table.rowCount() == 1
    assert "1 closed cases" in dialog.summary.text()
    assert "No backup holds records older than the rule" in dialog.backups_label.text()
    assert unnamed_controls(dialog) == []
    dialog.purge.setChecked(True)
    assert not dialog.apply_button.isEnabled()
    dialog.confirm.setText("anonymise")  # the other word does not do
    assert not dialog.apply_button.isEnabled()
    dialog.confirm.setText("delete")
    assert dialog.apply_button.isEnabled()
    dialog.apply_button.click()
    assert dialog.outcome.cases == 1
    assert "1 cases and 1 circles deleted" in dialog.result_label.text()
    from circlekeeper.core.retention.retention import preview_retention

    assert preview_retention(window.database.sessions, 5, date.today()) == []
    dialog.close()


def test_retention_in_the_dialog_wipes_the_file_and_rewrites_the_backups(
    window: MainWindow, qtbot, home: Path
) -> None:
    # Given old records, a backup that holds them, and the dialog open on a 5-year rule
    database = window.database
    assert database is not None
    window.guard.wait_for_backup()
    plant(database, date.today())
    make_backup(database, "manual")
    section = _section(window)
    section.years.setValue(5)
    dialog = section.preview()
    assert isinstance(dialog, RetentionDialog)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 4  # a case, a circle tied to no case, two who left
    assert "1 backup still holds records older than the rule" in dialog.backups_label.text()
    assert unnamed_controls(dialog) == []

    # When "delete" is chosen, the backups are to be rewritten, and the word is typed
    dialog.purge.setChecked(True)
    dialog.rewrite_backups.setChecked(True)
    dialog.confirm.setText("delete")
    dialog.apply_button.click()

    # Then nothing in the data folder holds a removed word, and the kept records are there
    assert dialog.outcome is not None and dialog.outcome.people == 2
    assert "The same rule was applied to 1 backups" in dialog.result_label.text()
    assert files_holding(home, list(GONE_WORDS.values())) == {}
    assert dialog.table.rowCount() == 0
    assert "No backup holds records older than the rule" in dialog.backups_label.text()
    assert any(hit.title for hit in search(database.sessions, KEPT_WORDS["loose_title"]))
    dialog.close()


def test_encryption_is_refused_while_another_program_holds_the_file(window: MainWindow) -> None:
    from tests.e2e.test_rewrite_in_use import REFUSAL, Holder

    path = window.database.path  # type: ignore[union-attr]
    # Given another program with the records open (this window's own connections are closed
    # by the rewrite itself, so only the other program stands in the way)
    holder = Holder(path, None)
    try:

        def choose(dialog: QWidget) -> None:
            assert isinstance(dialog, NewPassphraseDialog)
            dialog.new.setText("first passphrase")
            dialog.confirm.setText("first passphrase")
            dialog.accept()

        _when_modal(choose)
        # When encryption is turned on, it is refused in plain words
        assert not _section(window).toggle_encryption()
        assert any(REFUSAL in text for text in told), told
        # and the window has its records back, unencrypted and unchanged
        assert window.database is not None and not window.database.encrypted
        assert not is_encrypted(path) and _names(window) == ["Quillonette"]
        holder.write("saved-by-the-other-program")
    finally:
        holder.close()
    with window.database.engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT value FROM setting WHERE key = 'saved-by-the-other-program'"
        ).first()
    assert row is not None and row[0] == "kept"
