"""What an operation changed: which kinds of record, and which of their ids."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

COLLECTED = "circlekeeper.operation.changes"  # session.info: kind -> set of ids
READS_ONLY = "circlekeeper.operation.reads_only"  # session.info: True in a read's session
# A programming error, never a person's: a read's session is not the place for a write.
_WROTE_IN_A_READ = "A write was tried in a session that only reads; nothing was written."

# Tables whose rows are parts of a larger record a screen shows, and the column naming that
# record: a change to one of them is also a change to that record's kind (a turn belongs to its
# circle, a party to its case).
PART_OF: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "case_file": ("case", "id"),
        "case_party": ("case", "case_id"),
        "family_contact": ("case", "case_id"),
        "participant": ("circle", "circle_id"),
        "turn": ("circle", "circle_id"),
        "stage_record": ("circle", "circle_id"),
        "agreement_item": ("agreement", "agreement_id"),
        "signature": ("agreement", "agreement_id"),
        "guardian_link": ("person", "student_id"),
    }
)


def kind_of(table: str) -> str:
    """The kind of record a row of ``table`` belongs to, as screens name it."""
    part = PART_OF.get(table)
    return part[0] if part else table


@dataclass(frozen=True)
class Changes:
    """The kinds of record an operation wrote, and the ids of the rows it wrote in each table.

    ``kinds`` holds both the table names and the kinds they belong to (``case_party`` and
    ``case``), so a screen asks ``changes.touches("case")`` without knowing every table.
    """

    kinds: frozenset[str] = frozenset()
    ids: Mapping[str, frozenset[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, *kinds: str, ids: Mapping[str, Iterable[int]] | None = None) -> Changes:
        found = {kind: frozenset(values) for kind, values in (ids or {}).items()}
        return cls(frozenset(kinds) | frozenset(found), found)

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def touches(self, *kinds: str) -> bool:
        """Whether any of these kinds of record changed."""
        return any(kind in self.kinds for kind in kinds)

    def touched(self, kind: str, record_id: int | None) -> bool:
        """Whether this one record (a table's row id) changed."""
        return record_id is not None and record_id in self.ids.get(kind, frozenset())

    def __or__(self, other: Changes) -> Changes:
        merged = {k: set(v) for k, v in self.ids.items()}
        for kind, values in other.ids.items():
            merged.setdefault(kind, set()).update(values)
        return Changes(self.kinds | other.kinds, {k: frozenset(v) for k, v in merged.items()})


NO_CHANGES = Changes()


def _collect(session: Session, _context: Any) -> None:
    """after_flush: note each written row's table (and the record it belongs to) and id."""
    collected: dict[str, set[int]] | None = session.info.get(COLLECTED)
    if collected is None:
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table is None or table == "audit_event":
            continue
        ids = collected.setdefault(table, set())
        row_id = getattr(obj, "id", None)
        if isinstance(row_id, int):
            ids.add(row_id)
        part = PART_OF.get(table)
        if part is not None:
            kind, column = part
            parent = getattr(obj, column, None)
            found = collected.setdefault(kind, set())
            if isinstance(parent, int):
                found.add(parent)


def _collect_statement(state: ORMExecuteState) -> None:
    """do_orm_execute: note the table of an UPDATE, DELETE or INSERT statement run directly."""
    collected: dict[str, set[int]] | None = state.session.info.get(COLLECTED)
    if collected is None or not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if isinstance(name, str) and name != "audit_event":
        collected.setdefault(name, set())
        collected.setdefault(kind_of(name), set())


def install(session: Session) -> None:
    """Start collecting this session's writes."""
    session.info[COLLECTED] = {}
    if not event.contains(Session, "after_flush", _collect):
        event.listen(Session, "after_flush", _collect)
        event.listen(Session, "do_orm_execute", _collect_statement)


def reads_only(session: Session) -> None:
    """Refuse every write in this session (a read's): an ORM flush or an INSERT, UPDATE or
    DELETE statement raises before anything is sent."""
    session.info[READS_ONLY] = True
    if not event.contains(Session, "before_flush", _refuse_flush):
        event.listen(Session, "before_flush", _refuse_flush)
        event.listen(Session, "do_orm_execute", _refuse_statement)


def _refuse_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(READS_ONLY) and (session.new or session.dirty or session.deleted):
        raise RuntimeError(_WROTE_IN_A_READ)


def _refuse_statement(state: ORMExecuteState) -> None:
    if state.session.info.get(READS_ONLY) and (
        state.is_update or state.is_delete or state.is_insert
    ):
        raise RuntimeError(_WROTE_IN_A_READ)


def take(session: Session) -> Changes:
    """What this session's operation changed, and stop collecting."""
    collected: dict[str, set[int]] = session.info.pop(COLLECTED, {}) or {}
    return Changes(frozenset(collected), {k: frozenset(v) for k, v in collected.items()})
