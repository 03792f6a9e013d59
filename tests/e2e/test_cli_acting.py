"""The record-keeping commands act as a profile: the audit trail names it, and an SRO's profile
is refused the work that is not an SRO's."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from tests.store.retention_seed import plant

from circlekeeper.core.profiles.profiles import ProfileService
from circlekeeper.core.store.database import open_database

ROSTER = "Student ID,First Name,Last Name,Grade\n601,Ines,Marlowe,7\n"


@pytest.fixture
def school(db_path: Path) -> Path:
    """Old records due for removal, and profiles Dana (counselor, PIN 1111), Sam (SRO, 2222)."""
    db = open_database(db_path)
    try:
        plant(db, date.today())
        profiles = ProfileService(db.sessions)
        dana = profiles.create("Dana Whitfield", pin="1111")
        profiles.create("Sam Reyes", "sro", pin="2222", approval=profiles.approve(dana.id, "1111"))
    finally:
        db.close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db_path


def _actors(db_path: Path, action: str) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT actor FROM audit_event WHERE action = ?", (action,))
        return [r[0] for r in rows]
    finally:
        conn.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_sro_profile_is_refused_retention_and_nothing_changes(run_cli, school: Path) -> None:
    before = _digest(school)
    for extra in ((), ("--apply", "--yes")):
        result = run_cli(
            "db", "retention", "--database", str(school), "--years", "5",
            "--profile", "Sam Reyes", *extra, CIRCLEKEEPER_PIN="2222",
        )  # fmt: skip
        assert result.returncode == 2, result.stderr
        assert "Only a counselor or an administrator" in result.stderr
        assert "Nothing was changed" in result.stderr
        assert "Traceback" not in result.stderr
    assert _digest(school) == before
    assert _actors(school, "retention_purge") == []


def test_retention_names_the_counselor_who_ran_it(run_cli, school: Path) -> None:
    result = run_cli(
        "db", "retention", "--database", str(school), "--years", "5",
        "--profile", "Dana Whitfield", "--apply", "--yes", CIRCLEKEEPER_PIN="1111",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _actors(school, "retention_purge") == ["Dana Whitfield"]


def test_retention_needs_a_profile_once_there_are_profiles(run_cli, school: Path) -> None:
    result = run_cli("db", "retention", "--database", str(school), "--years", "5")
    assert result.returncode == 2
    assert "--profile NAME" in result.stderr


def test_a_roster_import_names_who_imported_it(run_cli, school: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    result = run_cli(
        "people", "import", str(roster), "--database", str(school),
        "--profile", "Dana Whitfield", CIRCLEKEEPER_PIN="1111",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _actors(school, "import") == ["Dana Whitfield"]
