"""Today's slipping agreements: the most urgent first, and how many more there are.

An agreement in force is slipping when one of its items is past due and not completed, or when
its follow-up date has passed and no follow-up of the agreement itself (one not tied to an item)
is done. The most urgent is the one whose oldest overdue item fell due first, or, with no
overdue item, whose follow-up date passed first; ties go by id.

Testing every agreement in force at every build cost most of Today on a district's ten years
(3,466 active agreements on the large demo, four correlated subqueries each). The page is read
instead as two streams in urgency order, each stopped once it holds a page:

- open items past due, in due-date order (``ix_agreement_item_open_due``, migration
  ``0021_open_items_by_due_date``), of agreements in force: an agreement's first item in that
  order is its oldest overdue one, so the first distinct agreements met are the most urgent of
  those with an overdue item. Closed agreements keep their undone items open, so the stream
  reads no further than ``ITEMS_READ_AT_MOST`` entries; when those hold no full page (years
  of closed agreements ahead of this month's), or when there are few agreements in force, the
  agreements in force are ranked by their oldest overdue item instead: a cost that follows
  how many are in force, not how many years are kept;
- agreements in force whose follow-up date has passed, in date order
  (``ix_agreement_status_follow_up_on``), with no overdue item and no follow-up done: the rest,
  read only up to the first stream's last date when that filled the page.

The two never hold the same agreement; merged in urgency order, their first ``limit`` are the
page. Past the page, the count stops at ``AT_RISK_COUNT_LIMIT``: a home screen says "more than
1,000" rather than read every slipping agreement to give a figure nobody acts on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import Integer, Select, and_, bindparam, exists, func, literal, select, tuple_
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from circlekeeper.core.domain.enums import AgreementStatus, FollowUpStatus
from circlekeeper.core.i18n import _
from circlekeeper.core.store.models import Agreement, AgreementItem, FollowUp

# How far "N more" is counted; past it the screen says only "more than" (as the people search).
AT_RISK_COUNT_LIMIT = 1000
# Overdue items read by the first stream's first step, per agreement wanted (a page's
# agreements have one or two each on the large demo); each later step reads twice as many.
ITEMS_PER_AGREEMENT = 2
# How far into the open overdue items the first stream reads before it leaves the page to the
# agreements in force (the large demo's first 50 active agreements are met 415 entries in).
ITEMS_READ_AT_MOST = 1000
# With no more agreements in force than this, ranking them all (about 1.2 microseconds each on
# SQLite) costs no more than that reading would if it came up short (about 0.7 ms).
RANKED_UP_TO = 600


@dataclass(frozen=True)
class AgreementAtRisk:
    """An agreement in force that is slipping, and why, in plain words."""

    id: int
    case_id: int | None
    circle_id: int | None
    harm_summary: str
    overdue_items: int
    oldest_due_on: date | None  # the earliest due date among overdue items
    follow_up_on: date | None
    reasons: list[str]


@dataclass(frozen=True)
class AtRisk:
    """The most urgent slipping agreements, and how many more there are than the page holds."""

    page: list[AgreementAtRisk]
    more: int  # exact, unless ``capped``
    capped: bool = False  # the count stopped at AT_RISK_COUNT_LIMIT: there are more than that


TODAY = bindparam("today", type_=Agreement.follow_up_on.type)
IN_FORCE = Agreement.status == AgreementStatus.ACTIVE
OPEN_AND_LATE = and_(AgreementItem.completed_on.is_(None), AgreementItem.due_on < TODAY)
OVERDUE_ITEM = exists().where(AgreementItem.agreement_id == Agreement.id, OPEN_AND_LATE)
FOLLOW_UP_DONE = exists().where(
    FollowUp.agreement_id == Agreement.id,
    FollowUp.agreement_item_id.is_(None),
    FollowUp.status == FollowUpStatus.DONE,
)
FOLLOW_UP_PASSED = and_(Agreement.follow_up_on < TODAY, ~FOLLOW_UP_DONE)

# The first stream: open overdue items of agreements in force, in due-date order. Tested with
# EXISTS, not a join, so SQLite walks the items' index in order and looks each agreement up by
# key (given a join, it starts from the agreements and sorts every overdue item). It reads no
# further than the day of the open overdue item ITEMS_READ_AT_MOST entries into the index (with
# fewer, yesterday). Each bound is a plain date range on ``due_on``: SQLite ends and starts an
# index range at those, never at a row value (it would test every entry to the end).
_EDGE = (
    select(AgreementItem.due_on)
    .where(OPEN_AND_LATE)
    .order_by(AgreementItem.due_on, AgreementItem.agreement_id)
    .limit(1)
    .offset(bindparam("skip", type_=Integer))
)
_LAST_DAY = bindparam("last_day", type_=AgreementItem.due_on.type)
_LATE_ITEMS = (
    select(AgreementItem.due_on, AgreementItem.agreement_id)
    .where(
        AgreementItem.completed_on.is_(None),
        AgreementItem.due_on <= _LAST_DAY,
        exists().where(Agreement.id == AgreementItem.agreement_id, IN_FORCE),
    )
    .order_by(AgreementItem.due_on, AgreementItem.agreement_id)
    .limit(bindparam("rows", type_=Integer))
)
# The next step starts after the last (due date, agreement) read: an item of the same date and
# agreement cut off by the step's end belongs to an agreement already met.
_AFTER_DAY = bindparam("after_due", type_=AgreementItem.due_on.type)
_LATE_ITEMS_AFTER = _LATE_ITEMS.where(
    AgreementItem.due_on >= _AFTER_DAY,
    tuple_(AgreementItem.due_on, AgreementItem.agreement_id)
    > tuple_(_AFTER_DAY, bindparam("after_id", type_=Integer)),
)
# When the open items of closed agreements fill the index ahead of the active ones' (a school
# that closes old agreements leaves their undone items open, years of them before this month's),
# or when there are few agreements in force, the same page comes from the agreements in force
# instead: each one's oldest overdue item (one probe of ix_agreement_item_agreement_due each),
# all of them ranked, and how many have one. That costs what the number of agreements in force
# costs, however many years of closed ones are kept.
_RANKED = (
    select(
        func.min(AgreementItem.due_on).label("oldest"),
        AgreementItem.agreement_id,
        func.count().over(),
    )
    .join(Agreement, Agreement.id == AgreementItem.agreement_id)
    .where(IN_FORCE, OPEN_AND_LATE)
    .group_by(AgreementItem.agreement_id)
    .order_by("oldest", AgreementItem.agreement_id)
    .limit(bindparam("rows", type_=Integer))
)
# The second stream: a passed follow-up date and nothing overdue, in date order; up to a bound
# (the first stream's last urgency) when the first stream filled the page.
_PASSED_ONLY = and_(IN_FORCE, Agreement.follow_up_on < TODAY, ~OVERDUE_ITEM, ~FOLLOW_UP_DONE)
_PASSED = (
    select(Agreement.follow_up_on, Agreement.id)
    .where(_PASSED_ONLY)
    .order_by(Agreement.follow_up_on, Agreement.id)
    .limit(bindparam("rows", type_=Integer))
)
_PASSED_UP_TO = _PASSED.where(
    Agreement.follow_up_on <= bindparam("bound", type_=Agreement.follow_up_on.type)
)
_DETAILS = select(
    Agreement.id,
    Agreement.case_id,
    Agreement.circle_id,
    Agreement.harm_summary,
    select(func.count(AgreementItem.id))
    .where(AgreementItem.agreement_id == Agreement.id, OPEN_AND_LATE)
    .scalar_subquery(),
    select(func.min(AgreementItem.due_on))
    .where(AgreementItem.agreement_id == Agreement.id, OPEN_AND_LATE)
    .scalar_subquery(),
    Agreement.follow_up_on,
    FOLLOW_UP_PASSED,
).where(Agreement.id.in_(bindparam("ids", expanding=True)))


def _counted(condition: Any) -> Select[Any]:
    """How many agreements meet ``condition``, counting no further than ``rows``."""
    found = select(literal(1)).where(condition).limit(bindparam("rows", type_=Integer))
    return select(func.count()).select_from(found.subquery())


# Counted apart, the cheap test first: the covering probe of an agreement's overdue items.
_COUNT_LATE = _counted(and_(IN_FORCE, OVERDUE_ITEM))
_COUNT_PASSED_ONLY = _counted(_PASSED_ONLY)
_COUNT_IN_FORCE = _counted(IN_FORCE)


@dataclass(frozen=True)
class _Late:
    """The most urgent agreements with an overdue item, and how many there are if known."""

    firsts: list[tuple[date, int]]  # (oldest overdue due date, id), most urgent first
    total: int | None  # every agreement in force with an overdue item; None: not counted


def agreements_at_risk(session: Session, today: date, limit: int) -> AtRisk:
    """The ``limit`` most urgent slipping agreements and how many more there are."""
    # Core statements on the session's connection: no ORM entity is loaded, and the ORM's
    # execution layer cost more than these statements' own work.
    connection = session.connection()
    late = _late_agreements(connection, today, limit)
    if len(late.firsts) == limit:
        bound = late.firsts[-1][0]
        passed = connection.execute(
            _PASSED_UP_TO, {"today": today, "rows": limit, "bound": bound}
        ).all()
        every_passed = False
    else:
        passed = connection.execute(_PASSED, {"today": today, "rows": limit}).all()
        every_passed = len(passed) < limit  # unbounded, and it held fewer than it could
    urgent = sorted([*late.firsts, *((since, int(i)) for since, i in passed)])[:limit]
    page = _details(connection, today, [agreement_id for _since, agreement_id in urgent])
    cap = AT_RISK_COUNT_LIMIT
    total = late.total
    if total is None:
        total = int(connection.scalar(_COUNT_LATE, {"today": today, "rows": cap + 1}) or 0)
    if total <= cap:
        if every_passed:
            total += len(passed)
        else:
            rows = cap + 1 - total
            total += int(connection.scalar(_COUNT_PASSED_ONLY, {"today": today, "rows": rows}) or 0)
    if total > cap:
        return AtRisk(page, cap - len(page), capped=True)
    return AtRisk(page, total - len(page))


def _late_agreements(connection: Connection, today: date, limit: int) -> _Late:
    """The ``limit`` agreements whose oldest overdue item is oldest: the first stream."""
    in_force = int(connection.scalar(_COUNT_IN_FORCE, {"rows": RANKED_UP_TO + 1}) or 0)
    if in_force <= RANKED_UP_TO:
        return _ranked(connection, today, limit)
    edge = connection.scalar(_EDGE, {"today": today, "skip": ITEMS_READ_AT_MOST})
    bounds = {"last_day": today - timedelta(days=1) if edge is None else edge}
    oldest: dict[int, date] = {}
    step = limit * ITEMS_PER_AGREEMENT
    rows = connection.execute(_LATE_ITEMS, {**bounds, "rows": step}).all()
    while True:
        for due_on, agreement_id in rows:
            # The first item met of each agreement is its oldest overdue one (past due: dated).
            oldest.setdefault(int(agreement_id), cast(date, due_on))
            if len(oldest) == limit:
                return _Late([(due, i) for i, due in oldest.items()], None)
        if len(rows) < step:
            break
        last_due, last_id = rows[-1]
        step *= 2
        rows = connection.execute(
            _LATE_ITEMS_AFTER,
            {**bounds, "rows": step, "after_due": last_due, "after_id": last_id},
        ).all()
    if edge is None:
        # The stream read every open overdue item: these are all there are.
        return _Late([(due, i) for i, due in oldest.items()], len(oldest))
    return _ranked(connection, today, limit)


def _ranked(connection: Connection, today: date, limit: int) -> _Late:
    rows = connection.execute(_RANKED, {"today": today, "rows": limit}).all()
    return _Late(
        [(cast(date, due), int(agreement_id)) for due, agreement_id, _total in rows],
        int(rows[0][2]) if rows else 0,
    )


def _details(connection: Connection, today: date, ids: list[int]) -> list[AgreementAtRisk]:
    """The page's agreements with their reasons, most urgent first."""
    if not ids:
        return []
    result = []
    for (
        agreement_id,
        case_id,
        circle_id,
        harm,
        count,
        oldest_due,
        follow_on,
        passed,
    ) in connection.execute(_DETAILS, {"today": today, "ids": ids}):
        reasons = []
        if count:
            days = (today - oldest_due).days if oldest_due else 0
            reasons.append(_overdue_items_text(int(count), days))
        if passed and follow_on is not None:
            reasons.append(
                _(
                    "The follow-up date {day} has passed with no follow-up done.",
                    day=follow_on.isoformat(),
                )
            )
        result.append(
            AgreementAtRisk(
                agreement_id,
                case_id,
                circle_id,
                harm,
                int(count or 0),
                oldest_due,
                follow_on,
                reasons,
            )
        )
    result.sort(key=lambda a: (a.oldest_due_on or a.follow_up_on or today, a.id))
    return result


def _overdue_items_text(count: int, days: int) -> str:
    """'1 item is overdue (the oldest by 1 day).', with English and Spanish plurals right."""
    if count == 1:
        if days == 1:
            return _("1 item is overdue (by 1 day).")
        return _("1 item is overdue (by {days} days).", days=days)
    if days == 1:
        return _("{count} items are overdue (the oldest by 1 day).", count=count)
    return _("{count} items are overdue (the oldest by {days} days).", count=count, days=days)
