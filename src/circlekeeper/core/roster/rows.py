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


@dataclass(frozen=True)
class FieldChange:
    """One field an import would change for a person already known: from what, to what."""

    name: str
    old: object
    new: object


@dataclass
class RosterRow:
    """One person read from the file, ready to import."""

    line_number: int
    data: PersonData
    guardian: GuardianInfo | None = None
    action: str = "new"  # "new", "update" or "unchanged" once compared with a database
    changes: tuple[FieldChange, ...] = ()  # for "update": field by field


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
    source: str = "generic"  # the preset the header was recognised as (presets.PRESETS)
    source_label: str = "a generic roster"
    # The person's own column choices (column -> field, "" for not used): saved per source.
    chosen: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the person should know, not errors
    sheet: str | None = None
    ids: set[str] = field(default_factory=set)  # every ID the file lists, bad lines included

    @property
    def bad_lines(self) -> list[int]:
        return sorted({e.line_number for e in self.errors})


@dataclass(frozen=True)
class MissingPerson:
    """A student in the records whom a full roster no longer lists."""

    id: int
    name: str
    external_id: str
    grade: str | None
    school: str | None


@dataclass(frozen=True)
class RosterComparison:
    new: int
    updated: int
    unchanged: int
    missing: tuple[MissingPerson, ...] = ()


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    skipped: int
    guardians_linked: int
    unchanged: int = 0
    archived: int = 0
