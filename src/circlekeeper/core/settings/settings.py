"""The installation's settings: school identity and the facilitator using this laptop."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
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

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def load(self) -> SchoolSettings:
        names = {f.name for f in fields(SchoolSettings)}
        with self._sessions() as session:
            rows = session.execute(select(Setting.key, Setting.value)).all()
        return SchoolSettings(**{k: v for k, v in rows if k in names})

    def save(self, settings: SchoolSettings) -> None:
        values = {k: str(v).strip() for k, v in asdict(settings).items()}
        with self._sessions.begin() as session:
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
