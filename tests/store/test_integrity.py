"""Damage at start and faults while writing: plain messages, nothing overwritten or lost."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session
from tests.store.seed import plain_contents, seed

from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.store.backups import list_backups, make_backup, restore_backup
from circlekeeper.core.store.database import (
    DamagedDatabase,
    Database,
    DatabaseProblem,
    open_database,
    quick_check,
    set_aside_damaged,
)
from circlekeeper.core.store.models import Person
from circlekeeper.core.store.schema_version import REVISIONS

pytestmark = pytest.mark.sqlite_only("damage to the file's pages and header; a server has its own")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _closed_with_backup(db: Database) -> Path:
    seed(db)
    backup = make_backup(db, "manual").path
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return backup


def _assert_moved_aside(problem: DamagedDatabase, path: Path, damaged: str) -> None:
    assert not path.exists()
    assert problem.moved_to is not None
    assert problem.moved_to.name.startswith(f"{path.name}.damaged-")
    assert _digest(problem.moved_to) == damaged  # kept byte for byte


def test_quick_check_says_ok_on_a_healthy_file(db_path: Path) -> None:
    assert quick_check(db_path) == ["ok"]


def _damage_a_page(path: Path) -> None:
    with path.open("r+b") as handle:  # scribble over a page in the middle of the file
        handle.seek(4096 * 3)
        handle.write(b"\x0d" + b"\xff" * 4095)


def test_a_damaged_page_is_caught_before_the_first_write_and_nothing_is_written(
    db: Database,
) -> None:
    # Given a damaged page deep inside a file with a good backup
    backup = _closed_with_backup(db)
    path = db.path
    _damage_a_page(path)
    damaged = _digest(path)
    # When it is opened: the page check is off the start path, so the records can show
    opened = open_database(path)
    assert opened.integrity is not None and not opened.integrity.checked
    # Then the first write runs the check, is refused, and so is every later one
    people = PeopleService(opened.sessions)
    for _ in range(2):
        with pytest.raises(DamagedDatabase, match="is damaged .* Nothing was changed") as caught:
            people.create(PersonData(first_name="Never", last_name="Saved"))
    assert caught.value.suggested_backup == backup
    opened.close()
    assert _digest(path) == damaged
    assert "Never" not in str(plain_contents(backup))


def test_a_file_found_damaged_once_open_is_moved_aside_and_a_backup_offered(
    db: Database,
) -> None:
    # Given a damaged file opened (the check deferred)
    backup = _closed_with_backup(db)
    path = db.path
    _damage_a_page(path)
    damaged = _digest(path)
    opened = open_database(path)
    # When the deferred check runs (on a worker once the records show, or before a backup)
    with pytest.raises(DamagedDatabase) as found:
        make_backup(opened, "start")
    assert len(list_backups(path)) == 1  # no copy of damaged pages was made
    # Then the file is set aside byte for byte, as an opening would, and the backup offered
    moved = set_aside_damaged(opened, found.value)
    _assert_moved_aside(moved, path, damaged)
    assert moved.suggested_backup == backup
    restore_backup(path, backup)
    open_database(path).close()
    assert plain_contents(path) == plain_contents(backup)


def test_a_file_needing_an_upgrade_is_checked_before_migrating(db: Database) -> None:
    # Given a damaged file made by an older release (upgrading it would write at once)
    _closed_with_backup(db)
    path = db.path
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (REVISIONS[-2],))
    conn.close()
    _damage_a_page(path)
    damaged = _digest(path)
    # Then opening checks first and moves it aside, unchanged
    with pytest.raises(DamagedDatabase, match="moved aside") as caught:
        open_database(path)
    _assert_moved_aside(caught.value, path, damaged)


def test_a_file_cut_short_is_moved_aside(db: Database) -> None:
    backup = _closed_with_backup(db)
    path = db.path
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    damaged = _digest(path)
    with pytest.raises(DamagedDatabase, match="cut short") as caught:
        open_database(path)
    _assert_moved_aside(caught.value, path, damaged)
    assert caught.value.suggested_backup == backup


def test_damaged_header_bytes_are_explained_and_moved_aside(db: Database) -> None:
    _closed_with_backup(db)
    path = db.path
    with path.open("r+b") as handle:
        handle.write(b"\x00" * 16)
    damaged = _digest(path)
    with pytest.raises(DamagedDatabase, match="header") as caught:
        open_database(path)
    _assert_moved_aside(caught.value, path, damaged)


def test_a_damaged_file_never_overwrites_an_earlier_damaged_copy(db: Database) -> None:
    _closed_with_backup(db)
    path = db.path
    original = path.read_bytes()
    moved = []
    for _ in range(2):
        path.write_bytes(b"\x00" * 16 + original[16:])
        with pytest.raises(DamagedDatabase) as caught:
            open_database(path)
        moved.append(caught.value.moved_to)
    assert moved[0] != moved[1] and all(m is not None and m.exists() for m in moved)


def test_disk_full_fails_plainly_and_keeps_what_was_saved(db: Database) -> None:
    seed(db)
    before = plain_contents(db.path)
    with db.engine.connect() as conn:
        pages = conn.execute(text("PRAGMA page_count")).scalar()
        conn.execute(text(f"PRAGMA max_page_count = {pages}"))  # the disk is now "full"
        session = Session(bind=conn)
        with pytest.raises(DatabaseProblem, match="disk is full.*saved before it is safe"):
            for n in range(2000):
                session.add(Person(first_name="x" * 90, last_name=str(n), search_text="y" * 300))
                session.flush()
        session.rollback()
        session.close()
        conn.rollback()
    db.close()
    assert plain_contents(db.path) == before
    assert quick_check(db.path) == ["ok"]
