"""The list of agreements an administrator watches, read in a handful of set-based queries.

Building each line from a full agreement view costs several queries per agreement, which on a
district's database (tens of thousands of agreements) kept the window from opening for minutes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.agreements.rows import AgreementSummary, summary_of
from circlekeeper.core.cases.list_filter import (
    ListFilter,
    people_named,
    word_matches,
    year_between,
)
from circlekeeper.core.domain.enums import AgreementStatus, Role
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people.names import display_name
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    Case,
    CaseParty,
    Circle,
    Participant,
    Person,
)

PARTY_ROLES = (Role.HARMED.value, Role.RESPONSIBLE.value, Role.HARMED_AND_RESPONSIBLE.value)


@dataclass(frozen=True)
class AgreementLine:
    """One agreement as the list shows it."""

    summary: AgreementSummary
    circle_title: str | None
    parties: str
    done: int
    total: int
    overdue: int
    open_due: int
    follow_up_on: date | None


@dataclass(frozen=True)
class AgreementList:
    lines: list[AgreementLine]
    total: int  # how many agreements match, of which ``lines`` holds the newest


def agreement_conditions(
    include_superseded: bool, filters: ListFilter | None
) -> list[ColumnElement[bool]]:
    """The list's conditions, on agreements joined to their circle and their case (the
    agreement's own case, else its circle's): see :data:`CASE_OF`."""
    filters = filters or ListFilter()
    where: list[ColumnElement[bool]] = []
    if not include_superseded and filters.status != AgreementStatus.SUPERSEDED.value:
        where.append(Agreement.status != AgreementStatus.SUPERSEDED.value)
    if filters.status:
        where.append(Agreement.status == filters.status)
    if filters.school_year is not None:
        where.append(year_between(func.coalesce(Agreement.agreed_on, Case.referred_on),
                                  filters.school_year))  # fmt: skip
    if filters.incident_type_id is not None:
        where.append(Case.incident_type_id == filters.incident_type_id)
    if filters.school_id is not None:
        where.append(func.coalesce(Case.school_id, Circle.school_id) == filters.school_id)
    if filters.person_id is not None:
        where.append(
            or_(
                CASE_OF.in_(
                    select(CaseParty.case_id).where(CaseParty.person_id == filters.person_id)
                ),
                Agreement.circle_id.in_(
                    select(Participant.circle_id).where(Participant.person_id == filters.person_id)
                ),
            )
        )
    for word in filters.words():
        # An agreement with a case is found by its case's people (read through the case
        # party index); only circles whose agreements have no case are searched by their
        # parties, which keeps a district's 1.7 million seats out of the search.
        in_circle = select(Participant.circle_id).where(
            Participant.circle_id.in_(
                select(Agreement.circle_id).where(Agreement.case_id.is_(None))
            ),
            Participant.person_id.in_(people_named(word)),
            Participant.role.in_(PARTY_ROLES),
        )
        where.append(
            or_(
                word_matches(word, CASE_OF, Case.incident_category, Circle.title),
                Agreement.circle_id.in_(in_circle),
            )
        )
    return where


# The case an agreement belongs to: its own, else the one its circle was held for.
CASE_OF = func.coalesce(Agreement.case_id, Circle.case_id)


def _joined(query: Any) -> Any:
    return query.outerjoin(Circle, Circle.id == Agreement.circle_id).outerjoin(
        Case, Case.id == CASE_OF
    )


def agreement_lines(
    context: Context | sessionmaker[Session],
    today: date,
    *,
    include_superseded: bool = False,
    limit: int = 500,
    filters: ListFilter | None = None,
) -> AgreementList:
    """The newest agreements first (the order the list states), with parties, item progress
    and what is overdue, narrowed by ``filters``."""
    where = agreement_conditions(include_superseded, filters)
    with as_context(context).read() as session:
        total = int(
            session.scalar(_joined(select(func.count()).select_from(Agreement)).where(*where)) or 0
        )
        rows = session.execute(
            _joined(select(Agreement, Circle.title))
            .where(*where)
            .order_by(Agreement.id.desc())
            .limit(limit)
        ).all()
        ids = [a.id for a, _ in rows]
        open_item = AgreementItem.completed_on.is_(None)
        counts = {
            agreement_id: (int(n), int(done or 0), int(overdue or 0), int(due or 0))
            for agreement_id, n, done, overdue, due in session.execute(
                select(
                    AgreementItem.agreement_id,
                    func.count(),
                    func.sum(case((AgreementItem.completed_on.is_not(None), 1), else_=0)),
                    func.sum(case((and_(open_item, AgreementItem.due_on < today), 1), else_=0)),
                    func.sum(case((and_(open_item, AgreementItem.due_on >= today), 1), else_=0)),
                )
                .where(AgreementItem.agreement_id.in_(ids))
                .group_by(AgreementItem.agreement_id)
            )
        }
        circle_ids = {a.circle_id for a, _ in rows if a.circle_id is not None}
        case_ids = {a.case_id for a, _ in rows if a.circle_id is None and a.case_id is not None}
        names = _Names(session)
        by_circle = names.grouped(
            select(Participant.circle_id, *names.columns)
            .join(Person, Person.id == Participant.person_id)
            .where(Participant.circle_id.in_(circle_ids), Participant.role.in_(PARTY_ROLES))
            .order_by(Participant.circle_id, Participant.seat_position)
        )
        by_case = names.grouped(
            select(CaseParty.case_id, *names.columns)
            .join(Person, Person.id == CaseParty.person_id)
            .where(CaseParty.case_id.in_(case_ids), CaseParty.role.in_(PARTY_ROLES))
            .order_by(CaseParty.case_id, CaseParty.id)
        )
    lines = []
    for agreement, title in rows:
        n, done, overdue, due = counts.get(agreement.id, (0, 0, 0, 0))
        if agreement.circle_id is not None:
            parties = by_circle.get(agreement.circle_id, [])
        else:
            parties = by_case.get(agreement.case_id or -1, [])
        summary = summary_of(agreement, n)
        lines.append(
            AgreementLine(
                summary, title, ", ".join(parties), done, n, overdue, due, agreement.follow_up_on
            )
        )
    return AgreementList(lines, total)


class _Names:
    """Display names (preferred name first) grouped by the record they belong to."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.columns = (Person.preferred_name, Person.first_name, Person.last_name)

    def grouped(self, query: Any) -> dict[int, list[str]]:  # a Select of (key, 3 names)
        grouped: dict[int, list[str]] = defaultdict(list)
        for key, preferred, first, last in self.session.execute(query):
            grouped[key].append(display_name(first, preferred, last))
        return grouped
