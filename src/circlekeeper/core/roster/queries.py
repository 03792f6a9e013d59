"""Comparing a roster with the people already in the database; reads only."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.domain.enums import PersonKind
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people.names import display_name
from circlekeeper.core.people.people import PersonData, people_by_ids
from circlekeeper.core.profiles.viewer import DEMOGRAPHIC_FIELDS, Viewer
from circlekeeper.core.roster.rows import (
    PERSON_FIELD_NAMES,
    FieldChange,
    GuardianInfo,
    MissingPerson,
    RosterComparison,
    RosterPreview,
)
from circlekeeper.core.store.models import GuardianLink, Person, School, Setting
from circlekeeper.core.text import fold

# Setting key prefix for the column choices saved per system ("roster_columns.powerschool").
MAPPING_SETTING = "roster_columns."

# Rows compared per query; each slice's records are let go before the next is read.
SLICE = 1000


def fields_in(preview: RosterPreview) -> list[str]:
    return [n for n in preview.mapping.values() if n in PERSON_FIELD_NAMES and n != "external_id"]


def fields_for(viewer: Viewer, preview: RosterPreview) -> list[str]:
    """The fields a roster sets for this viewer: never demographics for one who may not see
    them (an SRO), as when editing a person."""
    names = fields_in(preview)
    if not viewer.can_see_demographics:
        names = [n for n in names if n not in DEMOGRAPHIC_FIELDS]
    if "full_name" in preview.mapping.values():
        names += [n for n in ("first_name", "last_name") if n not in names]
    return names


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


# A student's linked guardians by folded (first, family) name: (guardian id, phone, email).
LinkedGuardians = dict[int, dict[tuple[str, str], tuple[int, str | None, str | None]]]


def linked_guardians(session: Session, student_ids: Iterable[int]) -> LinkedGuardians:
    """The guardians each of these students is already linked to, a few queries in all."""
    found: LinkedGuardians = {}
    ordered = sorted(set(student_ids))
    query = select(
        GuardianLink.student_id, Person.id, Person.first_name, Person.last_name, Person.phone,
        Person.email,
    ).join(Person, Person.id == GuardianLink.guardian_id)  # fmt: skip
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        for student, gid, first, last, phone, email in session.execute(
            query.where(GuardianLink.student_id.in_(chunk))
        ):
            key = (fold(first), fold(last))
            found.setdefault(int(student), {}).setdefault(key, (int(gid), phone, email))
    return found


def guardian_changes(
    linked: LinkedGuardians, student_id: int, info: GuardianInfo
) -> tuple[FieldChange, ...]:
    """What a row's guardian columns change for a known student: a new guardian, or the
    phone or email of the one already linked by that name (empty cells change nothing)."""
    known = linked.get(student_id, {}).get((fold(info.first_name), fold(info.last_name)))
    if known is None:
        return (FieldChange("guardian_name", None, f"{info.first_name} {info.last_name}"),)
    _, phone, email = known
    changes = []
    if info.phone and info.phone != phone:
        changes.append(FieldChange("guardian_phone", phone, info.phone))
    if info.email and info.email != email:
        changes.append(FieldChange("guardian_email", email, info.email))
    return tuple(changes)


def existing_people(session: Session, ids: list[str]) -> dict[str, Person]:
    # Rows' IDs are normalised by _clean, so they are the keys people_by_ids returns.
    return people_by_ids(session, ids)


def compare(context: Context | sessionmaker[Session], preview: RosterPreview) -> RosterComparison:
    """What importing would do, row by row: new, changed (field by field), unchanged; and
    which students in the records the file no longer lists. Reads only, a slice at a time."""
    ctx = as_context(context)
    names = fields_for(ctx.viewer(), preview)
    counts = {"new": 0, "update": 0, "unchanged": 0}
    with ctx.read() as session:
        for first in range(0, len(preview.rows), SLICE):
            rows = preview.rows[first : first + SLICE]
            existing = existing_people(session, [r.data.external_id or "" for r in rows])
            linked = linked_guardians(session, (p.id for p in existing.values()))
            for row in rows:
                person = existing.get(row.data.external_id or "")
                if person is None:
                    row.action, row.changes = "new", ()
                else:
                    changed = changed_fields(person, row.data, names)
                    row.changes = tuple(
                        FieldChange(n, getattr(person, n), getattr(row.data, n)) for n in changed
                    )
                    if row.guardian is not None:
                        row.changes += guardian_changes(linked, person.id, row.guardian)
                    row.action = "update" if row.changes else "unchanged"
                counts[row.action] += 1
            session.expunge_all()
        missing = missing_students(session, preview)
    return RosterComparison(counts["new"], counts["update"], counts["unchanged"], missing)


# A person's school, by name (schools are records: core/schools).
_SCHOOL_NAME = select(School.name).where(School.id == Person.school_id).scalar_subquery()


def missing_students(session: Session, preview: RosterPreview) -> tuple[MissingPerson, ...]:
    """Students in the records (not archived, with an ID) whom this roster does not list.

    Only students of the schools the file names are counted when it has a school column, so
    one school's roster never makes another school's students look gone. A line with a
    problem still counts as listing its student.
    """
    listed = set(preview.ids) | {r.data.external_id or "" for r in preview.rows}
    schools = {fold(r.data.school) for r in preview.rows if r.data.school}
    query = select(
        Person.id, Person.first_name, Person.preferred_name, Person.last_name,
        Person.external_id, Person.grade, _SCHOOL_NAME,
    ).where(
        Person.kind == PersonKind.STUDENT.value,
        Person.archived_at.is_(None),
        Person.external_id.is_not(None),
    )  # fmt: skip
    missing = [
        MissingPerson(
            int(pid), display_name(first, preferred, last), external_id or "", grade, school
        )
        for pid, first, preferred, last, external_id, grade, school in session.execute(query)
        if external_id not in listed and (not schools or fold(school or "") in schools)
    ]
    return tuple(sorted(missing, key=lambda m: (fold(m.name), m.external_id)))


def saved_mappings(context: Context | sessionmaker[Session]) -> dict[str, dict[str, str]]:
    """The column choices saved per system (preset key -> column -> field, "" for unused)."""
    with as_context(context).read() as session:
        rows = session.execute(
            select(Setting.key, Setting.value).where(Setting.key.startswith(MAPPING_SETTING))
        ).all()
    saved: dict[str, dict[str, str]] = {}
    for key, value in rows:
        try:
            loaded = json.loads(value or "{}")
        except ValueError:
            continue  # a damaged value is as if nothing were saved
        if isinstance(loaded, dict):
            saved[key.removeprefix(MAPPING_SETTING)] = {str(k): str(v) for k, v in loaded.items()}
    return saved


def mapping_json(chosen: Iterable[tuple[str, str]]) -> str:
    return json.dumps(dict(sorted(chosen)), ensure_ascii=False)
