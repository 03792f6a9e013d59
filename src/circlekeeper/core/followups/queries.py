"""Reading follow-ups: one row per follow-up, with its responsible adult's name.

Every read that depends on the date takes ``today`` from the caller, so the screens and the
tests decide what "today" is (a fixed clock in tests, the school's local date in the app).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.domain.enums import FollowUpStatus
from circlekeeper.core.followups.rows import FollowUpRow
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people.names import display_name
from circlekeeper.core.problems import NotFound
from circlekeeper.core.store.models import FollowUp, Person

# Follow-ups with their responsible adult's names; statements are immutable, so one is shared.
FOLLOW_UP_QUERY = select(
    FollowUp, Person.first_name, Person.preferred_name, Person.last_name
).outerjoin(Person, Person.id == FollowUp.responsible_id)


def follow_up_row(values: Sequence[Any], today: date | None) -> FollowUpRow:
    """A row of :data:`FOLLOW_UP_QUERY` as a :class:`FollowUpRow`, overdue counted from today."""
    follow_up: FollowUp = values[0]
    first: str | None = values[1]
    preferred: str | None = values[2]
    last: str | None = values[3]
    name = display_name(first, preferred, last) if first is not None else None
    overdue = 0
    if today is not None and follow_up.status == FollowUpStatus.OPEN:
        overdue = max(0, (today - follow_up.due_on).days)
    return FollowUpRow(
        id=follow_up.id,
        uuid=follow_up.uuid,
        due_on=follow_up.due_on,
        status=follow_up.status,
        purpose=follow_up.purpose,
        responsible_id=follow_up.responsible_id,
        responsible_name=name,
        case_id=follow_up.case_id,
        circle_id=follow_up.circle_id,
        agreement_id=follow_up.agreement_id,
        agreement_item_id=follow_up.agreement_item_id,
        done_on=follow_up.done_on,
        outcome=follow_up.outcome,
        days_overdue=overdue,
        row_version=follow_up.row_version,
    )


def local_date(moment: datetime, tz: tzinfo | None) -> date:
    """The calendar date of a moment in a time zone (None: this computer's zone)."""
    return moment.astimezone(tz).date()


class FollowUpQueries:
    """Follow-ups due, overdue, or belonging to a case, circle or agreement."""

    def __init__(self, context: Context | sessionmaker[Session]) -> None:
        self.ctx = as_context(context)

    def get(self, follow_up_id: int, *, today: date | None = None) -> FollowUpRow:
        with self.ctx.read() as session:
            return self._fetch(session, follow_up_id, today)

    def due(
        self,
        today: date,
        *,
        responsible_id: int | None = None,
        include_overdue: bool = True,
        limit: int = 500,
    ) -> list[FollowUpRow]:
        """Open follow-ups due today (and, unless told otherwise, those overdue), oldest first."""
        query = FOLLOW_UP_QUERY.where(FollowUp.status == FollowUpStatus.OPEN)
        if include_overdue:
            query = query.where(FollowUp.due_on <= today)
        else:
            query = query.where(FollowUp.due_on == today)
        if responsible_id is not None:
            query = query.where(FollowUp.responsible_id == responsible_id)
        query = query.order_by(FollowUp.due_on, FollowUp.id).limit(limit)
        with self.ctx.read() as session:
            return [follow_up_row(r, today) for r in session.execute(query)]

    def overdue(self, today: date, *, limit: int = 500) -> list[FollowUpRow]:
        return [f for f in self.due(today, limit=limit) if f.overdue]

    def for_links(
        self,
        *,
        today: date,
        case_id: int | None = None,
        circle_id: int | None = None,
        agreement_id: int | None = None,
        statuses: Iterable[str] | None = None,
    ) -> list[FollowUpRow]:
        """Follow-ups of a case, circle or agreement, by due date."""
        query = FOLLOW_UP_QUERY
        if case_id is not None:
            query = query.where(FollowUp.case_id == case_id)
        if circle_id is not None:
            query = query.where(FollowUp.circle_id == circle_id)
        if agreement_id is not None:
            query = query.where(FollowUp.agreement_id == agreement_id)
        if statuses is not None:
            query = query.where(FollowUp.status.in_(list(statuses)))
        with self.ctx.read() as session:
            rows = session.execute(query.order_by(FollowUp.due_on, FollowUp.id))
            return [follow_up_row(r, today) for r in rows]

    @staticmethod
    def _get(session: Session, follow_up_id: int) -> FollowUp:
        follow_up = session.get(FollowUp, follow_up_id)
        if follow_up is None:
            raise NotFound(_("That follow-up no longer exists."))
        return follow_up

    @staticmethod
    def _fetch(session: Session, follow_up_id: int, today: date | None) -> FollowUpRow:
        row = session.execute(FOLLOW_UP_QUERY.where(FollowUp.id == follow_up_id)).first()
        if row is None:
            raise NotFound(_("That follow-up no longer exists."))
        return follow_up_row(row, today)
