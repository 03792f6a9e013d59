"""Writing the append-only audit trail."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from circlekeeper.core.store.models import AuditEvent


def record(
    session: Session,
    action: str,
    entity: str,
    entity_uuid: str | None,
    *,
    actor: str = "",
    **detail: Any,
) -> None:
    """Add one audit line to the current transaction (it commits with the change it describes)."""
    session.add(
        AuditEvent(
            action=action,
            entity=entity,
            entity_uuid=entity_uuid,
            actor=actor,
            detail=json.dumps(detail, default=str, ensure_ascii=False, sort_keys=True)
            if detail
            else "",
        )
    )
