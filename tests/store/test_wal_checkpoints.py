"""The write-ahead log is copied into the file by a worker: it still happens, and nothing is lost.

A commit no longer pays for the checkpoint SQLite would run inside it now and then (a key press
in the facilitator window); these tests check that the checkpoint still runs, after a quiet
moment or a batch of commits, and that closing the database leaves no connection of the
worker's behind.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from circlekeeper.core.store.checkpoints import WalCheckpoints, checkpoints_of
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.engine import make_engine


def _engine(folder: Path) -> tuple[Engine, WalCheckpoints]:
    """An engine on a new file with one table (made beforehand: the engine has no commits)."""
    conn = sqlite3.connect(folder / "live.sqlite3")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE turn (id INTEGER PRIMARY KEY, words TEXT)")
    conn.close()
    engine = make_engine(folder / "live.sqlite3")
    found = checkpoints_of(engine)
    assert found is not None
    return engine, found


def _in_the_file_itself(path: Path) -> list[str]:
    """What the database file holds without its log (``immutable`` reads no -wal)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT words FROM turn ORDER BY id")]
    finally:
        conn.close()


def _wait_for(condition: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.01)


def _open_files(path: Path) -> list[str]:
    """This process's open files that are the database or its -wal/-shm."""
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(path)):
            found.append(target)
    return found


def test_after_a_quiet_moment_the_commit_is_in_the_database_file(home: Path) -> None:
    # Given an engine whose worker checkpoints after a short quiet moment
    engine, checkpoints = _engine(home)
    checkpoints.quiet, checkpoints.batch = 0.05, 1000
    before = checkpoints.done
    # When one turn is committed and nothing else happens
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO turn (words) VALUES ('first')"))
    assert conn.closed
    _wait_for(lambda: checkpoints.done > before)
    # Then the worker has copied it from the log into the file itself
    assert checkpoints.done > before
    assert _in_the_file_itself(home / "live.sqlite3") == ["first"]
    engine.dispose()


def test_a_long_burst_is_checkpointed_without_waiting_for_quiet(home: Path) -> None:
    # Given a worker that would wait a minute for quiet, but takes batches of five commits
    engine, checkpoints = _engine(home)
    checkpoints.quiet, checkpoints.batch = 60.0, 5
    before = checkpoints.done
    # When five turns are committed back to back
    for n in range(5):
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO turn (words) VALUES (:w)"), {"w": f"turn {n}"})
    _wait_for(lambda: checkpoints.done > before)
    # Then the checkpoint ran all the same, and all five are in the file
    assert checkpoints.done > before
    assert _in_the_file_itself(home / "live.sqlite3") == [f"turn {n}" for n in range(5)]
    engine.dispose()


def test_every_commit_is_durable_before_any_checkpoint(home: Path) -> None:
    # Given a worker that never gets to run (it waits for a quiet minute)
    engine, checkpoints = _engine(home)
    checkpoints.quiet, checkpoints.batch = 60.0, 1000
    # When a turn is committed and the files are copied as they are at that moment (a crash)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO turn (words) VALUES ('kept')"))
    copy = home / "copy"
    copy.mkdir()
    for side in ("", "-wal"):
        shutil.copyfile(f"{home / 'live.sqlite3'}{side}", f"{copy / 'live.sqlite3'}{side}")
    # Then the copy has it (from its log), though the file alone does not yet
    assert _in_the_file_itself(home / "live.sqlite3") == []
    conn2 = sqlite3.connect(copy / "live.sqlite3")
    assert conn2.execute("SELECT words FROM turn").fetchall() == [("kept",)]
    conn2.close()
    engine.dispose()


def test_closing_the_database_ends_the_worker_and_leaves_nothing_open(db_path: Path) -> None:
    # Given an open database whose worker is waiting to checkpoint
    db = open_database(db_path)
    checkpoints = checkpoints_of(db.engine)
    assert checkpoints is not None
    checkpoints.quiet = 60.0
    with db.sessions.begin() as session:
        session.execute(text("UPDATE setting SET value = value WHERE 0"))
    assert checkpoints.running
    # When it is closed
    db.close()
    # Then the worker has ended and no connection to the file is left open
    assert not checkpoints.running
    assert _open_files(db_path) == []


def test_a_checkpoint_never_makes_a_file_where_the_database_was(home: Path) -> None:
    # Given a database moved away after its engine was made (a rewrite, say)
    engine, checkpoints = _engine(home)
    engine.dispose()
    os.rename(home / "live.sqlite3", home / "moved.sqlite3")
    # When the worker checkpoints
    checkpoints.checkpoint()
    # Then nothing was made at the old place
    assert not (home / "live.sqlite3").exists()


@pytest.mark.parametrize("passphrase", ["correct horse battery staple"])
def test_an_encrypted_database_is_checkpointed_with_its_key(home: Path, passphrase: str) -> None:
    # Given a new encrypted database
    db = open_database(home / "secret.sqlite3", passphrase=passphrase)
    checkpoints = checkpoints_of(db.engine)
    assert checkpoints is not None
    checkpoints.quiet, checkpoints.batch = 0.05, 1000
    before = checkpoints.done
    # When something is committed and a quiet moment passes
    with db.sessions.begin() as session:
        session.execute(text("UPDATE setting SET value = value WHERE 0"))
    _wait_for(lambda: checkpoints.done > before)
    # Then the worker checkpointed it (with the key; a wrong or missing key would fail)
    assert checkpoints.done > before
    db.close()


def test_sqlites_own_checkpoint_stays_as_the_safety_net(home: Path) -> None:
    # Given an engine's connection
    engine, _checkpoints = _engine(home)
    with engine.connect() as conn:
        # Then SQLite would still checkpoint by itself, past a log of 2000 pages
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 2000
        # And every commit is synced before it returns
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
