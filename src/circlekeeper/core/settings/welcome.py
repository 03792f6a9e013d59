"""The first-run welcome's rules: what it may offer, and what its answers become.

- A database that already holds records (a colleague's file, a restored backup) is never
  offered "start with an empty database": its records are kept as they are.
- The facilitator named in the welcome is a real staff person in the directory, so circles
  can name them as their keeper (and the plan offers them as the default facilitator).
- Answers carried into another database (the demo) keep the school's name and address
  together: a typed school name never sits above another school's address.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.domain.enums import PersonKind
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people.matching import Lookup, matching, typed_words
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.profiles.viewer import same_name
from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.store.models import Case, Circle, Person


def holds_records(context: Context | sessionmaker[Session]) -> bool:
    """Whether the database already has people, cases or circles in it."""
    with as_context(context).read() as session:
        return any(
            session.scalar(select(model.id).limit(1)) is not None
            for model in (Person, Case, Circle)
        )


def carry_answers(existing: SchoolSettings, answers: SchoolSettings) -> SchoolSettings:
    """The welcome's ``answers`` written over another database's ``existing`` settings.

    The facilitator's name and role come from the answers when given. The school's name and
    address go together: a school name typed in the welcome brings its own address (or
    none), never the other database's.
    """
    typed_school = answers.school_name.strip()
    same_school = not typed_school or same_name(typed_school, existing.school_name)
    return replace(
        existing,
        school_name=typed_school or existing.school_name,
        school_address=(
            existing.school_address or answers.school_address
            if same_school
            else answers.school_address
        ),
        logo_path=(existing.logo_path or answers.logo_path) if same_school else answers.logo_path,
        facilitator_name=answers.facilitator_name or existing.facilitator_name,
        facilitator_role=answers.facilitator_role or existing.facilitator_role,
        welcome_done="1",
    )


def _staff_named(session: Session, name: str) -> int | None:
    from circlekeeper.core.people.names import display_name

    wanted = " ".join(name.split())
    words = typed_words(wanted)
    if not words:
        return None
    # The directory's own search (every word, accents and case folded) finds the candidates.
    lookup = Lookup.of(session, words)
    found = matching(len(lookup.tested)).order_by(None).params(lookup.params())
    candidates = session.execute(
        select(Person.id, Person.first_name, Person.preferred_name, Person.last_name)
        .where(
            Person.id.in_(found),
            Person.kind == PersonKind.STAFF.value,
            Person.archived_at.is_(None),
        )
        .order_by(Person.id)
        .limit(50)
    ).all()
    for person_id, first, preferred, family in candidates:
        if same_name(display_name(first, preferred, family), wanted) or same_name(
            f"{first} {family}", wanted
        ):
            return int(person_id)
    return None


def default_facilitator_id(context: Context | sessionmaker[Session]) -> int | None:
    """The staff person who is this installation's facilitator (named in the welcome or in
    Settings), to offer as a new circle's keeper; None if there is no such person."""
    ctx = as_context(context)
    name = SettingsService(ctx).load().facilitator_name
    with ctx.read() as session:
        return _staff_named(session, name)


def facilitator_record(
    context: Context | sessionmaker[Session], name: str, role: str
) -> int | None:
    """The facilitator's staff record: found by name, or added to the directory.

    None when the name is empty or a single word (the directory needs a first and a family
    name; the facilitator can add themselves in People).
    """
    ctx = as_context(context)
    words = " ".join(name.split()).split(" ")
    if len(words) < 2:
        return None
    with ctx.read() as session:
        found = _staff_named(session, " ".join(words))
    if found is not None:
        return found
    data = PersonData(
        first_name=" ".join(words[:-1]),
        last_name=words[-1],
        kind=PersonKind.STAFF.value,
        title=role.strip() or None,
    )
    return PeopleService(ctx).create(data).id
