"""Every command that opens the database opens an encrypted one: the passphrase comes from
CIRCLEKEEPER_PASSPHRASE or is typed on a terminal (no echo); with neither, exit 2 and say so."""

from __future__ import annotations

import hashlib
import os
import pty
import sys
import time
from pathlib import Path

import pytest
from tests.store.seed import seed

from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.encryption import encrypt_database

SECRET = "a long school passphrase"
ROSTER = "Student ID,First Name,Last Name,Grade\n701,Ilse,Brandvold,7\n"


@pytest.fixture
def encrypted(db_path: Path) -> tuple[Path, int]:
    db = open_database(db_path)
    ids = seed(db)
    db.close()
    encrypt_database(db_path, SECRET)
    return db_path, ids["agreement"]


def _commands(path: Path, agreement: int, out: Path) -> dict[str, list[str]]:
    roster = out / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    db = ["--database", str(path)]
    return {
        "export agreement": [
            "export", "agreement", str(agreement), "--format", "html", "-o",
            str(out / "a.html"), *db,
        ],
        "export calendar": ["export", "calendar", "-o", str(out / "a.ics"), *db],
        "calendar export": ["calendar", "export", "-o", str(out / "b.ics"), *db],
        "people import --dry-run": ["people", "import", str(roster), "--dry-run", *db],
        "people import": ["people", "import", str(roster), *db],
        "db check": ["db", "check", *db],
        "db backup": ["db", "backup", *db],
        "db upgrade": ["db", "upgrade", *db],
        "db retention": ["db", "retention", "--years", "3", *db],
    }  # fmt: skip


COMMANDS = [
    "export agreement",
    "export calendar",
    "calendar export",
    "people import --dry-run",
    "people import",
    "db check",
    "db backup",
    "db upgrade",
    "db retention",
]


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_opens_an_encrypted_database_with_the_variable(
    run_cli, encrypted: tuple[Path, int], tmp_path: Path, name: str
) -> None:
    path, agreement = encrypted
    args = _commands(path, agreement, tmp_path)[name]
    result = run_cli(*args, CIRCLEKEEPER_PASSPHRASE=SECRET)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", COMMANDS)
def test_without_a_passphrase_each_command_says_so_and_changes_nothing(
    run_cli, encrypted: tuple[Path, int], tmp_path: Path, name: str
) -> None:
    path, agreement = encrypted
    args = _commands(path, agreement, tmp_path)[name]
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = run_cli(*args, CIRCLEKEEPER_PASSPHRASE="")  # not set; stdin is not a terminal
    assert result.returncode == 2, result.stdout + result.stderr
    assert "passphrase is needed" in result.stderr
    assert "CIRCLEKEEPER_PASSPHRASE" in result.stderr
    assert "Traceback" not in result.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not (tmp_path / "a.html").exists() and not (tmp_path / "a.ics").exists()


def test_on_a_terminal_the_passphrase_is_asked_for_without_echo(
    run_cli, encrypted: tuple[Path, int], tmp_path: Path
) -> None:
    path, _ = encrypted
    output = tmp_path / "typed.ics"
    home = run_cli.home  # type: ignore[attr-defined]
    env = {k: v for k, v in os.environ.items() if k != "CIRCLEKEEPER_PASSPHRASE"}
    env.update(CIRCLEKEEPER_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    args = ["calendar", "export", "-o", str(output), "--database", str(path)]
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real program on a terminal
        os.execve(sys.executable, [sys.executable, "-m", "circlekeeper", *args], env)
    seen = b""
    typed = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break  # the child has ended
        if not chunk:
            break
        seen += chunk
        if not typed and b"Passphrase for" in seen:
            os.write(fd, SECRET.encode() + b"\n")
            typed = True
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert typed, seen
    assert os.waitstatus_to_exitcode(status) == 0, seen
    assert SECRET.encode() not in seen  # not echoed
    assert output.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
