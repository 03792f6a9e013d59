"""Whether any other connection (another window, another program) holds a database file open.

Rewriting a database (encryption on or off, a new passphrase) replaces the file by a new one.
A connection that still has the old file open would go on writing into the replaced file, and
whatever it saves afterwards would be lost. So the rewrite is refused while anyone holds it.

Two detectors, because neither alone sees every holder:

1. **SQLite's own locks** (every platform). In WAL mode a connection that has read the file once
   keeps a SHARED lock on it for as long as it is open, even when idle (SQLite's pager only drops
   it in rollback-journal mode). A fresh connection in ``locking_mode=EXCLUSIVE`` must take an
   EXCLUSIVE lock on the file before its first read, which fails at once (``timeout=0``) while
   any other connection, in any process, holds SHARED or more. It changes nothing: it only
   reads page 1 and closes. This catches another circlekeeper window (SQLAlchemy's pool keeps
   its connections) and a plain ``sqlite3`` program that has run one statement.
2. **Open file descriptors** (Linux, ``/proc``). A program that has opened the file but not yet
   read it holds no lock at all, yet its first write would still go to the old file. Any
   process of this account with the database or its write-ahead log open is found by comparing
   device and inode numbers under ``/proc/<pid>/fd``.

Run them after this process has closed its own connections (the GUI disposes its engine first).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from circlekeeper.core.store.problems import DatabaseInUse


def _locked_by_others(path: Path, key: str | None) -> bool:
    from circlekeeper.core.store import crypto

    if key is None:
        conn: Any = sqlite3.connect(str(path), timeout=0, isolation_level=None)
    else:
        module = crypto.dbapi()
        conn = module.connect(str(path), timeout=0, isolation_level=None)
    try:
        if key is not None:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f'PRAGMA key = "{key}"')
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        try:
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("ROLLBACK")
        except Exception as exc:  # sqlite3 or sqlcipher3 OperationalError
            if "locked" in str(exc) or "busy" in str(exc):
                return True
            raise
    finally:
        conn.close()
    return False


def _identities(path: Path) -> set[tuple[int, int]]:
    found = set()
    for candidate in (path, Path(f"{path}-wal")):
        with contextlib.suppress(OSError):
            info = candidate.stat()
            found.add((info.st_dev, info.st_ino))
    return found


def processes_holding(path: Path) -> list[int]:
    """Process ids (this one included) with the file or its -wal open; [] where unknown."""
    wanted = _identities(path)
    proc = Path("/proc")
    if not wanted or not (proc / "self" / "fd").is_dir():
        return []
    holders = []
    for entry in os.scandir(proc):
        if not entry.name.isdigit():
            continue
        try:
            fds = os.scandir(f"/proc/{entry.name}/fd")
        except OSError:
            continue  # another account's process, or it has just ended
        with fds:
            for fd in fds:
                try:
                    info = os.stat(fd.path)
                except OSError:
                    continue
                if (info.st_dev, info.st_ino) in wanted:
                    holders.append(int(entry.name))
                    break
    return holders


def refuse_if_in_use(path: Path, key: str | None) -> None:
    """Raise :class:`DatabaseInUse` when any other connection holds ``path`` open."""
    if processes_holding(path) or _locked_by_others(path, key):
        raise DatabaseInUse(path)
