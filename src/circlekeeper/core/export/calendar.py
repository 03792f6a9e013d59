"""Scheduled circles and open follow-ups as an iCalendar (.ics) file for Outlook or Google Calendar.

Calendars sync to phones and to cloud services outside the school's records, and show their
titles on lock screens. So an event carries the kind of circle, its place and its time only:
the summary is the kind's plain label ("Restorative conference"), never the typed title (staff
write names and incidents there), never a case's incident or description, never note text or a
follow-up's free-text purpose; a typed location that names someone in the circle is left out.
Only when the school turns it on (Settings, or ``--first-names``) does a summary add the first
names of the students at the centre of the circle or case, and never a family name.

Events carry stable UIDs made from the records' uuids, so importing the file again updates events
instead of duplicating them. A cancelled circle or follow-up is written as cancelled under the
same UID with a higher SEQUENCE (the seconds from 2024 to the record's last change), so a
re-import removes it from the calendar. Times are written in UTC ("...Z"), which every calendar
program reads the same way and shows in its own zone; follow-ups are all-day events on their due
date.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.domain.enums import CircleStatus, FollowUpStatus, Role, circle_kind_label
from circlekeeper.core.i18n import _
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.models import (
    Agreement,
    CaseParty,
    Circle,
    FollowUp,
    Participant,
    Person,
)
from circlekeeper.core.text import fold

PRODID = "-//circlekeeper//circlekeeper calendar export//EN"
UID_DOMAIN = "circlekeeper"
DEFAULT_MINUTES = 60
DESCRIPTION = "Details are in circlekeeper."
# SEQUENCE counts seconds from here to the record's last change: every change raises it.
_SEQUENCE_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
# The people a summary may name by first name: the students at the centre of a circle or case.
_NAMED_ROLES = (Role.HARMED, Role.RESPONSIBLE, Role.HARMED_AND_RESPONSIBLE)
_MAX_NAMES = 3


@dataclass(frozen=True)
class CalendarExport:
    """What a calendar export wrote: the file and how many events of each kind."""

    path: Path
    circles: int
    follow_ups: int
    cancelled: int = 0  # cancelled circles and follow-ups, written so calendars remove them


def first_name_only(first_name: str, preferred_name: str | None, last_name: str) -> str:
    """The name a calendar may show: the preferred or first name, with any family name removed.

    A preferred name is typed freely ("Mary-Kate Miller"); words of the family name are dropped
    from it so the calendar never carries one.
    """
    family = {fold(word) for word in last_name.replace("-", " ").split()}
    for candidate in (preferred_name or "", first_name):
        words = [w for w in candidate.split() if not {fold(p) for p in w.split("-")} & family]
        if words:
            return words[0]
    return ""


def _names(first_names: list[str]) -> str:
    unique = [name for name in dict.fromkeys(first_names) if name]
    if len(unique) > _MAX_NAMES:
        return ", ".join(unique[:_MAX_NAMES]) + f" +{len(unique) - _MAX_NAMES}"
    return ", ".join(unique)


def _sequence(changed_at: datetime, cancelled: bool) -> int:
    """SEQUENCE: seconds from 2024 to the last change, one more once cancelled.

    Cancelling is final, so the extra one keeps a cancellation above any copy exported while
    the record was planned, even one exported in the same second.
    """
    return max(int((changed_at - _SEQUENCE_EPOCH).total_seconds()), 0) + int(cancelled)


def build_calendar(
    sessions: sessionmaker[Session],
    *,
    start: date | None = None,
    tz: tzinfo | None = None,
    first_names: bool = False,
) -> tuple[bytes, int, int, int]:
    """The .ics bytes of planned circles and open follow-ups, from ``start`` on (all if None).

    Cancelled ones are written too, as cancelled. ``start`` is a local date in ``tz`` (None:
    this computer's zone); ``first_names`` adds the first names of the students at the centre.
    Returns the bytes, the number of planned circles and of open follow-ups, and the number of
    cancelled ones written.
    """
    from icalendar import Calendar, Event  # imported only when exporting

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "circlekeeper")
    with sessions() as session:
        circles = _circles(session, start, tz, first_names)
        for entry in circles:
            circle, names = entry.circle, entry.names
            assert circle.scheduled_at is not None
            begins = circle.scheduled_at.astimezone(UTC)
            event = Event()
            event.add("uid", f"circle-{circle.uuid}@{UID_DOMAIN}")
            event.add("dtstamp", circle.updated_at.astimezone(UTC))
            cancelled = circle.status == CircleStatus.CANCELLED
            event.add("sequence", _sequence(circle.updated_at, cancelled))
            event.add("dtstart", begins)
            event.add(
                "dtend", begins + timedelta(minutes=circle.planned_minutes or DEFAULT_MINUTES)
            )
            # The kind, never the typed title: titles carry names and incidents.
            kind = circle_kind_label(circle.kind)
            event.add("summary", f"{kind}: {names}" if names else kind)
            if entry.place:
                event.add("location", entry.place)
            event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
            event.add("categories", ["circlekeeper"])
            event.add("description", DESCRIPTION)
            calendar.add_component(event)
        follow_ups = _follow_ups(session, start, first_names)
        for follow_up, names in follow_ups:
            event = Event()
            event.add("uid", f"follow-up-{follow_up.uuid}@{UID_DOMAIN}")
            event.add("dtstamp", follow_up.updated_at.astimezone(UTC))
            cancelled = follow_up.status == FollowUpStatus.CANCELLED
            event.add("sequence", _sequence(follow_up.updated_at, cancelled))
            event.add("dtstart", follow_up.due_on)
            event.add("dtend", follow_up.due_on + timedelta(days=1))
            event.add("summary", f"Follow-up: {names}" if names else "Follow-up")
            event.add("transp", "TRANSPARENT")  # a reminder for the day, not a busy slot
            if cancelled:
                event.add("status", "CANCELLED")
            event.add("categories", ["circlekeeper"])
            event.add("description", DESCRIPTION)
            calendar.add_component(event)
    planned_count = sum(1 for c in circles if c.circle.status == CircleStatus.PLANNED)
    open_ = sum(1 for follow_up, _ in follow_ups if follow_up.status == FollowUpStatus.OPEN)
    cancelled_count = len(circles) + len(follow_ups) - planned_count - open_
    return calendar.to_ical(), planned_count, open_, cancelled_count


@dataclass(frozen=True)
class _CircleEvent:
    circle: Circle
    names: str  # first names, when the school allows them; else ""
    place: str  # the typed location, unless it names someone in the circle


def _name_words(*names: str | None) -> set[str]:
    return {fold(w) for name in names if name for w in re.split(r"[\s\-'’.,()]+", name) if w}


def _place(location: str | None, people_words: set[str]) -> str:
    """The typed location, or "" when it names someone in the circle ("Room 4 with Ana Ruiz")."""
    place = " ".join((location or "").split())
    return "" if _name_words(place) & people_words else place


def _circles(
    session: Session, start: date | None, tz: tzinfo | None, first_names: bool
) -> list[_CircleEvent]:
    query = select(Circle).where(
        Circle.status.in_([CircleStatus.PLANNED, CircleStatus.CANCELLED]),
        Circle.scheduled_at.is_not(None),
    )
    if start is not None:
        naive = datetime.combine(start, time())
        local_midnight = naive.astimezone() if tz is None else naive.replace(tzinfo=tz)
        query = query.where(Circle.scheduled_at >= local_midnight)
    circles = list(session.scalars(query.order_by(Circle.scheduled_at, Circle.id)))
    names: dict[int, list[str]] = {}
    words: dict[int, set[str]] = {}
    for circle_id, role, first, preferred, last in session.execute(
        select(
            Participant.circle_id,
            Participant.role,
            Person.first_name,
            Person.preferred_name,
            Person.last_name,
        )
        .join(Person, Person.id == Participant.person_id)
        .where(Participant.circle_id.in_([c.id for c in circles]))
        .order_by(Participant.seat_position, Participant.id)
    ):
        words.setdefault(circle_id, set()).update(_name_words(first, preferred, last))
        if first_names and role in _NAMED_ROLES:
            names.setdefault(circle_id, []).append(first_name_only(first, preferred, last))
    return [
        _CircleEvent(c, _names(names.get(c.id, [])), _place(c.location, words.get(c.id, set())))
        for c in circles
    ]


def _follow_ups(
    session: Session, start: date | None, first_names: bool
) -> list[tuple[FollowUp, str]]:
    query = select(FollowUp).where(
        FollowUp.status.in_([FollowUpStatus.OPEN, FollowUpStatus.CANCELLED])
    )
    if start is not None:
        query = query.where(FollowUp.due_on >= start)
    follow_ups = list(session.scalars(query.order_by(FollowUp.due_on, FollowUp.id)))
    if not first_names:
        return [(f, "") for f in follow_ups]
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
    for case_id, first, preferred, last in session.execute(
        select(CaseParty.case_id, Person.first_name, Person.preferred_name, Person.last_name)
        .join(Person, Person.id == CaseParty.person_id)
        .where(CaseParty.case_id.in_(case_ids), CaseParty.role.in_(_NAMED_ROLES))
        .order_by(CaseParty.id)
    ):
        names.setdefault(case_id, []).append(first_name_only(first, preferred, last))
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
    first_names: bool = False,
) -> CalendarExport:
    """Write the calendar file; an existing file is replaced only once the new one is complete."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise InvalidInput(
            _(
                "{path} is a folder; give a file name such as {value}.",
                path=path,
                value=path / "circles.ics",
            )
        )
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInput(
            _("The folder {folder} does not exist; choose a folder that does.", folder=folder)
        )
    data, circles, follow_ups, cancelled = build_calendar(
        sessions, start=start, tz=tz, first_names=first_names
    )
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InvalidInput(
            _(
                "Cannot write in {folder} ({value}). Choose a folder you can write to.",
                folder=folder,
                value=exc.strerror or exc,
            )
        ) from exc
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InvalidInput(
            _(
                "Cannot write the calendar to {path} ({value}). Nothing was "
                "changed; choose another place.",
                path=path,
                value=exc.strerror or exc,
            )
        ) from exc
    return CalendarExport(path, circles, follow_ups, cancelled)
