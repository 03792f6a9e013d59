"""Settings → Merge another laptop: choose the file, read the preview (the dry run), Merge."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog
from sqlalchemy import select
from tests.core.conftest import build_conference
from tests.merging import dump
from tests.ui.a11y import unnamed_controls

from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.encryption import encrypt_database
from circlekeeper.core.store.models import AuditEvent, Person
from circlekeeper.ui.main_window import MainWindow
from circlekeeper.ui.security.merging import MergeDialog, MergeSection
from circlekeeper.ui.security.passphrase import PassphraseDialog

SECRET = "a long laptop passphrase"


@pytest.fixture
def laptop(tmp_path: Path, migrated_template: Path) -> Path:
    path = tmp_path / "maya-laptop.sqlite3"
    shutil.copyfile(migrated_template, path)
    db = open_database(path)
    try:
        build_conference(db)
    finally:
        db.close()
    return path


@pytest.fixture
def window(qtbot, db_path: Path) -> Iterator[MainWindow]:
    db = open_database(db_path)
    SettingsService(db.sessions).save(
        SchoolSettings(facilitator_name="Ms Rivera", welcome_done="1")
    )
    db.close()
    main = MainWindow()
    qtbot.addWidget(main)
    assert main.open_database(db_path, interactive=False)
    main.resize(1366, 768)
    main.show()
    yield main
    main.guard.wait_for_backup()
    main.close_database()


def _section(window: MainWindow) -> MergeSection:
    window.show_area(window.navigation.count() - 1)
    return window.settings_view.merging


def test_choose_preview_then_merge_from_settings(
    window: MainWindow, qtbot, laptop: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the Settings section, and a file picker that returns the other laptop's file
    section = _section(window)
    assert unnamed_controls(section) == []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(laptop), ""))
    before = dump(db_path)

    # When the counselor presses the button and the preview has been read
    section.choose_button.click()
    dialog = section.dialog
    assert isinstance(dialog, MergeDialog)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)

    # Then the preview lists the changes, nothing is written yet, and every control is named
    text = dialog.listing.toPlainText()
    assert text.startswith("Dry run: merging ")
    assert "Added: 7 people" in text
    assert dump(db_path) == before
    assert dialog.merge_button.isEnabled()
    assert unnamed_controls(dialog) == []
    # And choosing another rule for records edited on both sides reads the preview again
    dialog.keep.setCurrentIndex(1)
    qtbot.waitUntil(lambda: dialog.report is not None and not dialog.busy, timeout=20_000)
    assert dialog.report.keep == "this"
    assert dialog.keep.isEnabled() and dialog.merge_button.isEnabled()
    dialog.grab().save("/tmp/merge-preview.png")
    window.grab().save("/tmp/merge-settings.png")

    # When Merge is pressed
    dialog.merge_button.click()
    qtbot.waitUntil(lambda: dialog.merged is not None, timeout=30_000)

    # Then the records are here, and the audit line names who merged
    assert dialog.listing.toPlainText().startswith("Merged ")
    assert window.database is not None
    with window.database.sessions() as session:
        people = session.scalars(select(Person.first_name)).all()
        actors = session.scalars(select(AuditEvent.actor).where(AuditEvent.action == "merge")).all()
    assert "José" in people
    assert actors == ["Ms Rivera"]
    dialog.close_button.click()
    assert not dialog.isVisible()


def test_a_file_that_is_not_a_database_is_refused_in_words(
    window: MainWindow, tmp_path: Path
) -> None:
    section = _section(window)
    wrong = tmp_path / "roster.csv"
    wrong.write_text("id,name\n", encoding="utf-8")
    assert section.open_merge(wrong) is None
    assert "is not a circlekeeper database" in section.message.text()
    assert section.dialog is None


def test_an_encrypted_laptop_asks_its_passphrase(window: MainWindow, qtbot, laptop: Path) -> None:
    encrypt_database(laptop, SECRET)
    section = _section(window)

    def type_it() -> None:
        asking = QApplication.activeModalWidget()
        if not isinstance(asking, PassphraseDialog):
            QTimer.singleShot(20, type_it)
            return
        asking.field.setText("not it")
        asking.accept()  # a wrong one keeps the dialog open and says so
        assert asking.isVisible() and "not right" in asking.message.text()
        asking.field.setText(SECRET)
        asking.accept()

    QTimer.singleShot(0, type_it)
    dialog = section.open_merge(laptop)
    assert isinstance(dialog, MergeDialog)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    assert "Added: 7 people" in dialog.listing.toPlainText()
    dialog.reject()
