"""How long the app may sit untouched before it locks (a setting of this laptop's records)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.models import Setting

LOCK_SETTING = "lock_after_minutes"
DEFAULT_LOCK_MINUTES = 10
LONGEST_LOCK_MINUTES = 24 * 60


def lock_minutes(context: Context | sessionmaker[Session]) -> int:
    """Minutes of no typing or mouse before the app locks; 0 means never."""
    with as_context(context).read() as session:
        value = session.scalar(select(Setting.value).where(Setting.key == LOCK_SETTING))
    if value is None or not value.strip().isdigit():
        return DEFAULT_LOCK_MINUTES
    return int(value)


def set_lock_minutes(context: Context | sessionmaker[Session], minutes: int) -> None:
    """Save the lock time (one operation, audited with whoever is acting)."""
    if not 0 <= minutes <= LONGEST_LOCK_MINUTES:
        raise InvalidInput(
            "The lock time must be between 0 (never) and 1440 minutes. Nothing was changed."
        )
    with as_context(context).write("set the lock time") as session:
        row = session.get(Setting, LOCK_SETTING)
        if row is None:
            session.add(Setting(key=LOCK_SETTING, value=str(minutes)))
        else:
            row.value = str(minutes)
        audit.record(session, "update", "settings", None, keys=[LOCK_SETTING])
