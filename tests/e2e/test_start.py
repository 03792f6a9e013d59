"""The real program, started as a subprocess: version, self-test, and the database it makes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from circlekeeper import __version__
from circlekeeper.core.store.schema_version import HEAD


def test_version(run_cli) -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"circlekeeper {__version__}"


def test_self_test_on_a_fresh_home_makes_the_default_database(run_cli) -> None:
    # Given an empty home folder, when the app starts in self-test mode
    result = run_cli("--self-test")
    # Then it paints, opens the data, reports both moments and exits cleanly
    assert result.returncode == 0, result.stderr
    lines = dict(line.split("=", 1) for line in result.stdout.split() if "=" in line)
    assert int(lines["first_paint_ms"]) > 0
    assert int(lines["data_ready_ms"]) >= int(lines["first_paint_ms"])
    database = Path(run_cli.home) / "circlekeeper.sqlite3"
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
    conn.close()


def test_self_test_refuses_a_folder_as_database(run_cli, tmp_path: Path) -> None:
    result = run_cli("--self-test", "--database", str(tmp_path))
    assert result.returncode == 2
    assert "is a folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_self_test_refuses_a_newer_database_unchanged(run_cli, db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.close()
    before = db_path.read_bytes()
    result = run_cli("--self-test", "--database", str(db_path))
    assert result.returncode == 2
    assert "newer version" in result.stderr
    assert db_path.read_bytes() == before
