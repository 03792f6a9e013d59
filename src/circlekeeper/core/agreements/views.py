"""Reading an agreement's parties, minors and guardians, and building export views from them.

Used inside the services' sessions; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from circlekeeper.core.domain.enums import Attendance, Role
from circlekeeper.core.export.views import (
    AgreementView,
    FamilyLetterView,
    ItemView,
    PartyView,
    SchoolView,
    SignatureLine,
)
from circlekeeper.core.i18n import _
from circlekeeper.core.people.people import is_minor
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.settings.settings import SchoolSettings
from circlekeeper.core.store.models import (
    Agreement,
    Case,
    CaseParty,
    Circle,
    GuardianLink,
    Participant,
    Person,
    Setting,
    Signature,
)

# Observers sit in the outer ring: they do not sign what the parties agree.
_NON_SIGNING_ROLES = {Role.OBSERVER.value}


def full_name(person: Person) -> str:
    """The name printed on documents that are signed: legal first name and family name."""
    return f"{person.first_name} {person.last_name}".strip()


def names_of(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(
        select(Person.id, Person.first_name, Person.last_name).where(Person.id.in_(wanted))
    )
    return {pid: f"{first} {last}".strip() for pid, first, last in rows}


def local_date(moment: datetime | None) -> date | None:
    """The calendar day of a stored (UTC) moment, on this computer's clock."""
    return moment.astimezone().date() if moment is not None else None


@dataclass
class Party:
    person: Person
    role: str
    supporter_of_id: int | None = None  # person id

    @property
    def person_id(self) -> int:
        return self.person.id


def parties(session: Session, agreement: Agreement) -> list[Party]:
    """Who the agreement is between: the circle's participants (present, not observers), then
    the case's parties, then anyone made responsible for an item who is neither."""
    found: dict[int, Party] = {}
    if agreement.circle_id is not None:
        participants = list(
            session.scalars(
                select(Participant)
                .where(Participant.circle_id == agreement.circle_id)
                .order_by(Participant.seat_position, Participant.id)
            )
        )
        person_of = {p.id: p.person_id for p in participants}
        for p in participants:
            if p.role in _NON_SIGNING_ROLES or p.attendance == Attendance.ABSENT.value:
                continue
            person = session.get(Person, p.person_id)
            if person is not None:
                supported = person_of.get(p.supporter_of_id) if p.supporter_of_id else None
                found.setdefault(person.id, Party(person, p.role, supported))
    if agreement.case_id is not None:
        for cp in session.scalars(
            select(CaseParty).where(CaseParty.case_id == agreement.case_id).order_by(CaseParty.id)
        ):
            if cp.person_id not in found and cp.role not in _NON_SIGNING_ROLES:
                person = session.get(Person, cp.person_id)
                if person is not None:
                    found[person.id] = Party(person, cp.role)
    for item in agreement.items:
        if item.responsible_id is not None and item.responsible_id not in found:
            person = session.get(Person, item.responsible_id)
            if person is not None:
                found[person.id] = Party(person, Role.RESPONSIBLE.value)
    return list(found.values())


def party_ids(session: Session, agreement: Agreement) -> set[int]:
    """People who took part in the circle or case (not counting item-only additions)."""
    ids: set[int] = set()
    if agreement.circle_id is not None:
        ids |= set(
            session.scalars(
                select(Participant.person_id).where(Participant.circle_id == agreement.circle_id)
            )
        )
    if agreement.case_id is not None:
        ids |= set(
            session.scalars(
                select(CaseParty.person_id).where(CaseParty.case_id == agreement.case_id)
            )
        )
    return ids


@dataclass
class MinorGuardians:
    person_id: int
    name: str
    guardians: list[Person] = field(default_factory=list)
    signed: bool = False

    @property
    def guardian_names(self) -> list[str]:
        return [full_name(g) for g in self.guardians]


def minors_and_guardians(
    session: Session, agreement: Agreement, found: list[Party] | None = None
) -> list[MinorGuardians]:
    """Each minor party with the guardians who may sign for them, and whether one has."""
    on = agreement.agreed_on or date.today()
    found = parties(session, agreement) if found is None else found
    signed_for = set(
        session.scalars(
            select(Signature.as_guardian_of_id).where(
                Signature.agreement_id == agreement.id, Signature.as_guardian_of_id.is_not(None)
            )
        )
    )
    result = []
    for party in found:
        if not is_minor(party.person, on):
            continue
        guardians = list(
            session.scalars(
                select(Person)
                .join(GuardianLink, GuardianLink.guardian_id == Person.id)
                .where(GuardianLink.student_id == party.person_id, GuardianLink.can_consent)
                .order_by(Person.last_name, Person.first_name)
            )
        )
        result.append(
            MinorGuardians(
                party.person_id,
                full_name(party.person),
                guardians,
                party.person_id in signed_for,
            )
        )
    return result


def missing_guardians(session: Session, agreement: Agreement) -> list[MinorGuardians]:
    return [m for m in minors_and_guardians(session, agreement) if not m.signed]


def school_view(session: Session) -> SchoolView:
    """The letterhead from the settings, read in the caller's session."""
    names = {f.name for f in fields(SchoolSettings)}
    rows = session.execute(select(Setting.key, Setting.value)).all()
    settings = SchoolSettings(**{k: v for k, v in rows if k in names})
    return SchoolView(
        settings.school_name,
        settings.school_address,
        settings.logo_path,
        settings.facilitator_name,
        settings.facilitator_role,
    )


def _signature_lines(
    session: Session,
    agreement: Agreement,
    found: list[Party],
    minors: list[MinorGuardians],
) -> list[SignatureLine]:
    signatures = list(
        session.scalars(select(Signature).where(Signature.agreement_id == agreement.id))
    )
    signed = {(s.person_id, s.as_guardian_of_id): s.signed_on for s in signatures}
    guardian_ids = {g.id for m in minors for g in m.guardians}
    lines: list[SignatureLine] = []
    for party in found:
        # A guardian taking part signs once, on the line for their student.
        if party.person_id in guardian_ids and party.role in (
            Role.GUARDIAN.value,
            Role.SUPPORTER.value,
        ):
            continue
        lines.append(
            SignatureLine(
                full_name(party.person),
                "participant",
                role=party.role,
                signed_on=signed.get((party.person_id, None)),
                person_id=party.person_id,
            )
        )
    for minor in minors:
        for guardian in minor.guardians:
            lines.append(
                SignatureLine(
                    full_name(guardian),
                    "guardian",
                    guardian_of=minor.name,
                    signed_on=signed.get((guardian.id, minor.person_id)),
                    person_id=guardian.id,
                )
            )
        if not minor.guardians:
            lines.append(SignatureLine("", "guardian", guardian_of=minor.name))
    on_lines = {(line.person_id, line.capacity == "guardian") for line in lines}
    names = names_of(session, (s.person_id for s in signatures))
    for s in signatures:
        if (s.person_id, s.as_guardian_of_id is not None) not in on_lines:
            lines.append(
                SignatureLine(
                    names.get(s.person_id, ""),
                    "guardian" if s.as_guardian_of_id else "participant",
                    guardian_of=names_of(session, [s.as_guardian_of_id]).get(
                        s.as_guardian_of_id or -1
                    ),
                    signed_on=s.signed_on,
                    person_id=s.person_id,
                )
            )
    return lines


def agreement_view(
    session: Session, agreement: Agreement, *, today: date | None = None
) -> AgreementView:
    today = today or date.today()
    found = parties(session, agreement)
    minors = minors_and_guardians(session, agreement, found)
    minor_ids = {m.person_id for m in minors}
    ids: set[int | None] = {agreement.follow_up_by_id}
    for item in agreement.items:
        ids |= {item.responsible_id, item.verifier_id, item.supporter_id}
    ids |= {p.supporter_of_id for p in found}
    names = names_of(session, ids)
    circle = session.get(Circle, agreement.circle_id) if agreement.circle_id else None
    case = session.get(Case, agreement.case_id) if agreement.case_id else None
    previous = session.get(Agreement, agreement.previous_id) if agreement.previous_id else None
    return AgreementView(
        id=agreement.id,
        uuid=agreement.uuid,
        version=agreement.version,
        status=agreement.status,
        school=school_view(session),
        created_on=local_date(agreement.created_at) or today,
        agreed_on=agreement.agreed_on,
        closed_on=agreement.closed_on,
        printed_on=today,
        harm_summary=agreement.harm_summary,
        if_not_kept=agreement.if_not_kept,
        follow_up_on=agreement.follow_up_on,
        follow_up_by=names.get(agreement.follow_up_by_id or -1),
        parties=[
            PartyView(
                p.person_id,
                full_name(p.person),
                p.role,
                p.person.kind,
                p.person_id in minor_ids,
                p.person.grade,
                p.person.pronouns,
                names.get(p.supporter_of_id or -1),
            )
            for p in found
        ],
        items=[
            ItemView(
                number,
                item.kind,
                item.action,
                names.get(item.responsible_id or -1),
                item.due_on,
                item.verification,
                names.get(item.verifier_id or -1),
                names.get(item.supporter_id or -1),
                item.completed_on,
                item.completion_note,
                item.responsible_id,
                item.action_es or "",
                item.verification_es or "",
            )
            for number, item in enumerate(agreement.items, 1)
        ],
        signature_lines=_signature_lines(session, agreement, found, minors),
        missing_guardian_signatures=[m.name for m in minors if not m.signed],
        previous_version=previous.version if previous else None,
        circle_title=circle.title if circle else None,
        circle_kind=circle.kind if circle else None,
        held_on=local_date(circle.started_at or circle.scheduled_at) if circle else None,
        location=(circle.location if circle else None) or (case.location if case else None),
        referral_source=case.referral_source if case else None,
        referred_on=case.referred_on if case else None,
        incident_on=case.incident_on if case else None,
        case_description=case.description if case else None,
    )


def family_letter_view(
    session: Session, agreement: Agreement, student_id: int, *, today: date | None = None
) -> FamilyLetterView:
    student = session.get(Person, student_id)
    if student is None:
        raise NotFound(
            _(
                "There is no person with id {student_id} in this database.",
                student_id=student_id,
            )
        )
    if student_id not in {p.person_id for p in parties(session, agreement)}:
        raise InvalidInput(
            _(
                "{full_name} is not a party to this agreement.",
                full_name=full_name(student),
            )
        )
    view = agreement_view(session, agreement, today=today)
    guardians = list(
        session.scalars(
            select(Person)
            .join(GuardianLink, GuardianLink.guardian_id == Person.id)
            .where(GuardianLink.student_id == student_id)
            .order_by(Person.last_name, Person.first_name)
        )
    )
    own = [i for i in view.items if i.responsible_id == student_id]
    return FamilyLetterView(
        agreement=view,
        student_name=full_name(student),
        student_id=student_id,
        guardian_names=[full_name(g) for g in guardians],
        items=own or list(view.items),
        printed_on=view.printed_on,
    )
