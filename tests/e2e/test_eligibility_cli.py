"""The command line keeps the one eligibility screen: `db upgrade` converts, `demo` writes it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config

from circlekeeper.core.domain.eligibility import assess, decode
from circlekeeper.core.paths import migrations_dir

STAMP = "2026-01-01T00:00:00+00:00"
# A case screened as a Title IX matter on the case page, then written over by the old panel.
OLD_SCREENS = {
    1: {
        "responsibility_admitted": True,
        "participation_voluntary": True,
        "guardian_consent": True,
        "title_ix": True,
        "notes": "Coordinator told",
    },
    2: {"responsibility_admitted": True, "must_refer": True, "answered": True, "notes": ""},
}


def _old_database(path: Path) -> None:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    command.upgrade(config, "0004_person_directory_index")
    with sqlite3.connect(path) as conn:
        for number, screen in OLD_SCREENS.items():
            conn.execute(
                "INSERT INTO case_file (id, uuid, created_at, updated_at, referred_on,"
                " referral_source, incident_category, description, status, diverted_from,"
                " consequence_reinstated, eligibility) VALUES (?, ?, ?, ?, '2026-01-02',"
                " 'teacher', 'Harassment', '', 'screened', 'none', 0, ?)",
                (number, f"case-{number}", STAMP, STAMP, json.dumps(screen)),
            )
    conn.close()


def test_db_upgrade_keeps_a_title_ix_flag_and_the_backup_keeps_the_old_file(
    run_cli, tmp_path: Path
) -> None:
    # Given a database from the previous release with both old shapes of the screen
    path = tmp_path / "school.sqlite3"
    _old_database(path)
    # When IT upgrades it from the command line
    result = run_cli("db", "upgrade", "--database", str(path))
    assert result.returncode == 0, result.stderr
    # Then both screens are in the one format, and both still stop their case
    with sqlite3.connect(path) as conn:
        screens = dict(conn.execute("SELECT id, eligibility FROM case_file"))
    conn.close()
    first, second = decode(screens[1]), decode(screens[2])
    assert first is not None and first.title_ix and first.notes == "Coordinator told"
    assert second is not None and second.referral_unspecified
    assert assess(first).blocked and assess(second).blocked
    # And the copy made before upgrading still holds the answers as they were
    backups = list((path.parent / "backups").glob("*"))
    assert backups, "an upgrade backs the file up first"
    with sqlite3.connect(backups[0]) as conn:
        kept = dict(conn.execute("SELECT id, eligibility FROM case_file"))
    conn.close()
    assert {k: json.loads(v) for k, v in kept.items()} == OLD_SCREENS


def test_demo_from_the_command_line_writes_the_one_format(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "demo.sqlite3"
    built = run_cli("demo", "--database", str(target))
    assert built.returncode == 0, built.stderr
    with sqlite3.connect(target) as conn:
        rows = conn.execute(
            "SELECT status, eligibility FROM case_file WHERE eligibility IS NOT NULL"
        ).fetchall()
    conn.close()
    assert rows
    for status, text in rows:
        verdict = assess(decode(text))  # an old format would raise here
        if status in ("preparing", "held", "monitoring"):
            assert verdict.may_go_ahead, (status, verdict)
