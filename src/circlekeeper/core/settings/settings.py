"""The installation's settings: school identity and the facilitator using this laptop."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.store.models import Setting


@dataclass
class SchoolSettings:
    """What exports print in their header and who is facilitating."""

    school_name: str = ""
    school_address: str = ""
    logo_path: str = ""
    facilitator_name: str = ""
    facilitator_role: str = ""
    welcome_done: str = ""  # "1" once the first-run welcome has been answered
    # "1": calendar events add the first names of the students at the centre (off by default;
    # calendars sync to phones and cloud services outside the school's records).
    calendar_first_names: str = ""
    # The smallest number of students a published report figure may show ("" = the default, 10).
    report_min_cell: str = ""
    # Hours of youth-focused training each SRO and circle keeper needs ("" = the default, 40).
    training_required_hours: str = ""

    @property
    def first_run(self) -> bool:
        return self.welcome_done != "1"

    @property
    def calendar_names(self) -> bool:
        return self.calendar_first_names == "1"


class SettingsService:
    """Reads and saves :class:`SchoolSettings`."""

    def __init__(self, context: Context | sessionmaker[Session]) -> None:
        self.ctx = as_context(context)

    def load(self) -> SchoolSettings:
        names = {f.name for f in fields(SchoolSettings)}
        with self.ctx.read() as session:
            rows = session.execute(select(Setting.key, Setting.value)).all()
        return SchoolSettings(**{k: v for k, v in rows if k in names})

    def save(self, settings: SchoolSettings) -> None:
        values = {k: str(v).strip() for k, v in asdict(settings).items()}
        with self.ctx.write("save the settings") as session:
            existing = {s.key: s for s in session.scalars(select(Setting))}
            changed = []
            for key, value in values.items():
                row = existing.get(key)
                if row is None:
                    session.add(Setting(key=key, value=value))
                    changed.append(key)
                elif row.value != value:
                    row.value = value
                    changed.append(key)
            if changed:
                audit.record(session, "update", "settings", None, keys=changed)


LOCK_SETTING = "lock_after_minutes"
DEFAULT_LOCK_MINUTES = 10


def lock_minutes(context: Context | sessionmaker[Session]) -> int:
    """Minutes of no typing or mouse before the app locks; 0 means never."""
    with as_context(context).read() as session:
        value = session.scalar(select(Setting.value).where(Setting.key == LOCK_SETTING))
    if value is None or not value.strip().isdigit():
        return DEFAULT_LOCK_MINUTES
    return int(value)


def set_lock_minutes(context: Context | sessionmaker[Session], minutes: int) -> None:
    """Save how long the app waits before it locks (0: never)."""
    with as_context(context).write("set the lock time") as session:
        row = session.get(Setting, LOCK_SETTING)
        if row is None:
            session.add(Setting(key=LOCK_SETTING, value=str(minutes)))
        else:
            row.value = str(minutes)
        audit.record(session, "update", "settings", None, keys=[LOCK_SETTING])
