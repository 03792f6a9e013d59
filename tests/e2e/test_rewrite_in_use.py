"""Encrypt, decrypt and re-key are refused while another process holds the database.

The rewrite replaces the file; a connection still open on the old one would go on saving into
it, and those saves would be lost. A second real process holds a connection here.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from circlekeeper.core.store import crypto
from circlekeeper.core.store.database import is_encrypted, open_database

SECRET = "a long school passphrase"
REFUSAL = "open in another circlekeeper window or program; close it first"

# A second program: opens the file (with sqlcipher3 when given a key), reads once (or not),
# says "ready", then on each line from stdin writes one row and says "wrote".
HOLDER = textwrap.dedent(
    """
    import sys
    path, key, read = sys.argv[1], sys.argv[2], sys.argv[3] == "read"
    if key:
        import sqlcipher3.dbapi2 as sqlite3
    else:
        import sqlite3
    conn = sqlite3.connect(path, isolation_level=None)
    if key:
        conn.execute(f'PRAGMA key = "{key}"')
    if read:
        conn.execute("SELECT count(*) FROM setting").fetchone()
    print("ready", flush=True)
    for line in sys.stdin:
        conn.execute("INSERT INTO setting (key, value) VALUES (?, 'kept')", (line.strip(),))
        print("wrote", flush=True)
    conn.close()
    """
)


class Holder:
    def __init__(self, path: Path, key: str | None, *, read: bool = True) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path), key or "", "read" if read else "idle"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ready"

    def write(self, name: str) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(name + "\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "wrote"

    def close(self) -> None:
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        self.process.wait(timeout=30)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def holders() -> Iterator[list[Holder]]:
    started: list[Holder] = []
    yield started
    for holder in started:
        if holder.process.poll() is None:
            holder.process.kill()
            holder.process.wait()
        for stream in (holder.process.stdin, holder.process.stdout):
            if stream is not None and not stream.closed:
                stream.close()


def _setting(path: Path, name: str, passphrase: str | None) -> str | None:
    db = open_database(path, passphrase=passphrase)
    try:
        with db.engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT value FROM setting WHERE key = ?", (name,)).first()
    finally:
        db.close()
    return None if row is None else str(row[0])


@pytest.mark.parametrize("read", [True, False], ids=["after-a-read", "never-read"])
def test_encrypt_is_refused_while_another_program_holds_the_file(
    run_cli, db_path: Path, holders: list[Holder], read: bool
) -> None:
    # Given another program with a connection open on the plain database
    holder = Holder(db_path, None, read=read)
    holders.append(holder)
    before = db_path.read_bytes()
    # When IT staff try to encrypt it
    result = run_cli(
        "db", "encrypt", "--database", str(db_path), CIRCLEKEEPER_NEW_PASSPHRASE=SECRET
    )
    # Then it is refused in plain words, and the file is as it was
    assert result.returncode == 2, result.stderr
    assert REFUSAL in result.stderr
    assert "Traceback" not in result.stderr
    assert not is_encrypted(db_path)
    assert db_path.read_bytes()[:100] == before[:100]
    assert [p.name for p in db_path.parent.iterdir() if ".tmp" in p.name] == []
    # And what the other program saves afterwards is kept, in the file in use
    holder.write("saved-after-refusal")
    holder.close()
    assert _setting(db_path, "saved-after-refusal", None) == "kept"


@pytest.mark.parametrize("action", ["decrypt", "passphrase"])
def test_decrypt_and_rekey_are_refused_while_another_program_holds_the_file(
    run_cli, tmp_path: Path, holders: list[Holder], action: str
) -> None:
    path = tmp_path / "secret.sqlite3"
    open_database(path, passphrase=SECRET).close()
    holder = Holder(path, crypto.key_for(path, SECRET))
    holders.append(holder)
    result = run_cli(
        "db",
        action,
        "--database",
        str(path),
        CIRCLEKEEPER_PASSPHRASE=SECRET,
        CIRCLEKEEPER_NEW_PASSPHRASE="another long passphrase",
    )
    assert result.returncode == 2, result.stderr
    assert REFUSAL in result.stderr
    holder.write("saved-after-refusal")
    holder.close()
    # The old passphrase still opens it, and the later save is there.
    assert _setting(path, "saved-after-refusal", SECRET) == "kept"


def test_encrypt_goes_ahead_once_the_other_program_has_closed(
    run_cli, db_path: Path, holders: list[Holder]
) -> None:
    holder = Holder(db_path, None)
    holders.append(holder)
    holder.write("before-closing")
    holder.close()
    result = run_cli(
        "db", "encrypt", "--database", str(db_path), CIRCLEKEEPER_NEW_PASSPHRASE=SECRET
    )
    assert result.returncode == 0, result.stderr
    assert is_encrypted(db_path)
    assert _setting(db_path, "before-closing", SECRET) == "kept"
