"""Reading cases: the case list, one case with everything its page shows, a person's usage.

The page's record says what the person looking may do with the case
(:attr:`~circlekeeper.core.cases.rows.CaseDetail.allowed_actions`), so every screen offers only
what the core would accept.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, bindparam, func, or_, select, union_all
from sqlalchemy.orm import Session, aliased, joinedload, sessionmaker

from circlekeeper.core.cases.eligibility import EligibilityService, case_screen
from circlekeeper.core.cases.incidents import IncidentVocabulary
from circlekeeper.core.cases.list_filter import ListFilter, word_matches, year_between
from circlekeeper.core.cases.rows import (
    PIPELINE,
    CaseAction,
    CaseAgreementRow,
    CaseCircleRow,
    CaseDetail,
    CaseRow,
    ContactRow,
    ListChoices,
    PartyRow,
)
from circlekeeper.core.domain.enums import CaseStatus
from circlekeeper.core.followups.queries import FOLLOW_UP_QUERY, follow_up_row
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people.names import display_name, short_name
from circlekeeper.core.people.people import minor_by
from circlekeeper.core.problems import NotFound
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.schools import list_schools
from circlekeeper.core.schools.years import school_year_of
from circlekeeper.core.sro import mou
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    Case,
    CaseParty,
    Circle,
    FamilyContact,
    FollowUp,
    IncidentType,
    Participant,
    Person,
    School,
    Signature,
)


def find_person(session: Session, person_id: int, what: str = "person") -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(
            _(
                "There is no {what} with id {person_id} in this database.",
                what=what,
                person_id=person_id,
            )
        )
    return person


def find_case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise _no_case(case_id)
    return case


def _no_case(case_id: int) -> NotFound:
    return NotFound(
        _(
            "There is no case with id {case_id} in this database.",
            case_id=case_id,
        )
    )


_REFERRER = aliased(Person)
# The case's page row: the case with its school, and the name of whoever referred it.
_PAGE_CASE = (
    select(Case, _REFERRER.id, _REFERRER.first_name, _REFERRER.preferred_name, _REFERRER.last_name)
    .outerjoin(_REFERRER, _REFERRER.id == Case.referred_by_id)
    .options(joinedload(Case.school_ref))
    .where(Case.id == bindparam("case_id"))
)


def _page_case(session: Session, case_id: int) -> tuple[Case, dict[int | None, str]]:
    """The case for its page, in one statement, with its referrer's name by id (for
    :meth:`CaseQueries._detail`): a page on a server pays a round trip per statement."""
    row = session.execute(_PAGE_CASE, {"case_id": case_id}).first()
    if row is None:
        raise _no_case(case_id)
    case, referrer, first, preferred, last = row
    return case, {} if referrer is None else {referrer: display_name(first, preferred, last)}


def case_follow_up_filter(case_id: int) -> ColumnElement[bool]:
    """Follow-ups belonging to a case directly or through its circles or agreements.

    One id list from three indexed reads: written as OR of the three, PostgreSQL walked every
    follow-up of the district for each case opened (23 ms of 32 on the large demo).
    """
    return FollowUp.id.in_(
        union_all(
            select(FollowUp.id).where(FollowUp.case_id == case_id),
            select(FollowUp.id)
            .join(Agreement, Agreement.id == FollowUp.agreement_id)
            .where(Agreement.case_id == case_id),
            select(FollowUp.id)
            .join(Circle, Circle.id == FollowUp.circle_id)
            .where(Circle.case_id == case_id),
        )
    )


def case_conditions(
    status: str | None, open_only: bool, filters: ListFilter | None
) -> list[ColumnElement[bool]]:
    """The conditions of the case list: one status, open ones, and the list's filters."""
    where: list[ColumnElement[bool]] = []
    filters = filters or ListFilter()
    if status or filters.status:
        where.append(Case.status == (status or filters.status))
    if open_only:
        where.append(Case.status != CaseStatus.CLOSED.value)
    if filters.school_year is not None:
        where.append(year_between(Case.referred_on, filters.school_year))
    if filters.incident_type_id is not None:
        where.append(Case.incident_type_id == filters.incident_type_id)
    if filters.school_id is not None:
        where.append(Case.school_id == filters.school_id)
    if filters.person_id is not None:
        where.append(
            Case.id.in_(select(CaseParty.case_id).where(CaseParty.person_id == filters.person_id))
        )
    where.extend(word_matches(word, Case.id, Case.incident_category) for word in filters.words())
    return where


def school_years_between(first: date | None, last: date | None) -> list[int]:
    """The school years from ``first`` to ``last`` (newest first), as their starting years."""
    if first is None or last is None:
        return []
    return list(range(school_year_of(last), school_year_of(first) - 1, -1))


def _allowed_actions(session: Session, viewer: Viewer, status: str) -> frozenset[CaseAction]:
    """What ``viewer`` may do with a case at ``status``: the same rule the operations enforce."""
    closed = status == CaseStatus.CLOSED.value
    allowed = set() if closed else {CaseAction.MOVE}
    # The MOU decides only an officer's part, so only an officer's page reads it.
    if not viewer.is_sro or mou.takes_part_in_discipline(viewer, mou.recorded_in(session)):
        allowed |= {CaseAction.DIVERT, CaseAction.REOPEN if closed else CaseAction.CLOSE}
    return frozenset(allowed)


class CaseQueries:
    """The case list and one case's page, as the person looking may see them."""

    def __init__(self, context: Context | sessionmaker[Session]) -> None:
        self.ctx = as_context(context)

    def incident_type_labels(self) -> list[str]:
        """The names of the school's incident types, in the school's order (for intake)."""
        return [row.label for row in IncidentVocabulary(self.ctx).types()]

    def eligibility_problems(self, case_id: int) -> list[str]:
        return EligibilityService(self.ctx).for_case(case_id).verdict.problems

    def contacts(self, case_id: int) -> list[ContactRow]:
        with self.ctx.read() as session:
            find_case(session, case_id)
            return self._contacts(session, case_id)

    # -- reading -----------------------------------------------------------------------------

    def list_cases(
        self,
        *,
        status: str | None = None,
        open_only: bool = False,
        limit: int = 200,
        offset: int = 0,
        filters: ListFilter | None = None,
    ) -> list[CaseRow]:
        """Cases, newest referral first (the order the list states), narrowed by ``filters``
        and optionally to one status or to open ones."""
        query = (
            select(
                Case.id,
                Case.uuid,
                Case.referred_on,
                Case.referral_source,
                Case.incident_category,
                Case.status,
                Case.closure_reason,
                Case.closed_on,
                Case.diverted_from,
                School.name,
            )
            .outerjoin(School, School.id == Case.school_id)
            .where(*case_conditions(status, open_only, filters))
        )
        query = query.order_by(Case.referred_on.desc(), Case.id.desc()).limit(limit).offset(offset)
        with self.ctx.read() as session:
            rows = session.execute(query).all()
            parties: dict[int, list[tuple[str, str]]] = {}
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
                # The screens put the role in words of their language (ui/cases/common.py).
                parties.setdefault(case_id, []).append((display_name(first, preferred, last), role))
            return [
                CaseRow(
                    r.id,
                    r.uuid,
                    r.referred_on,
                    r.referral_source,
                    r.incident_category,
                    r.status,
                    r.closure_reason,
                    r.closed_on,
                    r.diverted_from,
                    parties=tuple(parties.get(r.id, [])),
                    school=r.name,
                )
                for r in rows
            ]

    def count_cases(
        self,
        *,
        status: str | None = None,
        open_only: bool = False,
        filters: ListFilter | None = None,
    ) -> int:
        query = (
            select(func.count())
            .select_from(Case)
            .where(*case_conditions(status, open_only, filters))
        )
        with self.ctx.read() as session:
            return int(session.scalar(query) or 0)

    def list_choices(self) -> ListChoices:
        """What the list's filters offer: school years with referrals, incident types, schools."""
        with self.ctx.read() as session:
            first, last = session.execute(
                select(func.min(Case.referred_on), func.max(Case.referred_on))
            ).one()
            return ListChoices(
                school_years=school_years_between(first, last),
                incident_types=[
                    (t.id, t.label)
                    for t in session.scalars(
                        select(IncidentType).order_by(IncidentType.position, IncidentType.label)
                    )
                ],
                schools=[(s.id, s.name) for s in list_schools(session)],
            )

    def detail(self, case_id: int) -> CaseDetail:
        with self.ctx.read() as session:
            case, referrer = _page_case(session, case_id)
            return self._detail(session, case, referrer)

    def _detail(
        self, session: Session, case: Case, names: dict[int | None, str] | None = None
    ) -> CaseDetail:
        """The page of ``case``; ``names`` holds its referrer's name when already read."""
        people = session.execute(
            select(
                CaseParty.id,
                CaseParty.role,
                Person.id,
                Person.first_name,
                Person.preferred_name,
                Person.last_name,
                Person.birth_date,
                Person.kind,
            )
            .join(Person, Person.id == CaseParty.person_id)
            .where(CaseParty.case_id == case.id)
            .order_by(CaseParty.id)
        ).all()
        parties = [
            PartyRow(
                pid,
                person_id,
                display_name(first, preferred, last),
                short_name(first, preferred),
                role,
            )
            for pid, role, person_id, first, preferred, last, _born, _kind in people
        ]
        today = date.today()
        minors = any(minor_by(p.birth_date, p.kind, today) for p in people)
        circles = [
            CaseCircleRow(*r)
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
            CaseAgreementRow(*r)
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
        if names is None:
            names = self._names(session, {case.referred_by_id})
        referred_by = names.get(case.referred_by_id)
        viewer = self.ctx.viewer()
        screen = case_screen(session, case, today, minors=minors).for_viewer(viewer)
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
            allowed_actions=_allowed_actions(session, viewer, case.status),
            row_version=case.row_version,
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
                Person.first_name,
                Person.preferred_name,
                Person.last_name,
            )
            .outerjoin(Person, Person.id == FamilyContact.person_id)
            .where(FamilyContact.case_id == case_id)
            .order_by(FamilyContact.contacted_at, FamilyContact.id)
        ).all()
        return [
            ContactRow(
                r.id,
                r.contacted_at,
                r.person_id,
                None
                if r.first_name is None
                else display_name(r.first_name, r.preferred_name, r.last_name),
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
            pid: display_name(first, preferred, last)
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
        find_person(session, person_id)
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
