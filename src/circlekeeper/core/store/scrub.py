"""Making removed records unreadable in the file itself, not only in queries.

Deleting a row in SQLite only marks its bytes as free: the text stays in the page (and in the
write-ahead log) until something overwrites it, and an FTS5 index keeps every word it has
seen in its segments until they are merged. After a retention purge, :func:`scrub` makes sure
no byte of the database file or its ``-wal`` still holds what was removed:

1. ``PRAGMA secure_delete = ON`` (the purge itself runs with it too, see
   :func:`secure_delete`): freed cells and pages are overwritten with zeros;
2. FTS5 ``optimize`` merges the search index into one segment, dropping the deleted words;
3. ``VACUUM`` writes a fresh copy of every live page (free pages and slack are gone); temporary
   data stays in memory, so no temporary file holds it either;
4. ``PRAGMA wal_checkpoint(TRUNCATE)`` moves everything into the file and empties the log.

Works the same on an encrypted file: the connection is SQLCipher's, and VACUUM re-encrypts every
page with the same key. The database must not be in use by another program (a reader holding a
snapshot stops the checkpoint); that is refused in plain words, with nothing lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from circlekeeper.core.i18n import _
from circlekeeper.core.store.problems import DatabaseProblem

SEARCH_TABLE = "search_index"


@contextmanager
def secure_delete(session: Session) -> Iterator[None]:
    """Run the block with SQLite's secure delete on this session's connection (SQLite only)."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite:
        session.execute(text("PRAGMA secure_delete = ON"))
    try:
        yield
    finally:
        if sqlite:
            session.execute(text("PRAGMA secure_delete = OFF"))


def _has_search_index(raw: Any) -> bool:
    found = raw.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (SEARCH_TABLE,)
    ).fetchone()
    return found is not None


def scrub(engine: Engine, path: Path) -> None:
    """Overwrite what deleted rows left behind in ``path`` and its log (see the module notes)."""
    if engine.dialect.name != "sqlite":
        return  # a server's own storage is the district's to manage
    engine.dispose()  # no pooled connection may hold a snapshot while the file is rewritten
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        previous = raw.isolation_level
        raw.isolation_level = None  # VACUUM cannot run inside a transaction
        try:
            raw.execute("PRAGMA secure_delete = ON")
            raw.execute("PRAGMA temp_store = MEMORY")
            if _has_search_index(raw):
                raw.execute(
                    f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}) VALUES ('optimize')"  # noqa: S608
                )
            raw.execute("VACUUM")
            busy, _log, _moved = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            raw.execute("PRAGMA secure_delete = OFF")
        except Exception as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                busy = 1
            else:
                raise
        finally:
            raw.isolation_level = previous
    if busy:
        raise DatabaseProblem(
            _(
                "The old records were removed, but {path} is open in another "
                "window or program, so the space they used could not be "
                "wiped yet. Close it, then run the retention again: it will "
                "finish the wipe.",
                path=path,
            )
        )
