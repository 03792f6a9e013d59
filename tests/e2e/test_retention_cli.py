"""``circlekeeper db retention`` through the real program: preview, apply, backups, and the
bytes of every file in the data folder read back afterwards."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from tests.store.retention_seed import GONE_WORDS, KEPT_WORDS, files_holding, plant

from circlekeeper.core.store import crypto
from circlekeeper.core.store.backups import list_backups
from circlekeeper.core.store.database import backup_database, open_database

GONE = list(GONE_WORDS.values())
PASSPHRASE = "correct horse battery staple"


def _planted(db_path: Path, *, backups: int = 2) -> None:
    db = open_database(db_path)
    try:
        plant(db, date.today())
    finally:
        db.close()
    for _ in range(backups):
        backup_database(db_path, reason="manual")
    conn = sqlite3.connect(db_path)  # the last connection to close takes the -wal and -shm away
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _kept_words(db_path: Path, key: str | None = None) -> set[str]:
    conn = crypto.connect(db_path, key) if key else sqlite3.connect(db_path)
    try:
        found = {r[0] for r in conn.execute("SELECT first_name FROM person")}
        found |= {r[0] for r in conn.execute("SELECT text FROM note")}
        found |= {r[0] for r in conn.execute("SELECT title FROM circle")}
    finally:
        conn.close()
    return found


def _retention(run_cli, home: Path, db_path: Path, *args: str, **env: str):
    return run_cli(
        "db", "retention", "--database", str(db_path), "--years", "5", *args,
        CIRCLEKEEPER_HOME=str(home), **env,
    )  # fmt: skip


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_preview_changes_nothing_and_says_what_each_backup_choice_does(
    run_cli, home: Path, db_path: Path
) -> None:
    _planted(db_path)
    aside = db_path.with_name(f"{db_path.name}.before-restore-20250102-030405-000006")
    aside.write_bytes(db_path.read_bytes())  # a copy an earlier restore moved aside
    before = _snapshot(home)

    preview = _retention(run_cli, home, db_path)
    unconfirmed = _retention(run_cli, home, db_path, "--apply", "--backups", "prune")

    assert preview.returncode == 0, preview.stderr
    out = preview.stdout
    assert "Would purge: 1 closed case, 1 circle tied to no case and 2 people who left" in out
    assert "Backups: 2 backups still hold records older than the rule" in out
    for choice in ("--backups keep", "--backups prune", "--backups rewrite"):
        assert choice in out
    assert "Nothing was changed" in out
    assert f"1 copy moved aside by a restore or when it was found damaged ({aside.name})" in out
    assert not any(word in out for word in GONE)  # the preview names no one
    assert unconfirmed.returncode == 2 and "Add --yes" in unconfirmed.stderr
    assert _snapshot(home) == before


def test_apply_with_rewrite_leaves_no_removed_word_in_any_file(
    run_cli, home: Path, db_path: Path
) -> None:
    # Given old records and two backups that hold them
    _planted(db_path)
    assert set(files_holding(home, GONE)) >= {"circlekeeper.sqlite3"}

    # When the rule is applied and the backups rewritten
    result = _retention(run_cli, home, db_path, "--apply", "--yes", "--backups", "rewrite")

    # Then no byte of any file in the data folder holds a removed word
    assert result.returncode == 0, result.stderr
    assert "the same rule was applied to 2 backups" in result.stdout
    assert files_holding(home, GONE) == {}
    # and the kept records are intact, in the database and in each backup
    for path in [db_path, *(b.path for b in list_backups(db_path))]:
        assert set(KEPT_WORDS.values()) <= _kept_words(path), path


def test_keep_says_what_the_backups_still_hold_then_prune_deletes_them(
    run_cli, home: Path, db_path: Path
) -> None:
    _planted(db_path)
    old = [b.path for b in list_backups(db_path)]

    kept = _retention(run_cli, home, db_path, "--apply", "--yes")

    assert kept.returncode == 0, kept.stderr
    assert "2 backups still hold records older than the rule" in kept.stdout
    assert "--backups prune or --backups rewrite" in kept.stdout
    assert set(files_holding(home, GONE)) == {f"backups/{p.name}" for p in old}

    # The database has nothing left to purge; the backups can still be pruned afterwards.
    pruned = _retention(run_cli, home, db_path, "--apply", "--yes", "--backups", "prune")

    assert pruned.returncode == 0, pruned.stderr
    assert "deleted 2 backups" in pruned.stdout
    assert files_holding(home, GONE) == {}
    assert not any(p.exists() for p in old)
    fresh = list_backups(db_path)
    assert len(fresh) == 1 and fresh[0].reason == "after-retention"
    assert set(KEPT_WORDS.values()) <= _kept_words(fresh[0].path)


@pytest.mark.parametrize("choice", ["rewrite", "prune"])
def test_an_encrypted_database_and_its_backups_are_purged_and_stay_encrypted(
    run_cli, home: Path, db_path: Path, choice: str
) -> None:
    _planted(db_path)
    encrypt = run_cli(
        "db", "encrypt", "--database", str(db_path), CIRCLEKEEPER_NEW_PASSPHRASE=PASSPHRASE
    )
    assert encrypt.returncode == 0, encrypt.stderr

    result = _retention(
        run_cli, home, db_path, "--apply", "--yes", "--backups", choice,
        CIRCLEKEEPER_PASSPHRASE=PASSPHRASE,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "Purged 1 case and 2 circles" in result.stdout
    assert files_holding(home, GONE) == {}  # trivially: every page is encrypted
    # With the passphrase: the removed records are gone and the kept ones are there.
    for path in [db_path, *(b.path for b in list_backups(db_path))]:
        assert crypto.classify(path) is crypto.FileKind.ENCRYPTED
        key = crypto.key_for(path, PASSPHRASE)
        words = _kept_words(path, key)
        assert set(KEPT_WORDS.values()) <= words
        assert not words & set(GONE)


def test_a_program_holding_the_file_stops_the_wipe_and_a_later_run_finishes_it(
    run_cli, home: Path, db_path: Path
) -> None:
    # Given another program reading the database (an open read transaction)
    _planted(db_path, backups=0)
    reader = sqlite3.connect(db_path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM note").fetchone()
    try:
        held = _retention(run_cli, home, db_path, "--apply", "--yes")
        waiting = files_holding(home, GONE)
    finally:
        reader.close()

    # Then the purge is saved, the person is told the wipe waits, and nothing is lost
    assert held.returncode == 2, held.stdout
    assert "open in another window or program" in held.stderr
    assert set(KEPT_WORDS.values()) <= _kept_words(db_path)
    assert waiting != {}  # the old pages wait in the file while the other program reads it

    # When it is run again with the file free, the wipe is finished
    again = _retention(run_cli, home, db_path, "--apply", "--yes")
    assert again.returncode == 0, again.stderr
    assert files_holding(home, GONE) == {}
