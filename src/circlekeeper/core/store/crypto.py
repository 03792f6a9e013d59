"""Encryption at rest with SQLCipher (the ``sqlcipher3`` wheel ships its own SQLCipher).

An encrypted file has no readable header: its first 16 bytes are a random salt and every page,
page 1 included, is encrypted and authenticated. The passphrase is stretched once per opening
(PBKDF2-HMAC-SHA512, SQLCipher 4's defaults) into a raw key with the file's salt; every
connection then uses that raw key, so a pool of connections does not pay the ~0.1 s stretch
each time, and copies made with it (backups, exports) keep the same salt and so open with the
same passphrase.

``sqlcipher3`` is imported only when an encrypted file is used, so plain databases start as fast
as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import string
import threading
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from circlekeeper.core.files import private_database_files
from circlekeeper.core.i18n import _
from circlekeeper.core.store.problems import DatabaseLocked, DatabaseProblem, WrongPassphrase

SQLITE_HEADER = b"SQLite format 3\x00"
SALT_BYTES = 16
KDF_ITERATIONS = 256_000  # SQLCipher 4 default
KEY_BYTES = 32
ENCRYPTED_PAGE = 4096  # SQLCipher 4 default page size
MIN_PASSPHRASE_LENGTH = 8  # the one rule for every new passphrase (GUI and command line)


class FileKind(StrEnum):
    """What a database file is on disk: missing, empty, plain SQLite, encrypted, or damaged."""

    MISSING = "missing"
    EMPTY = "empty"
    PLAIN = "plain"  # an ordinary SQLite file
    ENCRYPTED = "encrypted"  # looks like a SQLCipher file (no header, whole pages)
    DAMAGED_HEADER = "damaged_header"  # SQLite's structure, but the first bytes are wrong
    CUT_SHORT = "cut_short"  # binary, but not whole pages: an encrypted file cut short?
    NOT_DATABASE = "not_database"  # text or too small to be a database


_TEXT = set(string.printable.encode())


def classify(path: Path) -> FileKind:
    """What a file looks like from its first bytes and its size; reads, never writes."""
    if not path.exists():
        return FileKind.MISSING
    if not path.is_file():
        return FileKind.NOT_DATABASE
    size = path.stat().st_size
    if size == 0:
        return FileKind.EMPTY
    with path.open("rb") as handle:
        head = handle.read(100)
    if head.startswith(SQLITE_HEADER):
        return FileKind.PLAIN
    if len(head) == 100 and _sqlite_fields_intact(head):
        return FileKind.DAMAGED_HEADER
    if sum(byte in _TEXT for byte in head) >= len(head) * 0.9 or size < 1024:
        return FileKind.NOT_DATABASE
    if size % 1024 == 0:
        return FileKind.ENCRYPTED
    return FileKind.CUT_SHORT


def _sqlite_fields_intact(head: bytes) -> bool:
    # Bytes 21-23 of a SQLite header are always 64, 32, 32; the page size is a power of two.
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    return head[21:24] == b"\x40\x20\x20" and 512 <= page <= 65536 and page & (page - 1) == 0


def plain_page_count_short(path: Path) -> bool:
    """Whether a plain SQLite file is shorter than its own header says (it was cut short)."""
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return False  # pages may still live in the write-ahead log; let SQLite judge
    with path.open("rb") as handle:
        head = handle.read(100)
    if len(head) < 100:
        return True
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    pages = int.from_bytes(head[28:32], "big")
    valid = head[24:28] == head[92:96]  # the in-header size is only trusted when these agree
    return valid and pages > 0 and path.stat().st_size < pages * page


def read_salt(path: Path) -> bytes:
    """The first bytes of an encrypted file (SQLCipher's salt)."""
    with path.open("rb") as handle:
        return handle.read(SALT_BYTES)


def derive_key(passphrase: str, salt: bytes) -> str:
    """The raw-key form of ``PRAGMA key`` for a passphrase and a file's salt (salt included)."""
    if not passphrase:
        raise DatabaseProblem(_("An empty passphrase cannot protect anything; choose one."))
    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES)
    return f"x'{key.hex()}{salt.hex()}'"


def key_for(path: Path, passphrase: str) -> str:
    """The raw key that opens an existing encrypted file with this passphrase (if it is right).

    A key started early for the same file and passphrase (:func:`derive_key_early`) is
    waited for instead of derived a second time.
    """
    salt = read_salt(path)
    with _EARLY_LOCK:
        early = _early.pop((salt, passphrase), None)
    if early is not None:
        early.join()
        if early.key is not None:
            return early.key
    return derive_key(passphrase, salt)


class _EarlyKey(threading.Thread):
    def __init__(self, passphrase: str, salt: bytes) -> None:
        super().__init__(name="circlekeeper-key", daemon=True)
        self._passphrase = passphrase
        self._salt = salt
        self.key: str | None = None

    def run(self) -> None:
        # A problem (an empty passphrase) is not kept: key_for derives again and raises it.
        with contextlib.suppress(DatabaseProblem):
            self.key = derive_key(self._passphrase, self._salt)


# At most the one key the app's start is deriving; key_for takes it out as it uses it.
_early: dict[tuple[bytes, str], _EarlyKey] = {}
_EARLY_LOCK = threading.Lock()


def derive_key_early(path: Path, passphrase: str) -> None:
    """Start deriving the key of an encrypted file on a worker, for a later :func:`key_for`.

    PBKDF2's 256,000 rounds take about 0.2 s in C with Python's lock released, so the app's
    start derives the key while the data layer loads, instead of after.
    Does nothing more than forget the one started before for a file that is not encrypted
    (or cannot be read now).
    """
    with _EARLY_LOCK:
        _early.clear()
    try:
        if classify(path) is not FileKind.ENCRYPTED:
            return
        salt = read_salt(path)
    except OSError:
        return
    early = _EarlyKey(passphrase, salt)
    with _EARLY_LOCK:
        _early[(salt, passphrase)] = early
    early.start()


def passphrase_problem(passphrase: str) -> str | None:
    """What is wrong with a passphrase chosen to protect the records, or None when it will do."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        return (
            f"A passphrase must be at least {MIN_PASSPHRASE_LENGTH} characters long; a short "
            "sentence is easiest to remember."
        )
    return None


def new_key(passphrase: str) -> str:
    """A raw key with a fresh random salt, for a file about to be written encrypted.

    Every new passphrase passes through here, so the length rule holds on every path.
    """
    problem = passphrase_problem(passphrase)
    if problem is not None:
        raise DatabaseProblem(_("{problem} Nothing was changed.", problem=problem))
    return derive_key(passphrase, secrets.token_bytes(SALT_BYTES))


def dbapi() -> Any:
    """The sqlcipher3 DB-API module (imported on first use only)."""
    try:
        import sqlcipher3.dbapi2 as module
    except ImportError as exc:  # pragma: no cover - the wheel is a dependency
        raise DatabaseProblem(
            _(
                "This database is encrypted, but the encryption library "
                "(sqlcipher3) is missing. Reinstall circlekeeper."
            )
        ) from exc
    return module


def connect(
    path: Path,
    key: str | None,
    *,
    readonly: bool = False,
    immutable: bool = False,
    check_same_thread: bool = True,
) -> Any:
    """A sqlcipher3 connection with the key applied first; a wrong key raises WrongPassphrase.

    ``immutable`` (with ``readonly``) reads without locks and creates no -wal or -shm file; only
    for a file nobody is writing.
    """
    module = dbapi()
    options = "mode=ro&immutable=1" if immutable else "mode=ro"
    target = f"{path.resolve().as_uri()}?{options}" if readonly else str(path)
    conn = module.connect(target, uri=readonly, check_same_thread=check_same_thread)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if key is not None:
            conn.execute(f'PRAGMA key = "{key}"')
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError as exc:
        conn.close()
        if key is not None and "not a database" in str(exc):
            raise WrongPassphrase(path) from exc
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseLocked(path) from exc
        raise DatabaseProblem(
            _("{path} could not be read ({exc}). Nothing was changed.", path=path, exc=exc)
        ) from exc
    return conn


def table_counts(conn: Any) -> dict[str, int]:
    """How many rows each table holds (compared before and after a rewrite)."""
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def export(
    source: Path, source_key: str | None, destination: Path, destination_key: str | None
) -> None:
    """Write every table, index and trigger of ``source`` into a new file with another key.

    ``sqlcipher_export`` reads one consistent snapshot (write-ahead log included).
    """
    if destination.exists() and destination.stat().st_size > 0:
        raise DatabaseProblem(
            _("{destination} already exists; it will not be overwritten.", destination=destination)
        )
    conn = connect(source, source_key)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        attach_key = destination_key if destination_key is not None else ""
        quoted = str(destination).replace("'", "''")
        conn.execute(f"ATTACH DATABASE '{quoted}' AS target KEY \"{attach_key}\"")
        try:
            conn.execute("SELECT sqlcipher_export('target')").fetchall()
            conn.execute(f"PRAGMA target.user_version = {int(version)}")
            conn.commit()
        finally:
            conn.execute("DETACH DATABASE target")
    finally:
        conn.close()


def checkpoint(path: Path, key: str | None) -> None:
    """Move everything from the write-ahead log into the file and empty the log."""
    conn = connect(path, key)
    try:
        busy, _log, _moved = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    if busy:
        raise DatabaseProblem(
            _("{path} is in use by another window or program; close it and try again.", path=path)
        )


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def rewrite(
    path: Path,
    source_key: str | None,
    destination_key: str | None,
    *,
    operation: str,
    verify: Callable[[Path, str | None], None] | None = None,
) -> None:
    """Replace ``path`` by a copy under another key in one atomic rename; keep no other copy.

    Refused (:class:`DatabaseInUse`) while any other connection holds the file, because that
    connection would go on writing into the replaced file (see ``holders.py``). The new file is
    written beside the database as ``<name>.<operation>-<stamp>.tmp``, held with a lock so that
    another process's opening does not take it for a leftover, compared table by table with the
    original and checked, then renamed over the database. Until that rename the database is
    untouched; after it the new file is complete. No copy of the old file is kept: for an
    encrypt it would be the records in plain text. A rewrite cut short leaves only the
    ``.tmp``, which the next opening removes (``leftovers.py``).
    """
    from circlekeeper.core.store.holders import refuse_if_in_use
    from circlekeeper.core.store.leftovers import claim

    path = path.resolve()
    refuse_if_in_use(path, source_key)
    checkpoint(path, source_key)
    temporary = path.with_name(f"{path.name}.{operation}-{_stamp()}.tmp")
    with claim(temporary):
        export(path, source_key, temporary, destination_key)
        private_database_files(temporary)  # 0600 whatever the umask (core/files.py)
        source = connect(path, source_key, readonly=True)
        try:
            before = table_counts(source)
        finally:
            source.close()
        copy = connect(temporary, destination_key)
        try:
            after = table_counts(copy)
            integrity = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        finally:
            copy.close()
        if before != after or integrity != ["ok"]:
            raise DatabaseProblem(
                _(
                    "The {operation} copy of {path} did not match the original, "
                    "so it was not used. Nothing was changed.",
                    operation=operation,
                    path=path,
                )
            )
        if verify is not None:
            verify(temporary, destination_key)
        _fsync(temporary)
        # Someone may have opened the database while the copy was written.
        refuse_if_in_use(path, source_key)
        for side in ("-wal", "-shm"):  # empty after the checkpoint; must not meet the new file
            Path(f"{path}{side}").unlink(missing_ok=True)
        os.replace(temporary, path)
    _fsync_folder(path.parent)
