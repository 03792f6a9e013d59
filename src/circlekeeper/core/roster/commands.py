"""Importing a roster into the people directory: one transaction, it all goes in or nothing does."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.domain.enums import PersonKind
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people.people import PersonData, search_text
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.profiles.viewer import DEMOGRAPHIC_FIELDS
from circlekeeper.core.roster.queries import (
    changed_fields,
    existing_people,
    fields_in,
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
)
from circlekeeper.core.store.models import GuardianLink, Person
from circlekeeper.core.text import fold


def import_roster(
    context: Context | sessionmaker[Session],
    preview: RosterPreview,
    *,
    skip_bad_rows: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportResult:
    """Add or update everyone in the roster (matched by student ID), all in one transaction.

    Raises :class:`InvalidInput` if rows have problems and ``skip_bad_rows`` is false, and
    :class:`ImportCancelled` if ``cancelled()`` turns true; in both cases nothing is saved.
    A viewer who may not see demographic fields (an SRO) neither sets nor changes them, as
    when editing a person.
    """
    ctx = as_context(context)
    viewer = ctx.viewer()
    if preview.errors and not skip_bad_rows:
        raise InvalidInput(problems_summary(preview))
    if not preview.rows:
        raise InvalidInput(f"{preview.path.name} has no rows that can be imported.")
    names = fields_in(preview)
    if not viewer.can_see_demographics:
        names = [n for n in names if n not in DEMOGRAPHIC_FIELDS]
    total = len(preview.rows)
    created = updated = unchanged = linked = 0
    with ctx.write("import a roster") as session:
        existing = existing_people(session, [r.data.external_id or "" for r in preview.rows])
        pairs: list[tuple[Person, GuardianInfo]] = []
        for done, row in enumerate(preview.rows, start=1):
            if cancelled is not None and done % 100 == 1 and cancelled():
                raise ImportCancelled("The import was stopped; nothing was imported.")
            person = existing.get(row.data.external_id or "")
            if person is None:
                data = viewer.without_demographics(row.data)
                person = Person(**vars(data), search_text=search_text(data))
                session.add(person)
                created += 1
            else:
                changed = changed_fields(person, row.data, names)
                for name in changed:
                    setattr(person, name, getattr(row.data, name))
                if changed:
                    current = PersonData(**{n: getattr(person, n) for n in PERSON_FIELD_NAMES})
                    person.search_text = search_text(current)
                    updated += 1
                else:
                    unchanged += 1
            if row.guardian is not None:
                pairs.append((person, row.guardian))
            if progress is not None and (done % 200 == 0 or done == total):
                progress(done, total)
        if cancelled is not None and cancelled():
            raise ImportCancelled("The import was stopped; nothing was imported.")
        if pairs:
            linked = _link_guardians(session, pairs)
        skipped = len(preview.bad_lines)
        audit.record(
            session, "import", "roster", None, file=preview.path.name,
            created=created, updated=updated, unchanged=unchanged, skipped=skipped,
            guardians_linked=linked,
        )  # fmt: skip
    return ImportResult(created, updated, skipped, linked, unchanged)


def _guardian_key(first: str, last: str, email: str | None, phone: str | None) -> tuple[str, ...]:
    contact = fold(email or "") or "".join(c for c in phone or "" if c.isdigit())
    return fold(first), fold(last), contact


def _link_guardians(session: Session, pairs: list[tuple[Person, GuardianInfo]]) -> int:
    """Link each row's guardian, reusing a guardian already known by name and phone or email.

    Everything is looked up in a few queries and written with one flush, so a district roster
    of tens of thousands of lines imports in seconds.
    """
    known: dict[tuple[str, ...], Person] = {}
    for guardian in session.scalars(select(Person).where(Person.kind == PersonKind.GUARDIAN.value)):
        known.setdefault(
            _guardian_key(guardian.first_name, guardian.last_name, guardian.email, guardian.phone),
            guardian,
        )
    chosen: list[tuple[Person, Person, str | None]] = []
    for student, info in pairs:
        key = _guardian_key(info.first_name, info.last_name, info.email, info.phone)
        match = known.get(key)
        if match is None:
            data = PersonData(
                info.first_name, info.last_name, PersonKind.GUARDIAN.value,
                phone=info.phone, email=info.email,
            )  # fmt: skip
            match = Person(**vars(data), search_text=search_text(data))
            session.add(match)
            known[key] = match
        chosen.append((student, match, info.relationship))
    session.flush()
    student_ids = sorted({student.id for student, _, _ in chosen})
    linked: set[tuple[int, int]] = set()
    for start in range(0, len(student_ids), 500):
        chunk = student_ids[start : start + 500]
        query = select(GuardianLink.student_id, GuardianLink.guardian_id)
        linked.update(
            (a, b) for a, b in session.execute(query.where(GuardianLink.student_id.in_(chunk)))
        )
    made = 0
    for student, guardian, relationship in chosen:
        if student.id == guardian.id or (student.id, guardian.id) in linked:
            continue
        linked.add((student.id, guardian.id))
        session.add(
            GuardianLink(
                student_id=student.id, guardian_id=guardian.id, relationship_label=relationship
            )
        )
        made += 1
    return made
