"""Milliseconds since this process started, for start-up measurements."""

from __future__ import annotations

import os
import time

_FALLBACK_START = time.monotonic()


def _process_start_offset() -> float | None:
    """Seconds between the kernel starting this process and now (Linux), else None."""
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])
        with open("/proc/uptime", encoding="ascii") as handle:
            uptime = float(handle.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


_OFFSET_AT_IMPORT = _process_start_offset()
_MONOTONIC_AT_IMPORT = time.monotonic()


def ms_since_process_start() -> int:
    """Elapsed time since the process began (import time if the kernel cannot tell)."""
    now = time.monotonic()
    if _OFFSET_AT_IMPORT is None:
        return round((now - _FALLBACK_START) * 1000)
    return round((_OFFSET_AT_IMPORT + now - _MONOTONIC_AT_IMPORT) * 1000)
