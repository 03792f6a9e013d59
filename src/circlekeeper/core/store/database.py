"""Opening a circlekeeper database safely: check, back up, migrate, or refuse.

The checks read the file with the standard library only (``sqlcipher3`` for an encrypted file),
so a database that is already current opens without importing alembic, and a database we must
refuse is never written to. A damaged file is moved aside, never overwritten, and the newest
good backup is offered.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.files import create_private_file, private_folder
from circlekeeper.core.i18n import _
from circlekeeper.core.paths import backups_dir
from circlekeeper.core.store import crypto
from circlekeeper.core.store.crypto import SQLITE_HEADER, FileKind
from circlekeeper.core.store.engine import make_engine, make_session_factory
from circlekeeper.core.store.integrity import IntegrityGate
from circlekeeper.core.store.location import check_location, writable
from circlekeeper.core.store.problems import (
    DamagedDatabase,
    DatabaseLocked,
    DatabaseProblem,
    PassphraseNeeded,
    WrongPassphrase,
    integrity_summary,
)
from circlekeeper.core.store.schema_version import HEAD, REVISIONS

__all__ = [
    "SQLITE_HEADER",
    "DamagedDatabase",
    "Database",
    "DatabaseProblem",
    "PassphraseNeeded",
    "SchemaCheck",
    "SchemaState",
    "WrongPassphrase",
    "backup_database",
    "inspect_schema",
    "is_encrypted",
    "open_database",
    "quick_check",
    "set_aside_damaged",
]


# Tables every circlekeeper schema has had since the first revision (0001).
CIRCLEKEEPER_TABLES = frozenset({"person", "case_file", "circle", "note", "audit_event"})


class SchemaState(StrEnum):
    """How a file's schema compares with this release's: missing, empty, current, older or
    newer."""

    MISSING = "missing"  # no file yet
    EMPTY = "empty"  # a file with no tables (or zero bytes)
    CURRENT = "current"
    OUTDATED = "outdated"  # made by an older circlekeeper; needs migrating
    NEWER = "newer"  # made by a newer circlekeeper; must not be touched


@dataclass(frozen=True)
class SchemaCheck:
    """The result of looking at a file's schema: its state and its alembic revision."""

    state: SchemaState
    revision: str | None


def is_encrypted(path: Path) -> bool:
    """Whether a file looks like an encrypted (SQLCipher) database; reads 100 bytes."""
    return crypto.classify(path) is FileKind.ENCRYPTED


def _key(path: Path, passphrase: str | None, key: str | None) -> str | None:
    """The raw key for an encrypted file (None for a plain one); asks for what is missing."""
    if key is not None or crypto.classify(path) is not FileKind.ENCRYPTED:
        return key
    if passphrase is None:
        raise PassphraseNeeded(path)
    return crypto.key_for(path, passphrase)


def _nothing_beside(path: Path) -> bool:
    """No write-ahead log or rollback journal beside the file: no one is writing it."""
    return not any(Path(f"{path}{side}").exists() for side in ("-wal", "-journal"))


def _connect_ro(path: Path, key: str | None) -> sqlite3.Connection:
    """A read-only connection that leaves no -wal or -shm behind.

    A read-only connection to a WAL database makes a -wal and a -shm file and cannot remove
    them, so looking at a file (one that is then refused, say) would leave them beside it. When
    neither a log nor a journal is there, nobody is writing the file and it is read as
    ``immutable``, which creates nothing.
    """
    from circlekeeper.core.store.stray_wal import why_stray

    reason = why_stray(path)
    if reason is not None:
        # Reading would lay that log over this file's pages; open_database sets it aside.
        raise DatabaseProblem(
            _(
                "A write-ahead log (-wal) beside {path} does not belong to "
                "it ({reason}). It was not applied and nothing was changed. "
                "Open the database in circlekeeper (or run 'circlekeeper db "
                "check') to set that log aside.",
                path=path,
                reason=reason,
            )
        )
    immutable = _nothing_beside(path)
    if key is None:
        options = "mode=ro&immutable=1" if immutable else "mode=ro"
        return sqlite3.connect(f"{path.resolve().as_uri()}?{options}", uri=True)
    conn: sqlite3.Connection = crypto.connect(path, key, readonly=True, immutable=immutable)
    return conn


def _locked(exc: Exception) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _read_error(exc: Exception) -> bool:
    """Whether a driver error means the file itself is unreadable (not merely busy)."""
    name = type(exc).__name__
    return name == "DatabaseError" or "malformed" in str(exc) or "not a database" in str(exc)


def inspect_schema(
    path: Path, passphrase: str | None = None, *, key: str | None = None
) -> SchemaCheck:
    """Tell what a database file holds without changing a byte of it.

    An encrypted file needs its passphrase (or raw ``key``): without one it raises
    :class:`PassphraseNeeded`; with a wrong one :class:`WrongPassphrase`.
    """
    if not path.exists():
        return SchemaCheck(SchemaState.MISSING, None)
    if path.is_dir():
        raise DatabaseProblem(_("{path} is a folder, not a database file.", path=path))
    kind = crypto.classify(path)
    if kind is FileKind.EMPTY:
        return SchemaCheck(SchemaState.EMPTY, None)
    if kind is FileKind.DAMAGED_HEADER:
        raise DatabaseProblem(
            _(
                "{path} is a damaged database: its first bytes (the header) "
                "have been overwritten. Nothing was changed. Restore it from "
                "a backup.",
                path=path,
            )
        )
    if kind is FileKind.CUT_SHORT:
        raise DatabaseProblem(
            _(
                "{path} is not a readable database: it may be an encrypted "
                "database that was cut short, or another kind of file. "
                "Nothing was changed. Restore it from a backup.",
                path=path,
            )
        )
    if kind is FileKind.NOT_DATABASE:
        raise DatabaseProblem(
            _(
                "{path} is not a circlekeeper database (it is not an SQLite "
                "file at all). Nothing was changed. Check the file name, or "
                "restore the database from a backup.",
                path=path,
            )
        )
    key = _key(path, passphrase, key)
    try:
        conn = _connect_ro(path, key)
        try:
            tables = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if not tables:
                return SchemaCheck(SchemaState.EMPTY, None)
            if "alembic_version" not in tables:
                raise DatabaseProblem(
                    _(
                        "{path} is an SQLite database, but not one made by "
                        "circlekeeper. Nothing was changed. Choose another file.",
                        path=path,
                    )
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except DatabaseProblem:
        raise
    except Exception as exc:
        if _locked(exc):
            raise DatabaseLocked(path) from exc
        if not _read_error(exc) and not isinstance(exc, sqlite3.DatabaseError):
            raise
        raise DatabaseProblem(
            _(
                "{path} could not be read as a database ({exc}). Nothing was "
                "changed. It may be damaged: restore it from a backup.",
                path=path,
                exc=exc,
            )
        ) from exc
    revision = row[0] if row else None
    if revision is None:
        return SchemaCheck(SchemaState.EMPTY, None)
    if revision == HEAD:
        return SchemaCheck(SchemaState.CURRENT, revision)
    if revision in REVISIONS:
        return SchemaCheck(SchemaState.OUTDATED, revision)
    if not tables >= CIRCLEKEEPER_TABLES:
        # Other programs use alembic too: a revision we do not know is only "newer" when the
        # file also holds circlekeeper's own tables.
        raise DatabaseProblem(
            _(
                "{path} is an SQLite database, but not one made by "
                "circlekeeper (it belongs to another program). Nothing was "
                "changed. Choose another file.",
                path=path,
            )
        )
    return SchemaCheck(SchemaState.NEWER, revision)


def quick_check(path: Path, passphrase: str | None = None, *, key: str | None = None) -> list[str]:
    """SQLite's quick integrity check, read-only: ``["ok"]`` or the problems it found."""
    key = _key(path, passphrase, key)
    try:
        conn = _connect_ro(path, key)
        try:
            return [str(row[0]) for row in conn.execute("PRAGMA quick_check")]
        finally:
            conn.close()
    except DatabaseProblem:
        raise
    except Exception as exc:
        if _locked(exc):
            raise DatabaseLocked(path) from exc
        return [str(exc)]


def _move_aside(path: Path, label: str) -> Path:
    """Rename a file (and its journal files) to ``<name>.<label>-<stamp>``; never overwrites."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = path.with_name(f"{path.name}.{label}-{stamp}")
    while target.exists():  # pragma: no cover - the stamp has microseconds
        target = target.with_name(target.name + "x")
    os.rename(path, target)
    for side in ("-wal", "-shm"):
        extra = Path(f"{path}{side}")
        if extra.exists():
            os.rename(extra, Path(f"{target}{side}"))
    return target


def _damaged(path: Path, what: str, key: str | None) -> DamagedDatabase:
    from circlekeeper.core.store.backups import newest_good_backup

    moved = _move_aside(path, "damaged")
    try:
        suggestion = newest_good_backup(path, key=key)
    except DatabaseProblem:
        suggestion = None
    return DamagedDatabase(path, what, moved_to=moved, suggested_backup=suggestion)


def set_aside_damaged(database: Database, damage: DamagedDatabase) -> DamagedDatabase:
    """Close a database its deferred check found damaged and move it aside, unchanged.

    What an opening does with a damaged file, for one found damaged once open: the returned
    problem names where the file went and the newest good backup.
    """
    database.close()
    return _damaged(database.file(), damage.what, database.key)


def backup_database(
    path: Path,
    destination: Path | None = None,
    *,
    reason: str = "",
    key: str | None = None,
    passphrase: str | None = None,
) -> Path:
    """Copy a database consistently (SQLite's online backup) and return where it went.

    An encrypted database is copied page by page under the same key and salt, so the copy stays
    encrypted and opens with the same passphrase.
    """
    key = _key(path, passphrase, key)
    if destination is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        suffix = f"-{reason}" if reason else ""
        destination = backups_dir(path) / f"{path.stem}-{stamp}{suffix}.sqlite3"
    if destination.is_dir():
        raise DatabaseProblem(
            _(
                "{destination} is a folder; give a file name for the backup.",
                destination=destination,
            )
        )
    if destination.exists():
        raise DatabaseProblem(
            _(
                "{destination} already exists; the backup will not overwrite it.",
                destination=destination,
            )
        )
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        if destination.parent == backups_dir(path):
            private_folder(destination.parent)
        if not writable(destination.parent):
            raise PermissionError(13, "Permission denied")
        partial = destination.with_name(destination.name + ".partial")
        create_private_file(partial)
        if key is None:
            source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            target = sqlite3.connect(partial)
        else:
            source = crypto.connect(path, key, readonly=True)
            target = crypto.connect(partial, key)
        try:
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
        os.replace(partial, destination)
    except OSError as exc:
        raise DatabaseProblem(
            _(
                "Could not write a backup in {parent} ({value}). The "
                "database was not changed. Choose a backup folder you can "
                "write to, or free some space.",
                parent=destination.parent,
                value=exc.strerror or exc,
            )
        ) from exc
    except sqlite3.Error as exc:
        Path(f"{destination}.partial").unlink(missing_ok=True)
        raise DatabaseProblem(
            _(
                "Could not write a backup to {destination} ({exc}). The "
                "database was not changed. Choose a backup folder you can "
                "write to, or free some space.",
                destination=destination,
                exc=exc,
            )
        ) from exc
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
    """An open database: where it is, its engine, and a factory for short sessions.

    ``path`` is the file; for a database on a district's PostgreSQL server it is None and
    ``server`` describes it (``postgresql://user@host:port/name``, never the password).
    """

    path: Path | None
    engine: Engine
    sessions: sessionmaker[Session]
    backup: Path | None = None  # made before a migration at this opening, if any
    key: str | None = field(default=None, repr=False)  # raw SQLCipher key; None when plain
    audit_mark: int | None = None  # newest audit event id at the last backup (backups.py)
    # Plain sentences about what the opening tidied beside the file (an interrupted rewrite's
    # leftovers, a stray -wal); the GUI shows them and the command line prints them.
    notices: list[str] = field(default_factory=list)
    # The page check, deferred until just after the records show or the first write
    # (integrity.py); None only for a database opened with check=False.
    integrity: IntegrityGate | None = field(default=None, repr=False)
    server: str | None = None

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def require_sound(self, *, again: bool = False) -> None:
        """Run the deferred integrity check now (a worker, a backup); raise if damaged."""
        if self.integrity is not None:
            self.integrity.require_sound(again=again)

    @property
    def on_server(self) -> bool:
        return self.path is None

    @property
    def location(self) -> str:
        """Where the data is, for messages: the file's path or the server's description."""
        return str(self.path) if self.path is not None else str(self.server)

    def file(self) -> Path:
        """The database file, for what only a file has (backups by copy, encryption, VACUUM).

        On a server it raises :class:`DatabaseProblem` saying what the district does instead.
        """
        if self.path is None:
            raise DatabaseProblem(
                _(
                    "{server} is a database on the district's server: backups, encryption and "
                    "wiping free space are the server's own routine there (pg_dump, the server's "
                    "disk encryption, VACUUM), run by IT. Nothing was changed.",
                    server=self.server,
                )
            )
        return self.path

    def close(self) -> None:
        self.engine.dispose()


def tidy_beside(path: Path) -> list[str]:
    """Remove an interrupted rewrite's leftovers and set a stray -wal aside; say what was done.

    Runs before the file is read, at every opening and in ``db check``.
    """
    from circlekeeper.core.store.leftovers import remove_leftovers
    from circlekeeper.core.store.stray_wal import set_aside_stray_wal

    notices = [remove_leftovers(path)]
    if crypto.classify(path) in (FileKind.PLAIN, FileKind.ENCRYPTED):
        notices.append(set_aside_stray_wal(path))
    return [notice for notice in notices if notice]


def open_database(
    path: Path | str,
    *,
    migrate: bool = True,
    passphrase: str | None = None,
    check: bool = True,
    create: bool = True,
    defer_check: bool = True,
) -> Database:
    """Open (creating if needed) a database, backing it up and migrating it when it is older.

    Raises :class:`DatabaseProblem` with a message for people, leaving the file untouched, when
    the file is a folder, read-only, not a database, or made by a newer circlekeeper;
    :class:`PassphraseNeeded` / :class:`WrongPassphrase` for an encrypted file opened without
    its passphrase or with a wrong one. With ``check`` (the default), SQLite's quick check runs
    before anything writes: at once for a file that must be migrated (a damaged one is moved
    aside and :class:`DamagedDatabase` names it and the newest good backup), otherwise off the
    start path (see :mod:`~circlekeeper.core.store.integrity`): ``Database.require_sound``
    runs it on a worker, and the first write waits for it and is refused if the file is damaged.
    ``defer_check=False`` checks at once instead (the command line: a command that only reads,
    an export, must not read damaged pages either, and it has no screen to show first).
    A ``passphrase`` given for a new file creates it encrypted; for a plain file it is not
    needed and is ignored. With ``create=False`` (commands that only read) a missing
    file is refused instead of created, and no folder is made.

    A PostgreSQL URL (``postgresql+psycopg://...``) opens the district's server instead
    (:func:`circlekeeper.core.store.server_schema.open_server`); a passphrase does not apply.
    """
    from circlekeeper.core.store.addresses import is_server_url

    if is_server_url(path):
        from circlekeeper.core.store.server_schema import open_server

        return open_server(str(path), migrate=migrate, create=create)
    path = Path(path).expanduser()
    check_location(path)
    if not create and not path.exists():
        raise DatabaseProblem(
            _(
                "{path} does not exist, so there is nothing to read. Nothing "
                "was created. Check the path given with --database.",
                path=path,
            )
        )
    notices = tidy_beside(path)
    kind = crypto.classify(path)
    key: str | None = None
    if kind is FileKind.ENCRYPTED:
        if passphrase is None:
            raise PassphraseNeeded(path)
        key = crypto.key_for(path, passphrase)
    elif kind in (FileKind.MISSING, FileKind.EMPTY) and passphrase is not None:
        key = crypto.new_key(passphrase)
    elif kind is FileKind.DAMAGED_HEADER:
        raise _damaged(path, "its first bytes, the header, have been overwritten", None)
    elif kind is FileKind.PLAIN and crypto.plain_page_count_short(path):
        raise _damaged(path, "the file has been cut short", None)
    try:
        state = inspect_schema(path, key=key)
    except (PassphraseNeeded, WrongPassphrase):
        raise
    except DatabaseProblem as problem:
        if kind in (FileKind.PLAIN, FileKind.ENCRYPTED) and "could not be read" in str(problem):
            raise _damaged(path, "SQLite cannot read it", key) from problem
        raise
    if state.state is SchemaState.NEWER:
        raise DatabaseProblem(
            _(
                "{path} was made by a newer version of circlekeeper (schema "
                "{revision}). This version cannot read it safely and has not "
                "changed it. Install the newer circlekeeper to open it.",
                path=path,
                revision=state.revision,
            )
        )
    if state.state is SchemaState.OUTDATED and not migrate:
        raise DatabaseProblem(
            _(
                "{path} was made by an older circlekeeper and needs "
                "upgrading: run 'circlekeeper db upgrade'.",
                path=path,
            )
        )
    now = state.state is SchemaState.OUTDATED or (
        not defer_check and state.state is SchemaState.CURRENT
    )
    if check and now:
        problems = quick_check(path, key=key)
        if problems != ["ok"]:
            raise _damaged(path, integrity_summary(problems), key)
    if kind is FileKind.ENCRYPTED and key is not None:
        from circlekeeper.core.store.encryption import encrypt_plain_backups

        notices += [notice for notice in [encrypt_plain_backups(path, key)] if notice]
    path.parent.mkdir(parents=True, exist_ok=True)
    backup = None
    if state.state is SchemaState.OUTDATED:
        backup = backup_database(path, reason=f"before-{HEAD}", key=key)
    engine = make_engine(path, key=key)
    gate = IntegrityGate(path, engine, key)
    if not check or now or state.state is not SchemaState.CURRENT:
        gate.mark_sound()  # checked above, or made just now, or the caller said not to
    if state.state is not SchemaState.CURRENT:
        try:
            upgrade_schema(engine)
        except Exception:
            engine.dispose()
            raise
    return Database(
        path, engine, make_session_factory(engine), backup, key, notices=notices, integrity=gate
    )
