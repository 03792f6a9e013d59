"""Turning encryption on or off, and changing the passphrase (re-keying).

Each is done by writing a complete copy under the new key (``sqlcipher_export``), comparing it
row count by row count with the original, and renaming it over the database in one step (see
``crypto.rewrite``); no copy of the old file is kept. The database must be closed first, and
the rewrite is refused while another window or program has it open (``holders.py``).

The backups are rewritten too, so that after encryption no plain copy of the records is left in
the backups folder, and after a passphrase change the old passphrase opens nothing.
"""

from __future__ import annotations

from pathlib import Path

from circlekeeper.core.i18n import _
from circlekeeper.core.store import crypto
from circlekeeper.core.store.backups import list_backups
from circlekeeper.core.store.crypto import FileKind
from circlekeeper.core.store.database import SchemaState, inspect_schema
from circlekeeper.core.store.location import check_location
from circlekeeper.core.store.problems import DatabaseProblem, WrongPassphrase


def _ready(path: Path) -> FileKind:
    path = path.expanduser()
    if not path.exists():
        raise DatabaseProblem(_("{path} does not exist.", path=path))
    check_location(path)
    return crypto.classify(path)


def _circlekeeper(path: Path, key: str | None) -> None:
    state = inspect_schema(path, key=key)
    if state.state is SchemaState.NEWER:
        raise DatabaseProblem(
            _("{path} was made by a newer version of circlekeeper; it was not changed.", path=path)
        )


def encrypt_database(path: Path, passphrase: str, *, backups: bool = True) -> int:
    """Encrypt a plain database (and, by default, its backups); return how many backups."""
    kind = _ready(path)
    if kind is FileKind.ENCRYPTED:
        raise DatabaseProblem(_("{path} is already protected with a passphrase.", path=path))
    if kind is not FileKind.PLAIN:
        raise DatabaseProblem(_("{path} is not a database that can be encrypted.", path=path))
    _circlekeeper(path, None)
    key = crypto.new_key(passphrase)
    crypto.rewrite(path, None, key, operation="encrypt")
    return len(_encrypt_backups(path, key)) if backups else 0


def _encrypt_backups(path: Path, key: str) -> list[Path]:
    done = []
    for backup in list_backups(path):
        if crypto.classify(backup.path) is FileKind.PLAIN:
            crypto.rewrite(backup.path, None, key, operation="encrypt")
            done.append(backup.path)
    return done


def encrypt_plain_backups(path: Path, key: str) -> str | None:
    """Encrypt the plain backups an interrupted encrypt left beside an encrypted database.

    Turning encryption on rewrites the database first and its backups after; if it was cut
    short in between, the backups still hold the records in plain text. They get the
    database's own key (the same passphrase opens them). Returns a sentence saying so, or None.
    """
    done = _encrypt_backups(path, key)
    if not done:
        return None
    return (
        f"{len(done)} backup{'s' if len(done) != 1 else ''} of {path.name} "
        f"{'were' if len(done) != 1 else 'was'} still unencrypted (turning encryption on was "
        "interrupted); now encrypted with the same passphrase."
    )


def decrypt_database(path: Path, passphrase: str) -> None:
    """Remove the passphrase: the database is stored plain again (backups stay encrypted)."""
    kind = _ready(path)
    if kind is not FileKind.ENCRYPTED:
        raise DatabaseProblem(_("{path} is not protected with a passphrase.", path=path))
    key = crypto.key_for(path, passphrase)
    _circlekeeper(path, key)
    crypto.rewrite(path, key, None, operation="decrypt")


def change_passphrase(path: Path, old: str, new: str, *, backups: bool = True) -> int:
    """Re-key an encrypted database (and the backups the old passphrase opens)."""
    kind = _ready(path)
    if kind is not FileKind.ENCRYPTED:
        raise DatabaseProblem(
            _("{path} is not protected with a passphrase; encrypt it first.", path=path)
        )
    old_key = crypto.key_for(path, old)
    _circlekeeper(path, old_key)
    new_key = crypto.new_key(new)
    crypto.rewrite(path, old_key, new_key, operation="rekey")
    done = 0
    if backups:
        for backup in list_backups(path):
            if crypto.classify(backup.path) is not FileKind.ENCRYPTED:
                continue
            try:
                crypto.rewrite(
                    backup.path, crypto.key_for(backup.path, old), new_key, operation="rekey"
                )
            except WrongPassphrase:
                continue  # made under another passphrase; it keeps that one
            done += 1
    return done
