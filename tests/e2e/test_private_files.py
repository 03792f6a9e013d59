"""Through the real program: no record content in any log, and no file other accounts can read.

Each test runs ``python -m circlekeeper`` as a subprocess with its own data folder and a umask
of 000, so every mode checked here is one circlekeeper chose, not one the umask gave.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

FIRST_NAME = "Quillonia"
LAST_NAME = "Farthingale"
DEMOGRAPHIC = "Marker-Ethnicity-4412"
STUDENT_ID = "ZQ-99173"

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _run(
    home: Path, *args: str, umask: int = 0o000, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, CIRCLEKEEPER_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "circlekeeper", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=environment,
        stdin=subprocess.DEVNULL,
        preexec_fn=lambda: os.umask(umask),  # noqa: PLW1509 - no threads in this test
    )


def _everything_in(folder: Path) -> list[Path]:
    return [folder, *sorted(folder.rglob("*"))]


def _loose(folder: Path) -> list[str]:
    """Every file or folder under ``folder`` that another account could read or enter."""
    found = []
    for entry in _everything_in(folder):
        mode = stat.S_IMODE(entry.lstat().st_mode)
        wanted = 0o700 if entry.is_dir() else 0o600
        if mode & ~wanted:
            found.append(f"{entry.relative_to(folder.parent)} {oct(mode)}")
    return found


def test_a_failed_cli_write_logs_no_name_id_or_demographic(tmp_path: Path, db_path: Path) -> None:
    # Given a database that refuses new people (as a broken constraint would)
    conn = sqlite3.connect(db_path)
    conn.execute(
        "CREATE TRIGGER refuse_person BEFORE INSERT ON person "
        "BEGIN SELECT RAISE(ABORT, 'refused for this test'); END"
    )
    conn.commit()
    conn.close()
    roster = tmp_path / "roster.csv"
    roster.write_text(
        f"Student ID,First Name,Last Name,Race/Ethnicity\n"
        f"{STUDENT_ID},{FIRST_NAME},{LAST_NAME},{DEMOGRAPHIC}\n",
        encoding="utf-8",
    )
    home = tmp_path / "cli-home"
    # When the roster import fails inside the database
    result = _run(home, "people", "import", str(roster), "--database", str(db_path))
    assert result.returncode == 2, result.stderr  # a refused write is put in plain words
    assert "Everything saved before it is safe" in result.stderr
    # Then the log says what failed, and no byte of any log file holds the person's details
    logs = [p for p in (home / "logs").iterdir() if p.is_file()]
    written = b"".join(p.read_bytes() for p in logs)
    assert b"IntegrityError" in written and b"INSERT INTO person" in written
    for secret in (FIRST_NAME, LAST_NAME, DEMOGRAPHIC, STUDENT_ID):
        assert secret.encode() not in written, secret
        assert secret not in result.stderr


@posix_only
def test_the_app_start_keeps_the_data_folder_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    # When the desktop app starts on a new data folder (its real start path, offscreen)
    started = _run(home, "--self-test")
    assert started.returncode == 0, started.stderr
    # Then the folder, the database with its -wal/-shm and the log are this account's only
    assert (home / "circlekeeper.sqlite3").is_file()
    assert (home / "logs").is_dir()
    assert _loose(home) == []


@posix_only
def test_cli_demo_and_backup_files_are_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    demo = home / "demo.sqlite3"
    built = _run(home, "demo", "--database", str(demo))
    assert built.returncode == 0, built.stderr
    backed_up = _run(home, "db", "backup", "--database", str(demo))
    assert backed_up.returncode == 0, backed_up.stderr
    checked = _run(home, "db", "check", "--database", str(demo))
    assert checked.returncode == 0, checked.stderr
    shared = tmp_path / "shared.toml"
    exported = _run(home, "scripts", "export", "conference", "-o", str(shared))
    assert exported.returncode == 0, exported.stderr
    imported = _run(home, "scripts", "import", str(shared), "--as", "our-conference")
    assert imported.returncode == 0, imported.stderr
    assert (home / "scripts" / "our-conference.toml").is_file()
    assert list((home / "backups").iterdir())
    assert _loose(home) == []


@posix_only
def test_files_an_older_release_left_readable_are_tightened_at_open(
    tmp_path: Path, migrated_template: Path
) -> None:
    # Given a data folder, database, backups and log readable by everyone
    home = tmp_path / "home"
    (home / "backups").mkdir(parents=True)
    (home / "logs").mkdir()
    database = home / "circlekeeper.sqlite3"
    database.write_bytes(migrated_template.read_bytes())
    backup = home / "backups" / "circlekeeper-20260101-000000-000000-start.sqlite3"
    backup.write_bytes(migrated_template.read_bytes())
    (home / "logs" / "circlekeeper.log").write_text("old line\n")
    for entry in _everything_in(home):
        os.chmod(entry, 0o755 if entry.is_dir() else 0o644)
    # When the app starts on it
    started = _run(home, "--self-test", umask=0o022)
    assert started.returncode == 0, started.stderr
    # Then nothing in it is readable by another account any more
    assert _loose(home) == []


@posix_only
def test_the_app_started_without_the_command_line_gets_the_same_log(tmp_path: Path) -> None:
    # A packaged launcher may call run_app directly: the window still gets the project's log.
    home = tmp_path / "home"
    script = (
        "import sys; from pathlib import Path; from circlekeeper.app import run_app; "
        f"sys.exit(run_app(Path({str(home / 'circlekeeper.sqlite3')!r}), self_test=True))"
    )
    env = dict(os.environ, CIRCLEKEEPER_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    started = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        preexec_fn=lambda: os.umask(0),  # noqa: PLW1509
    )
    assert started.returncode == 0, started.stderr
    log = home / "logs" / "circlekeeper.log"
    assert b"Running upgrade" in log.read_bytes()  # the new database's migrations, logged
    assert _loose(home) == []


@posix_only
def test_encrypting_keeps_the_new_file_and_its_backups_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _run(home, "--self-test").returncode == 0
    assert _run(home, "db", "backup").returncode == 0
    env = {"CIRCLEKEEPER_NEW_PASSPHRASE": "correct horse 9"}
    encrypted = _run(home, "db", "encrypt", env=env)
    assert encrypted.returncode == 0, encrypted.stderr
    assert _loose(home) == []
