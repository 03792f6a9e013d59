"""Use cases shared by the GUI and the command line.

Services take plain values, run one short transaction each, write the audit trail, and return
plain values. Errors a person can fix are raised as :class:`InvalidInput` with a message in
plain words.
"""

from __future__ import annotations


class InvalidInput(ValueError):
    """Input a person can correct; the message says what is wrong and where."""


class NotFound(LookupError):
    """A record asked for by id is not in this database (or no longer)."""


class NotPermitted(InvalidInput):
    """The person using circlekeeper may not do this; the message says who may, or what to do."""


class TryLater(NotPermitted):
    """Too many wrong PINs in a row: the message says how long to wait."""

    def __init__(self, message: str, seconds: int) -> None:
        super().__init__(message)
        self.seconds = seconds
