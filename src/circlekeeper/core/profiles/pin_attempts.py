"""The growing wait after wrong PINs, per profile, kept in the database across restarts.

A PIN is only 4 to 12 digits, so guessing must be slow: the first wrong PIN is free (a typo),
then each further one makes the next try wait twice as long: 1 s, 2 s, 4 s ... at most 30 s.
The count and the time of the last wrong PIN are stored as a setting of the profile, so quitting
and restarting the program does not start the count again. A right PIN clears it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from circlekeeper.core.i18n import _
from circlekeeper.core.problems import TryLater
from circlekeeper.core.store.models import Profile, Setting

MAX_WAIT_SECONDS = 30
_KEY = "pin_failures."


def wait_after(failures: int) -> int:
    """Seconds to wait before the next try after ``failures`` wrong PINs in a row."""
    if failures < 2:
        return 0
    return min(MAX_WAIT_SECONDS, 1 << (failures - 2))


class PinAttempts:
    """Counts wrong PINs per profile and refuses a try that comes too soon."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock

    def check_wait(self, session: Session, profile: Profile) -> None:
        """Raise :class:`TryLater` if this profile's next try must still wait."""
        failures, last = self._read(session, profile)
        wait = wait_after(failures)
        if not wait or last is None:
            return
        # A clock set back must not make the wait longer than the rule says.
        left = min(float(wait), (last + timedelta(seconds=wait) - self._clock()).total_seconds())
        if left > 0:
            seconds = max(1, math.ceil(left))
            raise TryLater(
                _(
                    "Too many wrong PINs for {name}. Wait {seconds} second"
                    "{plural}, then try again. Nothing was changed.",
                    name=profile.name,
                    seconds=seconds,
                    plural="s" if seconds != 1 else "",
                ),
                seconds,
            )

    def failed(self, session: Session, profile: Profile) -> None:
        failures, _last = self._read(session, profile)
        row = session.get(Setting, _KEY + profile.uuid)
        value = f"{failures + 1} {self._clock().isoformat()}"
        if row is None:
            session.add(Setting(key=_KEY + profile.uuid, value=value))
        else:
            row.value = value

    def succeeded(self, session: Session, profile: Profile) -> None:
        row = session.get(Setting, _KEY + profile.uuid)
        if row is not None:
            session.delete(row)

    @staticmethod
    def _read(session: Session, profile: Profile) -> tuple[int, datetime | None]:
        row = session.get(Setting, _KEY + profile.uuid)
        if row is None:
            return 0, None
        try:
            count, stamp = row.value.split(" ", 1)
            return int(count), datetime.fromisoformat(stamp)
        except ValueError:
            return 0, None
