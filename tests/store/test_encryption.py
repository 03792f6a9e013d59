"""Encryption at rest: no names or notes in the file's bytes, the right passphrase only, re-keying
keeps every row."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text
from tests.store.seed import HARM, NOTE_TEXT, STUDENT, contents, plain_contents, seed

from circlekeeper.core.store import crypto
from circlekeeper.core.store.backups import list_backups, make_backup
from circlekeeper.core.store.database import (
    PassphraseNeeded,
    SchemaState,
    WrongPassphrase,
    inspect_schema,
    is_encrypted,
    open_database,
)
from circlekeeper.core.store.encryption import (
    change_passphrase,
    decrypt_database,
    encrypt_database,
)
from circlekeeper.core.store.models import Note, Person

SECRET = "correct horse battery staple"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _secrets_in(path: Path) -> list[str]:
    data = path.read_bytes() if path.exists() else b""
    words = [*STUDENT, NOTE_TEXT.split()[0], HARM.split()[0]]
    return [w for w in words if w.encode() in data or w.encode("utf-16-le") in data]


def _encrypted_contents(path: Path, passphrase: str) -> dict[str, list[tuple[object, ...]]]:
    conn = crypto.connect(path, crypto.key_for(path, passphrase))
    try:
        return contents(conn)
    finally:
        conn.close()


def test_a_new_encrypted_database_hides_every_name_and_note(tmp_path: Path) -> None:
    path = tmp_path / "secret.sqlite3"
    db = open_database(path, passphrase=SECRET)
    seed(db)
    # The write-ahead log holds the newest pages: it must be encrypted too.
    assert _secrets_in(Path(f"{path}-wal")) == []
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    assert is_encrypted(path)
    assert _secrets_in(path) == []
    assert _secrets_in(Path(f"{path}-wal")) == []
    # And the same data written plain would have shown them (the probe works).
    plain = tmp_path / "plain.sqlite3"
    other = open_database(plain)
    seed(other)
    other.close()
    assert set(_secrets_in(plain)) >= {STUDENT[0], STUDENT[1]}


def test_it_opens_with_the_right_passphrase_only_and_the_file_is_untouched(
    tmp_path: Path,
) -> None:
    path = tmp_path / "secret.sqlite3"
    db = open_database(path, passphrase=SECRET)
    seed(db)
    db.close()
    before = _digest(path)
    with pytest.raises(PassphraseNeeded, match="passphrase"):
        open_database(path)
    with pytest.raises(WrongPassphrase, match="That passphrase does not open .* try again"):
        open_database(path, passphrase="wrong horse")
    with pytest.raises(WrongPassphrase):
        inspect_schema(path, "wrong horse")
    assert _digest(path) == before
    assert inspect_schema(path, SECRET).state is SchemaState.CURRENT
    db = open_database(path, passphrase=SECRET)
    with db.sessions() as session:
        assert session.scalar(select(Person.last_name)) == STUDENT[1]
        assert NOTE_TEXT in (session.scalar(select(Note.text)) or "")
    with db.engine.connect() as conn:  # the usual pragmas hold on encrypted connections
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2
        # Search works on the encrypted file (FTS5 is compiled into the bundled SQLCipher).
        assert conn.execute(text("SELECT count(*) FROM search_index")).scalar()
    db.close()


def test_encrypt_then_rekey_then_decrypt_keeps_every_row(db_path: Path) -> None:
    db = open_database(db_path)
    seed(db)
    make_backup(db, "manual")
    db.close()
    original = plain_contents(db_path)
    assert encrypt_database(db_path, SECRET) == 1
    assert is_encrypted(db_path) and _secrets_in(db_path) == []
    assert all(is_encrypted(b.path) for b in list_backups(db_path))
    assert not [p for p in db_path.parent.iterdir() if ".before-" in p.name or ".tmp" in p.name]
    assert _encrypted_contents(db_path, SECRET) == original

    assert change_passphrase(db_path, SECRET, "a new one") == 1
    with pytest.raises(WrongPassphrase):
        open_database(db_path, passphrase=SECRET)
    with pytest.raises(WrongPassphrase):
        inspect_schema(list_backups(db_path)[0].path, SECRET)
    assert _encrypted_contents(db_path, "a new one") == original

    decrypt_database(db_path, "a new one")
    assert not is_encrypted(db_path)
    assert plain_contents(db_path) == original
    open_database(db_path).close()


def test_a_wrong_passphrase_changes_nothing_when_rekeying(tmp_path: Path) -> None:
    path = tmp_path / "secret.sqlite3"
    db = open_database(path, passphrase=SECRET)
    seed(db)
    db.close()
    before = _digest(path)
    with pytest.raises(WrongPassphrase):
        change_passphrase(path, "not it", "new")
    with pytest.raises(WrongPassphrase):
        decrypt_database(path, "not it")
    assert _digest(path) == before


def test_encrypted_backups_stay_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "secret.sqlite3"
    db = open_database(path, passphrase=SECRET)
    seed(db)
    backup = make_backup(db, "manual").path
    db.close()
    assert is_encrypted(backup) and _secrets_in(backup) == []
    assert _encrypted_contents(backup, SECRET) == _encrypted_contents(path, SECRET)


def test_opening_a_plain_database_does_not_import_sqlcipher(db_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path;"
        "from circlekeeper.core.store.database import open_database;"
        f"open_database(Path({str(db_path)!r})).close();"
        "print('sqlcipher3' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_key_started_early_opens_the_file_and_a_wrong_one_still_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The app's start derives the key while the window paints (app.py: _derive_key_early).
    path = tmp_path / "early.sqlite3"
    open_database(path, passphrase=SECRET).close()
    slow = crypto.derive_key
    calls: list[str] = []

    def counted(passphrase: str, salt: bytes) -> str:
        calls.append(passphrase)
        return slow(passphrase, salt)

    monkeypatch.setattr(crypto, "derive_key", counted)
    # Given the right passphrase started early, the opening takes that key: derived once
    crypto.derive_key_early(path, SECRET)
    open_database(path, passphrase=SECRET).close()
    assert calls == [SECRET]
    # A wrong passphrase started early is refused as ever, and a different one typed later
    # is derived afresh, never served the early key
    crypto.derive_key_early(path, "not the passphrase")
    with pytest.raises(WrongPassphrase):
        open_database(path, passphrase="not the passphrase")
    crypto.derive_key_early(path, "not the passphrase either")
    open_database(path, passphrase=SECRET).close()
    assert calls[-1] == SECRET and len(calls) == 4
    # A plain file starts nothing, and the key left unused above is forgotten
    plain = tmp_path / "plain.sqlite3"
    open_database(plain).close()
    crypto.derive_key_early(plain, SECRET)
    assert crypto._early == {}
