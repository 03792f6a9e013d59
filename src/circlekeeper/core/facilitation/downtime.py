"""The time a running circle's program was not running, so resumed clocks leave it out.

While the facilitator window is open it notes, every few seconds, that it is still there (a tiny
file per circle under ``live/`` in the data folder: the circle's uuid and a time, nothing about
anyone). On resume, the time since the last note is the time the program was not running (a
crash, a closed lid, a kill); :meth:`FacilitationService.skip_downtime` moves the circle's clocks
on by it, so the stage, round and circle clocks count only time the circle was really running.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from circlekeeper.core import paths
from circlekeeper.core.files import private_file, private_folder

BEAT_SECONDS = 5.0  # how often the window notes it is still there
GRACE_SECONDS = 15.0  # a gap shorter than this is the window closing and opening again


def _path(circle_uuid: str, folder: Path | None) -> Path:
    return (folder or paths.data_home() / "live") / f"{circle_uuid}.seen"


class Heartbeat:
    """The note that a circle's window is still open, for one circle."""

    def __init__(self, circle_uuid: str, *, folder: Path | None = None) -> None:
        self.path = _path(circle_uuid, folder)
        self._last = 0.0

    def beat(self, now: float, *, force: bool = False) -> None:
        """Note ``now`` (at most every few seconds); a failure to write is harmless."""
        if not force and now - self._last < BEAT_SECONDS:
            return
        self._last = now
        with contextlib.suppress(OSError):
            private_folder(self.path.parent)
            fresh = self.path.with_suffix(".seen-new")
            fresh.write_text(repr(float(now)), encoding="ascii")
            private_file(fresh)
            os.replace(fresh, self.path)

    def last_seen(self) -> float | None:
        try:
            return float(self.path.read_text(encoding="ascii"))
        except (OSError, ValueError):
            return None

    def gap(self, now: float) -> float:
        """Seconds the program was not running since it last noted the circle (0 if unknown)."""
        seen = self.last_seen()
        if seen is None or now - seen < GRACE_SECONDS:
            return 0.0
        return now - seen

    def forget(self) -> None:
        """The circle ended: nothing to resume."""
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
