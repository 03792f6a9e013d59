"""Whether a database file can live where it was asked for: links, folders, read-only places."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from circlekeeper.core.i18n import _
from circlekeeper.core.store.problems import DatabaseProblem


def writable(path: Path) -> bool:
    """Whether a file or folder may be written (its write bits, not only the access check)."""
    # Write bits, not only os.access: an administrator running as root still means
    # "read-only" when a file has been marked so.
    mode = path.stat().st_mode
    return os.access(path, os.W_OK) and bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def refuse_dangling_link(path: Path) -> None:
    """Refuse a symbolic link whose target is missing (SQLite would create the target)."""
    if path.is_symlink() and not path.exists():
        raise DatabaseProblem(
            _(
                "{path} is a link to {value}, which does not exist. Nothing "
                "was created or changed. Give the database file's real path, "
                "or fix the link.",
                path=path,
                value=os.readlink(path),
            )
        )


def check_location(path: Path) -> None:
    """Refuse, in plain words, a place where a database cannot be opened or made."""
    refuse_dangling_link(path)
    if path.is_dir():
        raise DatabaseProblem(
            _(
                "{path} is a folder, not a database file. Give a file name "
                "inside it, for example {value}.",
                path=path,
                value=path / "circlekeeper.sqlite3",
            )
        )
    if path.exists():
        if not writable(path):
            raise DatabaseProblem(
                _(
                    "The database file {path} is read-only, so nothing could be "
                    "saved. Make it writable, or copy it somewhere you can "
                    "write, and open that copy.",
                    path=path,
                )
            )
        if not writable(path.parent):
            raise DatabaseProblem(
                _(
                    "The folder {parent} is read-only; SQLite needs to write its "
                    "journal beside the database. Move the database to a folder "
                    "you can write to.",
                    parent=path.parent,
                )
            )
        return
    parent = path.parent
    existing = parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir() or not writable(existing):
        raise DatabaseProblem(
            _(
                "Cannot create a database at {path}: the folder {existing} "
                "is read-only or is not a folder. Choose another place.",
                path=path,
                existing=existing,
            )
        )
