"""Files circlekeeper must refuse (exit 2, plain words, nothing changed) instead of an internal
error or silent damage: a locked file, a dangling link, a missing file for a reading command,
another program's database, a stray -wal, a passphrase that is too short."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from circlekeeper.core.store.database import is_encrypted, open_database


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


READING = {
    "db check": ["db", "check"],
    "export calendar": ["export", "calendar", "-o", "{out}/c.ics"],
    "calendar export": ["calendar", "export", "-o", "{out}/c.ics"],
    "export agreement": ["export", "agreement", "1", "--format", "html", "-o", "{out}/a.html"],
}


def _args(name: str, path: Path, out: Path) -> list[str]:
    return [a.format(out=out) for a in READING[name]] + ["--database", str(path)]


# -- a database locked by another program --------------------------------------------------

LOCKER = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("INSERT INTO setting (key, value) VALUES ('locker', 'kept')")
    print("locked", flush=True)
    sys.stdin.readline()
    conn.execute("COMMIT")
    conn.close()
    """
)


@pytest.mark.parametrize("name", ["db check", "export calendar"])
def test_a_database_locked_by_another_program_is_in_use_not_an_internal_error(
    run_cli, db_path: Path, tmp_path: Path, name: str
) -> None:
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
        result = run_cli(*_args(name, db_path, tmp_path))
    finally:
        assert locker.stdin is not None
        locker.stdin.close()
        locker.wait(timeout=30)
        assert locker.stdout is not None
        locker.stdout.close()
    assert result.returncode == 2, result.stderr
    assert "in use by another program" in result.stderr
    assert "internal error" not in result.stderr
    assert not (tmp_path / "c.ics").exists()
    # the other program's write is there, and the file was not moved aside as damaged
    assert db_path.exists()
    assert not [p for p in db_path.parent.iterdir() if "damaged" in p.name]
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT value FROM setting WHERE key = 'locker'").fetchone() == (
            "kept",
        )
    conn.close()


# -- a dangling symbolic link as --database ------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["db", "upgrade"], ["db", "check"], ["export", "calendar", "-o", "{out}/c.ics"]],
    ids=["db upgrade", "db check", "export calendar"],
)
def test_a_dangling_symlink_as_database_is_refused(
    run_cli, tmp_path: Path, args: list[str]
) -> None:
    target = tmp_path / "gone" / "records.sqlite3"
    link = tmp_path / "link.sqlite3"
    link.symlink_to(target)
    result = run_cli(*[a.format(out=tmp_path) for a in args], "--database", str(link))
    assert result.returncode == 2, result.stderr
    assert "does not exist" in result.stderr and "link" in result.stderr
    assert not target.exists() and not target.parent.exists()


# -- a reading command given a path that does not exist -----------------------------------


@pytest.mark.parametrize("name", list(READING))
def test_a_reading_command_given_a_missing_path_creates_nothing(
    run_cli, tmp_path: Path, name: str
) -> None:
    path = tmp_path / "no" / "such" / "records.sqlite3"
    result = run_cli(*_args(name, path, tmp_path))
    assert result.returncode == 2, result.stderr
    assert "does not exist" in result.stderr
    assert not (tmp_path / "no").exists()


# -- another program's SQLite file with an alembic_version table ---------------------------


@pytest.fixture
def foreign(tmp_path: Path) -> Path:
    """A WAL-mode database of some other program that also uses alembic."""
    path = tmp_path / "other-program" / "inventory.db"
    path.parent.mkdir()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    conn.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
    conn.execute("CREATE TABLE widget (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    assert _beside(path) == []
    return path


@pytest.mark.parametrize("name", ["db check", "db upgrade", "export calendar"])
def test_another_programs_alembic_database_is_not_a_newer_circlekeeper(
    run_cli, foreign: Path, tmp_path: Path, name: str
) -> None:
    before = _digest(foreign)
    args = (
        ["db", "upgrade"]
        if name == "db upgrade"
        else [a.format(out=tmp_path) for a in READING[name]]
    )
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli(
        *[a.replace(str(tmp_path), str(out)) for a in args], "--database", str(foreign)
    )
    assert result.returncode == 2, result.stderr
    assert "not one made by circlekeeper" in result.stderr
    assert "newer" not in result.stderr
    assert _digest(foreign) == before
    # looking at the refused file left no -wal or -shm beside it
    assert _beside(foreign) == []


def test_a_refused_newer_database_gets_no_wal_or_shm_beside_it(run_cli, db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.close()
    assert not Path(f"{db_path}-wal").exists()
    result = run_cli(
        "export", "calendar", "-o", str(db_path.parent / "x.ics"), "--database", str(db_path)
    )
    assert result.returncode == 2 and "newer" in result.stderr
    assert not Path(f"{db_path}-wal").exists() and not Path(f"{db_path}-shm").exists()


# -- a stray -wal from another database ----------------------------------------------------

WRITER = textwrap.dedent(
    """
    import os, sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "INSERT INTO person (uuid, first_name, last_name, kind, search_text, created_at,"
        " updated_at) SELECT uuid || 'x', 'Strayling', last_name, kind, 'strayling',"
        " created_at, updated_at FROM person LIMIT 1"
    )
    conn.execute("INSERT INTO setting (key, value) VALUES ('from-the-other', 'yes')")
    os._exit(0)  # as if killed: the -wal and -shm stay
    """
)


@pytest.fixture
def stray(db_path: Path, tmp_path: Path, migrated_template: Path) -> Path:
    """db_path, closed cleanly, with another database's -wal copied beside it."""
    other = tmp_path / "other" / "other.sqlite3"
    other.parent.mkdir()
    shutil.copyfile(migrated_template, other)
    db = open_database(other)
    from circlekeeper.core.people.people import PeopleService, PersonData

    PeopleService(db.sessions).create(PersonData(first_name="Orla", last_name="Vance"))
    db.close()
    subprocess.run([sys.executable, "-c", WRITER, str(other)], check=True)
    assert Path(f"{other}-wal").stat().st_size > 0
    shutil.copyfile(f"{other}-wal", f"{db_path}-wal")
    return db_path


def _settings(path: Path) -> dict[str, str]:
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            return dict(conn.exec_driver_sql("SELECT key, value FROM setting").all())
    finally:
        db.close()


@pytest.mark.parametrize("name", ["db check", "export calendar"])
def test_a_stray_wal_is_set_aside_and_never_applied(
    run_cli, stray: Path, tmp_path: Path, name: str
) -> None:
    result = run_cli(*_args(name, stray, tmp_path))
    assert "did not belong to it" in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    aside = [p for p in stray.parent.iterdir() if ".stray-wal-" in p.name]
    assert len(aside) == 1 and aside[0].stat().st_size > 0
    assert "from-the-other" not in _settings(stray)
    assert b"Strayling" not in stray.read_bytes()


def test_a_stray_wal_stops_a_read_only_look_before_it_is_applied(stray: Path) -> None:
    from circlekeeper.core.store.database import DatabaseProblem, inspect_schema

    with pytest.raises(DatabaseProblem, match="does not belong to it"):
        inspect_schema(stray)
    assert not Path(f"{stray}-shm").exists()


def test_a_wal_left_by_this_databases_own_crash_is_applied(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    subprocess.run([sys.executable, "-c", WRITER, str(db_path)], check=True)
    result = run_cli("db", "check", "--database", str(db_path))
    assert result.returncode == 0, result.stderr
    assert "did not belong" not in result.stderr
    assert _settings(db_path).get("from-the-other") == "yes"


# -- a one-character passphrase ------------------------------------------------------------


def test_a_one_character_passphrase_is_refused_by_encrypt(run_cli, db_path: Path) -> None:
    before = _digest(db_path)
    result = run_cli("db", "encrypt", "--database", str(db_path), CIRCLEKEEPER_NEW_PASSPHRASE="x")
    assert result.returncode == 2, result.stderr
    assert "at least 8 characters" in result.stderr
    assert _digest(db_path) == before and not is_encrypted(db_path)


def test_a_one_character_passphrase_is_refused_by_a_passphrase_change(
    run_cli, tmp_path: Path
) -> None:
    path = tmp_path / "secret.sqlite3"
    open_database(path, passphrase="a long school passphrase").close()
    before = _digest(path)
    result = run_cli(
        "db",
        "passphrase",
        "--database",
        str(path),
        CIRCLEKEEPER_PASSPHRASE="a long school passphrase",
        CIRCLEKEEPER_NEW_PASSPHRASE="x",
    )
    assert result.returncode == 2, result.stderr
    assert "at least 8 characters" in result.stderr
    assert _digest(path) == before


def test_core_refuses_a_short_passphrase_for_a_new_encrypted_file(tmp_path: Path) -> None:
    from circlekeeper.core.store.database import DatabaseProblem

    path = tmp_path / "new.sqlite3"
    with pytest.raises(DatabaseProblem, match="at least 8 characters"):
        open_database(path, passphrase="x")
    assert not path.exists() or path.stat().st_size == 0


def test_a_stray_wal_over_this_databases_own_index_is_set_aside(
    run_cli, db_path: Path, tmp_path: Path, migrated_template: Path
) -> None:
    # Given this database left its own -wal and -shm (killed), and another database's -wal
    # was then copied over its -wal, so the -shm beside it describes a different log
    other = tmp_path / "other" / "other.sqlite3"
    other.parent.mkdir()
    shutil.copyfile(migrated_template, other)
    subprocess.run([sys.executable, "-c", WRITER, str(other)], check=True)
    subprocess.run(
        [sys.executable, "-c", WRITER.replace("from-the-other", "own-row"), str(db_path)],
        check=True,
    )
    assert Path(f"{db_path}-shm").exists()
    shutil.copyfile(f"{other}-wal", f"{db_path}-wal")
    result = run_cli("db", "check", "--database", str(db_path))
    assert result.returncode == 0, result.stderr
    assert "belongs to another log" in result.stderr
    assert "from-the-other" not in _settings(db_path)
