"""The SRO activity log: one entry per activity, by triad role, kept by the officer.

Each entry has a date, minutes, a type, a place, a head count for events and, only when the
activity is about one student, a link to that student (then it is a record like the rest: the
audit line names the student's record, the name is shown the directory's way, and only the
officer and the school's own staff see it). Who sees and edits what is decided in
:mod:`circlekeeper.core.sro.rules`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.domain.enums import PersonKind
from circlekeeper.core.domain.sro import (
    DEFAULT_ROLE,
    ENFORCEMENT_ACTIONS,
    EVENT_TYPES,
    TYPE_LABELS,
    ActivityType,
    TriadRole,
)
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.sro.rules import author_name, may_edit, may_see, refuse_edit
from circlekeeper.core.store.models import IncidentType, Person, SroActivity
from circlekeeper.core.text import clean_name

MINUTES_IN_A_DAY = 24 * 60
MAX_ATTENDANCE = 100_000
MAX_PLACE_LENGTH = 200
EARLIEST = date(2000, 1, 1)
# Types an incident type may be given for (what the response, citation or arrest was about).
_INCIDENT_TYPES = ENFORCEMENT_ACTIONS | {ActivityType.INCIDENT_RESPONSE}


@dataclass(frozen=True)
class ActivityEntry:
    """What the officer types for one activity (``role`` defaults to the type's usual role)."""

    activity_type: str
    on_date: date
    minutes: int
    role: str | None = None
    place: str | None = None
    attendance: int | None = None
    student_id: int | None = None
    incident_type_id: int | None = None


@dataclass(frozen=True)
class ActivityRow:
    """One entry as the log shows it to the viewer who asked."""

    id: int
    uuid: str
    officer: str
    role: str
    activity_type: str
    on_date: date
    minutes: int
    place: str | None
    attendance: int | None
    student_id: int | None
    student_name: str | None
    incident_type_id: int | None
    incident_type: str | None
    editable: bool

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[ActivityType(self.activity_type)][0]


def _student_name(person: Person) -> str:
    from circlekeeper.core.circles.queries import display_name

    return display_name(person)


class SroActivityService:
    """Log, correct, remove and list SRO activities, as the viewer may."""

    def __init__(
        self,
        context: Context | sessionmaker[Session],
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._today = today
        self.ctx = as_context(context)

    @property
    def viewer(self) -> Viewer:
        """Who is looking: what they may see and change is decided for them here."""
        return self.ctx.viewer()

    def log(self, entry: ActivityEntry) -> ActivityRow:
        officer = author_name(self.viewer)
        with self.ctx.write("log") as session:
            values = self._check(session, entry, officer, own_id=None)
            activity = SroActivity(officer=officer, **values)
            session.add(activity)
            session.flush()
            audit.record(
                session,
                "create",
                "sro_activity",
                activity.uuid,
                actor=officer,
                **self._about(session, activity),
            )
            return self._row(session, activity)

    def update(self, activity_id: int, entry: ActivityEntry) -> ActivityRow:
        activity_uuid, owner = self._owner(activity_id)
        if not may_edit(self.viewer, owner):
            raise refuse_edit(self.ctx, "sro_activity", activity_uuid, "entry")
        with self.ctx.write("update") as session:
            activity = self._get(session, activity_id)
            values = self._check(session, entry, activity.officer, own_id=activity.id)
            for key, value in values.items():
                setattr(activity, key, value)
            audit.record(
                session,
                "update",
                "sro_activity",
                activity.uuid,
                **self._about(session, activity),
            )
            return self._row(session, activity)

    def remove(self, activity_id: int) -> None:
        activity_uuid, owner = self._owner(activity_id)
        if not may_edit(self.viewer, owner):
            raise refuse_edit(self.ctx, "sro_activity", activity_uuid, "entry")
        with self.ctx.write("remove") as session:
            activity = self._get(session, activity_id)
            about = self._about(session, activity)
            session.delete(activity)
            audit.record(session, "delete", "sro_activity", activity_uuid, **about)

    def get(self, activity_id: int) -> ActivityRow:
        with self.ctx.read() as session:
            activity = self._get(session, activity_id)
            if not may_see(self.viewer, activity.officer):
                raise NotFound(
                    _(
                        "There is no activity with id {activity_id} in this database.",
                        activity_id=activity_id,
                    )
                )
            return self._row(session, activity)

    def entries(self, start: date | None = None, end: date | None = None) -> list[ActivityRow]:
        """The entries this viewer may see, newest first (an SRO: their own only)."""
        query = select(SroActivity).order_by(SroActivity.on_date.desc(), SroActivity.id.desc())
        if start is not None:
            query = query.where(SroActivity.on_date >= start)
        if end is not None:
            query = query.where(SroActivity.on_date <= end)
        with self.ctx.read() as session:
            return [
                self._row(session, a)
                for a in session.scalars(query)
                if may_see(self.viewer, a.officer)
            ]

    # -- checks ---------------------------------------------------------------------------

    def _check(
        self, session: Session, entry: ActivityEntry, officer: str, own_id: int | None
    ) -> dict[str, object]:
        kind = _activity_type(entry.activity_type)
        role = _role(entry.role, kind)
        on_date = self._date(entry.on_date)
        minutes = _minutes(entry.minutes)
        logged = session.scalar(
            select(func.coalesce(func.sum(SroActivity.minutes), 0)).where(
                SroActivity.officer == officer,
                SroActivity.on_date == on_date,
                SroActivity.id != (own_id if own_id is not None else -1),
            )
        )
        if int(logged or 0) + minutes > MINUTES_IN_A_DAY:
            raise InvalidInput(
                _(
                    "Nothing was saved: with these {minutes} minutes, {on_date} would "
                    "hold {logged} minutes of activities, more than the "
                    "{minutes_in_a_day} minutes in a day. Check the minutes, or the date.",
                    minutes=minutes,
                    on_date=on_date.isoformat(),
                    logged=int(logged or 0) + minutes,
                    minutes_in_a_day=MINUTES_IN_A_DAY,
                )
            )
        place = clean_name(entry.place or "") or None
        if place is not None and len(place) > MAX_PLACE_LENGTH:
            raise InvalidInput(
                _(
                    "Nothing was saved: the place is longer than {max_place_length} characters.",
                    max_place_length=MAX_PLACE_LENGTH,
                )
            )
        attendance = entry.attendance
        if attendance is not None:
            if kind not in EVENT_TYPES:
                raise InvalidInput(
                    _(
                        "Nothing was saved: a head count is kept for events (classes, school "
                        "events, forums, parent nights, student panels, drills). Leave it empty "
                        "for "
                        "this activity.",
                    )
                )
            if not 0 <= attendance <= MAX_ATTENDANCE:
                raise InvalidInput(
                    _(
                        "Nothing was saved: the attendance must be a number from 0 to "
                        "{max_attendance:,} (it was {attendance}).",
                        max_attendance=MAX_ATTENDANCE,
                        attendance=attendance,
                    )
                )
        student_id = entry.student_id
        if student_id is not None:
            if kind in EVENT_TYPES:
                raise InvalidInput(
                    _(
                        "Nothing was saved: an event is about many people, so it is not linked to "
                        "one student. Leave the student out, or choose the activity that was about "
                        "this student (a mentoring session, a family contact, ...).",
                    )
                )
            person = session.get(Person, student_id)
            if person is None or person.kind != PersonKind.STUDENT.value:
                raise InvalidInput(
                    _(
                        "Nothing was saved: the person linked to this activity is not a student in "
                        "this database. Choose the student again.",
                    )
                )
        incident_type_id = entry.incident_type_id
        if incident_type_id is not None:
            if kind not in _INCIDENT_TYPES:
                raise InvalidInput(
                    _(
                        "Nothing was saved: an incident type is given only for an incident "
                        "response, a citation or an arrest.",
                    )
                )
            if session.get(IncidentType, incident_type_id) is None:
                raise InvalidInput(
                    _(
                        "Nothing was saved: that incident type is not in this school's list. "
                        "Choose one from the list.",
                    )
                )
        return {
            "activity_type": kind.value,
            "role": role.value,
            "on_date": on_date,
            "minutes": minutes,
            "place": place,
            "attendance": attendance,
            "student_id": student_id,
            "incident_type_id": incident_type_id,
        }

    def _date(self, on: date) -> date:
        today = self._today()
        if on > today:
            raise InvalidInput(
                _(
                    "Nothing was saved: {on} is after today. The log keeps what has "
                    "happened; enter it on the day or afterwards.",
                    on=on.isoformat(),
                )
            )
        if on < EARLIEST:
            raise InvalidInput(
                _(
                    "Nothing was saved: {on} is too long ago. Check the year.",
                    on=on.isoformat(),
                )
            )
        return on

    # -- reading --------------------------------------------------------------------------

    def _owner(self, activity_id: int) -> tuple[str, str]:
        with self.ctx.read() as session:
            activity = self._get(session, activity_id)
            if not may_see(self.viewer, activity.officer):
                raise NotFound(
                    _(
                        "There is no activity with id {activity_id} in this database.",
                        activity_id=activity_id,
                    )
                )
            return activity.uuid, activity.officer

    @staticmethod
    def _get(session: Session, activity_id: int) -> SroActivity:
        activity = session.get(SroActivity, activity_id)
        if activity is None:
            raise NotFound(
                _(
                    "There is no activity with id {activity_id} in this database.",
                    activity_id=activity_id,
                )
            )
        return activity

    @staticmethod
    def _about(session: Session, activity: SroActivity) -> dict[str, str]:
        """The audit detail: the student's record when the activity is about one student."""
        if activity.student_id is None:
            return {}
        person = session.get(Person, activity.student_id)
        return {"student": person.uuid} if person is not None else {}

    def _row(self, session: Session, activity: SroActivity) -> ActivityRow:
        student = session.get(Person, activity.student_id) if activity.student_id else None
        incident = (
            session.get(IncidentType, activity.incident_type_id)
            if activity.incident_type_id
            else None
        )
        return ActivityRow(
            id=activity.id,
            uuid=activity.uuid,
            officer=activity.officer,
            role=activity.role,
            activity_type=activity.activity_type,
            on_date=activity.on_date,
            minutes=activity.minutes,
            place=activity.place,
            attendance=activity.attendance,
            student_id=activity.student_id,
            student_name=_student_name(student) if student is not None else None,
            incident_type_id=activity.incident_type_id,
            incident_type=incident.label if incident is not None else None,
            editable=may_edit(self.viewer, activity.officer),
        )


def _activity_type(value: str) -> ActivityType:
    try:
        return ActivityType(value)
    except ValueError:
        known = ", ".join(t.value for t in ActivityType)
        raise InvalidInput(
            _(
                "Nothing was saved: {value} is not an activity type. The types are: {known}.",
                value=repr(value),
                known=known,
            )
        ) from None


def _role(value: str | None, kind: ActivityType) -> TriadRole:
    if value is None or not value.strip():
        return DEFAULT_ROLE[kind]
    try:
        return TriadRole(value)
    except ValueError:
        known = ", ".join(r.value for r in TriadRole)
        raise InvalidInput(
            _(
                "Nothing was saved: {value} is not one of the three roles ({known}).",
                value=repr(value),
                known=known,
            )
        ) from None


def _minutes(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(_("Nothing was saved: give the minutes as a whole number, like 45."))
    if value <= 0:
        raise InvalidInput(
            _(
                "Nothing was saved: an activity takes at least one minute (it was {value}).",
                value=value,
            )
        )
    if value > MINUTES_IN_A_DAY:
        raise InvalidInput(
            _(
                "Nothing was saved: {value} minutes is more than a day ({minutes_in_a_day} "
                "minutes). Log each day's activity on its own date.",
                value=value,
                minutes_in_a_day=MINUTES_IN_A_DAY,
            )
        )
    return value
