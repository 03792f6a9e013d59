"""The SQLite engine with the pragmas circlekeeper relies on."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.files import (
    create_private_file,
    private_database_files,
    private_folder_contents,
)
from circlekeeper.core.i18n import _
from circlekeeper.core.paths import backups_dir
from circlekeeper.core.store.checkpoints import SQLITE_THRESHOLD, WalCheckpoints
from circlekeeper.core.store.problems import DatabaseProblem, disk_problem


def make_engine(path: Path, *, key: str | None = None) -> Engine:
    """An engine on one SQLite file: foreign keys enforced, WAL, every commit made durable.

    With ``key`` (a raw SQLCipher key, see :mod:`circlekeeper.core.store.crypto`) the file is
    encrypted: every connection is made by sqlcipher3 and keyed before anything else runs.
    """
    # A file made here starts private (0600), and SQLite gives its -wal/-shm the same mode.
    if path.parent.is_dir():
        create_private_file(path)
    private_folder_contents(backups_dir(path))
    # hide_parameters: a failed statement's text (logged, shown in tracebacks) never carries
    # the values it wrote: a private note, a name, a demographic field.
    if key is None:
        engine = create_engine(f"sqlite:///{path}", hide_parameters=True)

        def checkpointer() -> Any:
            # mode=rw: a file moved away meanwhile is not made again, empty, by the worker.
            return sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)

    else:
        from circlekeeper.core.store import crypto

        def creator() -> Any:
            return crypto.connect(path, key, check_same_thread=False)

        engine = create_engine(
            f"sqlite:///{path}", module=crypto.dbapi(), creator=creator, hide_parameters=True
        )

        def checkpointer() -> Any:
            if not path.exists():  # never make an empty encrypted file where one was
                raise FileNotFoundError(path)
            return crypto.connect(path, key)

    # The log is copied back into the file on a worker, not inside a commit (checkpoints.py).
    WalCheckpoints(engine, checkpointer)

    @event.listens_for(engine, "handle_error")
    def _plain_words(context: Any) -> None:
        message = str(context.original_exception)
        if "database or disk is full" in message:
            raise DatabaseProblem(
                _(
                    "The disk is full, so the last change was not saved. "
                    "Everything saved before it is safe. Free some space, then "
                    "try again."
                )
            ) from context.original_exception
        refused = disk_problem(context.original_exception, "The last change was not saved")
        if refused is not None:  # a file-size limit or quota (SQLite: "disk I/O error")
            raise refused from context.original_exception
        if "readonly database" in message:
            raise DatabaseProblem(
                _(
                    "{path} can no longer be written (it was made read-only or "
                    "its disk was unplugged), so the last change was not saved. "
                    "Everything saved before it is safe. Make it writable again, "
                    "then try again.",
                    path=path,
                )
            ) from context.original_exception

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Tighten a file an older release (or a copy by hand) left readable by others, before
        # WAL mode makes its -wal/-shm with the same mode.
        private_database_files(path)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit acknowledged on screen survives a power cut mid-circle.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=5000")
        # The worker checkpoints long before this; SQLite's own rule is only the safety net.
        cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_THRESHOLD}")
        cursor.close()

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for short units of work; objects stay readable after commit.

    Every session notes field-by-field changes for the audit trail (see ``changes.py``).
    """
    from circlekeeper.core.store.changes import install

    factory = sessionmaker(engine, expire_on_commit=False)
    install(factory)
    return factory
