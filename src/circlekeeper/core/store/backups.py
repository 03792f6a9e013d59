"""Automatic rotating backups, the list of them, and restoring one.

Backups are consistent copies made with SQLite's online backup API into ``backups/`` beside the
database; an encrypted database's copies are encrypted with the same key. They are made:

- at start, at most once a day (:func:`backup_at_start`): each copy is a whole database, and with
  N copies kept, several starts a day would push every copy older than today out of the rotation,
  so damage noticed a day late would find no copy from before it; once a day keeps N days;
- before every migration (``open_database`` does it);
- after a set amount of change (:func:`maybe_backup`, cheap enough to call after every save: one
  indexed ``max(id)`` on the audit trail, and a copy only every N audit events).

Only automatic copies rotate; copies made by hand (reason ``manual``) are never removed.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from circlekeeper.core.i18n import _
from circlekeeper.core.paths import backups_dir
from circlekeeper.core.store import crypto
from circlekeeper.core.store.crypto import FileKind
from circlekeeper.core.store.database import (
    Database,
    SchemaState,
    _connect_ro,
    _move_aside,
    backup_database,
    inspect_schema,
)
from circlekeeper.core.store.location import check_location
from circlekeeper.core.store.models import AuditEvent, Setting
from circlekeeper.core.store.problems import DatabaseProblem, PassphraseNeeded

KEEP_SETTING = "backup_keep"
EVERY_SETTING = "backup_every_changes"
DEFAULT_KEEP = 10
DEFAULT_EVERY = 50  # audit events between automatic copies
START_INTERVAL = timedelta(days=1)
AUTOMATIC = ("start", "changes")  # plus "before-<schema>" made before a migration

_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})(?:-(?P<reason>.+))?\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where, when it was made, how big, and why."""

    path: Path
    at: datetime
    size: int
    reason: str

    @property
    def automatic(self) -> bool:
        return self.reason in AUTOMATIC or self.reason.startswith("before-")


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the backup it used and where the replaced file was moved."""

    restored_from: Path
    moved_aside: Path | None  # where the database that was replaced went (never deleted)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of one database, newest first."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if not match or match["stem"] != db_path.stem or not entry.is_file():
            continue
        at = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S-%f")
        found.append(BackupInfo(entry, at, entry.stat().st_size, match["reason"] or "manual"))
    return sorted(found, key=lambda b: b.at, reverse=True)


def _setting(db: Database, key: str, default: int) -> int:
    with db.sessions() as session:
        value = session.scalar(select(Setting.value).where(Setting.key == key))
    try:
        return max(1, int(value)) if value else default
    except ValueError:
        return default


def keep_count(db: Database) -> int:
    """How many automatic backups are kept (a setting; 10 unless changed)."""
    return _setting(db, KEEP_SETTING, DEFAULT_KEEP)


def prune_backups(db_path: Path, keep: int) -> list[Path]:
    """Remove the oldest automatic backups beyond ``keep``; copies made by hand stay."""
    automatic = [b for b in list_backups(db_path) if b.automatic]
    removed = []
    for old in automatic[keep:]:
        old.path.unlink(missing_ok=True)
        removed.append(old.path)
    return removed


def _audit_mark(db: Database) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.max(AuditEvent.id))) or 0)


def make_backup(db: Database, reason: str = "manual") -> BackupInfo:
    """Back up an open database now and rotate the automatic copies.

    The file's pages are checked first (a backup of damaged pages would be offered later as
    good); a damaged file raises :class:`DamagedDatabase` and no copy is made.
    """
    file = db.file()  # a server's backups are the district's pg_dump routine
    db.require_sound(again=True)
    mark = _audit_mark(db)
    path = backup_database(file, reason=reason, key=db.key)
    db.audit_mark = mark
    prune_backups(file, keep_count(db))
    return BackupInfo(path, datetime.now(), path.stat().st_size, reason)


def backup_at_start(db: Database, *, now: datetime | None = None) -> BackupInfo | None:
    """Back up at start unless a backup was made within the last day (see the module notes).

    Either way the opening's deferred integrity check runs here (this is called on a worker
    once the records are on screen), so a damaged file is found at every start.
    """
    if db.path is None:
        return None  # on a server the district's own backup routine runs (README)
    now = now or datetime.now()
    newest = list_backups(db.path)
    if newest and now - newest[0].at < START_INTERVAL:
        db.require_sound()
        db.audit_mark = _audit_mark(db)
        return None
    return make_backup(db, "start")


def maybe_backup(db: Database) -> BackupInfo | None:
    """Back up when enough has changed since the last automatic copy; cheap otherwise.

    Raises :class:`DatabaseProblem` if the backup folder cannot be written (the database itself
    is unchanged); it tries again only after the next N changes, so a warning is not repeated
    on every action.
    """
    if db.path is None:
        return None  # on a server the district's own backup routine runs (README)
    mark = _audit_mark(db)
    if db.audit_mark is None:
        db.audit_mark = mark
        return None
    if mark - db.audit_mark < _setting(db, EVERY_SETTING, DEFAULT_EVERY):
        return None
    db.audit_mark = mark
    return make_backup(db, "changes")


def verify_backup(
    backup: Path, *, passphrase: str | None = None, key: str | None = None
) -> str | None:
    """Check a backup can be restored (whole and a circlekeeper database); return its key.

    Raises :class:`DatabaseProblem` saying what is wrong with it.
    """
    if not backup.is_file():
        raise DatabaseProblem(_("{backup} does not exist or is not a file.", backup=backup))
    kind = crypto.classify(backup)
    if kind is FileKind.ENCRYPTED:
        if passphrase is not None:
            key = crypto.key_for(backup, passphrase)
        elif key is None:
            raise PassphraseNeeded(backup)
    elif kind is FileKind.PLAIN:
        key = None
    state = inspect_schema(backup, key=key)
    if state.state not in (SchemaState.CURRENT, SchemaState.OUTDATED):
        raise DatabaseProblem(
            _(
                "{backup} cannot be restored: it holds no circlekeeper data "
                "this version can use ({value}).",
                backup=backup,
                value=state.state.value,
            )
        )
    try:
        conn = _connect_ro(backup, key)
        try:
            result = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    except DatabaseProblem:
        raise
    except Exception as exc:
        result = [str(exc)]
    if result != ["ok"]:
        raise DatabaseProblem(
            _(
                "{backup} is damaged ({value}); choose another backup.",
                backup=backup,
                value=result[0],
            )
        )
    return key


def newest_good_backup(
    db_path: Path, *, key: str | None = None, passphrase: str | None = None
) -> Path | None:
    """The newest backup that passes :func:`verify_backup`, or None."""
    for backup in list_backups(db_path):
        try:
            verify_backup(backup.path, key=key, passphrase=passphrase)
        except DatabaseProblem:
            continue
        return backup.path
    return None


def restore_backup(
    db_path: Path,
    backup_path: Path,
    *,
    passphrase: str | None = None,
    key: str | None = None,
) -> RestoreResult:
    """Put a backup in place of the database. Close the database first.

    The backup is checked first; the current file (if any) is moved aside to
    ``<name>.before-restore-<stamp>``, never deleted; the copy is written beside the database and
    renamed into place in one step.
    """
    db_path = db_path.expanduser()
    verify_backup(backup_path, passphrase=passphrase, key=key)
    check_location(db_path)
    temporary = db_path.with_name(f"{db_path.name}.restoring")
    try:
        shutil.copyfile(backup_path, temporary)
        fd = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise DatabaseProblem(
            _(
                "Could not copy {backup_path} beside {db_path} ({strerror}). Nothing was changed.",
                backup_path=backup_path,
                db_path=db_path,
                strerror=exc.strerror,
            )
        ) from exc
    moved = _move_aside(db_path, "before-restore") if db_path.exists() else None
    os.replace(temporary, db_path)
    return RestoreResult(backup_path, moved)
