"""Scheduled circles and open follow-ups as an iCalendar (.ics) file for Outlook or Google Calendar.

Calendars sync to phones and to cloud services outside the school's records, and show their
titles on lock screens. So an event's summary holds only the circle's title or kind and at most
the first names of the students involved, never family names, incident details, note text or a
follow-up's free-text purpose (staff may write anything there); the details stay in circlekeeper.

Events carry stable UIDs made from the records' uuids, so importing the file again updates events
instead of duplicating them. Times are written in UTC ("...Z"), which every calendar program reads
the same way and shows in its own zone; follow-ups are all-day events on their due date.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.domain.enums import CircleKind, CircleStatus, FollowUpStatus, Role
from circlekeeper.core.services import InvalidInput
from circlekeeper.core.store.models import (
    Agreement,
    CaseParty,
    Circle,
    FollowUp,
    Participant,
    Person,
)

PRODID = "-//circlekeeper//circlekeeper calendar export//EN"
UID_DOMAIN = "circlekeeper"
DEFAULT_MINUTES = 60
# The people a summary may name by first name: the students at the centre of a circle or case.
_NAMED_ROLES = (Role.HARMED, Role.RESPONSIBLE, Role.HARMED_AND_RESPONSIBLE)
_MAX_NAMES = 3


@dataclass(frozen=True)
class CalendarExport:
    path: Path
    circles: int
    follow_ups: int


def _kind_label(kind: str) -> str:
    try:
        CircleKind(kind)
    except ValueError:
        return "Circle"
    if kind == CircleKind.CONFERENCE:
        return "Restorative conference"
    return kind.replace("_", " ").capitalize() + (" circle" if "meeting" not in kind else "")


def _names(first_names: list[str]) -> str:
    unique = list(dict.fromkeys(first_names))
    if len(unique) > _MAX_NAMES:
        return ", ".join(unique[:_MAX_NAMES]) + f" +{len(unique) - _MAX_NAMES}"
    return ", ".join(unique)


def build_calendar(
    sessions: sessionmaker[Session], *, start: date | None = None, tz: tzinfo | None = None
) -> tuple[bytes, int, int]:
    """The .ics bytes of planned circles and open follow-ups, from ``start`` on (all if None).

    ``start`` is a local date in ``tz`` (None: this computer's zone). Returns the bytes and the
    number of circles and follow-ups written.
    """
    from icalendar import Calendar, Event  # imported only when exporting

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "circlekeeper")
    with sessions() as session:
        circles = _circles(session, start, tz)
        for circle, names in circles:
            assert circle.scheduled_at is not None
            begins = circle.scheduled_at.astimezone(UTC)
            event = Event()
            event.add("uid", f"circle-{circle.uuid}@{UID_DOMAIN}")
            event.add("dtstamp", circle.updated_at.astimezone(UTC))
            event.add("dtstart", begins)
            event.add(
                "dtend", begins + timedelta(minutes=circle.planned_minutes or DEFAULT_MINUTES)
            )
            title = " ".join(circle.title.split()) or _kind_label(circle.kind)
            event.add("summary", f"{title}: {names}" if names else title)
            if circle.location:
                event.add("location", circle.location)
            event.add("status", "CONFIRMED")
            event.add("categories", ["circlekeeper"])
            event.add("description", "Details are in circlekeeper.")
            calendar.add_component(event)
        follow_ups = _follow_ups(session, start)
        for follow_up, names in follow_ups:
            event = Event()
            event.add("uid", f"follow-up-{follow_up.uuid}@{UID_DOMAIN}")
            event.add("dtstamp", follow_up.updated_at.astimezone(UTC))
            event.add("dtstart", follow_up.due_on)
            event.add("dtend", follow_up.due_on + timedelta(days=1))
            event.add("summary", f"Follow-up: {names}" if names else "Follow-up")
            event.add("transp", "TRANSPARENT")  # a reminder for the day, not a busy slot
            event.add("categories", ["circlekeeper"])
            event.add("description", "Details are in circlekeeper.")
            calendar.add_component(event)
    return calendar.to_ical(), len(circles), len(follow_ups)


def _circles(session: Session, start: date | None, tz: tzinfo | None) -> list[tuple[Circle, str]]:
    query = select(Circle).where(
        Circle.status == CircleStatus.PLANNED, Circle.scheduled_at.is_not(None)
    )
    if start is not None:
        naive = datetime.combine(start, time())
        local_midnight = naive.astimezone() if tz is None else naive.replace(tzinfo=tz)
        query = query.where(Circle.scheduled_at >= local_midnight)
    circles = list(session.scalars(query.order_by(Circle.scheduled_at, Circle.id)))
    names: dict[int, list[str]] = {}
    for circle_id, first, preferred in session.execute(
        select(Participant.circle_id, Person.first_name, Person.preferred_name)
        .join(Person, Person.id == Participant.person_id)
        .where(
            Participant.circle_id.in_([c.id for c in circles]),
            Participant.role.in_(_NAMED_ROLES),
        )
        .order_by(Participant.seat_position, Participant.id)
    ):
        names.setdefault(circle_id, []).append(preferred or first)
    return [(c, _names(names.get(c.id, []))) for c in circles]


def _follow_ups(session: Session, start: date | None) -> list[tuple[FollowUp, str]]:
    query = select(FollowUp).where(FollowUp.status == FollowUpStatus.OPEN)
    if start is not None:
        query = query.where(FollowUp.due_on >= start)
    follow_ups = list(session.scalars(query.order_by(FollowUp.due_on, FollowUp.id)))
    case_ids = {f.case_id for f in follow_ups if f.case_id is not None}
    agreement_cases: dict[int, int | None] = {
        agreement_id: case_id
        for agreement_id, case_id in session.execute(
            select(Agreement.id, Agreement.case_id).where(
                Agreement.id.in_([f.agreement_id for f in follow_ups if f.agreement_id])
            )
        )
    }
    case_ids |= {c for c in agreement_cases.values() if c is not None}
    names: dict[int, list[str]] = {}
    for case_id, first, preferred in session.execute(
        select(CaseParty.case_id, Person.first_name, Person.preferred_name)
        .join(Person, Person.id == CaseParty.person_id)
        .where(CaseParty.case_id.in_(case_ids), CaseParty.role.in_(_NAMED_ROLES))
        .order_by(CaseParty.id)
    ):
        names.setdefault(case_id, []).append(preferred or first)
    result = []
    for follow_up in follow_ups:
        owner = follow_up.case_id
        if owner is None and follow_up.agreement_id is not None:
            owner = agreement_cases.get(follow_up.agreement_id)
        result.append((follow_up, _names(names.get(owner, [])) if owner else ""))
    return result


def write_calendar(
    sessions: sessionmaker[Session],
    path: Path,
    *,
    start: date | None = None,
    tz: tzinfo | None = None,
) -> CalendarExport:
    """Write the calendar file; an existing file is replaced only once the new one is complete."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name such as {path / 'circles.ics'}.")
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInput(f"The folder {folder} does not exist; choose a folder that does.")
    data, circles, follow_ups = build_calendar(sessions, start=start, tz=tz)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InvalidInput(
            f"Cannot write in {folder} ({exc.strerror or exc}). Choose a folder you can write to."
        ) from exc
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InvalidInput(
            f"Cannot write the calendar to {path} ({exc.strerror or exc}). "
            "Nothing was changed; choose another place."
        ) from exc
    return CalendarExport(path, circles, follow_ups)
