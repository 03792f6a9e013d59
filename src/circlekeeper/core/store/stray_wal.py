"""A ``-wal`` file beside the database that does not belong to it.

SQLite applies whatever write-ahead log it finds beside a database: the log's header names no
database, so a ``-wal`` copied from another file (another laptop's database, the demo) would be
laid over this one's pages. A log left by a crash of this database always has its index (the
``-shm`` file, which SQLite removes only after the log) beside it, with the log's two salts
copied into its header, and the same page size. So a log with frames is taken as stray when its
page size differs from the database's, when it has no index, or when the index's salts differ;
and only when no connection is using it right now (no process holds SQLite's locks on the
database or its index). A stray log is moved aside, never applied and never deleted.

Call it before this process opens its own connections to the file: closing a descriptor on a
file drops every POSIX lock this process holds on it, SQLite's included.
"""

from __future__ import annotations

import contextlib
import os
from datetime import datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: the locks cannot be tested; leave the log
    fcntl = None  # type: ignore[assignment]

WAL_MAGIC = (0x377F0682, 0x377F0683)
WAL_HEADER = 32
FRAME_HEADER = 24
SHM_HEADER = 48  # the first copy of the wal-index header
# Where SQLite's unix VFS keeps its locks: the database file's lock bytes (PENDING, RESERVED
# and the SHARED range) and the "dead man switch" byte of the -shm file.
DB_LOCK_START = 0x40000000
DB_LOCK_LENGTH = 512
SHM_DMS_BYTE = 128


def _page_size(header: bytes, default: int) -> int:
    if len(header) < 18 or not header.startswith(b"SQLite format 3\x00"):
        return default  # encrypted: SQLCipher's page size
    size = int.from_bytes(header[16:18], "big")
    return 65536 if size == 1 else size


def _locked(path: Path, start: int, length: int) -> bool:
    """Whether another process holds a lock SQLite would hold; True when it cannot be told."""
    if fcntl is None:
        return True
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return True
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, length, start)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, length, start)
    finally:
        os.close(fd)
    return False


def why_stray(path: Path, *, encrypted_page: int = 4096) -> str | None:
    """Why the ``-wal`` beside ``path`` does not belong to it, or None when it may."""
    wal = Path(f"{path}-wal")
    try:
        with wal.open("rb") as handle:
            header = handle.read(WAL_HEADER)
        size = wal.stat().st_size
        with path.open("rb") as handle:
            db_page = _page_size(handle.read(100), encrypted_page)
    except OSError:
        return None
    if len(header) < WAL_HEADER or int.from_bytes(header[:4], "big") not in WAL_MAGIC:
        return None  # SQLite ignores a log without a valid header
    wal_page = int.from_bytes(header[8:12], "big")
    if size < WAL_HEADER + FRAME_HEADER + wal_page:
        return None  # no frame: nothing would be applied
    shm = Path(f"{path}-shm")
    index = b""
    with contextlib.suppress(OSError), shm.open("rb") as handle:
        index = handle.read(SHM_HEADER)
    if wal_page != db_page:
        reason = f"its pages are {wal_page} bytes, the database's {db_page}"
    elif len(index) < SHM_HEADER or index[12] != 1:
        reason = "it has no index of its own beside it"
    elif index[32:40] != header[16:24]:
        reason = "its index beside it belongs to another log"
    else:
        return None
    if _locked(path, DB_LOCK_START, DB_LOCK_LENGTH) or (
        shm.exists() and _locked(shm, SHM_DMS_BYTE, 1)
    ):
        return None  # in use right now: it is some live connection's log
    from circlekeeper.core.store.holders import processes_holding

    if processes_holding(path):
        return None
    return reason


def set_aside_stray_wal(path: Path) -> str | None:
    """Move a stray ``-wal`` aside (see the module's docstring); say so, or None."""
    reason = why_stray(path)
    if reason is None:
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = path.with_name(f"{path.name}.stray-wal-{stamp}")
    os.rename(f"{path}-wal", target)
    with contextlib.suppress(OSError):
        os.chmod(target, 0o600)
    Path(f"{path}-shm").unlink(missing_ok=True)  # SQLite rebuilds it; it described that log
    return (
        f"A write-ahead log (-wal) beside {path.name} did not belong to it ({reason}), so it "
        f"was not applied. It was moved aside, unchanged, to {target.name}; your records are "
        "as they were."
    )
