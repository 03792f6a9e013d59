"""Opening a circlekeeper database safely: check, back up, migrate, or refuse.

The checks read the file with the standard library only, so a database that is already current
opens without importing alembic, and a database we must refuse is never written to.
"""

from __future__ import annotations

import sqlite3
import stat
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.paths import backups_dir
from circlekeeper.core.store.engine import make_engine, make_session_factory
from circlekeeper.core.store.schema_version import HEAD, REVISIONS

SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseProblem(Exception):
    """A database cannot be used as asked; the message says what and what to do, in plain words."""


class SchemaState(StrEnum):
    MISSING = "missing"  # no file yet
    EMPTY = "empty"  # a file with no tables (or zero bytes)
    CURRENT = "current"
    OUTDATED = "outdated"  # made by an older circlekeeper; needs migrating
    NEWER = "newer"  # made by a newer circlekeeper; must not be touched


@dataclass(frozen=True)
class SchemaCheck:
    state: SchemaState
    revision: str | None


def _writable(path: Path) -> bool:
    # Write bits, not only os.access: an administrator running as root still means
    # "read-only" when a file has been marked so.
    import os

    mode = path.stat().st_mode
    return os.access(path, os.W_OK) and bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _check_location(path: Path) -> None:
    if path.is_dir():
        raise DatabaseProblem(
            f"{path} is a folder, not a database file. "
            f"Give a file name inside it, for example {path / 'circlekeeper.sqlite3'}."
        )
    if path.exists():
        if not _writable(path):
            raise DatabaseProblem(
                f"The database file {path} is read-only, so nothing could be saved. "
                "Make it writable, or copy it somewhere you can write, and open that copy."
            )
        if not _writable(path.parent):
            raise DatabaseProblem(
                f"The folder {path.parent} is read-only; SQLite needs to write its journal beside "
                "the database. Move the database to a folder you can write to."
            )
        return
    parent = path.parent
    existing = parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir() or not _writable(existing):
        raise DatabaseProblem(
            f"Cannot create a database at {path}: the folder {existing} is read-only or is not "
            "a folder. Choose another place."
        )


def inspect_schema(path: Path) -> SchemaCheck:
    """Tell what a database file holds without changing a byte of it."""
    if not path.exists():
        return SchemaCheck(SchemaState.MISSING, None)
    if path.is_dir():
        raise DatabaseProblem(f"{path} is a folder, not a database file.")
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if not header:
        return SchemaCheck(SchemaState.EMPTY, None)
    if header != SQLITE_HEADER:
        raise DatabaseProblem(
            f"{path} is not a circlekeeper database (it is not an SQLite file at all). "
            "Nothing was changed. Check the file name, or restore the database from a backup."
        )
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if not tables:
                return SchemaCheck(SchemaState.EMPTY, None)
            if "alembic_version" not in tables:
                raise DatabaseProblem(
                    f"{path} is an SQLite database, but not one made by circlekeeper. "
                    "Nothing was changed. Choose another file."
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseProblem(
            f"{path} could not be read as a database ({exc}). Nothing was changed. "
            "It may be damaged: restore it from a backup."
        ) from exc
    revision = row[0] if row else None
    if revision is None:
        return SchemaCheck(SchemaState.EMPTY, None)
    if revision == HEAD:
        return SchemaCheck(SchemaState.CURRENT, revision)
    if revision in REVISIONS:
        return SchemaCheck(SchemaState.OUTDATED, revision)
    return SchemaCheck(SchemaState.NEWER, revision)


def backup_database(path: Path, destination: Path | None = None, *, reason: str = "") -> Path:
    """Copy a database consistently (SQLite's online backup) and return where it went."""
    if destination is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        suffix = f"-{reason}" if reason else ""
        destination = backups_dir(path) / f"{path.stem}-{stamp}{suffix}.sqlite3"
    if destination.is_dir():
        raise DatabaseProblem(f"{destination} is a folder; give a file name for the backup.")
    if destination.exists():
        raise DatabaseProblem(f"{destination} already exists; the backup will not overwrite it.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(destination)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    return destination


def upgrade_schema(engine: Engine) -> None:
    """Run the alembic chain up to the newest version (imports alembic: call only when needed)."""
    from alembic import command
    from alembic.config import Config

    from circlekeeper.core.paths import migrations_dir

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@dataclass
class Database:
    """An open database: where it is, its engine, and a factory for short sessions."""

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    backup: Path | None = None  # made before a migration at this opening, if any

    def close(self) -> None:
        self.engine.dispose()


def open_database(path: Path, *, migrate: bool = True) -> Database:
    """Open (creating if needed) a database, backing it up and migrating it when it is older.

    Raises :class:`DatabaseProblem` with a message for people, leaving the file untouched, when
    the file is a folder, read-only, not a database, or made by a newer circlekeeper.
    """
    path = path.expanduser()
    _check_location(path)
    check = inspect_schema(path)
    if check.state is SchemaState.NEWER:
        raise DatabaseProblem(
            f"{path} was made by a newer version of circlekeeper (schema {check.revision}). "
            "This version cannot read it safely and has not changed it. "
            "Install the newer circlekeeper to open it."
        )
    if check.state is SchemaState.OUTDATED and not migrate:
        raise DatabaseProblem(
            f"{path} was made by an older circlekeeper and needs upgrading: "
            "run 'circlekeeper db upgrade'."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    backup = None
    if check.state is SchemaState.OUTDATED:
        backup = backup_database(path, reason=f"before-{HEAD}")
    engine = make_engine(path)
    if check.state is not SchemaState.CURRENT:
        try:
            upgrade_schema(engine)
        except Exception:
            engine.dispose()
            raise
    return Database(path, engine, make_session_factory(engine), backup)
