"""Hand-offs and the record of disclosures (FERPA, 34 CFR § 99.32).

A case, or a circle's concern, can be handed to the threat assessment team (BTAM), the Title IX
coordinator, child protection, mental-health services or the police under the MOU. Each hand-off
says who received it, when, what was shared and under which FERPA basis, and it adds one line to
the record of disclosures of every student it concerns. A copy of an agreement made for sharing
adds a line too (``record_sharing_copy``, called by every path that writes one). A hand-off can
come back (``bring_back``), with a re-entry circle planned for the case.

What a viewer sees is decided by :class:`~circlekeeper.core.profiles.viewer.Viewer`: an SRO sees
that a hand-off happened, not what was shared (except with the police), and never reads a
student's record of disclosures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.agreements.views import full_name
from circlekeeper.core.audit import audit
from circlekeeper.core.domain.enums import CircleKind, PersonKind, Role
from circlekeeper.core.domain.handoffs import DisclosureKind, FerpaBasis, HandOffTo
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.problems import InvalidInput, NotFound, NotPermitted
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    Case,
    CaseParty,
    Circle,
    Disclosure,
    HandOff,
    Participant,
    Person,
)

SHARED_LIMIT = 4000
NAME_LIMIT = 200


@dataclass(frozen=True)
class HandOffData:
    """What the hand-off form asks: where, who received it, when, what was shared and why."""

    handed_to: str
    recipient: str
    handed_on: date
    shared: str
    basis: str
    threat: str | None = None  # needed for a health-or-safety emergency


@dataclass(frozen=True)
class HandOffRow:
    """A hand-off as the case page shows it; ``shared``/``threat`` are None when hidden."""

    id: int
    uuid: str
    case_id: int | None
    circle_id: int | None
    handed_to: str
    recipient: str
    handed_on: date
    shared: str | None
    basis: str
    threat: str | None
    returned_on: date | None
    return_note: str | None
    reentry_circle_id: int | None
    students: int  # how many students' records of disclosures it was written to

    @property
    def is_open(self) -> bool:
        return self.returned_on is None


@dataclass(frozen=True)
class DisclosureRow:
    """One line of a record of disclosures: who received what, when and why."""

    id: int
    person_id: int
    student_name: str
    kind: str
    disclosed_on: date
    recipient: str
    shared: str
    basis: str | None
    reason: str | None
    disclosed_by: str
    case_id: int | None


def _words(value: str | None) -> str:
    return " ".join((value or "").split())


def _check(data: HandOffData) -> HandOffData:
    """The hand-off as it will be saved, or a plain refusal naming what is missing."""
    problems: list[str] = []
    if data.handed_to not in set(HandOffTo):
        problems.append(
            _(
                "Choose where it is handed: BTAM, Title IX, child protection, "
                "mental-health services or the police.",
            )
        )
    recipient = _words(data.recipient)
    if not recipient:
        problems.append(_("Say who received it (a name, or the team and the person you spoke to)."))
    elif len(recipient) > NAME_LIMIT:
        problems.append(
            _(
                "The recipient is too long ({name_limit} characters at most).",
                name_limit=NAME_LIMIT,
            )
        )
    if data.basis not in set(FerpaBasis):
        problems.append(
            _(
                "Choose the FERPA basis for sharing (for example a health or safety "
                "emergency, or a school official with a legitimate educational interest).",
            )
        )
    shared = (data.shared or "").strip()
    if not shared:
        problems.append(_("Say what was shared (for example: the referral and the incident date)."))
    elif len(shared) > SHARED_LIMIT:
        problems.append(
            _(
                "What was shared is too long ({shared_limit} characters at most).",
                shared_limit=SHARED_LIMIT,
            )
        )
    threat = (data.threat or "").strip() or None
    if data.basis == FerpaBasis.HEALTH_SAFETY_EMERGENCY and not threat:
        problems.append(
            _(
                "For a health or safety emergency, say what the threat was: the law asks "
                "that it be recorded with the disclosure.",
            )
        )
    if problems:
        raise InvalidInput(
            _(
                "The hand-off was not saved. {problems}",
                problems=" ".join(problems),
            )
        )
    return HandOffData(data.handed_to, recipient, data.handed_on, shared, data.basis, threat)


def _students_of_case(session: Session, case_id: int) -> list[int]:
    """The students named in a case: its parties, then those in its circles."""
    parties = session.scalars(
        select(Person.id)
        .join(CaseParty, CaseParty.person_id == Person.id)
        .where(CaseParty.case_id == case_id, Person.kind == PersonKind.STUDENT.value)
        .order_by(CaseParty.id)
    ).all()
    seated = session.scalars(
        select(Person.id)
        .join(Participant, Participant.person_id == Person.id)
        .join(Circle, Circle.id == Participant.circle_id)
        .where(Circle.case_id == case_id, Person.kind == PersonKind.STUDENT.value)
        .order_by(Participant.circle_id, Participant.id)
    ).all()
    return _unique([*parties, *seated])


def _students_of_circle(session: Session, circle_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Person.id)
            .join(Participant, Participant.person_id == Person.id)
            .where(Participant.circle_id == circle_id, Person.kind == PersonKind.STUDENT.value)
            .order_by(Participant.id)
        ).all()
    )


def check_basis(basis: str | None) -> None:
    """A FERPA basis given for a copy for sharing must be one this program knows."""
    if basis is not None and basis not in set(FerpaBasis):
        allowed = ", ".join(b.value for b in FerpaBasis)
        raise InvalidInput(
            _(
                "{basis} is not a FERPA basis. Use one of: {allowed}. Nothing was written.",
                basis=repr(basis),
                allowed=allowed,
            )
        )


def _unique(ids: list[int]) -> list[int]:
    return list(dict.fromkeys(ids))


class HandOffService:
    """Record hand-offs, bring them back, and keep each student's record of disclosures."""

    def __init__(self, context: Context | sessionmaker[Session]) -> None:
        self.ctx = as_context(context)

    @property
    def viewer(self) -> Viewer:
        """Who is looking: what they may see and change is decided for them here."""
        return self.ctx.viewer()

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self.ctx.sessions

    # -- hand-offs ---------------------------------------------------------------------------

    def hand_off(
        self, data: HandOffData, *, case_id: int | None = None, circle_id: int | None = None
    ) -> HandOffRow:
        """Hand a case (or a circle's concern) on; writes the students' disclosure lines."""
        if (case_id is None) == (circle_id is None):
            raise InvalidInput(_("A hand-off belongs to one case or to one circle."))
        checked = _check(data)
        with self.ctx.write("hand off") as session:
            if case_id is not None:
                case = session.get(Case, case_id)
                if case is None:
                    raise NotFound(
                        _(
                            "There is no case with id {case_id} in this database.",
                            case_id=case_id,
                        )
                    )
                students = _students_of_case(session, case_id)
                entity, entity_uuid = "case", case.uuid
            else:
                assert circle_id is not None
                circle = session.get(Circle, circle_id)
                if circle is None:
                    raise NotFound(
                        _(
                            "There is no circle with id {circle_id} in this database.",
                            circle_id=circle_id,
                        )
                    )
                case_id = circle.case_id
                students = _unique(
                    _students_of_circle(session, circle_id)
                    + (_students_of_case(session, case_id) if case_id else [])
                )
                entity, entity_uuid = "circle", circle.uuid
            row = HandOff(
                case_id=case_id,
                circle_id=circle_id,
                handed_to=checked.handed_to,
                recipient=checked.recipient,
                handed_on=checked.handed_on,
                shared=checked.shared,
                basis=checked.basis,
                threat=checked.threat,
            )
            session.add(row)
            session.flush()
            for person_id in students:
                session.add(
                    Disclosure(
                        person_id=person_id,
                        kind=DisclosureKind.HAND_OFF.value,
                        disclosed_on=checked.handed_on,
                        recipient=checked.recipient,
                        shared=checked.shared,
                        basis=checked.basis,
                        reason=checked.threat,
                        disclosed_by=self.viewer.name,
                        case_id=case_id,
                        hand_off_id=row.id,
                    )
                )
            audit.record(
                session,
                "hand_off",
                entity,
                entity_uuid,
                hand_off=row.uuid,
                handed_to=checked.handed_to,
                basis=checked.basis,
                students=len(students),
            )
            session.flush()
            return self._row(row, len(students))

    def bring_back(
        self,
        hand_off_id: int,
        *,
        on: date,
        note: str = "",
        reentry_at: datetime | None = None,
    ) -> HandOffRow:
        """The case comes back (after BTAM, say); with ``reentry_at`` a re-entry circle is
        planned for the case, its students invited."""
        note = (note or "").strip()
        if len(note) > SHARED_LIMIT:
            raise InvalidInput(
                _(
                    "The note is too long ({shared_limit} characters at most).",
                    shared_limit=SHARED_LIMIT,
                )
            )
        if reentry_at is not None and reentry_at.tzinfo is None:
            raise InvalidInput(_("The date and time must include the time zone."))
        with self.ctx.read() as session:
            current = session.get(HandOff, hand_off_id)
            if current is None:
                raise NotFound(
                    _(
                        "There is no hand-off with id {hand_off_id} in this database.",
                        hand_off_id=hand_off_id,
                    )
                )
            if current.returned_on is not None:
                raise InvalidInput(
                    _(
                        "This hand-off already came back on {returned_on}.",
                        returned_on=current.returned_on.isoformat(),
                    )
                )
            if on < current.handed_on:
                raise InvalidInput(
                    _(
                        "It cannot come back before it was handed on "
                        "({handed_on}). Check the date.",
                        handed_on=current.handed_on.isoformat(),
                    )
                )
            if reentry_at is not None and current.case_id is None:
                raise InvalidInput(
                    _("A re-entry circle is planned for a case; this hand-off has none.")
                )
            case_id = current.case_id
        circle_id = None
        if reentry_at is not None and case_id is not None:
            circle_id = self._plan_reentry(case_id, reentry_at)
        with self.ctx.write("bring back") as session:
            row = session.get(HandOff, hand_off_id)
            assert row is not None
            row.returned_on = on
            row.return_note = note or None
            row.reentry_circle_id = circle_id
            owner = session.get(Case, row.case_id) if row.case_id else None
            audit.record(
                session,
                "hand_off_back",
                "case" if owner else "hand_off",
                owner.uuid if owner else row.uuid,
                hand_off=row.uuid,
                reentry_circle=circle_id is not None,
            )
            session.flush()
            return self._row(row, self._count(session, row.id))

    def _plan_reentry(self, case_id: int, at: datetime) -> int:
        from circlekeeper.core.circles.commands import CirclePlanner
        from circlekeeper.core.circles.rows import CirclePlan

        planner = CirclePlanner(self.ctx)
        detail = planner.plan(
            CirclePlan(
                kind=CircleKind.REENTRY.value,
                title="Re-entry circle",
                scheduled_at=at,
                case_id=case_id,
            )
        )
        with self.ctx.read() as session:
            students = _students_of_case(session, case_id)
        for person_id in students:
            planner.add_participant(detail.id, person_id, Role.MEMBER.value)
        return detail.id

    def for_case(self, case_id: int) -> list[HandOffRow]:
        """The case's hand-offs (and those of its circles), newest first."""
        with self.ctx.read() as session:
            circles = select(Circle.id).where(Circle.case_id == case_id)
            rows = session.scalars(
                select(HandOff)
                .where((HandOff.case_id == case_id) | HandOff.circle_id.in_(circles))
                .order_by(HandOff.handed_on.desc(), HandOff.id.desc())
            ).all()
            return [self._row(r, self._count(session, r.id)) for r in rows]

    def students(self, case_id: int) -> list[tuple[int, str]]:
        """The students a case's hand-offs concern (id, legal name), for the record of
        disclosures."""
        with self.ctx.read() as session:
            ids = _students_of_case(session, case_id)
            people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}
            return [(i, full_name(people[i])) for i in ids]

    # -- sharing copies ----------------------------------------------------------------------

    def record_sharing_copy(
        self,
        agreement_id: int,
        *,
        on: date,
        recipient: str = "",
        basis: str | None = None,
        reason: str | None = None,
    ) -> int:
        """A copy of an agreement for sharing was written: one disclosure line per student in
        it. Returns how many lines were written."""
        recipient = _words(recipient)
        if len(recipient) > NAME_LIMIT:
            raise InvalidInput(
                _(
                    "The recipient is too long ({name_limit} characters at most).",
                    name_limit=NAME_LIMIT,
                )
            )
        check_basis(basis)
        with self.ctx.write("record sharing copy") as session:
            agreement = session.get(Agreement, agreement_id)
            if agreement is None:
                raise NotFound(
                    _(
                        "There is no agreement with id {agreement_id} in this database.",
                        agreement_id=agreement_id,
                    )
                )
            named = session.scalars(
                select(Person.id)
                .join(
                    AgreementItem,
                    (AgreementItem.responsible_id == Person.id)
                    | (AgreementItem.supporter_id == Person.id),
                )
                .where(
                    AgreementItem.agreement_id == agreement.id,
                    Person.kind == PersonKind.STUDENT.value,
                )
                .order_by(AgreementItem.position)
            ).all()
            students = _unique(
                (_students_of_circle(session, agreement.circle_id) if agreement.circle_id else [])
                + (_students_of_case(session, agreement.case_id) if agreement.case_id else [])
                + list(named)
            )
            shared = (
                f"Repair agreement, version {agreement.version}: copy for sharing "
                "(no private notes, no demographic fields)"
            )
            for person_id in students:
                session.add(
                    Disclosure(
                        person_id=person_id,
                        kind=DisclosureKind.SHARING_COPY.value,
                        disclosed_on=on,
                        recipient=recipient,
                        shared=shared,
                        basis=basis,
                        reason=_words(reason) or None,
                        disclosed_by=self.viewer.name,
                        case_id=agreement.case_id,
                        agreement_id=agreement.id,
                    )
                )
            audit.record(
                session,
                "sharing_copy",
                "agreement",
                agreement.uuid,
                students=len(students),
            )
            return len(students)

    # -- the record of disclosures -------------------------------------------------------------

    def disclosures(
        self,
        *,
        person_id: int | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> list[DisclosureRow]:
        """A student's record of disclosures (or everyone's in a period), oldest first."""
        if not self.viewer.can_see_disclosures:
            raise NotPermitted(
                _(
                    "A school resource officer's profile cannot read a student's record of "
                    "disclosures; it is kept for the student and the family by school staff. "
                    "Ask a counselor or an administrator.",
                )
            )
        query = select(Disclosure, Person).join(Person, Person.id == Disclosure.person_id)
        if person_id is not None:
            query = query.where(Disclosure.person_id == person_id)
        if start is not None:
            query = query.where(Disclosure.disclosed_on >= start)
        if end is not None:
            query = query.where(Disclosure.disclosed_on <= end)
        with self.ctx.read() as session:
            if person_id is not None and session.get(Person, person_id) is None:
                raise NotFound(
                    _(
                        "There is no person with id {person_id} in this database.",
                        person_id=person_id,
                    )
                )
            found = session.execute(query.order_by(Disclosure.disclosed_on, Disclosure.id)).all()
            return [
                DisclosureRow(
                    d.id,
                    d.person_id,
                    full_name(p),
                    d.kind,
                    d.disclosed_on,
                    d.recipient,
                    d.shared,
                    d.basis,
                    d.reason,
                    d.disclosed_by,
                    d.case_id,
                )
                for d, p in found
            ]

    # -- rows --------------------------------------------------------------------------------

    @staticmethod
    def _count(session: Session, hand_off_id: int) -> int:
        return len(
            session.scalars(
                select(Disclosure.id).where(Disclosure.hand_off_id == hand_off_id)
            ).all()
        )

    def _row(self, row: HandOff, students: int) -> HandOffRow:
        visible = self.viewer.can_see_hand_off_detail(row.handed_to)
        return HandOffRow(
            row.id,
            row.uuid,
            row.case_id,
            row.circle_id,
            row.handed_to,
            row.recipient,
            row.handed_on,
            row.shared if visible else None,
            row.basis,
            row.threat if visible else None,
            row.returned_on,
            row.return_note if visible else None,
            row.reentry_circle_id,
            students,
        )


def case_was_handed_off(session: Session, case_id: int) -> bool:
    """Whether a hand-off was recorded for the case (closing as "handed off" needs one)."""
    found = session.scalar(select(HandOff.id).where(HandOff.case_id == case_id).limit(1))
    return found is not None
