"""Training records for SROs and circle keepers, and each person's total against the school's
required hours (40 by default, as federal guidance suggests; a school may set more).

Hours are kept in tenths so that totals add up exactly. Who sees and edits which records is the
same rule as the activity log's (:mod:`circlekeeper.core.sro.rules`): an SRO records
and sees only their own training.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.domain.sro import TrainingCategory
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.problems import InvalidInput, NotFound, NotPermitted
from circlekeeper.core.profiles.viewer import Viewer, same_name
from circlekeeper.core.sro.rules import author_name, may_edit, may_see, refuse_edit
from circlekeeper.core.store.models import TrainingRecord
from circlekeeper.core.text import clean_name

DEFAULT_REQUIRED_HOURS = 40
MAX_HOURS = 400  # one record; longer programmes are recorded course by course
MAX_REQUIRED_HOURS = 1000
MAX_TEXT = 200
EARLIEST = date(1980, 1, 1)


@dataclass(frozen=True)
class TrainingEntry:
    """One course as it is typed (``trainee`` empty: the viewer's own training)."""

    course: str
    category: str
    hours: str | float | Decimal
    completed_on: date
    provider: str | None = None
    trainee: str | None = None


@dataclass(frozen=True)
class TrainingRow:
    id: int
    uuid: str
    trainee: str
    course: str
    category: str
    tenths: int
    completed_on: date
    provider: str | None
    editable: bool

    @property
    def hours(self) -> float:
        return self.tenths / 10


@dataclass(frozen=True)
class TrainingTotal:
    """One person's training against the requirement."""

    trainee: str
    tenths: int
    required_tenths: int
    by_category: dict[str, int] = field(default_factory=dict)

    @property
    def hours(self) -> float:
        return self.tenths / 10

    @property
    def required_hours(self) -> float:
        return self.required_tenths / 10

    @property
    def met(self) -> bool:
        return self.tenths >= self.required_tenths

    @property
    def remaining_hours(self) -> float:
        return max(0, self.required_tenths - self.tenths) / 10


def parse_hours(value: str | float | Decimal, *, what: str = "training") -> int:
    """Hours as typed ("7.5", "7,5", 3) in tenths; a plain message for anything else."""
    text = str(value).strip().replace(",", ".")
    try:
        hours = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(
            _(
                "Nothing was saved: {text} is not a number of hours. Type the hours the "
                "{what} took, like 8 or 7.5.",
                text=repr(text),
                what=what,
            )
        ) from None
    if not hours.is_finite() or hours <= 0:
        raise InvalidInput(
            _(
                "Nothing was saved: a {what} needs its hours (more than 0). Type the hours it "
                "took, like 8 or 7.5.",
                what=what,
            )
        )
    tenths = int((hours * 10).to_integral_value())
    if tenths < 1:
        raise InvalidInput(_("Nothing was saved: the shortest time counted is a tenth of an hour."))
    return tenths


def required_tenths(sessions: sessionmaker[Session]) -> int:
    """The school's required training hours, in tenths (40 hours when none is set)."""
    from circlekeeper.core.settings.settings import SettingsService

    text = SettingsService(sessions).load().training_required_hours
    try:
        tenths = parse_hours(text) if text.strip() else DEFAULT_REQUIRED_HOURS * 10
    except InvalidInput:
        tenths = DEFAULT_REQUIRED_HOURS * 10
    return tenths


class TrainingService:
    """Record, correct, remove and total training, as the viewer may."""

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

    def record(self, entry: TrainingEntry) -> TrainingRow:
        values = self._check(entry)
        with self.ctx.write("record") as session:
            training = TrainingRecord(**values)
            session.add(training)
            session.flush()
            audit.record(session, "create", "training_record", training.uuid)
            return self._row(training)

    def update(self, record_id: int, entry: TrainingEntry) -> TrainingRow:
        uuid, owner = self._owner(record_id)
        if not may_edit(self.viewer, owner):
            raise refuse_edit(self.ctx, "training_record", uuid, "training")
        values = self._check(entry)
        with self.ctx.write("update") as session:
            training = self._get(session, record_id)
            for key, value in values.items():
                setattr(training, key, value)
            audit.record(session, "update", "training_record", uuid)
            return self._row(training)

    def remove(self, record_id: int) -> None:
        uuid, owner = self._owner(record_id)
        if not may_edit(self.viewer, owner):
            raise refuse_edit(self.ctx, "training_record", uuid, "training")
        with self.ctx.write("remove") as session:
            session.delete(self._get(session, record_id))
            audit.record(session, "delete", "training_record", uuid)

    def records(self) -> list[TrainingRow]:
        """The records this viewer may see, newest first (an SRO: their own only)."""
        query = select(TrainingRecord).order_by(
            TrainingRecord.completed_on.desc(), TrainingRecord.id.desc()
        )
        with self.ctx.read() as session:
            return [self._row(t) for t in session.scalars(query) if may_see(self.viewer, t.trainee)]

    def totals(self) -> list[TrainingTotal]:
        """Each person's hours (all their records) against the requirement, by name."""
        required = required_tenths(self.ctx.sessions)
        people: dict[str, tuple[str, dict[str, int]]] = {}
        for row in self.records():
            key = row.trainee.casefold()
            name, categories = people.setdefault(key, (row.trainee, {}))
            categories[row.category] = categories.get(row.category, 0) + row.tenths
        return [
            TrainingTotal(name, sum(categories.values()), required, dict(categories))
            for name, categories in sorted(people.values(), key=lambda p: p[0].casefold())
        ]

    def set_required_hours(self, hours: str | float | Decimal) -> int:
        """Set the school's required hours (counselors and administrators); returns tenths."""
        if self.viewer.is_sro:
            raise NotPermitted(
                _(
                    "The required training hours are set by a counselor or an administrator; "
                    "nothing was changed.",
                )
            )
        tenths = parse_hours(hours, what="requirement")
        if tenths > MAX_REQUIRED_HOURS * 10:
            raise InvalidInput(
                _(
                    "Nothing was changed: {tenths:g} hours is more than any programme asks "
                    "(at most {max_required_hours}). Check the number.",
                    tenths=tenths / 10,
                    max_required_hours=MAX_REQUIRED_HOURS,
                )
            )
        from circlekeeper.core.settings.settings import SettingsService

        service = SettingsService(self.ctx.sessions)
        settings = service.load()
        settings.training_required_hours = f"{tenths / 10:g}"
        service.save(settings)
        return tenths

    # -- checks ---------------------------------------------------------------------------

    def _check(self, entry: TrainingEntry) -> dict[str, object]:
        own = author_name(self.viewer)
        trainee = clean_name(entry.trainee or "") or own
        if self.viewer.is_sro and not same_name(trainee, own):
            raise NotPermitted(
                _(
                    "An SRO's profile records only its own training; nothing was saved. A "
                    "counselor or an administrator can record someone else's.",
                )
            )
        course = clean_name(entry.course)
        if not course:
            raise InvalidInput(_("Nothing was saved: give the course's name."))
        try:
            category = TrainingCategory(entry.category).value
        except ValueError:
            known = ", ".join(c.value for c in TrainingCategory)
            raise InvalidInput(
                _(
                    "Nothing was saved: {category} is not a training category. The "
                    "categories are: {known}.",
                    category=repr(entry.category),
                    known=known,
                )
            ) from None
        tenths = parse_hours(entry.hours)
        if tenths > MAX_HOURS * 10:
            raise InvalidInput(
                _(
                    "Nothing was saved: {tenths:g} hours is more than one course takes "
                    "(at most {max_hours}). Record a long programme course by course.",
                    tenths=tenths / 10,
                    max_hours=MAX_HOURS,
                )
            )
        if entry.completed_on > self._today():
            raise InvalidInput(
                _(
                    "Nothing was saved: {completed_on} is after today. Record a "
                    "training once it is completed.",
                    completed_on=entry.completed_on.isoformat(),
                )
            )
        if entry.completed_on < EARLIEST:
            raise InvalidInput(_("Nothing was saved: that date is too long ago. Check the year."))
        provider = clean_name(entry.provider or "") or None
        for label, text in (("name", trainee), ("course", course), ("provider", provider or "")):
            if len(text) > MAX_TEXT:
                raise InvalidInput(
                    _(
                        "Nothing was saved: the {label} is longer than {max_text} characters.",
                        label=label,
                        max_text=MAX_TEXT,
                    )
                )
        return {
            "trainee": trainee,
            "course": course,
            "category": category,
            "tenths": tenths,
            "completed_on": entry.completed_on,
            "provider": provider,
        }

    def _owner(self, record_id: int) -> tuple[str, str]:
        with self.ctx.read() as session:
            training = self._get(session, record_id)
            if not may_see(self.viewer, training.trainee):
                raise NotFound(
                    _(
                        "There is no training record with id {record_id}.",
                        record_id=record_id,
                    )
                )
            return training.uuid, training.trainee

    @staticmethod
    def _get(session: Session, record_id: int) -> TrainingRecord:
        training = session.get(TrainingRecord, record_id)
        if training is None:
            raise NotFound(
                _(
                    "There is no training record with id {record_id}.",
                    record_id=record_id,
                )
            )
        return training

    def _row(self, training: TrainingRecord) -> TrainingRow:
        return TrainingRow(
            id=training.id,
            uuid=training.uuid,
            trainee=training.trainee,
            course=training.course,
            category=training.category,
            tenths=training.tenths,
            completed_on=training.completed_on,
            provider=training.provider,
            editable=may_edit(self.viewer, training.trainee),
        )
