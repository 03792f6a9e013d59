"""Where circlekeeper finds its bundled files and keeps the user's data."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "circlekeeper"
HOME_ENV = "CIRCLEKEEPER_HOME"
DATABASE_FILENAME = "circlekeeper.sqlite3"

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _bundled_dir(name: str) -> Path:
    """Find a top-level folder (resources, migrations) in an installed copy or a checkout."""
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE_DIR.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"circlekeeper's {name} folder is missing from this installation")


def resources_dir() -> Path:
    """Folder holding scripts, templates, icons and styles shipped with the program."""
    return _bundled_dir("resources")


def migrations_dir() -> Path:
    """Folder holding the alembic environment and the schema versions."""
    return _bundled_dir("migrations")


def data_home() -> Path:
    """Folder for the user's database, backups and own templates.

    ``CIRCLEKEEPER_HOME`` wins over the platform's user data folder so IT staff and tests can
    point the program somewhere else.
    """
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """Folder for the log files: the platform's place for logs.

    Linux: ``$XDG_STATE_HOME/circlekeeper/log`` (``~/.local/state/circlekeeper/log``);
    Windows: ``%LOCALAPPDATA%\\circlekeeper\\Logs``; macOS: ``~/Library/Logs/circlekeeper``
    (where Console.app looks). With ``CIRCLEKEEPER_HOME`` set, ``logs/`` in that folder, so a
    home chosen by IT staff or a test keeps everything together.
    """
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser() / "logs"
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    """The database used when no ``--database`` is given."""
    return data_home() / DATABASE_FILENAME


def backups_dir(database: Path) -> Path:
    """Folder beside a database where its automatic backups go."""
    return database.parent / "backups"
