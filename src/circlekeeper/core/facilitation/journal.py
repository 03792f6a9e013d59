"""The laptop's journal of a running circle's actions while the server cannot be reached.

One small SQLite file per circle in ``journal/`` under the data folder, readable by this account
only, and encrypted with SQLCipher (the same helpers as an encrypted database, one rule in one
place) when a passphrase is given. Each action is one row, committed with ``synchronous=FULL``
(so fsync'd) before the facilitator's screen moves on; a checksum beside each row tells a
damaged one from the rest. The file says which database and circle it belongs to, and is never
sent into another.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from circlekeeper.core import paths
from circlekeeper.core.facilitation.actions import Action
from circlekeeper.core.files import private_database_files, private_folder
from circlekeeper.core.i18n import _
from circlekeeper.core.store import crypto
from circlekeeper.core.store.problems import DatabaseProblem, disk_problem

FORMAT = "1"
SUFFIX = ".journal"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS about (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS action ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, digest TEXT NOT NULL,"
    " sent INTEGER NOT NULL DEFAULT 0)",
)


def journal_folder() -> Path:
    """Where the journals are kept: ``journal/`` in the user's data folder."""
    return paths.data_home() / "journal"


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One readable action in the journal, with its place in the order."""

    seq: int
    action: Action


@dataclass(frozen=True)
class Waiting:
    """What the journal holds that was not sent yet: readable actions in order, and damage."""

    entries: list[Entry]
    damaged: list[int]  # the places of rows that cannot be read


class Journal:
    """The journal file of one circle on one database.

    ``database`` is the database's identity (:func:`circlekeeper.core.facilitation.offline.
    database_identity`), ``circle`` the circle's uuid: both are written into the file when it
    is made and checked before anything is sent.
    """

    def __init__(
        self,
        path: Path,
        *,
        database: str,
        circle: str,
        circle_id: int,
        passphrase: str | None = None,
    ) -> None:
        self.path = path
        self.database = database
        self.circle = circle
        self.circle_id = circle_id
        self._passphrase = passphrase

    @classmethod
    def for_circle(
        cls,
        circle: str,
        *,
        database: str,
        circle_id: int,
        passphrase: str | None = None,
        folder: Path | None = None,
    ) -> Journal:
        where = (folder or journal_folder()) / f"{circle}{SUFFIX}"
        return cls(
            where, database=database, circle=circle, circle_id=circle_id, passphrase=passphrase
        )

    # --- the file --------------------------------------------------------------------------

    def exists(self) -> bool:
        return self.path.exists() and self.path.stat().st_size > 0

    def _connect(self, *, create: bool) -> Any:
        fresh = not self.exists()
        if fresh and not create:
            raise DatabaseProblem(_("There is no journal at {path}.", path=self.path))
        if fresh:
            private_folder(self.path.parent)
        try:
            if self._passphrase is None:
                if not fresh and crypto.classify(self.path) != crypto.FileKind.PLAIN:
                    raise DatabaseProblem(
                        _(
                            "The journal {path} is protected with a passphrase; it is kept "
                            "unchanged. Open circlekeeper with the passphrase to send it.",
                            path=self.path,
                        )
                    )
                conn: Any = sqlite3.connect(self.path, isolation_level=None)
            else:
                key = (
                    crypto.new_key(self._passphrase)
                    if fresh
                    else crypto.key_for(self.path, self._passphrase)
                )
                conn = crypto.connect(self.path, key)
                conn.isolation_level = None
            conn.execute("PRAGMA synchronous = FULL")  # each commit reaches the disk
            if fresh:
                for statement in _SCHEMA:
                    conn.execute(statement)
                conn.executemany(
                    "INSERT OR REPLACE INTO about (key, value) VALUES (?, ?)",
                    [
                        ("format", FORMAT),
                        ("database", self.database),
                        ("circle", self.circle),
                        ("circle_id", str(self.circle_id)),
                        ("made", datetime.now().astimezone().isoformat(timespec="seconds")),
                    ],
                )
        except (sqlite3.Error, OSError) as exc:
            raise DatabaseProblem(
                _(
                    "The journal {path} on this laptop cannot be used ({exc}). Nothing in it was "
                    "changed.",
                    path=self.path,
                    exc=exc,
                )
            ) from exc
        private_database_files(self.path)
        return conn

    def about(self) -> dict[str, str]:
        """What the file says it belongs to (database, circle, format)."""
        conn = self._connect(create=False)
        try:
            return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM about")}
        finally:
            conn.close()

    # --- writing ---------------------------------------------------------------------------

    def append(self, action: Action) -> None:
        """Keep one action; on return it is on the disk (the commit is fsync'd)."""
        body = action.to_json()
        conn = self._connect(create=True)
        try:
            conn.execute("INSERT INTO action (body, digest) VALUES (?, ?)", (body, _digest(body)))
        except Exception as exc:  # sqlite3's or sqlcipher3's errors, or the disk's
            raise journal_problem(exc, self.path) from exc
        finally:
            conn.close()

    def mark_sent(self, seq: int) -> None:
        """The action at ``seq`` is stored on the server: never send it again."""
        conn = self._connect(create=False)
        try:
            conn.execute("UPDATE action SET sent = 1 WHERE seq = ?", (seq,))
        finally:
            conn.close()

    # --- reading ---------------------------------------------------------------------------

    def waiting(self) -> Waiting:
        """The actions not sent yet, in order; a row that cannot be read is listed apart."""
        if not self.exists():
            return Waiting([], [])
        conn = self._connect(create=False)
        try:
            rows = conn.execute(
                "SELECT seq, body, digest FROM action WHERE sent = 0 ORDER BY seq"
            ).fetchall()
        finally:
            conn.close()
        entries: list[Entry] = []
        damaged: list[int] = []
        for seq, body, digest in rows:
            try:
                if not isinstance(body, str) or _digest(body) != digest:
                    raise ValueError("its checksum does not match")
                entries.append(Entry(int(seq), Action.from_json(body)))
            except ValueError:
                damaged.append(int(seq))
        return Waiting(entries, damaged)

    def finish(self) -> Path | None:
        """Everything readable was sent: remove the file, or keep it aside if rows were damaged.

        Returns where a journal with damaged rows was kept (for IT), None when it was removed.
        """
        left = self.waiting()
        if left.entries:
            return self.path  # not finished
        if left.damaged:
            kept = self.path.with_name(
                f"{self.path.stem}.damaged-{datetime.now().strftime('%Y%m%d-%H%M%S')}{SUFFIX}"
            )
            self.path.replace(kept)
            return kept
        for leftover in (self.path, Path(f"{self.path}-journal")):
            leftover.unlink(missing_ok=True)
        return None


def journal_problem(exc: BaseException, path: Path) -> DatabaseProblem:
    """A plain problem for a journal write the laptop refused (a full disk, a broken file)."""
    found = disk_problem(exc, _("Saving on this laptop"))
    if found is not None:
        return found
    return DatabaseProblem(
        _(
            "The last action could not be saved on this laptop either ({exc}); the journal "
            "{path} keeps everything before it. Do not close circlekeeper; ask IT staff.",
            exc=exc,
            path=path,
        )
    )
