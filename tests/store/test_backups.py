"""Rotating backups, the list of them, and restore returning exactly the saved data."""

from __future__ import annotations

import hashlib
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from tests.store.seed import plain_contents, seed

from circlekeeper.core.audit import audit
from circlekeeper.core.paths import backups_dir
from circlekeeper.core.store.backups import (
    EVERY_SETTING,
    KEEP_SETTING,
    backup_at_start,
    list_backups,
    make_backup,
    maybe_backup,
    newest_good_backup,
    restore_backup,
    verify_backup,
)
from circlekeeper.core.store.database import (
    Database,
    DatabaseProblem,
    PassphraseNeeded,
    backup_database,
    open_database,
)
from circlekeeper.core.store.models import Setting

pytestmark = pytest.mark.sqlite_only("backups by file copy; a server has its own")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _set(db: Database, key: str, value: str) -> None:
    with db.sessions.begin() as session:
        session.merge(Setting(key=key, value=value))


def test_restore_returns_exactly_the_saved_data_and_keeps_the_current_file(db: Database) -> None:
    seed(db, tag="before")
    backup = make_backup(db, "manual").path
    saved = plain_contents(backup)
    seed(db, tag="after")  # changes made after the backup
    db.close()
    current = _digest(db.path)
    result = restore_backup(db.path, backup)
    assert plain_contents(db.path) == saved
    assert result.moved_aside is not None and _digest(result.moved_aside) == current
    reopened = open_database(db.path)
    reopened.close()


def test_start_backup_is_made_once_a_day(db: Database) -> None:
    first = backup_at_start(db)
    assert first is not None and first.reason == "start"
    assert backup_at_start(db) is None
    assert backup_at_start(db, now=datetime.now() + timedelta(days=1, minutes=1)) is not None


def test_maybe_backup_copies_after_n_changes_and_rotation_keeps_n(db: Database) -> None:
    _set(db, EVERY_SETTING, "3")
    _set(db, KEEP_SETTING, "2")
    make_backup(db, "manual")
    assert maybe_backup(db) is None
    made = []
    for n in range(12):
        with db.sessions.begin() as session:
            audit.record(session, "create", "person", f"u{n}")
        copy = maybe_backup(db)
        if copy is not None:
            made.append(copy)
    assert len(made) == 4
    listed = list_backups(db.path)
    assert [b.reason for b in listed].count("changes") == 2  # rotated to keep 2
    assert [b.reason for b in listed].count("manual") == 1  # copies made by hand stay
    assert listed == sorted(listed, key=lambda b: b.at, reverse=True)
    assert all(b.size > 0 for b in listed)


def test_an_unwritable_backup_folder_is_explained_and_the_database_unchanged(
    db: Database,
) -> None:
    seed(db)
    folder = backups_dir(db.path)
    folder.mkdir()
    os.chmod(folder, 0o555)
    before = plain_contents(db.path)
    try:
        with pytest.raises(DatabaseProblem, match="Could not write a backup .* not changed"):
            make_backup(db)
        with pytest.raises(DatabaseProblem, match="Could not write a backup"):
            backup_database(db.path, reason="manual")
    finally:
        os.chmod(folder, 0o755)
    assert plain_contents(db.path) == before
    assert list(folder.iterdir()) == []


def test_a_damaged_backup_is_refused_and_skipped(db: Database) -> None:
    seed(db)
    good = make_backup(db, "manual").path
    bad = make_backup(db, "manual").path
    with bad.open("r+b") as handle:
        handle.seek(4096 * 2)
        handle.write(b"\xff" * 4096)
    with pytest.raises(DatabaseProblem, match="damaged"):
        verify_backup(bad)
    assert newest_good_backup(db.path) == good
    db.close()
    before = _digest(db.path)
    with pytest.raises(DatabaseProblem):
        restore_backup(db.path, bad)
    assert _digest(db.path) == before


def test_restoring_an_encrypted_backup_needs_its_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "secret.sqlite3"
    db = open_database(path, passphrase="pw long enough")
    seed(db)
    backup = make_backup(db, "manual").path
    db.close()
    with pytest.raises(PassphraseNeeded):
        restore_backup(path, backup)
    restore_backup(path, backup, passphrase="pw long enough")
    open_database(path, passphrase="pw long enough").close()
