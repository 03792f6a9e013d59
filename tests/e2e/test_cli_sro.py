"""``circlekeeper sro`` acts as a profile: an SRO logs and lists only their own activities."""

from __future__ import annotations

from pathlib import Path

import pytest

from circlekeeper.core.operations import Context
from circlekeeper.core.profiles.profiles import ProfileService
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.sro.activity import SroActivityService
from circlekeeper.core.store.database import open_database


@pytest.fixture
def school(db_target: Path | str) -> Path:
    """Profiles: Dana (counselor, PIN 1111), Sam and Lee (SROs, PINs 2222 and 3333)."""
    db = open_database(db_target)
    try:
        profiles = ProfileService(db.sessions)
        dana = profiles.create("Dana Whitfield", pin="1111")
        for name, pin in (("Sam Reyes", "2222"), ("Lee Ortiz", "3333")):
            profiles.create(name, "sro", pin=pin, approval=profiles.approve(dana.id, "1111"))
    finally:
        db.close()
    return db_target


def _entries(db_path: Path, viewer: Viewer) -> list[tuple[str, int]]:
    db = open_database(db_path)
    try:
        return [
            (r.officer, r.minutes)
            for r in SroActivityService(Context(db.sessions, viewer=viewer)).entries()
        ]
    finally:
        db.close()


def test_an_sro_logs_and_lists_only_their_own_from_the_command_line(run_cli, school: Path):  # type: ignore[no-untyped-def]
    db = ("--database", str(school))
    logged = run_cli(
        "sro",
        "log",
        "class_taught",
        "--minutes",
        "50",
        "--date",
        "2026-11-02",
        "--attendance",
        "27",
        "--place",
        "Room 12",
        *db,
        "--profile",
        "Sam Reyes",
        CIRCLEKEEPER_PIN="2222",
    )
    assert logged.returncode == 0, logged.stderr
    assert _entries(school, Viewer("Dana Whitfield", "counselor")) == [("Sam Reyes", 50)]
    # Another officer lists nothing of Sam's; the counselor lists it.
    lee = run_cli("sro", "list", *db, "--profile", "Lee Ortiz", CIRCLEKEEPER_PIN="3333")
    assert lee.returncode == 0 and lee.stdout == ""
    dana = run_cli("sro", "list", *db, "--profile", "Dana Whitfield", CIRCLEKEEPER_PIN="1111")
    assert dana.stdout.split("\t")[:4] == ["2026-11-02", "class_taught", "outreach", "50"]
    # Without a profile, nothing is listed or written.
    anonymous = run_cli("sro", "list", *db)
    assert anonymous.returncode == 2 and "--profile NAME" in anonymous.stderr


def test_impossible_minutes_exit_2_with_a_plain_message_and_save_nothing(run_cli, school: Path):  # type: ignore[no-untyped-def]
    for minutes in ("-30", "0", "1500"):
        result = run_cli(
            "sro",
            "log",
            "mentoring_session",
            "--minutes",
            minutes,
            "--database",
            str(school),
            "--profile",
            "Sam Reyes",
            CIRCLEKEEPER_PIN="2222",
        )
        assert result.returncode == 2
        assert "Nothing was saved" in result.stderr and "Traceback" not in result.stderr
    assert _entries(school, Viewer("Dana Whitfield", "counselor")) == []


def test_an_sro_records_only_their_own_training(run_cli, school: Path):  # type: ignore[no-untyped-def]
    sam = ("--database", str(school), "--profile", "Sam Reyes")
    done = run_cli(
        "sro",
        "training",
        "YMHFA",
        "--category",
        "mental_health_first_aid",
        "--hours",
        "8",
        "--date",
        "2026-10-01",
        *sam,
        CIRCLEKEEPER_PIN="2222",
    )
    assert done.returncode == 0, done.stderr
    refused = run_cli(
        "sro",
        "training",
        "YMHFA",
        "--hours",
        "8",
        "--trainee",
        "Lee Ortiz",
        *sam,
        CIRCLEKEEPER_PIN="2222",
    )
    assert refused.returncode == 2 and "only its own training" in refused.stderr
    no_hours = run_cli("sro", "training", "De-escalation", *sam, CIRCLEKEEPER_PIN="2222")
    assert no_hours.returncode == 2 and "Nothing was saved" in no_hours.stderr
    totals = run_cli("sro", "training", *sam, CIRCLEKEEPER_PIN="2222")
    assert totals.stdout.strip() == "Sam Reyes\t8 h of 40 h\t32 h to go"
