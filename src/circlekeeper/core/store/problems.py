"""The problems opening or keeping a database can run into, each with a message for people."""

from __future__ import annotations

import errno
from pathlib import Path

from circlekeeper.core.i18n import _


class DatabaseProblem(Exception):
    """A database cannot be used as asked; the message says what and what to do, in plain words."""


class ServerUnreachable(DatabaseProblem):
    """The server did not answer, or the connection to it dropped: the network's problem.

    Distinct from a refusal (a wrong password, a missing permission): trying again later, when
    the network is back, may succeed. A running circle keeps its actions on the laptop meanwhile
    (:mod:`circlekeeper.core.facilitation.journal`).
    """


class PassphraseNeeded(DatabaseProblem):
    """The file is encrypted: ask for its passphrase and open it again with it."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            _("{path} is protected with a passphrase. Enter the passphrase to open it.", path=path)
        )
        self.path = path


class WrongPassphrase(DatabaseProblem):
    """The passphrase given does not open the file; nothing was changed."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "That passphrase does not open {path}. Nothing was changed. "
                "Check the spelling and the Caps Lock key, then try again.",
                path=path,
            )
        )
        self.path = path


class DatabaseInUse(DatabaseProblem):
    """Another window or program holds the file, so it cannot be rewritten now."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "{path} is open in another circlekeeper window or program; close it first, then "
                "try again. Nothing was changed.",
                path=path,
            )
        )
        self.path = path


class DatabaseLocked(DatabaseProblem):
    """Another program holds a lock on the file that keeps circlekeeper from reading it."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "{path} is in use by another program that has locked it, so circlekeeper cannot "
                "read it now. Nothing was changed. Close that program (or wait for it to "
                "finish), then try again.",
                path=path,
            )
        )
        self.path = path


class DamagedDatabase(DatabaseProblem):
    """The file is damaged. It was moved aside (never overwritten); a backup may be offered."""

    def __init__(
        self,
        path: Path,
        what: str,
        *,
        moved_to: Path | None = None,
        suggested_backup: Path | None = None,
    ) -> None:
        parts = [_("The database {path} is damaged ({what}).", path=path, what=what)]
        if moved_to is not None:
            parts.append(
                _(
                    "It was moved aside, unchanged, to {moved_to} so nothing more is lost.",
                    moved_to=moved_to,
                )
            )
        else:
            parts.append(_("Nothing was changed."))
        if suggested_backup is not None:
            parts.append(
                _(
                    "The newest good backup is {backup}; restore it to go on.",
                    backup=suggested_backup,
                )
            )
        else:
            parts.append(_("No good backup was found; ask IT staff to look at the damaged file."))
        super().__init__(" ".join(parts))
        self.path = path
        self.what = what
        self.moved_to = moved_to
        self.suggested_backup = suggested_backup


# What SQLite and the system say when a write does not fit: a full disk (SQLITE_FULL, ENOSPC),
# a quota, or a file-size limit (EFBIG, which SQLite reports as a disk I/O error).
_DISK_WORDS = ("database or disk is full", "disk i/o error", "file too large", "no space left")
_DISK_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def disk_problem(exc: BaseException, what: str) -> DatabaseProblem | None:
    """A plain problem for a write the disk refused, or None when ``exc`` is something else.

    ``what`` says what could not be written; the message adds what is safe and what to do.
    """
    refused = isinstance(exc, OSError) and exc.errno in _DISK_ERRNOS
    if not refused and not any(word in str(exc).lower() for word in _DISK_WORDS):
        return None
    return DatabaseProblem(
        _(
            "{what}: the disk refused the write (it is full, or the file "
            "would pass a size limit set for this account). Nothing was "
            "left half written, and nothing saved before was changed. "
            "Free some space (or ask IT staff about the limit), then try "
            "again.",
            what=what,
        )
    )


def integrity_summary(rows: list[str]) -> str:
    """What SQLite's integrity check found, in one short line people can read.

    The check's rows can hold many lines each, under a "*** in database main ***" heading; a
    counselor needs the count and the first, not a screenful of page numbers.
    """
    lines = [
        line.strip()
        for row in rows
        for line in row.splitlines()
        if line.strip() and not line.strip().startswith("***")
    ] or ["unknown damage"]
    found = "a problem" if len(lines) == 1 else f"{len(lines)} problems"
    first = lines[0] if len(lines[0]) <= 120 else lines[0][:117] + "..."
    return f"SQLite's page-by-page check found {found}; the first: {first}"
