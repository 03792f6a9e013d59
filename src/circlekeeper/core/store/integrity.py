"""SQLite's integrity check, kept off the start path but always before the first write.

``PRAGMA quick_check`` reads every page: about 0.9 s on a district's ten years (4 s encrypted),
most of what opening used to cost. An opening now checks only what is cheap (the header, the
length, the schema version) and leaves the page check to this gate, which runs it once per
opening: on a worker just after the records are on screen (the GUI), before every backup, or,
whichever comes first, just before the first statement that would write. A damaged file is
therefore still caught before anything writes to it: the write is refused with
:class:`DamagedDatabase` and every later write too, so nothing more is lost.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from circlekeeper.core.store.problems import DamagedDatabase, integrity_summary

# The first word of a statement that changes the file (pysqlite sends BEGIN on its own).
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "WITH")


def _writes(statement: str) -> bool:
    return statement.lstrip()[:7].upper().startswith(_WRITES)


class IntegrityGate:
    """Runs the page check once per opening and refuses writes until it has said "ok"."""

    def __init__(self, path: Path, engine: Engine, key: str | None = None) -> None:
        self.path = path
        self._engine = engine
        self._key = key
        self._lock = threading.Lock()
        self._problems: list[str] | None = None
        event.listen(engine, "before_cursor_execute", self._before_statement)

    @property
    def checked(self) -> bool:
        """Whether the check has run at this opening."""
        return self._problems is not None

    def mark_sound(self) -> None:
        """Record that the file was just checked (or just made) by the opening itself."""
        with self._lock:
            self._problems = ["ok"]

    def check(self, *, again: bool = False) -> list[str]:
        """The check's findings, ``["ok"]`` when sound; runs it unless it already ran.

        Safe from any thread; a second caller waits for the first one's answer. ``again`` runs
        it afresh (before a backup, so a copy is never made of pages damaged since opening).
        """
        with self._lock:
            if self._problems is None or again:
                self._problems = self._run()
            return self._problems

    def require_sound(self, *, again: bool = False) -> None:
        """Raise :class:`DamagedDatabase` (nothing changed) unless the file checks out."""
        problems = self.check(again=again)
        if problems != ["ok"]:
            from circlekeeper.core.store.backups import newest_good_backup

            try:
                backup = newest_good_backup(self.path, key=self._key)
            except Exception:  # noqa: BLE001 - a suggestion only; the refusal is what matters
                backup = None
            raise DamagedDatabase(self.path, integrity_summary(problems), suggested_backup=backup)

    def _run(self) -> list[str]:
        # Through the open engine, so the check reads the same snapshot the program writes to
        # (with its key, for an encrypted file) and never treats a live -wal as absent.
        try:
            with self._engine.connect() as connection:
                return [str(row[0]) for row in connection.exec_driver_sql("PRAGMA quick_check")]
        except DamagedDatabase:
            raise
        except Exception as exc:  # noqa: BLE001 - SQLite reports unreadable pages as errors
            if "locked" in str(exc) or "busy" in str(exc):
                raise
            return [str(exc)]

    def _before_statement(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self._problems == ["ok"] or not _writes(statement):
            return
        self.require_sound()
