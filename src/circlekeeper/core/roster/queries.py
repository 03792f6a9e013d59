"""Comparing a roster with the people already in the database; reads only."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people.people import PersonData, people_by_ids
from circlekeeper.core.roster.rows import (
    PERSON_FIELD_NAMES,
    RosterComparison,
    RosterPreview,
)
from circlekeeper.core.store.models import Person


def fields_in(preview: RosterPreview) -> list[str]:
    return [n for n in preview.mapping.values() if n in PERSON_FIELD_NAMES and n != "external_id"]


def changed_fields(person: Person, data: PersonData, names: list[str]) -> list[str]:
    # Empty cells never erase what is already known: an SIS export often leaves out
    # what a counselor has recorded (preferred name, pronouns).
    changed = [
        n for n in names if getattr(data, n) is not None and getattr(person, n) != getattr(data, n)
    ]
    # An ID an older release saved as typed ("s 1234") takes its normal form, so search finds it.
    if data.external_id and person.external_id != data.external_id:
        changed.append("external_id")
    return changed


def existing_people(session: Session, ids: list[str]) -> dict[str, Person]:
    # Rows' IDs are normalised by _clean, so they are the keys people_by_ids returns.
    return people_by_ids(session, ids)


def compare(context: Context | sessionmaker[Session], preview: RosterPreview) -> RosterComparison:
    """How many rows would add a person, change one, or change nothing; reads only."""
    names = fields_in(preview)
    counts = {"new": 0, "update": 0, "unchanged": 0}
    with as_context(context).read() as session:
        existing = existing_people(session, [r.data.external_id or "" for r in preview.rows])
        for row in preview.rows:
            person = existing.get(row.data.external_id or "")
            if person is None:
                row.action = "new"
            else:
                row.action = "update" if changed_fields(person, row.data, names) else "unchanged"
            counts[row.action] += 1
    return RosterComparison(counts["new"], counts["update"], counts["unchanged"])
