"""Remembering which database to open next time (after switching to the demo database).

A one-line text file in the data home, ``last_database.txt``, holding an absolute path. Plain
files keep this readable by IT staff and free of Qt, so the start-up code can read it before any
window exists. Nothing here imports Qt.
"""

from __future__ import annotations

from pathlib import Path

from circlekeeper.core.files import private_folder, write_private_text
from circlekeeper.core.paths import data_home

FILENAME = "last_database.txt"


def remember_database(path: Path) -> None:
    """Open ``path`` at the next start (when no database is named on the command line)."""
    home = private_folder(data_home())
    write_private_text(home / FILENAME, str(path.expanduser().resolve()) + "\n")


def remembered_database() -> Path | None:
    """The database chosen last time, if one was remembered and the file is still there."""
    try:
        text = (data_home() / FILENAME).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not text:
        return None
    path = Path(text)
    return path if path.is_file() else None


def demo_database_path(current: Path) -> Path:
    """Where the demo database lives: beside the database in use."""
    return current.parent / "circlekeeper-demo.sqlite3"
