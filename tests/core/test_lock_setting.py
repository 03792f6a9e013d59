"""The app lock's time: saved as one operation that names who changed it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from circlekeeper.core.operations import Context
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.settings.lock import DEFAULT_LOCK_MINUTES, lock_minutes, set_lock_minutes
from circlekeeper.core.store.models import AuditEvent


def test_the_lock_time_is_saved_and_its_audit_line_names_the_actor(db) -> None:
    context = Context(db.sessions, actor="Dana")
    assert lock_minutes(context) == DEFAULT_LOCK_MINUTES
    set_lock_minutes(context, 5)
    assert lock_minutes(db.sessions) == 5
    assert context.last_changes.touches("setting")
    with db.sessions() as session:
        line = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert line is not None and (line.entity, line.actor) == ("settings", "Dana")


def test_a_lock_time_out_of_range_is_refused_and_nothing_changes(db) -> None:
    set_lock_minutes(db.sessions, 7)
    with pytest.raises(InvalidInput, match="between 0"):
        set_lock_minutes(db.sessions, -1)
    assert lock_minutes(db.sessions) == 7
