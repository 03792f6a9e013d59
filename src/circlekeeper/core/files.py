"""Who may read the files circlekeeper writes: only the account that runs it.

Restorative records are minors' education records, so on POSIX the data folder, ``backups/``
and ``logs/`` are 0700 and the database (with its ``-wal``/``-shm``), backups and log files are
0600, whatever the umask. Files are created with that mode (``os.open`` with a mode, never
``open`` and chmod later), and what an older release left looser is tightened when it is next
opened. On Windows the user's profile folder already keeps other accounts out, and these calls
change nothing there.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600
SIDE_FILES = ("-wal", "-shm", "-journal")

_POSIX = os.name == "posix"


def _tighten(path: Path, mode: int) -> None:
    try:
        current = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return
    # Only ever take permissions away: a file someone made read-only stays read-only.
    wanted = current & mode
    if current != wanted:
        try:
            os.chmod(path, wanted)
        except OSError:
            return  # not ours to change (another account's file); opening it says more


def private_folder(path: Path, *, create: bool = True) -> Path:
    """Make (if asked) and keep a folder readable by this account only (0700 on POSIX).

    Folders it has to create on the way get the same mode; folders that were already there
    above ``path`` (a home folder, /tmp) are left alone.
    """
    if create and not path.is_dir():
        missing = []
        parent = path
        while not parent.exists() and parent != parent.parent:
            missing.append(parent)
            parent = parent.parent
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):
                os.mkdir(folder, FOLDER_MODE)
    if _POSIX and path.is_dir():
        _tighten(path, FOLDER_MODE)
    return path


def private_file(path: Path) -> None:
    """Keep an existing file readable and writable by this account only (0600 on POSIX)."""
    if _POSIX and path.is_file():
        _tighten(path, FILE_MODE)


def private_database_files(path: Path) -> None:
    """Tighten a database file and the journal files SQLite keeps beside it."""
    private_file(path)
    for side in SIDE_FILES:
        private_file(Path(f"{path}{side}"))


def private_folder_contents(folder: Path) -> None:
    """Tighten a folder that already exists and every file directly in it (``backups/``)."""
    if not _POSIX or not folder.is_dir():
        return
    _tighten(folder, FOLDER_MODE)
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        private_file(entry)


def create_private_file(path: Path) -> bool:
    """Create an empty file with mode 0600 if none is there; True if this call made it.

    SQLite gives its ``-wal`` and ``-shm`` files the main file's mode, so a database file made
    this way before SQLite first opens it keeps all three private.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def private_opener(path: str, flags: int) -> int:
    """An ``opener`` for :func:`open`: a file it creates gets mode 0600."""
    return os.open(path, flags, FILE_MODE)


def write_private_text(path: Path, text: str) -> None:
    """Write a small text file that only this account can read."""
    with open(path, "w", encoding="utf-8", opener=private_opener) as out:
        out.write(text)
    private_file(path)


def temporary_beside(target: Path, suffix: str) -> Path:
    """A new, empty, private file beside ``target``, named for this process.

    Beside, so it is on the same disk and can be linked into place; one per process, so two
    programs building the same file never write into each other's.
    """
    handle, name = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}-", suffix=suffix, dir=target.parent
    )
    os.close(handle)
    return Path(name)


def remove_leftovers(target: Path, suffix: str) -> None:
    """Remove what a killed build left beside ``target`` (never a build that is still running)."""
    for leftover in target.parent.glob(f".{glob_escape(target.name)}.*{suffix}"):
        pid = leftover.name[len(target.name) + 2 :].split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            remove_with_journals(leftover)


def glob_escape(name: str) -> str:
    """``name`` with glob's special characters escaped, to match it literally."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: leave its file alone
    return True


def remove_with_journals(path: Path) -> None:
    """Delete a database file and its -wal, -shm and -journal files, if there."""
    for leftover in (path, *(Path(f"{path}{side}") for side in SIDE_FILES)):
        leftover.unlink(missing_ok=True)


def place_without_overwriting(finished: Path, target: Path) -> None:
    """Give a finished file the name ``target`` only if no file has it; else FileExistsError.

    A hard link is made atomically or not at all, so two builds racing for one name never
    overwrite each other and ``target`` is never seen empty or half written.
    """
    try:
        os.link(finished, target)
    except FileExistsError:
        raise
    except OSError:
        # No hard links on this disk (FAT, some network drives): claim the name, then move in.
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        os.replace(finished, target)
        return
    finished.unlink()
