"""The fixed programme every report test reads: seeded once per module, copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.core.reports.report_seed import seed_programme

from circlekeeper.core.store.database import Database, open_database


@pytest.fixture(scope="module")
def programme_template(migrated_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixed programme seeded once per module into a copy of the migrated database."""
    path = tmp_path_factory.mktemp("programme") / "programme.sqlite3"
    shutil.copyfile(migrated_template, path)
    db = open_database(path)
    seed_programme(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def programme_db(programme_template: Path, home: Path) -> Iterator[Database]:
    """A private copy of the fixed programme for one test."""
    path = home / "programme.sqlite3"
    shutil.copyfile(programme_template, path)
    database = open_database(path)
    yield database
    database.close()
