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


class EditConflict(InvalidInput):
    """Someone else saved the record after this editor loaded it; this save was not kept.

    ``who``, ``when`` and ``changes`` (field, old, new: only what the viewer may see) say what
    the other person did, for a screen that lays it out itself; ``current`` is the record's
    version now, which a reload brings. The message already says all of it in plain words.
    """

    def __init__(
        self,
        message: str,
        *,
        who: tuple[str, ...] = (),
        when: object = None,
        changes: tuple[tuple[str, object, object], ...] = (),
        current: int | None = None,
    ) -> None:
        super().__init__(message)
        self.who = who
        self.when = when
        self.changes = changes
        self.current = current
