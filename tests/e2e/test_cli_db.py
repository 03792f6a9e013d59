"""``circlekeeper db upgrade|check|backup`` as IT staff script them."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def test_upgrade_creates_then_reports_current(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "district" / "records.sqlite3"
    first = run_cli("db", "upgrade", "--database", str(path))
    assert first.returncode == 0, first.stderr
    assert path.exists()
    second = run_cli("--database", str(path), "db", "upgrade")
    assert second.returncode == 0
    assert "already up to date" in second.stdout


def test_check_reports_a_healthy_database(run_cli, db_path: Path) -> None:
    result = run_cli("db", "check", "--database", str(db_path))
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


def test_check_reports_a_newer_database_without_changing_it(run_cli, db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.close()
    before = db_path.read_bytes()
    result = run_cli("db", "check", "--database", str(db_path))
    assert result.returncode == 2
    assert "newer circlekeeper" in result.stderr
    assert db_path.read_bytes() == before


def test_check_on_a_missing_file_is_bad_input(run_cli, tmp_path: Path) -> None:
    result = run_cli("db", "check", "--database", str(tmp_path / "nothing.sqlite3"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert not (tmp_path / "nothing.sqlite3").exists()


def test_backup_writes_a_copy_and_refuses_to_overwrite(run_cli, db_path: Path, tmp_path: Path):
    target = tmp_path / "copy.sqlite3"
    result = run_cli("db", "backup", "--database", str(db_path), "-o", str(target))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    conn.close()
    again = run_cli("db", "backup", "--database", str(db_path), "-o", str(target))
    assert again.returncode == 2
    assert "already exists" in again.stderr


def test_a_file_that_is_not_a_database_is_bad_input(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("Dear family,")
    result = run_cli("db", "upgrade", "--database", str(path))
    assert result.returncode == 2
    assert "not a circlekeeper database" in result.stderr
    assert path.read_text() == "Dear family,"


def test_a_folder_as_database_is_bad_input(run_cli, tmp_path: Path) -> None:
    result = run_cli("db", "upgrade", "--database", str(tmp_path))
    assert result.returncode == 2
    assert "is a folder" in result.stderr
