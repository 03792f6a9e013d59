"""Refusing a save made from an older copy of a record, and saying what the other person changed.

Cases, agreements (and their items), follow-ups and people carry ``row_version`` (SQLAlchemy's
``version_id_col``): every saved change adds one. An editor keeps the version it loaded and
hands it back with the edit; :func:`check_version` refuses the save when the record has moved
on since, with an :class:`~circlekeeper.core.problems.EditConflict` naming who changed it, when
and each field's old and new value, read from the audit trail lines written since that version
(``core/store/changes.py`` notes each line's version). Nothing is overwritten: the operation
rolls back, and the editor keeps what the person typed.

The values follow the audit trail's rules (free text is never copied into it) and the viewer's:
an SRO is never shown a demographic field's values.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context
from circlekeeper.core.problems import EditConflict
from circlekeeper.core.profiles.viewer import DEMOGRAPHIC_FIELDS
from circlekeeper.core.store.changes import TEXT_HIDDEN, VERSIONS
from circlekeeper.core.store.models import AuditEvent

__all__ = ["EditConflict", "check_version", "describe_change"]


class Versioned(Protocol):
    """A record with a stable uuid and a version counter."""

    uuid: str
    row_version: int


# Reference columns read better without their "_id": "referred by" instead of "referred by id".
def _field_label(key: str) -> str:
    return key.removesuffix("_id").replace("_", " ")


def _value(value: Any) -> str:
    if value is None or value == "":
        return _("(empty)")
    if value == TEXT_HIDDEN:
        return _("(text)")
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)


def describe_change(field: str, old: Any, new: Any) -> str:
    """One changed field in words: ``location: Gym → Library`` (free text: "the text changed")."""
    if TEXT_HIDDEN in (old, new):
        return _("{field}: the text was changed", field=_field_label(field))
    return f"{_field_label(field)}: {_value(old)} → {_value(new)}"


def _lines_since(session: Session, uuid: str, loaded: int) -> list[AuditEvent]:
    rows = session.scalars(
        select(AuditEvent)
        # An item's lines are about its agreement and name the item in their detail.
        .where(or_(AuditEvent.entity_uuid == uuid, AuditEvent.detail.contains(uuid)))
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    found = []
    for row in rows:
        try:
            detail = json.loads(row.detail) if row.detail else {}
        except ValueError:
            continue
        versions = detail.get(VERSIONS) if isinstance(detail, dict) else None
        if isinstance(versions, dict) and int(versions.get(uuid, 0) or 0) > loaded:
            found.append(row)
    return found


def _conflict(
    ctx: Context, session: Session, record: Versioned, loaded: int, what: str
) -> EditConflict:
    hidden = () if ctx.viewer().can_see_demographics else DEMOGRAPHIC_FIELDS
    lines = _lines_since(session, record.uuid, loaded)
    merged: dict[str, list[Any]] = {}
    who: list[str] = []
    when: datetime | None = None
    for line in lines:
        name = line.actor or _("someone")
        if name not in who:
            who.append(name)
        when = line.at
        detail = json.loads(line.detail) if line.detail else {}
        for key, pair in (detail.get("changes") or {}).items():
            if key in hidden or not isinstance(pair, list) or len(pair) != 2:
                continue
            if key in merged:
                merged[key][1] = pair[1]
            else:
                merged[key] = [pair[0], pair[1]]
    changes = tuple((k, v[0], v[1]) for k, v in merged.items() if v[0] != v[1])
    people = ", ".join(who) or _("someone else")
    stamp = f"{when:%Y-%m-%d %H:%M} UTC" if when is not None else ""
    parts = [
        _(
            "{what} was changed by {people} {at}after you opened it, so your save was "
            "refused: nothing you entered was saved, and nothing of theirs was overwritten.",
            what=what,
            people=people,
            at=_("at {stamp} ", stamp=stamp) if stamp else "",
        )
    ]
    if changes:
        listed = "; ".join(describe_change(*change) for change in changes)
        parts.append(_("What they changed: {listed}.", listed=listed))
    parts.append(_("Load it again to see their change, then make yours again."))
    return EditConflict(
        " ".join(parts), who=tuple(who), when=when, changes=changes, current=record.row_version
    )


def check_version(
    ctx: Context, session: Session, record: Versioned, loaded: int | None, what: str
) -> None:
    """Refuse this operation if ``record`` was saved by anyone since version ``loaded``.

    ``loaded`` None means the caller edits what is there now (a tool, a one-shot command with
    no version given). ``what`` names the record for the message ("This case").
    """
    if loaded is None or record.row_version == loaded:
        return
    raise _conflict(ctx, session, record, loaded, what)
