"""Writing and reading the append-only audit trail.

Services write one line per action with :func:`record`; the field-by-field old -> new values of
any rows changed in the same transaction are joined to it automatically (see
:mod:`circlekeeper.core.store.changes`). :func:`history` reads a record's lines back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.profiles.viewer import DEMOGRAPHIC_FIELDS
from circlekeeper.core.store.changes import ACTOR, TEXT_HIDDEN, attach, take_pending
from circlekeeper.core.store.changes import changes as changes  # re-exported helper
from circlekeeper.core.store.models import AuditEvent

__all__ = ["TEXT_HIDDEN", "AuditEntry", "changes", "detail_text", "history", "record"]


def record(
    session: Session,
    action: str,
    entity: str,
    entity_uuid: str | None,
    *,
    actor: str = "",
    **detail: Any,
) -> None:
    """Add one audit line to the current transaction (it commits with the change it describes).

    With no ``actor`` given, the line names the operation's actor (``core.operations``).
    """
    if not actor:
        actor = session.info.get(ACTOR, "")
    line = AuditEvent(
        action=action,
        entity=entity,
        entity_uuid=entity_uuid,
        actor=actor,
        detail=detail_text(detail),
    )
    item = detail.get("item")
    attach(line, take_pending(session, entity_uuid, item if isinstance(item, str) else None))
    if actor:
        session.info[ACTOR] = actor
    session.add(line)


def detail_text(detail: dict[str, Any]) -> str:
    """An audit line's details as stored (empty for none): the one encoding, also for the
    server lane's note, whose line is written by its own statement."""
    return json.dumps(detail, default=str, ensure_ascii=False, sort_keys=True) if detail else ""


@dataclass(frozen=True)
class AuditEntry:
    """One line of a record's history: when, who, what, and each field's old and new value."""

    at: datetime
    actor: str
    action: str
    entity: str
    entity_uuid: str | None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    detail: dict[str, Any] = field(default_factory=dict)


def history(
    context: Context | sessionmaker[Session], entity_uuid: str, *, mentions: bool = True
) -> list[AuditEntry]:
    """A record's audit lines, oldest first; with ``mentions``, also lines naming it in detail
    (an agreement's lines about one of its items, for example).

    A viewer who may not see demographic fields (an SRO) gets no old or new value of them.
    """
    ctx = as_context(context)
    hidden = () if ctx.viewer().can_see_demographics else DEMOGRAPHIC_FIELDS
    condition = AuditEvent.entity_uuid == entity_uuid
    if mentions:
        condition = or_(condition, AuditEvent.detail.contains(entity_uuid))
    with ctx.read() as session:
        rows = session.scalars(
            select(AuditEvent).where(condition).order_by(AuditEvent.at, AuditEvent.id)
        ).all()
    entries = []
    for row in rows:
        try:
            detail = json.loads(row.detail) if row.detail else {}
        except ValueError:
            detail = {"text": row.detail}
        if not isinstance(detail, dict):
            detail = {"value": detail}
        raw = detail.pop("changes", {})
        found = {
            k: (v[0], v[1])
            for k, v in raw.items()
            if isinstance(v, list) and len(v) == 2 and k not in hidden
        }
        entries.append(
            AuditEntry(row.at, row.actor, row.action, row.entity, row.entity_uuid, found, detail)
        )
    return entries
