"""Opening a database: created when missing, migrated when older, refused when unusable."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from circlekeeper.core.store import database as database_module
from circlekeeper.core.store.database import (
    DatabaseProblem,
    SchemaState,
    inspect_schema,
    open_database,
)
from circlekeeper.core.store.models import Person
from circlekeeper.core.store.types import utcnow


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_missing_file_is_created_with_its_folders(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "records.sqlite3"
    db = open_database(path)
    db.close()
    assert inspect_schema(path).state is SchemaState.CURRENT


@pytest.mark.sqlite_only("SQLite's pragmas; a server enforces references itself")
def test_foreign_keys_and_wal_are_on(db) -> None:
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_a_database_from_a_newer_version_is_refused_and_left_unchanged(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    conn.close()
    before = _digest(db_path)
    with pytest.raises(DatabaseProblem, match="newer version"):
        open_database(db_path)
    assert _digest(db_path) == before


def test_a_file_that_is_not_a_database_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("These are my notes, not a database.\n" * 20)
    before = _digest(path)
    with pytest.raises(DatabaseProblem, match="not a circlekeeper database"):
        open_database(path)
    assert _digest(path) == before


def test_another_programs_sqlite_file_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE grades (student TEXT, mark INTEGER)")
    conn.close()
    before = _digest(path)
    with pytest.raises(DatabaseProblem, match="not one made by circlekeeper"):
        open_database(path)
    assert _digest(path) == before


def test_a_folder_given_as_the_database_is_explained(tmp_path: Path) -> None:
    with pytest.raises(DatabaseProblem, match="is a folder"):
        open_database(tmp_path)


def test_a_read_only_database_file_is_explained(db_path: Path) -> None:
    before = _digest(db_path)
    os.chmod(db_path, 0o444)
    try:
        with pytest.raises(DatabaseProblem, match="read-only"):
            open_database(db_path)
    finally:
        os.chmod(db_path, 0o644)
    assert _digest(db_path) == before


def test_a_read_only_folder_for_a_new_database_is_explained(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    os.chmod(folder, 0o555)
    try:
        with pytest.raises(DatabaseProblem, match="read-only"):
            open_database(folder / "records.sqlite3")
        assert not (folder / "records.sqlite3").exists()
    finally:
        os.chmod(folder, 0o755)


def test_an_older_database_is_backed_up_before_it_is_migrated(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a file at the current schema, and a program that knows one version more
    db = open_database(db_path)
    with db.sessions.begin() as session:
        session.add(Person(first_name="Ana", last_name="Ruiz", search_text="ana ruiz"))
    db.close()
    monkeypatch.setattr(database_module, "REVISIONS", (*database_module.REVISIONS, "9999_next"))
    monkeypatch.setattr(database_module, "HEAD", "9999_next")
    upgraded: list[Path] = []
    monkeypatch.setattr(database_module, "upgrade_schema", lambda engine: upgraded.append(engine))
    # When it is opened
    db = open_database(db_path)
    db.close()
    # Then a backup holding the data was written before the upgrade ran
    assert upgraded
    assert db.backup is not None and db.backup.exists()
    with sqlite3.connect(db.backup) as conn:
        assert conn.execute("SELECT first_name FROM person").fetchall() == [("Ana",)]
    conn.close()


def test_a_current_database_opens_without_importing_alembic(db_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path;"
        "from circlekeeper.core.store.database import open_database;"
        f"open_database(Path({str(db_path)!r})).close();"
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_audit_trail_refuses_edits_and_deletions(db) -> None:
    from circlekeeper.core.audit import audit

    with db.sessions.begin() as session:
        audit.record(session, "create", "person", "u1")
    with db.engine.connect() as conn:
        for statement in ("UPDATE audit_event SET actor = 'x'", "DELETE FROM audit_event"):
            with pytest.raises(Exception, match="audit trail cannot be changed"):
                conn.execute(text(statement))
            conn.rollback()


def test_times_are_stored_aware_and_naive_times_are_refused(db) -> None:
    with db.sessions.begin() as session:
        person = Person(first_name="Ana", last_name="Ruiz", search_text="")
        session.add(person)
    with db.sessions() as session:
        stored = session.get(Person, person.id)
        assert stored is not None and stored.created_at.tzinfo is not None
        assert abs((stored.created_at - utcnow()).total_seconds()) < 3600
    with pytest.raises(Exception, match="time zone"), db.sessions.begin() as session:
        session.add(
            Person(first_name="B", last_name="C", search_text="", archived_at=datetime(2026, 1, 1))
        )


@pytest.mark.sqlite_only("a backup by file copy; a server's backups are pg_dump files")
def test_backup_is_a_consistent_copy(db, tmp_path: Path) -> None:
    with db.sessions.begin() as session:
        session.add(Person(first_name="Zoë", last_name="Núñez", search_text="zoe nunez"))
    target = database_module.backup_database(db.path, tmp_path / "copy.sqlite3")
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT last_name FROM person").fetchall() == [("Núñez",)]
    conn.close()
    with pytest.raises(DatabaseProblem, match="already exists"):
        database_module.backup_database(db.path, target)
    shutil.rmtree(tmp_path / "unused", ignore_errors=True)
