"""``circlekeeper db merge`` as IT runs it: the real program, real files, a real server.

Bad input (not a circlekeeper file, a newer schema, the target itself, a wrong passphrase) exits
2 with a plain message and the target unchanged; a real SIGKILL in the middle of a merge leaves
the target as it was or fully merged, never half.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.core.conftest import build_conference
from tests.e2e.conftest import Runner
from tests.merging import dump

from circlekeeper.core.demo.demo import build_demo
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.encryption import encrypt_database
from circlekeeper.core.store.models import Note

SECRET = "a long laptop passphrase"
PRIVATE = "Said he feels unsafe at the bus stop"


@pytest.fixture
def laptop(tmp_path: Path, migrated_template: Path) -> Path:
    """Another counselor's laptop file: a conference with a private note."""
    path = tmp_path / "laptop.sqlite3"
    shutil.copyfile(migrated_template, path)
    db = open_database(path)
    try:
        c = build_conference(db)
        with db.sessions.begin() as session:
            session.add(Note(circle_id=c.circle_id, text=PRIVATE, author="Maya Torres"))
    finally:
        db.close()
    return path


def test_dry_run_prints_the_changes_then_the_merge_makes_them_once(
    run_cli: Runner, db_target: Path | str, laptop: Path
) -> None:
    before = dump(db_target)
    dry = run_cli("db", "merge", str(laptop), "--into", str(db_target), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("Dry run: merging ")
    assert "Added: 7 people, " in dry.stdout and "1 note" in dry.stdout
    assert dump(db_target) == before

    done = run_cli("db", "merge", str(laptop), "--into", str(db_target))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Merged ")
    assert done.stdout.splitlines()[1:] == dry.stdout.splitlines()[1:]
    merged = dump(db_target)
    assert merged != before

    again = run_cli("db", "merge", str(laptop), "--into", str(db_target))
    assert again.returncode == 0, again.stderr
    assert "nothing to merge, nothing was changed" in again.stdout
    assert dump(db_target) == merged


def _plain_text(path: Path) -> Path:
    path.write_text("name,grade\nJosé,8\n", encoding="utf-8")
    return path


def _other_program(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipe (id INTEGER PRIMARY KEY, title TEXT)")
    return path


def _newer(laptop: Path) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        shutil.copyfile(laptop, path)
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
        return path

    return make


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("text", "is not a circlekeeper database"),
        ("other program", "not one made by circlekeeper"),
        ("newer", "was made by a newer version of circlekeeper"),
        ("missing", "does not exist, so there is nothing to merge"),
    ],
)
def test_a_source_that_cannot_be_merged_is_refused_and_the_target_is_unchanged(
    run_cli: Runner,
    db_target: Path | str,
    laptop: Path,
    tmp_path: Path,
    case: str,
    expected: str,
) -> None:
    makers = {
        "text": _plain_text,
        "other program": _other_program,
        "newer": _newer(laptop),
        "missing": lambda path: path,
    }
    source = makers[case](tmp_path / "source.sqlite3")
    before = dump(db_target)
    untouched = source.read_bytes() if source.exists() else None
    result = run_cli("db", "merge", str(source), "--into", str(db_target))
    assert result.returncode == 2, result.stdout + result.stderr
    assert expected in result.stderr
    assert "Nothing was changed" in result.stderr or "nothing" in result.stderr.lower()
    assert "Traceback" not in result.stderr
    assert dump(db_target) == before
    assert (source.read_bytes() if source.exists() else None) == untouched


def test_merging_a_database_into_itself_is_refused(run_cli: Runner, db_path: Path) -> None:
    before = dump(db_path)
    link = db_path.with_name("same-file.sqlite3")
    link.symlink_to(db_path)
    for source in (db_path, link):
        result = run_cli("db", "merge", str(source), "--into", str(db_path))
        assert result.returncode == 2
        assert "cannot be merged into itself. Nothing was changed." in result.stderr
    assert dump(db_path) == before


def test_an_encrypted_laptop_asks_its_passphrase_and_a_wrong_one_is_refused(
    run_cli: Runner, db_target: Path | str, laptop: Path
) -> None:
    encrypt_database(laptop, SECRET)
    before = dump(db_target)
    asked = run_cli("db", "merge", str(laptop), "--into", str(db_target))
    assert asked.returncode == 2
    assert "A passphrase is needed" in asked.stderr
    wrong = run_cli(
        "db",
        "merge",
        str(laptop),
        "--into",
        str(db_target),
        CIRCLEKEEPER_MERGE_PASSPHRASE="not the passphrase",
    )
    assert wrong.returncode == 2, wrong.stderr
    assert "passphrase" in wrong.stderr and "Traceback" not in wrong.stderr
    assert dump(db_target) == before
    right = run_cli(
        "db", "merge", str(laptop), "--into", str(db_target), CIRCLEKEEPER_MERGE_PASSPHRASE=SECRET
    )
    assert right.returncode == 0, right.stderr
    assert "Added: 7 people" in right.stdout


@pytest.fixture(scope="module")
def demo_laptop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A school year's demo on one laptop: big enough that a merge takes seconds."""
    path = tmp_path_factory.mktemp("demo-laptop") / "laptop.sqlite3"
    build_demo(path, "small", seed=11)
    return path


def test_a_merge_killed_midway_leaves_the_target_whole(
    db_path: Path, demo_laptop: Path, tmp_path: Path
) -> None:
    # Given the expected end state (the same merge into a copy of the target)
    expected_copy = tmp_path / "expected.sqlite3"
    shutil.copyfile(db_path, expected_copy)
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, "-m", "circlekeeper", "db", "merge", str(demo_laptop), "--into"]
    subprocess.run([*command, str(expected_copy)], check=True, env=environment, timeout=300)
    merged = dump(expected_copy)
    before = dump(db_path)
    wal = Path(f"{db_path}-wal")

    # When the real merge is killed once its transaction is writing into the target
    process = subprocess.Popen([*command, str(db_path)], env=environment)
    deadline = time.monotonic() + 120
    start_size = wal.stat().st_size if wal.exists() else 0
    while time.monotonic() < deadline and process.poll() is None:
        if wal.exists() and wal.stat().st_size > start_size + 256 * 1024:
            break
        time.sleep(0.01)
    killed_while_running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    # Then the target holds what it held before, or the whole merge, never part of it
    assert killed_while_running, "the merge finished before it could be killed"
    now = dump(db_path)
    assert now in (before, merged)
    assert now == before  # killed before its one commit
    # And merging again completes it
    again = subprocess.run(
        [*command, str(db_path)], env=environment, timeout=300, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert _without_merge_bookkeeping(dump(db_path)) == _without_merge_bookkeeping(merged)


def _without_merge_bookkeeping(found: dict[str, list[tuple[object, ...]]]) -> dict[str, object]:
    # Two separate merges stamp their own audit lines and merge record (new UUIDs, times):
    # those are compared by count, every other table row by row.
    lines = ("audit_event", "merge_run")
    return {t: len(rows) if t in lines else rows for t, rows in found.items()}


def test_a_merge_into_the_server_killed_midway_leaves_it_as_it_was(
    pg_url: str,
    pg_cluster,
    demo_laptop: Path,  # type: ignore[no-untyped-def]
) -> None:
    # Given the server database before the merge
    before = dump(pg_url)
    name = pg_url.rsplit("/", 1)[1]
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, "-m", "circlekeeper", "db", "merge", str(demo_laptop), "--into"]
    written = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = "
        f"'{name}' AND query LIKE 'INSERT INTO %'"
    )

    # When the real merge is killed once it is inserting rows inside its transaction
    process = subprocess.Popen([*command, pg_url], env=environment)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        if pg_cluster.sql(written)[0][0]:  # only the apply, inside the one transaction, inserts
            break
        time.sleep(0.02)
    killed_while_running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    # Then the server holds exactly what it held before
    assert killed_while_running, "the merge finished before it could be killed"
    assert dump(pg_url) == before
    # And the next merge (once the server has dropped the dead connection) completes it
    again = subprocess.run(
        [*command, pg_url], env=environment, timeout=300, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Merged ")
