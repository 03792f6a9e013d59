"""What reading and importing a roster give back: plain records, and the two ways it stops."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

from circlekeeper.core.people.people import PersonData
from circlekeeper.core.problems import InvalidInput

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

PERSON_FIELD_NAMES = {f.name for f in fields(PersonData)}


class RosterError(InvalidInput):
    """The roster file as a whole cannot be used; the message says why and what to do."""


class ImportCancelled(Exception):
    """The person stopped the import; nothing was imported."""


@dataclass(frozen=True)
class RowError:
    """A problem on one line of the file (the header is line 1)."""

    line_number: int
    message: str


@dataclass(frozen=True)
class GuardianInfo:
    first_name: str
    last_name: str
    phone: str | None = None
    email: str | None = None
    relationship: str | None = None


@dataclass
class RosterRow:
    """One person read from the file, ready to import."""

    line_number: int
    data: PersonData
    guardian: GuardianInfo | None = None
    action: str = "new"  # "new", "update" or "unchanged" once compared with a database


@dataclass
class RosterPreview:
    """What a roster file holds and how it was understood; nothing is saved yet."""

    path: Path
    encoding: str
    delimiter: str
    columns: list[str]
    mapping: dict[str, str]  # header as written -> field
    unmapped: list[str]
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad_lines(self) -> list[int]:
        return sorted({e.line_number for e in self.errors})


@dataclass(frozen=True)
class RosterComparison:
    new: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    skipped: int
    guardians_linked: int
    unchanged: int = 0
