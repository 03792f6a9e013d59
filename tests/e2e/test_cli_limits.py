"""The real program at its limits: damaged pages, a file-size limit, two builds racing.

Each refusal exits 2 with a message in plain words, leaves no partial file and changes
nothing that was already saved.
"""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from circlekeeper.core.demo.demo import build_demo
from circlekeeper.core.store.encryption import encrypt_database

posix_only = pytest.mark.skipif(os.name != "posix", reason="resource limits are POSIX")


def _command(home: Path, *args: str) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ, CIRCLEKEEPER_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return [sys.executable, "-m", "circlekeeper", *args], env


def _run(
    home: Path,
    *args: str,
    file_limit: int | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    def limited() -> None:
        # Python ignores SIGXFSZ itself; set it here too so the test does not depend on it.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    command, environment = _command(home, *args)
    environment.update(env or {})
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=180,
        env=environment,
        stdin=subprocess.DEVNULL,
        preexec_fn=limited if file_limit is not None else None,  # noqa: PLW1509
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _damage_middle_pages(database: Path, page: int = 4096) -> None:
    """Overwrite part of four pages in the middle of the file; the header stays intact."""
    pages = database.stat().st_size // page
    with database.open("r+b") as handle:
        for number in range(pages // 2, pages // 2 + 4):
            handle.seek(number * page + 64)
            handle.write(b"\xff" * 1024)


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_db_check_finds_damage_in_the_middle_pages(tmp_path: Path, encrypted: bool) -> None:
    # Given a populated database whose header is fine but some middle pages are overwritten
    database = tmp_path / "school.sqlite3"
    build_demo(database)
    passphrase = {"CIRCLEKEEPER_PASSPHRASE": "correct horse 9"}
    if encrypted:
        encrypt_database(database, passphrase["CIRCLEKEEPER_PASSPHRASE"])
    _damage_middle_pages(database)
    before = _digest(database)
    # When IT staff check it
    result = _run(tmp_path / "home", "db", "check", "--database", str(database), env=passphrase)
    # Then it says plainly that the file is damaged and what to do, and changes nothing
    assert result.returncode == 2, result.stderr
    message = result.stderr
    assert f"{database} is damaged: SQLite's page-by-page check found" in message
    assert "Nothing was changed" in message and "circlekeeper db restore" in message
    assert "internal error" not in message and "Traceback" not in message
    assert _digest(database) == before


def test_opening_a_file_damaged_in_its_middle_says_so_in_one_short_message(
    tmp_path: Path,
) -> None:
    # The same damage met by any command that opens the database (here: the calendar export)
    database = tmp_path / "school.sqlite3"
    build_demo(database)
    _damage_middle_pages(database)
    result = _run(
        tmp_path / "home", "export", "calendar", "-o", str(tmp_path / "c.ics"),
        "--database", str(database),
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    message = result.stderr.strip()
    assert "is damaged (SQLite's page-by-page check found" in message
    assert "moved aside" in message
    assert "***" not in message and message.count("\n") == 0 and len(message) < 700


@posix_only
@pytest.mark.parametrize("limit", [20_000, 400_000], ids=["while-migrating", "while-filling"])
def test_demo_past_a_file_size_limit_says_so_and_leaves_nothing(tmp_path: Path, limit: int):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "demo.sqlite3"
    result = _run(tmp_path / "home", "demo", "--database", str(target), file_limit=limit)
    assert result.returncode == 2, result.stderr
    assert f"The demo could not be written to {target}" in result.stderr
    assert "the disk refused the write" in result.stderr
    assert "internal error" not in result.stderr
    assert _names(folder) == set()  # no demo, no half-built file, no journal


@posix_only
def test_scripts_export_past_a_file_size_limit_leaves_no_partial_file(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "conference.toml"
    result = _run(
        tmp_path / "home", "scripts", "export", "conference", "-o", str(target), file_limit=1000
    )
    assert result.returncode == 2, result.stderr
    assert f"{target} could not be written: the disk refused the write" in result.stderr
    assert _names(folder) == set()
    # And an existing file of the same name is left as it was
    target.write_text("kept\n")
    again = _run(
        tmp_path / "home",
        "scripts", "export", "conference", "-o", str(target), "--force",
        file_limit=1000,
    )  # fmt: skip
    assert again.returncode == 2, again.stderr
    assert target.read_text() == "kept\n" and _names(folder) == {"conference.toml"}


def test_two_demo_builds_at_one_path_one_wins_the_other_says_it_exists(tmp_path: Path) -> None:
    target = tmp_path / "demo.sqlite3"
    home = tmp_path / "home"
    # When two real processes build a demo at the same path at the same time
    builds = []
    for _ in range(2):
        command, env = _command(home, "demo", "--database", str(target))
        builds.append(
            subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                stdin=subprocess.DEVNULL,
            )
        )
    outcomes = [(b.wait(timeout=180), *b.communicate()) for b in builds]
    codes = sorted(code for code, _out, _err in outcomes)
    # Then one wins, the other says the file exists, and the file is one whole demo
    assert codes == [0, 2], outcomes
    loser = next(err for code, _out, err in outcomes if code == 2)
    # (found at the start, or when linking its finished file into place)
    assert f"{target} already exists" in loser
    assert "left as it is" in loser or "will not overwrite it" in loser
    assert target.stat().st_size > 100_000
    check = _run(home, "db", "check", "--database", str(target))
    assert check.returncode == 0, check.stderr
    assert {n for n in _names(tmp_path) if "building" in n} == set()


def test_a_killed_builds_leftover_goes_and_a_running_builds_stays(tmp_path: Path) -> None:
    target = tmp_path / "demo.sqlite3"
    dead = tmp_path / ".demo.sqlite3.999999999-x1.building"  # no process has this id
    alive = tmp_path / f".demo.sqlite3.{os.getpid()}-x2.building"  # this very process
    for leftover in (dead, alive, Path(f"{dead}-journal")):
        leftover.write_bytes(b"half")
    build_demo(target)
    assert not dead.exists() and not Path(f"{dead}-journal").exists()
    assert alive.read_bytes() == b"half"
    assert {p.name for p in tmp_path.iterdir()} == {target.name, alive.name}


def test_demo_makes_a_missing_folder(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "new" / "folder" / "demo.sqlite3"
    built = run_cli("demo", "--database", str(target))
    assert built.returncode == 0, built.stderr
    assert target.is_file()
