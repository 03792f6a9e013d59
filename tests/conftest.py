"""Shared fixtures: every test gets its own database built through the real migrations.

The store, service and command-line tests that take ``db`` (or ``db_target``) run twice: once
on an SQLite file and once on a throwaway PostgreSQL database (``engine`` is ``sqlite`` or
``postgresql``). A test about files (SQLCipher, WAL, backups by copy) asks for ``db_path`` too,
or carries ``@pytest.mark.sqlite_only(reason)``, and runs on SQLite alone. Where PostgreSQL
cannot run here, the ``postgresql`` runs skip with one line saying why.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Tests never need a screen; set before anything imports Qt. The offscreen screen is a school
# laptop's 1366x768, so windows open at the size a counselor's laptop gives them.
LAPTOP_SCREEN = Path(__file__).parent / "data" / "laptop_screen.json"
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={LAPTOP_SCREEN}"
os.environ.setdefault("QT_ACCESSIBILITY", "1")

from tests.pg_cluster import Cluster, start_cluster, why_no_server  # noqa: E402

from circlekeeper.core.store.database import Database, open_database  # noqa: E402

ENGINES = ("sqlite", "postgresql")
# Where a test that takes a database runs on both engines: the store, the services (core) and
# the command line (e2e); the GUI tests stay on files.
BOTH_ENGINES_UNDER = ("store", "core", "e2e")
TEMPLATE_DATABASE = "circlekeeper_template"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): about a file (SQLCipher, WAL, copies); SQLite alone"
    )


def _runs_on_both(metafunc: pytest.Metafunc) -> bool:
    parts = Path(str(metafunc.definition.path)).parts
    if "tests" not in parts:
        return False
    folder = parts[parts.index("tests") + 1] if parts.index("tests") + 1 < len(parts) else ""
    if folder not in BOTH_ENGINES_UNDER:
        return False
    if metafunc.definition.get_closest_marker("sqlite_only") is not None:
        return False
    # A test (or one of its fixtures) that reads the file itself is about SQLite.
    return "db_path" not in metafunc.fixturenames


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" in metafunc.fixturenames:
        engines = ENGINES if _runs_on_both(metafunc) else ENGINES[:1]
        metafunc.parametrize("engine", engines, indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgresql``: which engine this run of the test uses."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster for the whole run, on 127.0.0.1 only; stopped even when tests fail."""
    reason = why_no_server()
    if reason is not None:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_template(pg_cluster: Cluster) -> str:
    """A database migrated once through the real alembic chain; each test copies it."""
    pg_cluster.sql(f"CREATE DATABASE {TEMPLATE_DATABASE}")
    open_database(pg_cluster.url(TEMPLATE_DATABASE)).close()
    return TEMPLATE_DATABASE


@pytest.fixture
def pg_url(pg_cluster: Cluster, pg_template: str) -> Iterator[str]:
    """A fresh circlekeeper database on the test server (a copy of the template), its URL."""
    name = f"ck_{uuid.uuid4().hex[:16]}"
    pg_cluster.sql(f"CREATE DATABASE {name} TEMPLATE {pg_template} STRATEGY FILE_COPY")
    yield pg_cluster.url(name)
    pg_cluster.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def db_target(request: pytest.FixtureRequest, engine: str, home: Path) -> Path | str:
    """Where this test's database is: a migrated file, or a migrated server database's URL."""
    if engine == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return Path(request.getfixturevalue("db_path"))


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
def db(db_target: Path | str) -> Iterator[Database]:
    database = open_database(db_target)
    yield database
    database.close()
