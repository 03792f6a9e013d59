"""Importing a roster into the people directory: one transaction, it all goes in or nothing does."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.domain.enums import PersonKind
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people.people import (
    PersonData,
    apply_person_data,
    new_person,
    search_text,
)
from circlekeeper.core.problems import InvalidInput, NotPermitted
from circlekeeper.core.roster.queries import (
    MAPPING_SETTING,
    LinkedGuardians,
    changed_fields,
    existing_people,
    fields_for,
    guardian_changes,
    linked_guardians,
    mapping_json,
    missing_students,
)
from circlekeeper.core.roster.reading import problems_summary
from circlekeeper.core.roster.rows import (
    PERSON_FIELD_NAMES,
    Cancelled,
    GuardianInfo,
    ImportCancelled,
    ImportResult,
    Progress,
    RosterPreview,
    RosterRow,
)
from circlekeeper.core.store.models import GuardianLink, Person, Setting
from circlekeeper.core.store.types import utcnow
from circlekeeper.core.text import fold


def import_roster(
    context: Context | sessionmaker[Session],
    preview: RosterPreview,
    *,
    skip_bad_rows: bool = False,
    archive_missing: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportResult:
    """Add or update everyone in the roster (matched by student ID), all in one transaction.

    With ``archive_missing`` the roster is taken as complete: students in the records that
    it no longer lists (of the schools it names; see ``queries.missing_students``) are
    archived in the same step, their records kept. The person's column choices
    (``preview.chosen``) are saved for the next file from the same system.

    Raises :class:`InvalidInput` if rows have problems and ``skip_bad_rows`` is false, and
    :class:`ImportCancelled` if ``cancelled()`` turns true; in both cases nothing is saved.
    A viewer who may not see demographic fields (an SRO) neither sets nor changes them, as
    when editing a person.
    """
    ctx = as_context(context)
    viewer = ctx.viewer()
    if preview.errors and not skip_bad_rows:
        raise InvalidInput(problems_summary(preview))
    if archive_missing and not viewer.can_keep_records:
        raise NotPermitted(
            _(
                "Only a counselor or an administrator can archive the students a roster no longer "
                "lists; a school resource officer's profile cannot. Nothing was imported. Import "
                "without archiving, or ask a counselor or an administrator.",
            )
        )
    if not preview.rows:
        raise InvalidInput(
            _(
                "{name} has no rows that can be imported.",
                name=preview.path.name,
            )
        )
    names = fields_for(viewer, preview)
    total = len(preview.rows)
    created = updated = unchanged = linked = archived = 0
    with ctx.write("import a roster") as session:
        # One transaction, written a slice at a time: each slice is flushed and then let go,
        # so a district's 50,000 lines never sit in memory as 50,000 live records.
        pairs: list[tuple[int, GuardianInfo]] = []
        contact_updates: dict[int, GuardianInfo] = {}  # guardian id -> the row with new contact
        known = {
            key: person.id
            for key, person in existing_people(
                session, [r.data.external_id or "" for r in preview.rows]
            ).items()
        }
        session.expunge_all()
        for first in range(0, total, _SLICE):
            rows = preview.rows[first : first + _SLICE]
            wanted = [known[k] for r in rows if (k := r.data.external_id or "") in known]
            by_id = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(wanted)))}
            existing = {
                key: by_id[known[key]]
                for r in rows
                if (key := r.data.external_id or "") in known and known[key] in by_id
            }
            students: list[tuple[Person, GuardianInfo]] = []
            guardians = linked_guardians(session, (p.id for p in existing.values()))
            for done, row in enumerate(rows, start=first + 1):
                if cancelled is not None and done % 100 == 1 and cancelled():
                    raise ImportCancelled("The import was stopped; nothing was imported.")
                person = existing.get(row.data.external_id or "")
                if person is None:
                    data = viewer.without_demographics(row.data)
                    person = new_person(session, data)
                    session.add(person)
                    created += 1
                    if row.guardian is not None:
                        students.append((person, row.guardian))
                else:
                    changed, link = _update(session, person, row, names, guardians, contact_updates)
                    updated, unchanged = updated + changed, unchanged + (not changed)
                    if link and row.guardian is not None:
                        students.append((person, row.guardian))
                if progress is not None and (done % 200 == 0 or done == total):
                    progress(done, total)
            session.flush()
            pairs.extend((person.id, info) for person, info in students)
            session.expunge_all()
        if cancelled is not None and cancelled():
            raise ImportCancelled("The import was stopped; nothing was imported.")
        _update_contacts(session, contact_updates)
        if pairs:
            linked = _link_guardians(session, pairs)
        if archive_missing:
            archived = _archive(session, [m.id for m in missing_students(session, preview)])
        _save_mapping(session, preview.source, preview.chosen)
        skipped = len(preview.bad_lines)
        audit.record(
            session, "import", "roster", None, file=preview.path.name,
            created=created, updated=updated, unchanged=unchanged, skipped=skipped,
            guardians_linked=linked, archived=archived, source=preview.source,
        )  # fmt: skip
    return ImportResult(created, updated, skipped, linked, unchanged, archived)


def _archive(session: Session, ids: list[int]) -> int:
    """Archive these people (hidden from lists, every record kept), one audit line each."""
    now = utcnow()
    for start in range(0, len(ids), 500):
        for person in session.scalars(
            select(Person).where(Person.id.in_(ids[start : start + 500]))
        ):
            if person.archived_at is None:
                person.archived_at = now
                audit.record(session, "archive", "person", person.uuid, reason="not on the roster")
        session.flush()
        session.expunge_all()
    return len(ids)


def _save_mapping(session: Session, source: str, chosen: dict[str, str]) -> None:
    """Keep the person's column choices for this system's next file (none: forget them)."""
    key = MAPPING_SETTING + source
    row = session.get(Setting, key)
    if not chosen:
        if row is not None:
            session.delete(row)
        return
    value = mapping_json(chosen.items())
    if row is None:
        session.add(Setting(key=key, value=value))
    elif row.value != value:
        row.value = value


def _update(
    session: Session,
    person: Person,
    row: RosterRow,
    names: list[str],
    guardians: LinkedGuardians,
    contact_updates: dict[int, GuardianInfo],
) -> tuple[bool, bool]:
    """Bring a known person up to date with their row: (anything changed, guardian to link).

    A guardian already linked to the student by name is not linked again; a new phone or
    email of theirs is kept in ``contact_updates``, and is a change too.
    """
    changed = apply_person_data(session, person, row.data, changed_fields(person, row.data, names))
    if changed:
        current = PersonData(**{n: getattr(person, n) for n in PERSON_FIELD_NAMES})
        person.search_text = search_text(current)
    info = row.guardian
    if info is None:
        return bool(changed), False
    news = guardian_changes(guardians, person.id, info)
    known = guardians.get(person.id, {}).get((fold(info.first_name), fold(info.last_name)))
    if known is None:
        return True, True
    if news:
        contact_updates[known[0]] = info
    return bool(changed or news), False


def _update_contacts(session: Session, updates: dict[int, GuardianInfo]) -> None:
    """Give guardians already linked to their student the phone or email the roster now has."""
    ids = sorted(updates)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for guardian in session.scalars(select(Person).where(Person.id.in_(chunk))):
            info = updates[guardian.id]
            guardian.phone = info.phone or guardian.phone
            guardian.email = info.email or guardian.email
        session.flush()
        session.expunge_all()


def _guardian_key(first: str, last: str, email: str | None, phone: str | None) -> tuple[str, ...]:
    contact = fold(email or "") or "".join(c for c in phone or "" if c.isdigit())
    return fold(first), fold(last), contact


# Rows written per flush; each slice's records are released once written.
_SLICE = 1000


def _link_guardians(session: Session, pairs: list[tuple[int, GuardianInfo]]) -> int:
    """Link each student (by id) to their row's guardian, reusing a guardian already known.

    A guardian is known by name and phone or email. Everything is looked up in a few queries
    and written a slice at a time, so a district roster of tens of thousands of lines imports
    in seconds and in little memory.
    """
    known: dict[tuple[str, ...], int] = {}
    guardians = select(Person.id, Person.first_name, Person.last_name, Person.email, Person.phone)
    for row in session.execute(guardians.where(Person.kind == PersonKind.GUARDIAN.value)):
        known.setdefault(_guardian_key(row[1], row[2], row[3], row[4]), int(row[0]))
    chosen: list[tuple[int, int, str | None]] = []
    for first in range(0, len(pairs), _SLICE):
        made_here: dict[tuple[str, ...], Person] = {}
        slice_pairs = []
        for student_id, info in pairs[first : first + _SLICE]:
            key = _guardian_key(info.first_name, info.last_name, info.email, info.phone)
            if key not in known and key not in made_here:
                data = PersonData(
                    info.first_name, info.last_name, PersonKind.GUARDIAN.value,
                    phone=info.phone, email=info.email,
                )  # fmt: skip
                made_here[key] = new_person(session, data)
                session.add(made_here[key])
            slice_pairs.append((student_id, key, info.relationship))
        session.flush()
        known.update({key: person.id for key, person in made_here.items()})
        session.expunge_all()
        chosen.extend(
            (student, known[key], relationship) for student, key, relationship in slice_pairs
        )
    student_ids = sorted({student for student, _, _ in chosen})
    linked: set[tuple[int, int]] = set()
    for start in range(0, len(student_ids), 500):
        chunk = student_ids[start : start + 500]
        query = select(GuardianLink.student_id, GuardianLink.guardian_id)
        linked.update(
            (a, b) for a, b in session.execute(query.where(GuardianLink.student_id.in_(chunk)))
        )
    made = 0
    for student_id, guardian_id, relationship in chosen:
        if student_id == guardian_id or (student_id, guardian_id) in linked:
            continue
        linked.add((student_id, guardian_id))
        session.add(
            GuardianLink(
                student_id=student_id, guardian_id=guardian_id, relationship_label=relationship
            )
        )
        made += 1
        if made % _SLICE == 0:
            session.flush()
            session.expunge_all()
    return made
