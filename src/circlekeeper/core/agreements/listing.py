"""The list of agreements an administrator watches, read in a handful of set-based queries.

Building each line from a full agreement view costs several queries per agreement, which on a
district's database (tens of thousands of agreements) kept the window from opening for minutes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.agreements.rows import AgreementSummary, summary_of
from circlekeeper.core.domain.enums import AgreementStatus, Role
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people.names import display_name
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
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


def agreement_lines(
    context: Context | sessionmaker[Session],
    today: date,
    *,
    include_superseded: bool = False,
    limit: int = 500,
) -> AgreementList:
    """The newest agreements first, with parties, item progress and what is overdue."""
    where = [] if include_superseded else [Agreement.status != AgreementStatus.SUPERSEDED.value]
    with as_context(context).read() as session:
        total = int(session.scalar(select(func.count()).select_from(Agreement).where(*where)) or 0)
        rows = session.execute(
            select(Agreement, Circle.title)
            .outerjoin(Circle, Circle.id == Agreement.circle_id)
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
