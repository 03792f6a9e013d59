"""Cases: a referral, its eligibility screen, the pipeline to closure, diversion and family contact.

The pipeline runs referred -> screened -> preparing -> held -> monitoring -> closed. A case moves
one step forward at a time, or one step back with a reason (a conference postponed, a screen
redone); it can be closed from any open step, always with a closure reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.cases.eligibility import (
    EligibilityService,
    NotEligible,
    Screen,
    case_screen,
)
from circlekeeper.core.cases.handoffs import case_was_handed_off
from circlekeeper.core.cases.incidents import (
    IncidentVocabulary,
    clean_time_of_day,
    resolve_incident_type,
)
from circlekeeper.core.domain.eligibility import (
    NOT_SCREENED,
    Eligibility,
    Verdict,
    eligibility_problems,
)
from circlekeeper.core.domain.enums import (
    CaseStatus,
    ClosureReason,
    ContactMethod,
    Diversion,
    FollowUpStatus,
    ReferralSource,
    Role,
)
from circlekeeper.core.followups.followups import FOLLOW_UP_QUERY, FollowUpRow, follow_up_row
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people.people import is_minor
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.sro import mou
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    Case,
    CaseParty,
    Circle,
    FamilyContact,
    FollowUp,
    Participant,
    Person,
    Signature,
)

PIPELINE: tuple[CaseStatus, ...] = (
    CaseStatus.REFERRED,
    CaseStatus.SCREENED,
    CaseStatus.PREPARING,
    CaseStatus.HELD,
    CaseStatus.MONITORING,
    CaseStatus.CLOSED,
)

# Roles a person can have in a case (the facilitators belong to circles, not to the referral).
CASE_ROLES = frozenset(
    {
        Role.HARMED,
        Role.RESPONSIBLE,
        Role.HARMED_AND_RESPONSIBLE,
        Role.SUPPORTER,
        Role.GUARDIAN,
        Role.COMMUNITY,
        Role.ADMINISTRATOR,
        Role.OBSERVER,
    }
)

OpenFollowUpChoice = Literal["cancel", "keep"]

__all__ = [
    "CaseDetail",
    "CaseIntake",
    "CaseRow",
    "CaseService",
    "Eligibility",
    "OpenFollowUps",
    "eligibility_problems",
    "person_usage",
]


class OpenFollowUps(InvalidInput):
    """A case was asked to close while follow-ups are still open; ask the person what to do.

    ``follow_ups`` lists them, so the question can name each; call ``close`` again with
    ``open_follow_ups="cancel"`` or ``"keep"``.
    """

    def __init__(self, follow_ups: list[FollowUpSummary]) -> None:
        self.follow_ups = follow_ups
        count = len(follow_ups)
        noun = "follow-up is" if count == 1 else "follow-ups are"
        super().__init__(
            f"{count} {noun} still open on this case. Choose whether to cancel them or keep "
            "them open before closing the case; nothing has been changed yet."
        )


@dataclass(frozen=True)
class FollowUpSummary:
    id: int
    due_on: date
    purpose: str
    responsible_name: str | None


@dataclass
class CaseIntake:
    """A referral as it comes in."""

    referred_on: date
    incident_category: str
    referral_source: str = ReferralSource.TEACHER.value
    referred_by_id: int | None = None
    incident_on: date | None = None
    location: str | None = None
    description: str = ""
    school: str | None = None
    parties: list[tuple[int, str]] = field(default_factory=list)  # (person id, role)
    incident_time: str | None = None  # "HH:MM", the time of day it happened


@dataclass(frozen=True)
class PartyRow:
    id: int
    person_id: int
    name: str  # preferred or first name, then family name
    first_name: str
    role: str


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list."""

    id: int
    uuid: str
    referred_on: date
    referral_source: str
    incident_category: str
    status: str
    closure_reason: str | None
    closed_on: date | None
    diverted_from: str
    parties: str  # "Ana Ruiz (responsible), Ben Lee (harmed)"


@dataclass(frozen=True)
class CircleRow:
    id: int
    uuid: str
    kind: str
    title: str
    status: str
    scheduled_at: datetime | None


@dataclass(frozen=True)
class AgreementRow:
    id: int
    uuid: str
    version: int
    status: str
    agreed_on: date | None
    follow_up_on: date | None
    items: int
    items_done: int


@dataclass(frozen=True)
class ContactRow:
    id: int
    contacted_at: datetime
    person_id: int | None
    person_name: str | None
    method: str
    outcome: str
    staff_name: str | None


@dataclass(frozen=True)
class CaseDetail:
    """A case with everything its page shows."""

    id: int
    uuid: str
    referred_on: date
    referral_source: str
    referred_by_id: int | None
    referred_by_name: str | None
    incident_category: str
    incident_on: date | None
    location: str | None
    description: str
    school: str | None
    status: str
    closure_reason: str | None
    closed_on: date | None
    eligibility: Eligibility | None
    eligibility_problems: list[str]
    screen: Screen
    diverted_from: str
    diversion_amount: int | None
    consequence_reinstated: bool
    parties: list[PartyRow]
    circles: list[CircleRow]
    agreements: list[AgreementRow]
    follow_ups: list[FollowUpRow]
    contacts: list[ContactRow]
    next_status: str | None  # one step forward, if any (closing goes through ``close``)
    previous_status: str | None  # one step back, if any (needs a reason)
    incident_time: str | None = None  # "HH:MM"


def _name(first: str, preferred: str | None, last: str) -> str:
    return f"{preferred or first} {last}".strip()


def _clean_text(value: str | None) -> str | None:
    if value is None:
        return None
    return " ".join(value.split()) or None


def _person(session: Session, person_id: int, what: str = "person") -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"There is no {what} with id {person_id} in this database.")
    return person


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"There is no case with id {case_id} in this database.")
    return case


# What an excluded case can do instead of a conference: go to the team it belongs with.
_ELSEWHERE = (
    "Hand it off (threat assessment team, Title IX, child protection, mental-health services or "
    "the police) and bring it back for a re-entry circle, close it as 'handed off', close it as "
    "'not restorable', or redo the screen."
)


def _check_screen(verdict: Verdict, target: CaseStatus) -> None:
    """The eligibility rule on the pipeline: screened needs answers, preparing needs a screen
    that may go ahead, and nothing past it while an exclusion, a halt or a refusal stands."""
    if target is CaseStatus.SCREENED:
        if verdict.missing == (NOT_SCREENED,):
            raise InvalidInput("Record the eligibility screen before marking it screened.")
        return
    if target is CaseStatus.PREPARING and not verdict.may_go_ahead:
        raise NotEligible(
            "This case cannot go to a conference:",
            (*verdict.problems, _ELSEWHERE),
        )
    if target in (CaseStatus.HELD, CaseStatus.MONITORING) and verdict.blocked:
        raise NotEligible(
            "This case cannot go to a conference:",
            (*verdict.blocked, _ELSEWHERE),
        )


def _check_role(role: str) -> str:
    if role not in {r.value for r in CASE_ROLES}:
        allowed = ", ".join(sorted(r.value.replace("_", " ") for r in CASE_ROLES))
        raise InvalidInput(f"{role!r} is not a role in a case. Use one of: {allowed}.")
    return role


def case_follow_up_filter(case_id: int) -> ColumnElement[bool]:
    """Follow-ups belonging to a case directly or through its circles or agreements."""
    return or_(
        FollowUp.case_id == case_id,
        FollowUp.agreement_id.in_(select(Agreement.id).where(Agreement.case_id == case_id)),
        FollowUp.circle_id.in_(select(Circle.id).where(Circle.case_id == case_id)),
    )


class CaseService:
    """Take in referrals, screen them, move them through the pipeline and close them."""

    def __init__(self, context: Context | sessionmaker[Session]) -> None:
        # Who acts and who looks come from the context: the school's MOU keeps a school
        # resource officer out of discipline.
        self.ctx = as_context(context)

    # -- intake and parties ------------------------------------------------------------------

    def incident_type_labels(self) -> list[str]:
        """The names of the school's incident types, in the school's order (for intake)."""
        return [row.label for row in IncidentVocabulary(self.ctx).types()]

    def intake(self, data: CaseIntake) -> CaseDetail:
        """Record a new referral (status "referred") with the people involved."""
        category = _clean_text(data.incident_category)
        if not category:
            raise InvalidInput("Say what kind of incident this is (the incident category).")
        if len(category) > 60:
            raise InvalidInput("The incident category is too long (at most 60 characters).")
        if data.referral_source not in {s.value for s in ReferralSource}:
            allowed = ", ".join(s.value for s in ReferralSource)
            raise InvalidInput(
                f"{data.referral_source!r} is not a referral source. Use one of: {allowed}."
            )
        if data.incident_on is not None and data.incident_on > data.referred_on:
            raise InvalidInput(
                f"The incident date ({data.incident_on.isoformat()}) is after the referral date "
                f"({data.referred_on.isoformat()}); check both dates."
            )
        seen: set[int] = set()
        for person_id, role in data.parties:
            _check_role(role)
            if person_id in seen:
                raise InvalidInput(
                    "The same person is listed twice among the people involved; "
                    "give them one role (use 'harmed and responsible' for mutual conflicts)."
                )
            seen.add(person_id)
        incident_time = clean_time_of_day(data.incident_time)
        with self.ctx.write("intake") as session:
            if data.referred_by_id is not None:
                _person(session, data.referred_by_id, "referring person")
            incident_type = resolve_incident_type(session, category)
            case = Case(
                incident_type_id=incident_type.id,
                incident_time=incident_time,
                referred_on=data.referred_on,
                referral_source=data.referral_source,
                referred_by_id=data.referred_by_id,
                incident_category=category,
                incident_on=data.incident_on,
                location=_clean_text(data.location),
                description=(data.description or "").strip(),
                school=_clean_text(data.school),
                status=CaseStatus.REFERRED.value,
            )
            session.add(case)
            session.flush()
            for person_id, role in data.parties:
                _person(session, person_id)
                session.add(CaseParty(case_id=case.id, person_id=person_id, role=role))
            audit.record(
                session,
                "intake",
                "case",
                case.uuid,
                source=data.referral_source,
                parties=len(data.parties),
            )
            session.flush()
            return self._detail(session, case)

    def add_party(self, case_id: int, person_id: int, role: str) -> PartyRow:
        _check_role(role)
        with self.ctx.write("add party") as session:
            case = _case(session, case_id)
            person = _person(session, person_id)
            existing = session.scalar(
                select(CaseParty.role).where(
                    CaseParty.case_id == case_id, CaseParty.person_id == person_id
                )
            )
            if existing is not None:
                raise InvalidInput(
                    f"{_name(person.first_name, person.preferred_name, person.last_name)} is "
                    f"already in this case as {existing.replace('_', ' ')}; change their role "
                    "instead of adding them again."
                )
            party = CaseParty(case_id=case_id, person_id=person_id, role=role)
            session.add(party)
            session.flush()
            audit.record(
                session,
                "add_party",
                "case",
                case.uuid,
                person=person.uuid,
                role=role,
            )
            return PartyRow(
                party.id,
                person.id,
                _name(person.first_name, person.preferred_name, person.last_name),
                person.preferred_name or person.first_name,
                role,
            )

    def change_party_role(self, party_id: int, role: str) -> None:
        _check_role(role)
        with self.ctx.write("change party role") as session:
            party = session.get(CaseParty, party_id)
            if party is None:
                raise NotFound("That person is no longer part of this case.")
            if party.role == role:
                return
            before, party.role = party.role, role
            audit.record(
                session,
                "change_party_role",
                "case",
                party.case.uuid,
                party=party.uuid,
                before=before,
                after=role,
            )

    def remove_party(self, party_id: int) -> None:
        with self.ctx.write("remove party") as session:
            party = session.get(CaseParty, party_id)
            if party is None:
                raise NotFound("That person is no longer part of this case.")
            case_uuid = party.case.uuid
            person = _person(session, party.person_id)
            session.delete(party)
            audit.record(session, "remove_party", "case", case_uuid, person=person.uuid)

    def update_referral(self, case_id: int, data: CaseIntake) -> None:
        """Correct the referral's facts (not its parties or status)."""
        category = _clean_text(data.incident_category)
        if not category:
            raise InvalidInput("Say what kind of incident this is (the incident category).")
        if data.referral_source not in {s.value for s in ReferralSource}:
            raise InvalidInput(f"{data.referral_source!r} is not a referral source.")
        if data.incident_on is not None and data.incident_on > data.referred_on:
            raise InvalidInput("The incident date is after the referral date; check both dates.")
        incident_time = clean_time_of_day(data.incident_time)
        with self.ctx.write("update referral") as session:
            case = _case(session, case_id)
            if data.referred_by_id is not None:
                _person(session, data.referred_by_id, "referring person")
            incident_type = resolve_incident_type(session, category)
            values = {
                "incident_type_id": incident_type.id,
                "incident_time": incident_time,
                "referred_on": data.referred_on,
                "referral_source": data.referral_source,
                "referred_by_id": data.referred_by_id,
                "incident_category": category,
                "incident_on": data.incident_on,
                "location": _clean_text(data.location),
                "description": (data.description or "").strip(),
                "school": _clean_text(data.school),
            }
            changed = [k for k, v in values.items() if getattr(case, k) != v]
            for key in changed:
                setattr(case, key, values[key])
            if changed:
                audit.record(session, "update", "case", case.uuid, fields=changed)

    # -- eligibility -------------------------------------------------------------------------

    def record_eligibility(
        self, case_id: int, answers: Eligibility, *, loaded: Eligibility | None = None
    ) -> list[str]:
        """Save the screen (only what changed since ``loaded``); returns the problems found.

        The one screen of the case, also edited from its conference's preparation panel: see
        :class:`~circlekeeper.core.cases.eligibility.EligibilityService`.
        """
        service = EligibilityService(self.ctx)
        return service.record_for_case(case_id, answers, loaded=loaded).verdict.problems

    def eligibility_problems(self, case_id: int) -> list[str]:
        return EligibilityService(self.ctx).for_case(case_id).verdict.problems

    # -- pipeline ----------------------------------------------------------------------------

    def move(self, case_id: int, status: str, *, reason: str = "") -> str:
        """Move a case one step forward, or one step back with a reason; returns the new status.

        Screening needs the eligibility answers; preparing needs a screen with no problems.
        Closing goes through :meth:`close` (it needs a closure reason).
        """
        try:
            target = CaseStatus(status)
        except ValueError:
            raise InvalidInput(f"{status!r} is not a step of the case pipeline.") from None
        if target is CaseStatus.CLOSED:
            raise InvalidInput("Closing a case needs a closure reason: use Close case.")
        self._check_reopen(case_id)
        with self.ctx.write("move") as session:
            case = _case(session, case_id)
            current = CaseStatus(case.status)
            here, there = PIPELINE.index(current), PIPELINE.index(target)
            if there == here:
                return case.status
            reason = " ".join(reason.split())
            if there == here - 1:
                if not reason:
                    raise InvalidInput(
                        f"Say why the case goes back from {current.value} to {target.value}."
                    )
                if current is CaseStatus.CLOSED:
                    case.closure_reason = None
                    case.closed_on = None
            elif there != here + 1:
                raise InvalidInput(
                    f"A case moves one step at a time: from {current.value} it can go to "
                    f"{PIPELINE[here + 1].value}"
                    + (f" (or back to {PIPELINE[here - 1].value})" if here else "")
                    + "."
                )
            if there > here:
                _check_screen(case_screen(session, case).verdict, target)
            case.status = target.value
            audit.record(
                session,
                "move",
                "case",
                case.uuid,
                before=current.value,
                after=target.value,
                reason=reason,
            )
            return case.status

    def close(
        self,
        case_id: int,
        reason: str,
        *,
        today: date,
        open_follow_ups: OpenFollowUpChoice | None = None,
    ) -> list[int]:
        """Close a case with a reason; returns the ids of follow-ups cancelled by closing it.

        If follow-ups are still open and ``open_follow_ups`` is None, raises
        :class:`OpenFollowUps` listing them and changes nothing: ask, then call again with
        "cancel" (they are marked cancelled) or "keep" (they stay open and still show as due).
        """
        try:
            closure = ClosureReason(reason)
        except ValueError:
            allowed = ", ".join(r.value.replace("_", " ") for r in ClosureReason)
            raise InvalidInput(f"A case closes with one of these reasons: {allowed}.") from None
        if open_follow_ups not in (None, "cancel", "keep"):
            raise InvalidInput("Open follow-ups can only be cancelled or kept.")
        self._check_discipline(case_id, "close a case")
        with self.ctx.write("close") as session:
            case = _case(session, case_id)
            if case.status == CaseStatus.CLOSED:
                raise InvalidInput(
                    "This case is already closed "
                    f"({(case.closure_reason or '').replace('_', ' ')})."
                )
            if closure is ClosureReason.HANDED_OFF and not case_was_handed_off(session, case_id):
                raise InvalidInput(
                    "This case has no hand-off recorded, so it cannot close as 'handed off'. "
                    "Nothing was changed. Record the hand-off first (who received it, what was "
                    "shared and why), or choose another reason."
                )
            pending = session.scalars(
                select(FollowUp)
                .where(case_follow_up_filter(case_id), FollowUp.status == FollowUpStatus.OPEN)
                .order_by(FollowUp.due_on, FollowUp.id)
            ).all()
            if pending and open_follow_ups is None:
                names = self._names(session, {f.responsible_id for f in pending})
                raise OpenFollowUps(
                    [
                        FollowUpSummary(f.id, f.due_on, f.purpose, names.get(f.responsible_id))
                        for f in pending
                    ]
                )
            cancelled: list[int] = []
            if open_follow_ups == "cancel":
                for follow_up in pending:
                    follow_up.status = FollowUpStatus.CANCELLED.value
                    follow_up.outcome = "Cancelled when the case was closed."
                    follow_up.done_on = today
                    cancelled.append(follow_up.id)
            before = case.status
            case.status = CaseStatus.CLOSED.value
            case.closure_reason = closure.value
            case.closed_on = today
            audit.record(
                session,
                "close",
                "case",
                case.uuid,
                before=before,
                reason=closure.value,
                follow_ups_cancelled=len(cancelled),
                follow_ups_kept=len(pending) - len(cancelled),
            )
            return cancelled

    # -- diversion ---------------------------------------------------------------------------

    def _check_reopen(self, case_id: int) -> None:
        """Reopening a closed case undoes a closing decision: the MOU's discipline rule."""
        if not self.ctx.viewer().is_sro:
            return
        with self.ctx.read() as session:
            closed = _case(session, case_id).status == CaseStatus.CLOSED.value
        if closed:
            self._check_discipline(case_id, "reopen a closed case")

    def _check_discipline(self, case_id: int, attempted: str) -> None:
        """Refuse (with an audit line) a discipline decision the MOU keeps from this viewer."""
        if not self.ctx.viewer().is_sro:
            return
        with self.ctx.read() as session:
            case_uuid = _case(session, case_id).uuid
        mou.check_discipline(self.ctx, attempted, entity="case", entity_uuid=case_uuid)

    def set_diversion(
        self,
        case_id: int,
        diverted_from: str,
        amount: int | None = None,
        *,
        consequence_reinstated: bool = False,
    ) -> None:
        """Which consequence the restorative route replaced (and how much, e.g. suspension days)."""
        self._check_discipline(case_id, "set the diversion of a case")
        try:
            diversion = Diversion(diverted_from)
        except ValueError:
            allowed = ", ".join(d.value for d in Diversion)
            raise InvalidInput(f"Diverted from must be one of: {allowed}.") from None
        if diversion is Diversion.NONE and (amount or consequence_reinstated):
            raise InvalidInput(
                "Nothing was diverted, so there is no amount and no consequence to reinstate."
            )
        if amount is not None and amount < 0:
            raise InvalidInput(
                "The amount diverted (for example suspension days) cannot be negative."
            )
        if amount is not None and amount > 365:
            raise InvalidInput("The amount diverted looks too large; give days (at most 365).")
        with self.ctx.write("set diversion") as session:
            case = _case(session, case_id)
            case.diverted_from = diversion.value
            case.diversion_amount = amount
            case.consequence_reinstated = consequence_reinstated
            audit.record(
                session,
                "diversion",
                "case",
                case.uuid,
                diverted_from=diversion.value,
                amount=amount,
                reinstated=consequence_reinstated,
            )

    # -- family contact log ------------------------------------------------------------------

    def add_contact(
        self,
        case_id: int,
        contacted_at: datetime,
        method: str,
        outcome: str = "",
        *,
        person_id: int | None = None,
        staff_name: str | None = None,
    ) -> ContactRow:
        """Log one contact with a family: when (time-zone aware), who, how, and what came of it."""
        if contacted_at.tzinfo is None or contacted_at.utcoffset() is None:
            raise InvalidInput("The contact time needs a time zone; it cannot be guessed.")
        try:
            how = ContactMethod(method)
        except ValueError:
            allowed = ", ".join(m.value for m in ContactMethod)
            raise InvalidInput(f"The contact method must be one of: {allowed}.") from None
        with self.ctx.write("add contact") as session:
            case = _case(session, case_id)
            name = None
            if person_id is not None:
                person = _person(session, person_id)
                name = _name(person.first_name, person.preferred_name, person.last_name)
            contact = FamilyContact(
                case_id=case_id,
                person_id=person_id,
                contacted_at=contacted_at,
                method=how.value,
                outcome=(outcome or "").strip(),
                staff_name=_clean_text(staff_name),
            )
            session.add(contact)
            session.flush()
            audit.record(
                session,
                "family_contact",
                "case",
                case.uuid,
                contact=contact.uuid,
                method=how.value,
            )
            return ContactRow(
                contact.id,
                contacted_at,
                person_id,
                name,
                how.value,
                contact.outcome,
                contact.staff_name,
            )

    def contacts(self, case_id: int) -> list[ContactRow]:
        with self.ctx.read() as session:
            _case(session, case_id)
            return self._contacts(session, case_id)

    # -- reading -----------------------------------------------------------------------------

    def list_cases(
        self,
        *,
        status: str | None = None,
        open_only: bool = False,
        limit: int = 200,
        offset: int = 0,
    ) -> list[CaseRow]:
        """Cases, newest referral first, optionally one status or only open ones."""
        query = select(
            Case.id,
            Case.uuid,
            Case.referred_on,
            Case.referral_source,
            Case.incident_category,
            Case.status,
            Case.closure_reason,
            Case.closed_on,
            Case.diverted_from,
        )
        if status:
            query = query.where(Case.status == status)
        if open_only:
            query = query.where(Case.status != CaseStatus.CLOSED.value)
        query = query.order_by(Case.referred_on.desc(), Case.id.desc()).limit(limit).offset(offset)
        with self.ctx.read() as session:
            rows = session.execute(query).all()
            parties: dict[int, list[str]] = {}
            for case_id, first, preferred, last, role in session.execute(
                select(
                    CaseParty.case_id,
                    Person.first_name,
                    Person.preferred_name,
                    Person.last_name,
                    CaseParty.role,
                )
                .join(Person, Person.id == CaseParty.person_id)
                .where(CaseParty.case_id.in_([r.id for r in rows]))
                .order_by(CaseParty.id)
            ):
                parties.setdefault(case_id, []).append(
                    f"{_name(first, preferred, last)} ({role.replace('_', ' ')})"
                )
            return [CaseRow(*r, parties=", ".join(parties.get(r.id, []))) for r in rows]

    def count_cases(self, *, status: str | None = None, open_only: bool = False) -> int:
        query = select(func.count()).select_from(Case)
        if status:
            query = query.where(Case.status == status)
        if open_only:
            query = query.where(Case.status != CaseStatus.CLOSED.value)
        with self.ctx.read() as session:
            return int(session.scalar(query) or 0)

    def detail(self, case_id: int) -> CaseDetail:
        with self.ctx.read() as session:
            return self._detail(session, _case(session, case_id))

    def _detail(self, session: Session, case: Case) -> CaseDetail:
        people = session.execute(
            select(CaseParty.id, CaseParty.role, Person)
            .join(Person, Person.id == CaseParty.person_id)
            .where(CaseParty.case_id == case.id)
            .order_by(CaseParty.id)
        ).all()
        parties = [
            PartyRow(
                pid,
                p.id,
                _name(p.first_name, p.preferred_name, p.last_name),
                p.preferred_name or p.first_name,
                role,
            )
            for pid, role, p in people
        ]
        today = date.today()
        minors = any(is_minor(p, today) for _pid, _role, p in people)
        circles = [
            CircleRow(*r)
            for r in session.execute(
                select(
                    Circle.id,
                    Circle.uuid,
                    Circle.kind,
                    Circle.title,
                    Circle.status,
                    Circle.scheduled_at,
                )
                .where(Circle.case_id == case.id)
                .order_by(Circle.scheduled_at.is_(None), Circle.scheduled_at, Circle.id)
            )
        ]
        done = func.count(AgreementItem.completed_on)
        agreements = [
            AgreementRow(*r)
            for r in session.execute(
                select(
                    Agreement.id,
                    Agreement.uuid,
                    Agreement.version,
                    Agreement.status,
                    Agreement.agreed_on,
                    Agreement.follow_up_on,
                    func.count(AgreementItem.id),
                    done,
                )
                .outerjoin(AgreementItem, AgreementItem.agreement_id == Agreement.id)
                .where(Agreement.case_id == case.id)
                .group_by(Agreement.id)
                .order_by(Agreement.version, Agreement.id)
            )
        ]
        # The same rows the follow-up service gives; the page counts overdue on its own clock.
        follow_ups = [
            follow_up_row(r, None)
            for r in session.execute(
                FOLLOW_UP_QUERY.where(case_follow_up_filter(case.id)).order_by(
                    FollowUp.due_on, FollowUp.id
                )
            )
        ]
        referred_by = self._names(session, {case.referred_by_id}).get(case.referred_by_id)
        screen = case_screen(session, case, today, minors=minors)
        position = PIPELINE.index(CaseStatus(case.status))
        next_status = PIPELINE[position + 1].value if position + 1 < len(PIPELINE) - 1 else None
        previous_status = PIPELINE[position - 1].value if position else None
        return CaseDetail(
            id=case.id,
            uuid=case.uuid,
            referred_on=case.referred_on,
            referral_source=case.referral_source,
            referred_by_id=case.referred_by_id,
            referred_by_name=referred_by,
            incident_category=case.incident_category,
            incident_on=case.incident_on,
            location=case.location,
            incident_time=case.incident_time,
            description=case.description,
            school=case.school,
            status=case.status,
            closure_reason=case.closure_reason,
            closed_on=case.closed_on,
            eligibility=screen.answers,
            eligibility_problems=screen.verdict.problems,
            screen=screen,
            diverted_from=case.diverted_from,
            diversion_amount=case.diversion_amount,
            consequence_reinstated=case.consequence_reinstated,
            parties=parties,
            circles=circles,
            agreements=agreements,
            follow_ups=follow_ups,
            contacts=self._contacts(session, case.id),
            next_status=next_status,
            previous_status=previous_status,
        )

    def _contacts(self, session: Session, case_id: int) -> list[ContactRow]:
        rows = session.execute(
            select(
                FamilyContact.id,
                FamilyContact.contacted_at,
                FamilyContact.person_id,
                FamilyContact.method,
                FamilyContact.outcome,
                FamilyContact.staff_name,
            )
            .where(FamilyContact.case_id == case_id)
            .order_by(FamilyContact.contacted_at, FamilyContact.id)
        ).all()
        names = self._names(session, {r.person_id for r in rows})
        return [
            ContactRow(
                r.id,
                r.contacted_at,
                r.person_id,
                names.get(r.person_id),
                r.method,
                r.outcome,
                r.staff_name,
            )
            for r in rows
        ]

    @staticmethod
    def _names(session: Session, ids: set[int | None]) -> dict[int | None, str]:
        wanted = [i for i in ids if i is not None]
        if not wanted:
            return {}
        return {
            pid: _name(first, preferred, last)
            for pid, first, preferred, last in session.execute(
                select(Person.id, Person.first_name, Person.preferred_name, Person.last_name).where(
                    Person.id.in_(wanted)
                )
            )
        }


def person_usage(sessions: sessionmaker[Session], person_id: int) -> dict[str, int]:
    """How many cases, circles, agreements and follow-ups involve a person.

    The people screen uses this to explain why a person who appears in records is archived
    (hidden, every record kept) rather than deleted.
    """
    with sessions() as session:
        _person(session, person_id)
        cases = session.scalar(
            select(func.count(func.distinct(Case.id))).where(
                or_(
                    Case.referred_by_id == person_id,
                    Case.id.in_(select(CaseParty.case_id).where(CaseParty.person_id == person_id)),
                )
            )
        )
        circles = session.scalar(
            select(func.count(func.distinct(Circle.id))).where(
                or_(
                    Circle.facilitator_id == person_id,
                    Circle.co_facilitator_id == person_id,
                    Circle.id.in_(
                        select(Participant.circle_id).where(Participant.person_id == person_id)
                    ),
                )
            )
        )
        agreements = session.scalar(
            select(func.count(func.distinct(Agreement.id))).where(
                or_(
                    Agreement.follow_up_by_id == person_id,
                    Agreement.id.in_(
                        select(AgreementItem.agreement_id).where(
                            or_(
                                AgreementItem.responsible_id == person_id,
                                AgreementItem.verifier_id == person_id,
                                AgreementItem.supporter_id == person_id,
                            )
                        )
                    ),
                    Agreement.id.in_(
                        select(Signature.agreement_id).where(
                            or_(
                                Signature.person_id == person_id,
                                Signature.as_guardian_of_id == person_id,
                            )
                        )
                    ),
                )
            )
        )
        follow_ups = session.scalar(
            select(func.count()).select_from(FollowUp).where(FollowUp.responsible_id == person_id)
        )
        return {
            "cases": int(cases or 0),
            "circles": int(circles or 0),
            "agreements": int(agreements or 0),
            "follow_ups": int(follow_ups or 0),
        }
