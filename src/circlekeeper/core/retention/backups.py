"""What the backups still hold after a retention purge, and pruning or rewriting them.

A backup is a whole copy of the database as it was, so one made before a purge still holds
every record the purge removed. The person applying the rule is told how many backups hold
records the rule removes (with their dates) and chooses:

- ``keep``: leave them; they still hold those records until they rotate out or are removed;
- ``prune``: delete them, then make one fresh backup of the purged database so a restore point
  is left;
- ``rewrite``: apply the same rule (same years, same day) to each copy, wiping its file the same
  way; an encrypted copy is opened with the database's key and stays encrypted.

Only the backups folder is covered (see :func:`circlekeeper.core.store.backups.list_backups`);
a copy made elsewhere with ``db backup -o`` is the IT staff's to handle. Files moved aside beside
the database (by a restore or when it was found damaged) are never deleted by circlekeeper, so
:func:`copies_aside` only names them, for the person to delete once they are no longer needed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context
from circlekeeper.core.retention.retention import (
    Mode,
    RetentionPlan,
    apply_retention,
    plan_retention,
)
from circlekeeper.core.store import crypto
from circlekeeper.core.store.backups import list_backups
from circlekeeper.core.store.database import (
    SchemaState,
    _connect_ro,
    backup_database,
    inspect_schema,
    upgrade_schema,
)
from circlekeeper.core.store.engine import make_engine, make_session_factory
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.core.store.schema_version import REVISIONS

BackupChoice = Literal["keep", "prune", "rewrite"]
CHOICES: tuple[BackupChoice, ...] = ("keep", "prune", "rewrite")


@dataclass(frozen=True)
class BackupHolding:
    """A backup that still holds records the rule removes (or could not be read to tell)."""

    path: Path
    at: datetime
    cases: int
    circles: int
    people: int
    readable: bool = True  # False: another passphrase or damaged, so it may hold them


@dataclass(frozen=True)
class BackupOutcome:
    choice: str
    pruned: list[Path]
    rewritten: list[Path]
    failed: list[tuple[Path, str]]  # backups that could not be rewritten, and why
    fresh: Path | None = None  # the backup made after pruning


ASIDE_LABELS = ("before-restore", "damaged")


def copies_aside(db_path: Path) -> list[Path]:
    """Whole copies moved aside beside the database (a restore's or a damaged file's), oldest
    first; their -wal and -shm files are not listed separately."""
    found = [
        entry
        for label in ASIDE_LABELS
        for entry in db_path.parent.glob(f"{db_path.name}.{label}-*")
        if entry.is_file() and not entry.name.endswith(("-wal", "-shm"))
    ]
    return sorted(found, key=lambda entry: entry.name)


def _look(path: Path, key: str | None) -> Any:
    """A read-only connection that leaves nothing beside the file (no -wal or -shm).

    ``immutable`` tells SQLite no one writes the file, so it takes no lock and makes no shared
    memory file; true of a backup that has no -wal of its own.
    """
    if Path(f"{path}-wal").exists():
        return _connect_ro(path, key)
    target = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    if key is None:
        return sqlite3.connect(target, uri=True)
    module = crypto.dbapi()
    conn = module.connect(target, uri=True)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f'PRAGMA key = "{key}"')
    return conn


def _plan_of(path: Path, key: str | None, years: int, today: date) -> RetentionPlan:
    """The rule's plan for a backup, read without changing or adding a byte beside it."""
    options: dict[str, Any] = {"module": crypto.dbapi()} if key is not None else {}
    engine = create_engine(
        "sqlite://", creator=lambda: _look(path, key), poolclass=NullPool, **options
    )
    try:
        with engine.connect() as conn:
            revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        if revision not in REVISIONS:
            raise DatabaseProblem(
                _(
                    "{path} was not made by this version of circlekeeper.",
                    path=path,
                )
            )
        return plan_retention(sessionmaker(engine), years, today)
    finally:
        engine.dispose()


def backups_holding(db_path: Path, key: str | None, years: int, today: date) -> list[BackupHolding]:
    """The backups of ``db_path`` that hold records the rule would remove, newest first."""
    found = []
    for backup in list_backups(db_path):
        try:
            plan = _plan_of(backup.path, key, years, today)
        except Exception:  # wrong passphrase, damaged, another version: it may hold them
            found.append(BackupHolding(backup.path, backup.at, 0, 0, 0, readable=False))
            continue
        if not plan.empty:
            found.append(
                BackupHolding(
                    backup.path,
                    backup.at,
                    len(plan.cases),
                    len(plan.circles),
                    len(plan.people),
                )
            )
    return found


def rewrite_backup(
    path: Path,
    key: str | None,
    years: int,
    today: date,
    *,
    mode: Mode,
    acting: Context | None = None,
) -> None:
    """Apply the rule to one backup copy in place and wipe its file (it keeps its key).

    A copy made before an upgrade is brought up to the current schema first (the copy is being
    rewritten anyway; no extra backup of it is made, as that would be one more copy of the
    records being removed). ``acting`` is the context of the database whose copy this is: its
    actor is named in the copy's audit line.
    """
    state = inspect_schema(path, key=key)
    if state.state not in (SchemaState.CURRENT, SchemaState.OUTDATED):
        raise DatabaseProblem(
            _(
                "{path} was not made by this version of circlekeeper, so it was not rewritten.",
                path=path,
            )
        )
    engine = make_engine(path, key=key)
    try:
        if state.state is SchemaState.OUTDATED:
            upgrade_schema(engine)
        sessions = make_session_factory(engine)
        context = (
            Context(sessions)
            if acting is None
            else Context(sessions, actor=acting.actor, viewer=acting.viewer_or_none())
        )
        apply_retention(context, years, today, mode=mode)
    finally:
        engine.dispose()


def handle_backups(
    db_path: Path,
    key: str | None,
    holding: list[BackupHolding],
    choice: BackupChoice,
    years: int,
    today: date,
    *,
    mode: Mode = "purge",
    acting: Context | None = None,
) -> BackupOutcome:
    """Keep, prune or rewrite the backups that hold removed records (see the module notes).

    Call after the database itself was purged, with its context as ``acting`` (who acts: a
    counselor's or an administrator's work).
    """
    if acting is not None and choice != "keep":
        acting.viewer().check_keeps_records()
    if choice not in CHOICES:
        raise DatabaseProblem(_("Choose keep, prune or rewrite for the backups."))
    pruned: list[Path] = []
    rewritten: list[Path] = []
    failed: list[tuple[Path, str]] = []
    fresh = None
    if choice == "prune" and holding:
        for backup in holding:
            for name in (str(backup.path), f"{backup.path}-wal", f"{backup.path}-shm"):
                Path(name).unlink(missing_ok=True)
            pruned.append(backup.path)
        fresh = backup_database(db_path, reason="after-retention", key=key)
    elif choice == "rewrite":
        for backup in holding:
            try:
                rewrite_backup(backup.path, key, years, today, mode=mode, acting=acting)
            except Exception as exc:  # reported per file; the others are still rewritten
                failed.append((backup.path, _why(exc)))
                continue
            rewritten.append(backup.path)
    return BackupOutcome(choice, pruned, rewritten, failed, fresh)


def _why(exc: Exception) -> str:
    if isinstance(exc, DatabaseProblem):
        return str(exc)
    return "it could not be opened with this database's passphrase, or it is damaged"
