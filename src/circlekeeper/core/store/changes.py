"""Field-by-field change tracking for the audit trail, for every service at once.

A ``before_flush`` listener on the session factory notes, for each changed row, the old and new
value of each changed column. Those changes are joined to the audit line the service writes for
the same record in the same transaction (``audit.record``); a change no service described gets
its own ``update`` line at commit. So there is one line per action, never two.

Kept out on purpose:
- columns that change on their own or on every facilitation action (``updated_at``,
  ``search_text``, ``Circle.live_state``): the live path writes no audit line per action;
- the values of free-text columns (notes, harm summaries, descriptions): the line says the text
  changed, not what it said, because the audit trail is append-only and could never be purged
  by the retention rule; the record itself keeps the text.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Text, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.store.models import AuditEvent

PENDING = "circlekeeper.audit.pending"  # session.info: uuid -> (entity, {field: [old, new]})
ACTOR = "circlekeeper.audit.actor"
TEXT_HIDDEN = "(text not kept in the audit trail)"
SKIP_COLUMNS = frozenset({"id", "uuid", "created_at", "updated_at", "search_text", "live_state"})
SKIP_TABLES = frozenset({"audit_event", "setting", "turn", "stage_record"})
ENTITY_NAMES = {"case_file": "case"}
# A versioned record's new version rides with its noted changes under this prefix plus its uuid,
# and lands in the audit line's detail as ``versions: {uuid: version}``: a refused save can then
# name the lines written since the version the editor loaded (``core/audit/conflicts.py``).
VERSION_KEY = "version:"
VERSIONS = "versions"


def entity_name(table: str) -> str:
    """The name the audit trail uses for the records of a table."""
    return ENTITY_NAMES.get(table, table)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def changes(obj: object, names: set[str] | None = None) -> dict[str, list[Any]]:
    """Old and new value of each changed column of a pending object: ``{field: [old, new]}``."""
    state = sa_inspect(obj)
    found: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if (names is not None and key not in names) or (names is None and key in SKIP_COLUMNS):
            continue
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        if isinstance(attr.columns[0].type, Text):
            old = TEXT_HIDDEN if old else None
            new = TEXT_HIDDEN if new else None
        found[key] = [_plain(old), _plain(new)]
    return found


def _pending(session: Session) -> dict[str, tuple[str, dict[str, list[Any]]]]:
    pending: dict[str, tuple[str, dict[str, list[Any]]]] = session.info.setdefault(PENDING, {})
    return pending


def _merge(into: dict[str, list[Any]], more: dict[str, list[Any]]) -> None:
    for key, (old, new) in more.items():
        if key in into:
            into[key][1] = new  # keep the first old value of the transaction
        else:
            into[key] = [old, new]


def take_pending(session: Session, *uuids: str | None) -> dict[str, list[Any]]:
    """Remove and return the noted changes of these records (for the audit line about them)."""
    pending = session.info.get(PENDING)
    taken: dict[str, list[Any]] = {}
    if not pending:
        return taken
    for uuid in uuids:
        if uuid and uuid in pending:
            _merge(taken, pending.pop(uuid)[1])
    return taken


def _event_uuids(audit_event: AuditEvent) -> list[str | None]:
    uuids: list[str | None] = [audit_event.entity_uuid]
    if audit_event.detail:
        try:
            item = json.loads(audit_event.detail).get("item")
        except (ValueError, AttributeError):
            item = None
        if isinstance(item, str):
            uuids.insert(0, item)
    return uuids


def attach(audit_event: AuditEvent, found: dict[str, list[Any]]) -> None:
    """Add field changes to an audit line that has not been written yet."""
    if not found:
        return
    detail = json.loads(audit_event.detail) if audit_event.detail else {}
    fields = {k: v for k, v in found.items() if not k.startswith(VERSION_KEY)}
    versions = {k[len(VERSION_KEY) :]: v[1] for k, v in found.items() if k.startswith(VERSION_KEY)}
    if fields:
        _merge(detail.setdefault("changes", {}), fields)
    if versions:
        detail.setdefault(VERSIONS, {}).update(versions)
    audit_event.detail = json.dumps(detail, default=str, ensure_ascii=False, sort_keys=True)


def _next_version(session: Session, obj: object, uuid: str) -> dict[str, list[Any]]:
    """``{version:<uuid>: [old, new]}`` for a versioned record this flush will update."""
    column = sa_inspect(obj).mapper.version_id_col
    if column is None or not session.is_modified(obj, include_collections=False):
        return {}
    current = getattr(obj, "row_version", None) or 0
    return {f"{VERSION_KEY}{uuid}": [current, current + 1]}


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.dirty:
        pending = _pending(session)
        for obj in session.dirty:
            table = getattr(obj, "__tablename__", None)
            if table is None or table in SKIP_TABLES:
                continue
            uuid = getattr(obj, "uuid", None)
            if not uuid:
                continue
            found = changes(obj)
            if not found:
                continue
            # Only with changes worth a line: a version alone would make an empty "update".
            found.update(_next_version(session, obj, uuid))
            entity, noted = pending.setdefault(uuid, (entity_name(table), {}))
            _merge(noted, found)
    actor = session.info.get(ACTOR, "")
    if actor:
        for obj in session.new:
            if isinstance(obj, AuditEvent) and not obj.actor:
                obj.actor = actor
    if session.info.get(PENDING):
        for obj in session.new:
            if isinstance(obj, AuditEvent):
                attach(obj, take_pending(session, *_event_uuids(obj)))


def _before_commit(session: Session) -> None:
    if not session.info.get(PENDING) and not session.dirty:
        return
    session.flush()
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    actor = session.info.get(ACTOR, "")
    for uuid, (entity, found) in pending.items():
        line = AuditEvent(action="update", entity=entity, entity_uuid=uuid, actor=actor)
        attach(line, found)
        session.add(line)


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(ACTOR, None)


def install(factory: sessionmaker[Session]) -> None:
    """Track field changes in every session this factory makes."""
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_soft_rollback", _forget)
    event.listen(factory, "after_commit", _forget)
