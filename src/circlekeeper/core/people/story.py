"""One person's story on one page: who they are, and every record they are part of.

The student page reads everything from :func:`person_story`, filtered here for the person
looking (an SRO gets no demographic fields and no private notes), so the screen never decides
what may be shown. Each section is one or two statements that start from an index on the
person (``case_party.person_id``, ``participant.person_id``, ...) and then follow indexed keys,
so the cost grows with this person's records, not with the size of the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import BindParameter, Connection, bindparam, func, select, union
from sqlalchemy.orm import Session, aliased, sessionmaker

from circlekeeper.core.domain.enums import FollowUpStatus
from circlekeeper.core.followups.queries import FOLLOW_UP_QUERY, follow_up_row
from circlekeeper.core.followups.rows import FollowUpRow
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people.names import display_name
from circlekeeper.core.problems import NotFound
from circlekeeper.core.profiles.viewer import DEMOGRAPHIC_FIELDS
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    Case,
    CaseParty,
    Circle,
    FamilyContact,
    FollowUp,
    GuardianLink,
    Note,
    Participant,
    Person,
    School,
    Signature,
)


@dataclass(frozen=True)
class StoryHeader:
    """Who the person is; ``demographics`` is None when the viewer may not see them."""

    id: int
    name: str
    kind: str
    grade: str | None
    external_id: str | None
    school: str | None
    pronouns: str | None
    archived: bool
    demographics: dict[str, object] | None


@dataclass(frozen=True)
class StoryCase:
    id: int
    referred_on: date
    incident_category: str
    location: str | None
    status: str
    role: str


@dataclass(frozen=True)
class StoryCircle:
    """A circle the person sat in; ``when`` is when it was held, else when it is planned."""

    id: int
    kind: str
    title: str
    status: str
    when: datetime | None
    held: bool
    role: str
    attendance: str
    case_id: int | None


@dataclass(frozen=True)
class StoryAgreement:
    id: int
    version: int
    status: str
    harm_summary: str
    agreed_on: date | None
    follow_up_on: date | None
    case_id: int | None
    items_done: int
    items_total: int


@dataclass(frozen=True)
class StoryContact:
    id: int
    case_id: int
    contacted_at: datetime
    person_name: str | None
    method: str
    outcome: str
    staff_name: str | None


@dataclass(frozen=True)
class StoryRelative:
    """A guardian of this person, or a student this person is the guardian of."""

    person_id: int
    name: str
    relationship: str | None
    can_consent: bool
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class StoryNote:
    id: int
    circle_id: int
    privacy: str
    author: str | None
    text: str
    written_at: datetime


@dataclass(frozen=True)
class PersonStory:
    header: StoryHeader
    cases: list[StoryCase] = field(default_factory=list)  # newest referral first
    circles: list[StoryCircle] = field(default_factory=list)  # newest first, planned on top
    agreements: list[StoryAgreement] = field(default_factory=list)  # newest first
    follow_ups: list[FollowUpRow] = field(default_factory=list)  # open first, by due date
    contacts: list[StoryContact] = field(default_factory=list)  # newest first
    guardians: list[StoryRelative] = field(default_factory=list)
    students: list[StoryRelative] = field(default_factory=list)  # for a guardian
    notes: list[StoryNote] = field(default_factory=list)  # about them, as the viewer may see


def person_story(
    context: Context | sessionmaker[Session], person_id: int, *, today: date | None = None
) -> PersonStory:
    """Everything the student page shows about one person, as the viewer may see it."""
    ctx = as_context(context)
    viewer = ctx.viewer()
    with ctx.read() as session:
        # Plain column reads go straight to the connection: the ORM's per-statement work
        # costs more here than the indexed lookups themselves.
        conn = session.connection()
        person = conn.execute(_HEADER, {"person_id": person_id}).first()
        if person is None:
            raise NotFound(
                _(
                    "There is no person with id {person_id} in this database.",
                    person_id=person_id,
                )
            )
        demographics = (
            {name: getattr(person, name) for name in DEMOGRAPHIC_FIELDS}
            if viewer.can_see_demographics
            else None
        )
        header = StoryHeader(
            person.id,
            display_name(person.first_name, person.preferred_name, person.last_name),
            person.kind,
            person.grade,
            person.external_id,
            person.school,
            person.pronouns,
            person.archived_at is not None,
            demographics,
        )
        cases = _cases(conn, person_id)
        circles = _circles(conn, person_id)
        agreements = _agreements(conn, person_id)
        notes = [n for n in _notes(conn, person_id) if viewer.can_see_note(n.privacy, n.author)]
        return PersonStory(
            header=header,
            cases=cases,
            circles=circles,
            agreements=agreements,
            follow_ups=_follow_ups(session, person_id, today),
            contacts=_contacts(conn, person_id),
            guardians=_relatives(conn, person_id, guardians=True),
            students=_relatives(conn, person_id, guardians=False),
            notes=notes,
        )


# The statements are built once: building one costs more than running it on an index.
_PERSON: BindParameter[int] = bindparam("person_id")
_OTHER = aliased(Person)
# Their cases and circles, found in the person indexes; every section starts from these, so
# each statement has one fixed text (prepared once) whatever the person.
_THEIR_CASES = select(CaseParty.case_id).where(CaseParty.person_id == _PERSON)
_THEIR_CIRCLES = select(Participant.circle_id).where(Participant.person_id == _PERSON)

_HEADER = (
    select(
        Person.id,
        Person.kind,
        Person.first_name,
        Person.preferred_name,
        Person.last_name,
        Person.grade,
        Person.external_id,
        School.name.label("school"),
        Person.pronouns,
        Person.archived_at,
        *(getattr(Person, name) for name in DEMOGRAPHIC_FIELDS),
    )
    .outerjoin(School, School.id == Person.school_id)
    .where(Person.id == _PERSON)
)
_CASES = (
    select(
        Case.id,
        Case.referred_on,
        Case.incident_category,
        Case.location,
        Case.status,
        CaseParty.role,
    )
    .join(CaseParty, CaseParty.case_id == Case.id)
    .where(CaseParty.person_id == _PERSON)
)
# Only the columns a line needs: a circle row also holds its script snapshot and live state.
_CIRCLES = (
    select(
        Circle.id,
        Circle.kind,
        Circle.title,
        Circle.status,
        Circle.started_at,
        Circle.scheduled_at,
        Participant.role,
        Participant.attendance,
        Circle.case_id,
    )
    .join(Participant, Participant.circle_id == Circle.id)
    .where(Participant.person_id == _PERSON)
)
# Agreements of their cases and circles, and those they have an item in or signed.
_AGREEMENT_ID_LIST = union(
    select(Agreement.id).where(Agreement.case_id.in_(_THEIR_CASES)),
    select(Agreement.id).where(Agreement.circle_id.in_(_THEIR_CIRCLES)),
    select(AgreementItem.agreement_id).where(AgreementItem.responsible_id == _PERSON),
    select(Signature.agreement_id).where(Signature.person_id == _PERSON),
)
# Progress is counted inside ix_agreement_item_agreement_due (agreement, completed, due).
_ITEMS_TOTAL = (
    select(func.count(AgreementItem.id))
    .where(AgreementItem.agreement_id == Agreement.id)
    .scalar_subquery()
)
_ITEMS_DONE = (
    select(func.count(AgreementItem.id))
    .where(AgreementItem.agreement_id == Agreement.id, AgreementItem.completed_on.is_not(None))
    .scalar_subquery()
)
_AGREEMENTS = select(
    Agreement.id,
    Agreement.version,
    Agreement.status,
    Agreement.harm_summary,
    Agreement.agreed_on,
    Agreement.follow_up_on,
    Agreement.case_id,
    _ITEMS_DONE,
    _ITEMS_TOTAL,
    Agreement.created_at,
).where(Agreement.id.in_(_AGREEMENT_ID_LIST))
_FOLLOW_UP_IDS = union(
    select(FollowUp.id).where(FollowUp.case_id.in_(_THEIR_CASES)),
    select(FollowUp.id).where(FollowUp.circle_id.in_(_THEIR_CIRCLES)),
    select(FollowUp.id).where(FollowUp.agreement_id.in_(_AGREEMENT_ID_LIST)),
)
_FOLLOW_UPS = FOLLOW_UP_QUERY.where(FollowUp.id.in_(_FOLLOW_UP_IDS))
# Contacts with the family about their cases, and contacts made with this person.
_CONTACT_IDS = union(
    select(FamilyContact.id).where(FamilyContact.case_id.in_(_THEIR_CASES)),
    select(FamilyContact.id).where(FamilyContact.person_id == _PERSON),
).subquery()
_CONTACTS = (
    select(
        FamilyContact.id,
        FamilyContact.case_id,
        FamilyContact.contacted_at,
        _OTHER.first_name,
        _OTHER.preferred_name,
        _OTHER.last_name,
        FamilyContact.method,
        FamilyContact.outcome,
        FamilyContact.staff_name,
    )
    .outerjoin(_OTHER, _OTHER.id == FamilyContact.person_id)
    .where(FamilyContact.id.in_(select(_CONTACT_IDS.c[0])))
)


def _relatives_query(mine: Any, theirs: Any) -> Any:
    return (
        select(
            _OTHER.id,
            _OTHER.first_name,
            _OTHER.preferred_name,
            _OTHER.last_name,
            GuardianLink.relationship_label,
            GuardianLink.can_consent,
            _OTHER.phone,
            _OTHER.email,
        )
        .join(_OTHER, _OTHER.id == theirs)
        .where(mine == _PERSON)
        .order_by(_OTHER.last_name, _OTHER.first_name, _OTHER.id)
    )


_GUARDIANS = _relatives_query(GuardianLink.student_id, GuardianLink.guardian_id)
_STUDENTS = _relatives_query(GuardianLink.guardian_id, GuardianLink.student_id)
# Notes written about this person in their circles (the viewer filter comes after).
_NOTES = (
    select(Note.id, Note.circle_id, Note.privacy, Note.author, Note.text, Note.created_at)
    .join(Participant, Participant.id == Note.participant_id)
    .where(Participant.person_id == _PERSON)
)


def _cases(conn: Connection, person_id: int) -> list[StoryCase]:
    found = [StoryCase(*r) for r in conn.execute(_CASES, {"person_id": person_id})]
    found.sort(key=lambda c: (c.referred_on, c.id), reverse=True)
    return found


def _circles(conn: Connection, person_id: int) -> list[StoryCircle]:
    found = [
        StoryCircle(
            r.id,
            r.kind,
            r.title,
            r.status,
            r.started_at or r.scheduled_at,
            r.started_at is not None,
            r.role,
            r.attendance,
            r.case_id,
        )
        for r in conn.execute(_CIRCLES, {"person_id": person_id})
    ]
    # Newest first; circles with no date yet (still being planned) on top.
    found.sort(key=lambda c: (c.when is None, c.when.timestamp() if c.when else 0, c.id))
    found.reverse()
    return found


def _agreements(conn: Connection, person_id: int) -> list[StoryAgreement]:
    rows = sorted(
        conn.execute(_AGREEMENTS, {"person_id": person_id}),
        key=lambda r: (r.agreed_on or r.created_at.date(), r.id),
        reverse=True,
    )
    return [
        StoryAgreement(
            r.id,
            r.version,
            r.status,
            r.harm_summary,
            r.agreed_on,
            r.follow_up_on,
            r.case_id,
            int(r[7] or 0),
            int(r[8] or 0),
        )
        for r in rows
    ]


def _follow_ups(session: Session, person_id: int, today: date | None) -> list[FollowUpRow]:
    rows = [follow_up_row(r, today) for r in session.execute(_FOLLOW_UPS, {"person_id": person_id})]
    is_open = FollowUpStatus.OPEN.value
    rows.sort(key=lambda f: (f.status != is_open, f.due_on, f.id))
    return rows


def _contacts(conn: Connection, person_id: int) -> list[StoryContact]:
    found = [
        StoryContact(
            r.id,
            r.case_id,
            r.contacted_at,
            display_name(r.first_name, r.preferred_name, r.last_name) if r.first_name else None,
            r.method,
            r.outcome,
            r.staff_name,
        )
        for r in conn.execute(_CONTACTS, {"person_id": person_id})
    ]
    found.sort(key=lambda c: (c.contacted_at.timestamp(), c.id), reverse=True)
    return found


def _relatives(conn: Connection, person_id: int, *, guardians: bool) -> list[StoryRelative]:
    query = _GUARDIANS if guardians else _STUDENTS
    return [
        StoryRelative(
            r.id,
            display_name(r.first_name, r.preferred_name, r.last_name),
            r.relationship_label,
            bool(r.can_consent),
            r.phone,
            r.email,
        )
        for r in conn.execute(query, {"person_id": person_id})
    ]


def _notes(conn: Connection, person_id: int) -> list[StoryNote]:
    found = [StoryNote(*r) for r in conn.execute(_NOTES, {"person_id": person_id})]
    found.sort(key=lambda n: (n.written_at.timestamp(), n.id), reverse=True)
    return found
