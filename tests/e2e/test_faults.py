"""Fault injection through the real program: clear messages, nothing saved is changed or lost.

The SIGKILL test runs a driver that edits an agreement through AgreementService and prints an
ACK line after each committed action; the parent kills it at random points, many times, and
checks that every acknowledged action is in the file and that ``PRAGMA integrity_check`` is ok.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

DRIVER = r"""
import sys
from pathlib import Path
from circlekeeper.core.agreements.rows import AgreementHeader, ItemData
from circlekeeper.core.agreements.commands import AgreementService
from circlekeeper.core.operations import Context
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.models import Agreement, Circle
from sqlalchemy import select

db = open_database(Path(sys.argv[1]))
run = sys.argv[2]
with db.sessions.begin() as session:
    circle_id = session.scalar(select(Circle.id))
    if circle_id is None:
        circle = Circle(kind="conference", title="Kill test")
        session.add(circle)
        session.flush()
        circle_id = circle.id
service = AgreementService(Context(db.sessions, actor="driver"))
draft = service.create_draft(circle_id=circle_id)
print(f"ACK draft {draft.id}", flush=True)
n = 0
while True:
    n += 1
    item = service.add_item(draft.id, ItemData(action=f"{run}-item-{n}"))
    print(f"ACK add {run}-item-{n}", flush=True)
    service.update_item(item.id, ItemData(action=f"{run}-item-{n}-edited"))
    print(f"ACK edit {run}-item-{n}-edited", flush=True)
    service.update_header(draft.id, AgreementHeader(harm_summary=f"{run}-header-{n}"))
    print(f"ACK header {draft.id} {run}-header-{n}", flush=True)
"""

KILLS = int(os.environ.get("CIRCLEKEEPER_KILLS", "100"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_sigkill_during_agreement_editing_loses_no_acknowledged_action(
    db_path: Path, tmp_path: Path
) -> None:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    rng = random.Random(20261126)
    acked: list[tuple[str, ...]] = []
    started = time.monotonic()
    for run in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, str(driver), str(db_path), f"r{run}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("ACK draft"), proc.stderr.read() if proc.stderr else first
        acked.append(tuple(first.split()[1:]))
        time.sleep(rng.uniform(0, 0.05))  # then kill wherever it happens to be
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        acked.extend(tuple(line.split()[1:]) for line in out.splitlines() if line.startswith("ACK"))
    elapsed = time.monotonic() - started

    conn = sqlite3.connect(db_path)
    try:
        assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
        items = {r[0] for r in conn.execute("SELECT action FROM agreement_item")}
        headers = dict(conn.execute("SELECT id, harm_summary FROM agreement").fetchall())
        drafts = {str(r[0]) for r in conn.execute("SELECT id FROM agreement")}
    finally:
        conn.close()
    lost = 0
    for action in acked:
        if action[0] == "draft":
            lost += action[1] not in drafts
        elif action[0] == "add":
            lost += action[1] not in items and f"{action[1]}-edited" not in items
        elif action[0] == "edit":
            lost += action[1] not in items
        elif action[0] == "header":
            # A later header may have committed before the kill without its ACK being read.
            stored = headers.get(int(action[1]), "")
            run_prefix = action[2].rsplit("-", 1)[0]
            ok = stored.startswith(run_prefix) and int(stored.rsplit("-", 1)[1]) >= int(
                action[2].rsplit("-", 1)[1]
            )
            lost += not ok
    print(f"{KILLS} kills, {len(acked)} acknowledged actions, {lost} lost, {elapsed:.1f} s")
    assert lost == 0
    assert len(acked) > KILLS  # the kills landed while work was going on


def test_a_wrong_passphrase_is_explained_and_changes_nothing(run_cli, tmp_path: Path) -> None:
    from circlekeeper.core.store.database import open_database

    path = tmp_path / "secret.sqlite3"
    open_database(path, passphrase="right one").close()
    before = _digest(path)
    result = run_cli("db", "check", "--database", str(path), CIRCLEKEEPER_PASSPHRASE="wrong")
    assert result.returncode == 2
    assert "That passphrase does not open" in result.stderr
    assert "Traceback" not in result.stderr
    assert _digest(path) == before
    good = run_cli("db", "check", "--database", str(path), CIRCLEKEEPER_PASSPHRASE="right one")
    assert good.returncode == 0, good.stderr
    assert "encrypted" in good.stdout


def test_a_newer_schema_read_only_file_and_damage_are_explained(run_cli, db_path: Path) -> None:
    # Read-only file
    os.chmod(db_path, 0o444)
    try:
        result = run_cli("db", "upgrade", "--database", str(db_path))
    finally:
        os.chmod(db_path, 0o644)
    assert result.returncode == 2 and "read-only" in result.stderr
    # Newer schema
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.close()
    before = _digest(db_path)
    result = run_cli("db", "upgrade", "--database", str(db_path))
    assert result.returncode == 2 and "newer version" in result.stderr
    assert _digest(db_path) == before


def test_a_truncated_file_is_moved_aside_not_overwritten(run_cli, db_path: Path) -> None:
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 3])
    before = _digest(db_path)
    result = run_cli("db", "upgrade", "--database", str(db_path))
    assert result.returncode == 2
    assert "damaged" in result.stderr and "cut short" in result.stderr
    moved = [
        p
        for p in db_path.parent.iterdir()
        if ".damaged-" in p.name and p.name[-4:] not in ("-shm", "-wal")
    ]
    assert len(moved) == 1 and _digest(moved[0]) == before


def test_backup_list_and_restore_from_the_command_line(run_cli, db_path: Path) -> None:
    made = run_cli("db", "backup", "--database", str(db_path))
    assert made.returncode == 0, made.stderr
    listed = run_cli("db", "backups", "--database", str(db_path))
    assert listed.returncode == 0 and "manual" in listed.stdout
    backup = listed.stdout.split()[-1]
    restored = run_cli("db", "restore", backup, "--database", str(db_path))
    assert restored.returncode == 0, restored.stderr
    assert "kept as" in restored.stdout


def test_an_unwritable_backup_folder_is_explained(run_cli, db_path: Path) -> None:
    folder = db_path.parent / "backups"
    folder.mkdir(exist_ok=True)
    os.chmod(folder, 0o555)
    before = _digest(db_path)
    try:
        result = run_cli("db", "backup", "--database", str(db_path))
    finally:
        os.chmod(folder, 0o755)
    assert result.returncode == 2
    assert "Could not write a backup" in result.stderr
    assert _digest(db_path) == before
