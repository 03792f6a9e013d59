"""What a rewrite (encrypt, decrypt, re-key) that was cut short leaves beside the database.

A rewrite writes the new file as ``<name>.<operation>-<stamp>.tmp`` (plus SQLite's
``.tmp-journal`` while it writes) and renames it over the database in one step. If the power
fails or the process is killed before that rename, the database is exactly as it was and the
``.tmp`` is a leftover; a decrypt's leftover holds the records in plain text. Versions before
this one also kept a full copy of the old file as ``<name>.before-<operation>-<stamp>``, which
for an encrypt was the whole database unencrypted.

:func:`remove_leftovers` runs at every opening (and in ``db check``): it removes such files
beside the database and in its backups folder, overwriting plain ones with zeros first, and
returns a sentence saying what it removed. A ``.tmp`` that a rewrite running right now holds
(an exclusive ``flock``, taken by :func:`claim`) is left alone.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from circlekeeper.core.store.crypto import SQLITE_HEADER

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: see _busy
    fcntl = None  # type: ignore[assignment]

_STAMP = r"\d{8}-\d{6}-\d{6}"
_OPERATIONS = r"(?:encrypt|decrypt|rekey)"
_SIDE = r"(?:-journal|-wal|-shm)?"
TEMPORARY = re.compile(rf"^(?P<base>.+)\.{_OPERATIONS}-{_STAMP}\.tmp(?P<side>{_SIDE})$")
SAFETY_COPY = re.compile(rf"^(?P<base>.+)\.before-{_OPERATIONS}-{_STAMP}(?P<side>{_SIDE})$")


@contextlib.contextmanager
def claim(temporary: Path) -> Iterator[None]:
    """Create ``temporary`` (it must not exist) and hold it while a rewrite writes it.

    Other processes' :func:`remove_leftovers` see the lock and leave the file alone. On any
    failure inside the block the file (and its journal) is removed.
    """
    fd = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        except BaseException:
            _destroy(temporary)
            Path(f"{temporary}-journal").unlink(missing_ok=True)
            raise
    finally:
        os.close(fd)


def _busy(path: Path) -> bool:
    """Whether a running rewrite holds ``path`` (see :func:`claim`)."""
    if fcntl is None:  # pragma: no cover - Windows refuses to rename a file that is open
        probe = path.with_name(path.name + ".checking")
        try:
            os.replace(path, probe)
        except OSError:
            return True
        os.replace(probe, path)
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # also releases the lock just taken
    return False


def _destroy(path: Path) -> None:
    """Remove a file; a plain SQLite file is overwritten with zeros first."""
    with contextlib.suppress(OSError), path.open("r+b") as handle:
        if handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER or path.name.endswith("-journal"):
            size = os.fstat(handle.fileno()).st_size
            handle.seek(0)
            block = b"\0" * 65536
            for _ in range(0, size, len(block)):
                handle.write(block)
            handle.truncate(size)
            handle.flush()
            os.fsync(handle.fileno())
    path.unlink(missing_ok=True)


def _whole(path: Path) -> bool:
    from circlekeeper.core.store.crypto import FileKind, classify

    return classify(path) in (FileKind.PLAIN, FileKind.ENCRYPTED)


def find_leftovers(database: Path) -> list[Path]:
    """Unfinished rewrites' files beside ``database`` and in its backups folder."""
    from circlekeeper.core.paths import backups_dir

    found: list[Path] = []
    for folder, own_only in ((database.parent, True), (backups_dir(database), False)):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            match = TEMPORARY.match(name) or SAFETY_COPY.match(name)
            if match is None or (own_only and match["base"] != database.name):
                continue
            candidate = folder / name
            if not candidate.is_file() or candidate.is_symlink():
                continue
            if match.re is SAFETY_COPY and not _whole(folder / match["base"]):
                continue  # the file it was a copy of is not whole: keep the copy
            found.append(candidate)
    return found


def remove_leftovers(database: Path) -> str | None:
    """Remove what :func:`find_leftovers` finds (unless a rewrite holds it); say what went."""
    removed = []
    for leftover in find_leftovers(database):
        match = TEMPORARY.match(leftover.name)
        if match is not None:
            main = leftover.with_name(leftover.name[: len(leftover.name) - len(match["side"])])
            if main.exists() and _busy(main):
                continue  # a rewrite is writing it right now
        _destroy(leftover)
        if not leftover.exists():
            removed.append(leftover.name)
    if not removed:
        return None
    names = ", ".join(removed)
    return (
        f"An earlier change of the passphrase protection was interrupted and left "
        f"{len(removed)} unfinished file{'s' if len(removed) != 1 else ''} beside "
        f"{database.name} ({names}); {'they were' if len(removed) != 1 else 'it was'} removed. "
        "The database itself was not touched; Settings → Protection says whether it is "
        "encrypted."
    )
