"""Schools as records, and which school a new person, case or circle belongs to.

A school is matched by its name without regard to case or spacing ("Riverside  ms" is
"Riverside MS"), so ten years of typing the same school differently stay one school. A record
that names no school belongs to this laptop's school (Settings' school name); a case to its
responsible student's school first; a circle to its case's school, else its facilitator's.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from circlekeeper.core.domain.enums import Role
from circlekeeper.core.store.models import Case, Person, School, Setting

RESPONSIBLE_ROLES = (Role.RESPONSIBLE.value, Role.HARMED_AND_RESPONSIBLE.value)
NAME_LENGTH = 200


@dataclass(frozen=True)
class SchoolRow:
    """One school of the district, as lists and filters show it."""

    id: int
    uuid: str
    name: str
    district_code: str | None


def tidy_school_name(name: str | None) -> str:
    """A school's name with its spacing made regular (empty when nothing was written)."""
    return " ".join((name or "").split())[:NAME_LENGTH]


def _fold(name: str) -> str:
    return tidy_school_name(name).casefold()


def find_school(session: Session, name: str | None) -> School | None:
    """The school called ``name`` (any case or spacing), or None."""
    wanted = _fold(name or "")
    if not wanted:
        return None
    # A district has tens of schools: comparing them all is quicker than an expression index.
    for school in session.scalars(select(School)):
        if _fold(school.name) == wanted:
            return school
    return None


def school_named(session: Session, name: str) -> School:
    """The school called ``name``, added to the district's list when it is new."""
    found = find_school(session, name)
    if found is not None:
        return found
    school = School(name=tidy_school_name(name))
    session.add(school)
    session.flush()
    return school


def laptop_school_name(session: Session) -> str:
    """The name of this laptop's school (Settings), empty when none is set."""
    return tidy_school_name(
        session.scalar(select(Setting.value).where(Setting.key == "school_name"))
    )


def laptop_school(session: Session) -> School | None:
    """This laptop's school (the school named in Settings), when it has a row yet."""
    return find_school(session, laptop_school_name(session))


def _named_or_laptop(session: Session, named: str | None) -> int | None:
    """Inside a write: the school written, else this laptop's (rows added when new)."""
    name = tidy_school_name(named) or laptop_school_name(session)
    return school_named(session, name).id if name else None


def school_for_person(session: Session, named: str | None) -> int | None:
    """A person's school: the one written for them, else this laptop's school."""
    return _named_or_laptop(session, named)


def school_for_case(
    session: Session, named: str | None, parties: list[tuple[int, str]] | None = None
) -> int | None:
    """A case's school: the one written at intake, else its responsible student's, else this
    laptop's school."""
    if tidy_school_name(named):
        return school_named(session, named or "").id
    responsible = [pid for pid, role in parties or [] if role in RESPONSIBLE_ROLES]
    for person_id in responsible:
        school_id = session.scalar(select(Person.school_id).where(Person.id == person_id))
        if school_id is not None:
            return int(school_id)
    return _named_or_laptop(session, None)


def school_for_circle(
    session: Session, case_id: int | None, facilitator_id: int | None
) -> int | None:
    """A circle's school: its case's, else its keeper's, else this laptop's school."""
    if case_id is not None:
        school_id = session.scalar(select(Case.school_id).where(Case.id == case_id))
        if school_id is not None:
            return int(school_id)
    if facilitator_id is not None:
        school_id = session.scalar(select(Person.school_id).where(Person.id == facilitator_id))
        if school_id is not None:
            return int(school_id)
    return _named_or_laptop(session, None)


def list_schools(session: Session) -> list[SchoolRow]:
    """Every school of the district, by name."""
    return [
        SchoolRow(s.id, s.uuid, s.name, s.district_code)
        for s in session.scalars(select(School).order_by(School.name, School.id))
    ]


def school_names(session: Session) -> list[str]:
    """The names of the district's schools, sorted (the filters' choices)."""
    return [row.name for row in list_schools(session)]
