"""``circlekeeper people import`` and ``circlekeeper demo`` as IT staff run them."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

ROSTER = (
    "Student ID,First Name,Last Name,Grade,Parent/Guardian,Guardian Email\n"
    "501,José,Núñez,7,María Núñez,maria@example.org\n"
    "502,Zoë,Kowalski,8,,\n"
)


def people(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT coalesce(external_id, ''), first_name, last_name FROM person ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_import_then_reimport_updates(run_cli, db_path: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    first = run_cli("people", "import", str(roster), "--database", str(db_path))
    assert first.returncode == 0, first.stderr
    assert "2 new, 0 updated" in first.stdout and "1 guardian links made" in first.stdout
    assert sorted(people(db_path)) == [
        ("", "María", "Núñez"),
        ("501", "José", "Núñez"),
        ("502", "Zoë", "Kowalski"),
    ]
    roster.write_text(ROSTER.replace("Zoë,Kowalski,8", "Zoë,Kowalski,9"), encoding="utf-8")
    second = run_cli("--database", str(db_path), "people", "import", str(roster))
    assert second.returncode == 0, second.stderr
    assert "0 new, 1 updated, 1 unchanged" in second.stdout
    assert len(people(db_path)) == 3


def test_bad_rows_are_listed_and_nothing_is_imported(run_cli, db_path: Path, tmp_path: Path):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER + "503,,Lee,6,,\n501,Ana,Ruiz,13,,\n", encoding="utf-8")
    before = digest(db_path)
    result = run_cli("people", "import", str(roster), "--database", str(db_path))
    assert result.returncode == 2
    assert f"{roster}:4: the first name is empty" in result.stderr
    assert f"{roster}:5: " in result.stderr and "'13'" in result.stderr
    assert f"{roster}:2: student ID 501 appears again on line 5" in result.stderr
    assert "nothing was imported" in result.stderr
    assert digest(db_path) == before

    skipped = run_cli(
        "people", "import", str(roster), "--skip-bad-rows", "--database", str(db_path)
    )
    assert skipped.returncode == 0, skipped.stderr
    assert people(db_path) == [("502", "Zoë", "Kowalski")]


def test_dry_run_changes_nothing(run_cli, db_path: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_bytes(ROSTER.encode("cp1252"))
    before = digest(db_path)
    result = run_cli("people", "import", str(roster), "--dry-run", "--database", str(db_path))
    assert result.returncode == 0, result.stderr
    assert "2 new, 0 updated" in result.stdout
    assert "Windows-1252" in result.stderr
    assert digest(db_path) == before
    missing = tmp_path / "not-yet.sqlite3"
    result = run_cli("people", "import", str(roster), "--dry-run", "--database", str(missing))
    assert result.returncode == 0 and "2 new" in result.stdout
    assert not missing.exists()


def test_missing_roster_or_folder_is_bad_input(run_cli, db_path: Path, tmp_path: Path) -> None:
    for target, words in ((tmp_path / "none.csv", "does not exist"), (tmp_path, "is a folder")):
        result = run_cli("people", "import", str(target), "--database", str(db_path))
        assert result.returncode == 2
        assert words in result.stderr
        assert "Traceback" not in result.stderr


def test_missing_columns_are_bad_input(run_cli, db_path: Path, tmp_path: Path) -> None:
    roster = tmp_path / "names.csv"
    roster.write_text("Name,Grade\nAna Ruiz,6\n", encoding="utf-8")
    result = run_cli("people", "import", str(roster), "--database", str(db_path))
    assert result.returncode == 2
    assert "has no column for the student ID" in result.stderr
    assert "Columns found: 'Name', 'Grade'" in result.stderr


def test_demo_builds_and_refuses_to_overwrite(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "demo.sqlite3"
    built = run_cli("demo", "--database", str(target))
    assert built.returncode == 0, built.stderr
    assert "120 cases, 700 circles" in built.stdout
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT count(*) FROM circle").fetchone() == (700,)
    finally:
        conn.close()
    before = digest(target)
    again = run_cli("demo", "--database", str(target))
    assert again.returncode == 2
    assert "already exists; the demo will not overwrite it" in again.stderr
    assert digest(target) == before
    checked = run_cli("db", "check", "--database", str(target))
    assert checked.returncode == 0, checked.stderr


def test_demo_needs_a_database_path(run_cli) -> None:
    result = run_cli("demo")
    assert result.returncode == 2
    assert "--database PATH" in result.stderr
    assert not list(run_cli.home.rglob("*.sqlite3*"))  # no database made in the default place
