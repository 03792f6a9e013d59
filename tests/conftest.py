"""Shared fixtures: every test gets its own database file built through the real migrations."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Tests never need a screen; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ACCESSIBILITY", "1")

from circlekeeper.core.store.database import Database, open_database  # noqa: E402


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database made by running the alembic chain, copied for each test (fast and real)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = open_database(path)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private CIRCLEKEEPER_HOME so nothing touches the real user's data."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("CIRCLEKEEPER_HOME", str(folder))
    return folder


@pytest.fixture
def db_path(home: Path, migrated_template: Path) -> Path:
    path = home / "circlekeeper.sqlite3"
    shutil.copyfile(migrated_template, path)
    return path


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.close()
