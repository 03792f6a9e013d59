"""A real SIGKILL in the middle of encrypt, decrypt or re-key leaves no plaintext behind.

The database is large enough that the kill lands while the new file is being written; the kill
points are looped. After each kill the next opening (``db check``, the real program) tidies what
was left, and then the bytes of every file in the data folder are read: no note text and no
plain SQLite page may be found anywhere but in the database itself, and only while it is still
unencrypted.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select
from tests.store.seed import seed

from circlekeeper.core.store import crypto
from circlekeeper.core.store.crypto import SQLITE_HEADER
from circlekeeper.core.store.database import backup_database, is_encrypted, open_database
from circlekeeper.core.store.encryption import encrypt_database
from circlekeeper.core.store.models import Note, Participant
from circlekeeper.core.store.problems import WrongPassphrase

SECRET = "a long school passphrase"
NEW = "another long passphrase"
MARK = "Wrenfield"  # in every note, and nowhere else
NOTES = 12_000
KILL_AFTER = (0.0, 0.05, 0.2)  # seconds after the new file appears


def _build(path: Path) -> None:
    db = open_database(path)
    ids = seed(db)
    with db.sessions.begin() as session:
        participant = session.scalar(
            select(Participant.id).where(Participant.circle_id == ids["circle"])
        )
        filler = "spoke about the lunchroom and what would help next week " * 8
        session.execute(
            insert(Note),
            [
                {
                    "circle_id": ids["circle"],
                    "participant_id": participant,
                    "text": f"{MARK} {n} {filler}",
                }
                for n in range(NOTES)
            ],
        )
    db.close()
    backup_database(path, reason="manual")


@pytest.fixture(scope="module")
def plain_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "records.sqlite3"
    _build(path)
    return path


@pytest.fixture(scope="module")
def encrypted_source(tmp_path_factory: pytest.TempPathFactory, plain_source: Path) -> Path:
    folder = tmp_path_factory.mktemp("big-encrypted")
    path = folder / plain_source.name
    shutil.copyfile(plain_source, path)
    shutil.copytree(plain_source.parent / "backups", folder / "backups")
    encrypt_database(path, SECRET)
    return path


def _fresh(source: Path, folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copyfile(source, folder / source.name)
    shutil.copytree(source.parent / "backups", folder / "backups")
    return folder / source.name


def _run_and_kill(args: list[str], folder: Path, delay: float, env: dict[str, str]) -> bool:
    """Start the real program, SIGKILL it ``delay`` s after a new file appears; True if killed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "circlekeeper", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        names = [p.name for d in (folder, folder / "backups") for p in d.iterdir()]
        if any(".tmp" in name for name in names):
            break
        time.sleep(0.002)
    time.sleep(delay)
    killed = process.poll() is None
    if killed:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return killed


def _opens(path: Path, passphrase: str) -> bool:
    try:
        crypto.connect(path, crypto.key_for(path, passphrase), readonly=True).close()
    except WrongPassphrase:
        return False
    return True


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("operation", "encrypted"), [("encrypt", False), ("decrypt", True), ("passphrase", True)]
)
def test_a_kill_mid_rewrite_leaves_no_plaintext_in_the_data_folder(
    run_cli,
    tmp_path: Path,
    plain_source: Path,
    encrypted_source: Path,
    operation: str,
    encrypted: bool,
) -> None:
    source = encrypted_source if encrypted else plain_source
    env = dict(
        os.environ,
        CIRCLEKEEPER_HOME=str(run_cli.home),  # type: ignore[attr-defined]
        QT_QPA_PLATFORM="offscreen",
        CIRCLEKEEPER_PASSPHRASE=SECRET,
        CIRCLEKEEPER_NEW_PASSPHRASE=NEW,
    )
    kills = 0
    for delay in KILL_AFTER:
        folder = tmp_path / f"data-{delay}"
        path = _fresh(source, folder)
        kills += _run_and_kill(["db", operation, "--database", str(path)], folder, delay, env)
        # The next opening tidies what the kill left.
        passphrase = SECRET
        if operation == "passphrase" and _opens(path, NEW):
            passphrase = NEW
        check = run_cli("db", "check", "--database", str(path), CIRCLEKEEPER_PASSPHRASE=passphrase)
        assert check.returncode == 0, (delay, check.stderr)
        plain_db = not is_encrypted(path)
        for file in _files(folder):
            data = file.read_bytes()
            if plain_db and (file == path or (file.parent.name == "backups" and not encrypted)):
                # The database itself, still (or now) stored without a passphrase; an encrypt
                # that never reached its swap also leaves the backups as plain as they were.
                continue
            assert MARK.encode() not in data, (delay, file.name)
            assert SQLITE_HEADER not in data, (delay, file.name)
        assert not [f.name for f in _files(folder) if ".tmp" in f.name or ".before-" in f.name]
        if not plain_db:
            assert ", encrypted" in check.stdout
        # Every note is still there, under whichever passphrase now opens the file.
        db = open_database(path, passphrase=None if plain_db else passphrase)
        try:
            with db.sessions() as session:
                assert session.scalar(select(func.count()).select_from(Note)) == NOTES + 1
        finally:
            db.close()
    print(f"{operation}: {kills} of {len(KILL_AFTER)} kills landed mid-rewrite")
    assert kills >= 2  # most kill points landed while the program was still working


def test_the_command_line_says_what_it_removed_and_spares_a_rewrite_in_progress(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    from circlekeeper.core.store.leftovers import claim

    # Given a plain copy left by a decrypt that was cut short, and an old-style safety copy
    leftover = db_path.with_name(f"{db_path.name}.decrypt-20260101-101010-000001.tmp")
    safety = db_path.with_name(f"{db_path.name}.before-encrypt-20260101-101010-000002")
    shutil.copyfile(db_path, leftover)
    shutil.copyfile(db_path, safety)
    # and the .tmp of a rewrite that is running right now
    running = db_path.with_name(f"{db_path.name}.rekey-20260101-101010-000003.tmp")
    with claim(running):
        result = run_cli(
            "export", "calendar", "-o", str(tmp_path / "c.ics"), "--database", str(db_path)
        )
        assert running.exists()
    assert result.returncode == 0, result.stderr
    assert "interrupted" in result.stderr and leftover.name in result.stderr
    assert not leftover.exists() and not safety.exists()
