"""The Today screen's contents, and one student's history.

"Today" is the local day of ``now``: the caller passes an aware ``now`` in the school's time zone
(the app passes the computer's local time; tests pass a fixed clock), and circles are counted as
today's when their start falls between local midnight and the next local midnight in that zone.
A ``ZoneInfo`` zone gets daylight-saving days right; a fixed offset is right except on those days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.domain.enums import CircleStatus, FollowUpStatus
from circlekeeper.core.followups.lapsed import lapse_cutoff
from circlekeeper.core.followups.queries import FOLLOW_UP_QUERY, follow_up_row
from circlekeeper.core.followups.rows import FollowUpRow
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.problems import NotFound
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    Case,
    CaseParty,
    Circle,
    FollowUp,
    Participant,
    Person,
    Signature,
)
from circlekeeper.core.today.at_risk import AgreementAtRisk, agreements_at_risk


@dataclass(frozen=True)
class TodayCircle:
    """A circle on the Today screen; ``scheduled_at`` is in the caller's time zone."""

    id: int
    uuid: str
    kind: str
    title: str
    status: str
    scheduled_at: datetime
    planned_minutes: int | None
    location: str | None
    case_id: int | None


@dataclass(frozen=True)
class TodayView:
    today: date
    circles: list[TodayCircle]  # scheduled today (not cancelled), by time
    due_today: list[FollowUpRow]
    overdue: list[FollowUpRow]  # most overdue first
    at_risk: list[AgreementAtRisk]
    next_circle: TodayCircle | None  # the next planned circle today or later: "Start" opens it
    in_progress: TodayCircle | None  # a circle left running (a crash, a closed lid): "Resume"
    # How many more overdue follow-ups and slipping agreements there are than the lists hold
    # (each holds at most TODAY_LIMIT, the most urgent first).
    more_overdue: int = 0
    more_at_risk: int = 0
    # The slipping agreements' count stops at AT_RISK_COUNT_LIMIT: when it did, there are more
    # than ``more_at_risk`` besides the list, and a screen must not give a figure.
    more_at_risk_capped: bool = False
    # Open follow-ups more than LAPSE_AFTER_DAYS overdue: not in ``overdue``, counted on one
    # line that opens their review (closing the chosen ones as lapsed).
    long_overdue: int = 0


# A district's ten years leave thousands of overdue follow-ups and slipping agreements; a home
# screen shows the most urgent and counts the rest (counting inside an index is cheap).
TODAY_LIMIT = 50


def _day_bounds(today: date, tz: tzinfo) -> tuple[datetime, datetime]:
    return (
        datetime.combine(today, time(), tzinfo=tz),
        datetime.combine(today + timedelta(days=1), time(), tzinfo=tz),
    )


# Only the columns a Today line needs: a circle's row also holds its script snapshot, live
# state and summary, long texts that loading whole circles read (and typed) for nothing.
_CIRCLE_COLUMNS = (
    Circle.id,
    Circle.uuid,
    Circle.kind,
    Circle.title,
    Circle.status,
    Circle.scheduled_at,
    Circle.planned_minutes,
    Circle.location,
    Circle.case_id,
)


def _circle(row: Row[*tuple[Any, ...]], tz: tzinfo) -> TodayCircle:
    assert row.scheduled_at is not None
    return TodayCircle(
        id=row.id,
        uuid=row.uuid,
        kind=row.kind,
        title=row.title,
        status=row.status,
        scheduled_at=row.scheduled_at.astimezone(tz),
        planned_minutes=row.planned_minutes,
        location=row.location,
        case_id=row.case_id,
    )


def today_view(context: Context | sessionmaker[Session], today: date, now: datetime) -> TodayView:
    """What a counselor needs at a glance on ``today`` (the local date of ``now``)."""
    tz = now.tzinfo
    if tz is None or now.utcoffset() is None:
        raise ValueError("now must be time-zone aware: the Today view is about a local day")
    start, end = _day_bounds(today, tz)
    with as_context(context).read() as session:
        circles = [
            _circle(c, tz)
            for c in session.execute(
                select(*_CIRCLE_COLUMNS)
                .where(
                    Circle.scheduled_at >= start,
                    Circle.scheduled_at < end,
                    Circle.status != CircleStatus.CANCELLED,
                )
                .order_by(Circle.scheduled_at, Circle.id)
            )
        ]
        next_row = session.execute(
            select(*_CIRCLE_COLUMNS)
            .where(Circle.status == CircleStatus.PLANNED, Circle.scheduled_at >= start)
            .order_by(Circle.scheduled_at, Circle.id)
            .limit(1)
        ).first()
        running = session.execute(
            select(*_CIRCLE_COLUMNS)
            .where(Circle.status == CircleStatus.IN_PROGRESS, Circle.scheduled_at.is_not(None))
            .order_by(Circle.started_at.desc(), Circle.id.desc())
            .limit(1)
        ).first()
        is_open = FollowUp.status == FollowUpStatus.OPEN
        cutoff = lapse_cutoff(today)
        recent = and_(FollowUp.due_on >= cutoff, FollowUp.due_on < today)
        overdue = [
            follow_up_row(r, today)
            for r in session.execute(
                FOLLOW_UP_QUERY.where(is_open, recent)
                .order_by(FollowUp.due_on, FollowUp.id)
                .limit(TODAY_LIMIT)
            )
        ]
        overdue_total = len(overdue)
        if overdue_total == TODAY_LIMIT:
            overdue_total = int(session.scalar(select(func.count()).where(is_open, recent)) or 0)
        # Counted inside ix_follow_up_status_due_on: a range of one index, however many.
        long_overdue = int(
            session.scalar(select(func.count()).where(is_open, FollowUp.due_on < cutoff)) or 0
        )
        due_today = [
            follow_up_row(r, today)
            for r in session.execute(
                FOLLOW_UP_QUERY.where(is_open, FollowUp.due_on == today).order_by(FollowUp.id)
            )
        ]
        at_risk = agreements_at_risk(session, today, TODAY_LIMIT)
        return TodayView(
            today=today,
            circles=circles,
            due_today=due_today,
            overdue=overdue,
            at_risk=at_risk.page,
            next_circle=_circle(next_row, tz) if next_row is not None else None,
            in_progress=_circle(running, tz) if running is not None else None,
            more_overdue=overdue_total - len(overdue),
            more_at_risk=at_risk.more,
            more_at_risk_capped=at_risk.capped,
            long_overdue=long_overdue,
        )


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a student's history; ``on`` is the date it sorts by."""

    on: date
    kind: str  # "case", "circle", "agreement" or "follow_up"
    id: int
    title: str
    status: str
    role: str | None = None  # the person's role, where they had one
    case_id: int | None = None


_KIND_ORDER = {"case": 0, "circle": 1, "agreement": 2, "follow_up": 3}


def student_history(
    context: Context | sessionmaker[Session], person_id: int, *, tz: tzinfo | None = None
) -> list[HistoryEntry]:
    """Every case, circle, agreement and follow-up one person took part in, in date order.

    Circles are dated by their local date in ``tz`` (None: this computer's zone); agreements by
    the day they were made (or created, for drafts); follow-ups by their due date.
    """
    entries: list[HistoryEntry] = []
    with as_context(context).read() as session:
        if session.get(Person, person_id) is None:
            raise NotFound(
                _(
                    "There is no person with id {person_id} in this database.",
                    person_id=person_id,
                )
            )
        case_roles: dict[int, str] = {}
        for case, role in session.execute(
            select(Case, CaseParty.role)
            .join(CaseParty, CaseParty.case_id == Case.id)
            .where(CaseParty.person_id == person_id)
        ):
            case_roles[case.id] = role
            title = case.incident_category + (f" at {case.location}" if case.location else "")
            entries.append(
                HistoryEntry(case.referred_on, "case", case.id, title, case.status, role, case.id)
            )
        circle_roles: dict[int, str] = {}
        # Only the columns a history line needs: a circle row also holds its script snapshot
        # and live state, which are large and parsed on load.
        for circle in session.execute(
            select(
                Circle.id,
                Circle.title,
                Circle.kind,
                Circle.status,
                Circle.case_id,
                Circle.started_at,
                Circle.scheduled_at,
                Circle.created_at,
                Participant.role,
            )
            .join(Participant, Participant.circle_id == Circle.id)
            .where(Participant.person_id == person_id)
        ):
            role = circle.role
            circle_roles[circle.id] = role
            moment = circle.started_at or circle.scheduled_at or circle.created_at
            title = circle.title or circle.kind.replace("_", " ").capitalize()
            entries.append(
                HistoryEntry(
                    moment.astimezone(tz).date(),
                    "circle",
                    circle.id,
                    title,
                    circle.status,
                    role,
                    circle.case_id,
                )
            )
        agreements = session.scalars(
            select(Agreement).where(
                or_(
                    Agreement.case_id.in_(list(case_roles)),
                    Agreement.circle_id.in_(list(circle_roles)),
                    Agreement.id.in_(
                        select(AgreementItem.agreement_id).where(
                            AgreementItem.responsible_id == person_id
                        )
                    ),
                    Agreement.id.in_(
                        select(Signature.agreement_id).where(Signature.person_id == person_id)
                    ),
                )
            )
        ).all()
        for agreement in agreements:
            on = agreement.agreed_on or agreement.created_at.astimezone(tz).date()
            entries.append(
                HistoryEntry(
                    on,
                    "agreement",
                    agreement.id,
                    f"Repair agreement (version {agreement.version})",
                    agreement.status,
                    None,
                    agreement.case_id,
                )
            )
        agreement_ids = [a.id for a in agreements]
        for follow_up in session.scalars(
            select(FollowUp).where(
                or_(
                    FollowUp.case_id.in_(list(case_roles)),
                    FollowUp.agreement_id.in_(agreement_ids),
                    FollowUp.circle_id.in_(list(circle_roles)),
                )
            )
        ):
            entries.append(
                HistoryEntry(
                    follow_up.due_on,
                    "follow_up",
                    follow_up.id,
                    follow_up.purpose or "Follow-up",
                    follow_up.status,
                    None,
                    follow_up.case_id,
                )
            )
    entries.sort(key=lambda e: (e.on, _KIND_ORDER[e.kind], e.id))
    return entries
