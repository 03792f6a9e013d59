"""Writing a merge plan into the target, inside the one transaction of the merge.

Rows are inserted table by table in foreign-key order with ids taken from the target (its
sequence on PostgreSQL, past its largest id on SQLite, where the merge holds the write lock),
references resolved as they go. Audit lines are only ever inserted: the source's lines travel
as they were (pointing at the target's record where a person was matched by student ID), and
the merge adds its own: one per update, per conflict (the losing values), per matched person,
and one for the merge as a whole.
"""

from __future__ import annotations

import json
import secrets
from collections import defaultdict
from typing import Any

from sqlalchemy import Table, Text, func, insert, select, text, update
from sqlalchemy.orm import Session

from circlekeeper.core.audit.audit import record
from circlekeeper.core.merge.plan import (
    Insert,
    MergePlan,
    Pending,
    Update,
    chunks,
    merged_tables,
)
from circlekeeper.core.store.changes import ACTOR, TEXT_HIDDEN, _plain
from circlekeeper.core.store.models import AuditEvent, Base, MergeBase, MergeRun

_MAX_KEY = 2**62


def hold_for_merge(session: Session) -> None:
    """Take the lock a merge needs before it reads what to change, so nothing moves under it.

    SQLite: the write lock (a write that changes no row); PostgreSQL: a lock only merges take,
    so two merges into the server run one after the other while the app goes on working.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("LOCK TABLE merge_base IN SHARE ROW EXCLUSIVE MODE")
    else:
        connection.exec_driver_sql("UPDATE merge_base SET id = id WHERE 0")


def _audit_value(table: Table, column: str, value: Any) -> Any:
    """A value as the audit trail keeps it: free text is never copied into it."""
    if isinstance(table.c[column].type, Text):
        return TEXT_HIDDEN if value else None
    return _plain(value)


class Writer:
    """Applies one plan in one session."""

    def __init__(self, session: Session, plan: MergePlan) -> None:
        self.session = session
        self.plan = plan
        self.ids: dict[Pending, int] = {}
        self.tables = {t.name: t for t in Base.metadata.sorted_tables}

    def resolve(self, value: Any) -> Any:
        return self.ids[value] if isinstance(value, Pending) else value

    def run(self) -> str:
        grouped: dict[str, list[Insert]] = defaultdict(list)
        for row in self.plan.inserts:
            grouped[row.table].append(row)
        for table in merged_tables():
            if grouped.get(table.name):
                self._insert(table, grouped[table.name])
        for change in self.plan.updates:
            self._update(change)
        for conflict in self.plan.kept:
            record(
                self.session,
                "merge conflict",
                conflict.entity,
                conflict.target_uuid,
                source=self.plan.source,
                fields=list(conflict.fields),
                kept="this database",
                rule=self.plan.keep,
                other_values={
                    f: _audit_value(self._table_of(conflict.entity), f, v)
                    for f, v in conflict.losing.items()
                },
            )
        for match in self.plan.matches:
            if match.entity == "person":
                record(
                    self.session,
                    "merge match",
                    "person",
                    match.target_uuid,
                    source=self.plan.source,
                    by=match.key,
                    other_uuid=match.source_uuid,
                )
        self._seen()
        if self.plan.audit:
            _insert_rows(self.session, _table(AuditEvent), self.plan.audit)
        return self._run_line()

    def _table_of(self, entity: str) -> Table:
        return self.tables["case_file" if entity == "case" else entity]

    # -- inserts --------------------------------------------------------------------------

    def _insert(self, table: Table, rows: list[Insert]) -> None:
        ordered = _parents_first(table, rows)
        if table.c.id.autoincrement is False:  # random keys (survey answers): keep or redraw
            taken: set[int] = set()
            for chunk in chunks([r.source_id for r in ordered]):  # a server's 65,535 at most
                taken.update(self.session.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
            new_ids = []
            for row in ordered:
                key = row.source_id
                while key in taken:
                    key = secrets.randbelow(_MAX_KEY) + 1
                taken.add(key)
                new_ids.append(key)
        else:
            new_ids = self._reserve(table, len(ordered))
        for row, new_id in zip(ordered, new_ids, strict=True):
            self.ids[Pending(table.name, row.uuid)] = new_id
        values = [
            {"id": new_id, **{c: self.resolve(v) for c, v in row.values.items()}}
            for row, new_id in zip(ordered, new_ids, strict=True)
        ]
        _insert_rows(self.session, table, values)

    def _reserve(self, table: Table, count: int) -> list[int]:
        if self.session.get_bind().dialect.name == "postgresql":
            rows = self.session.execute(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"
                ),
                {"t": table.name, "n": count},
            )
            return [int(r[0]) for r in rows]
        start = int(self.session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0)
        return list(range(start + 1, start + count + 1))

    # -- updates --------------------------------------------------------------------------

    def _update(self, change: Update) -> None:
        table = self.tables[change.table]
        values = {c: self.resolve(v) for c, v in change.values.items()}
        values["updated_at"] = change.changed_at
        self.session.execute(update(table).where(table.c.id == change.target_id).values(values))
        old_new = {
            c: [
                _audit_value(table, c, change.old[c]),
                _audit_value(table, c, values[c]),
            ]
            for c in change.values
        }
        entity = change.conflict.entity if change.conflict else _entity(change.table)
        if change.conflict is None:
            record(
                self.session,
                "merge update",
                entity,
                change.target_uuid,
                source=self.plan.source,
                changes=old_new,
            )
        else:
            record(
                self.session,
                "merge conflict",
                entity,
                change.target_uuid,
                source=self.plan.source,
                fields=list(change.conflict.fields),
                kept="the merged database",
                rule=self.plan.keep,
                other_values={c: pair[0] for c, pair in old_new.items()},
                changes=old_new,
            )

    # -- bookkeeping ----------------------------------------------------------------------

    def _seen(self) -> None:
        if not self.plan.seen:
            return
        uuids = [s.source_uuid for s in self.plan.seen]
        known: dict[str, int] = {}
        for chunk in chunks(uuids):
            rows = self.session.execute(
                select(MergeBase.source_uuid, MergeBase.id).where(MergeBase.source_uuid.in_(chunk))
            )
            known.update((str(uuid), int(key)) for uuid, key in rows)
        fresh = []
        for seen in self.plan.seen:
            values = {
                "source_uuid": seen.source_uuid,
                "target_uuid": seen.target_uuid,
                "table_name": seen.table,
                "source_seen": seen.source_seen,
                "target_seen": seen.target_seen,
            }
            if seen.source_uuid in known:
                self.session.execute(
                    update(MergeBase).where(MergeBase.id == known[seen.source_uuid]).values(values)
                )
            else:
                fresh.append(values)
        if fresh:
            _insert_rows(self.session, _table(MergeBase), fresh)

    def _run_line(self) -> str:
        plan = self.plan
        summary: dict[str, Any] = {
            "added": _count(r.table for r in plan.inserts),
            "updated": _count(u.table for u in plan.updates),
            "conflicts": len(plan.conflicts),
            "matched_people": sum(1 for m in plan.matches if m.entity == "person"),
            "audit_lines": len(plan.audit),
        }
        run = MergeRun(
            source=plan.source[:400],
            source_newest=plan.source_newest,
            actor=self.session.info.get(ACTOR, "") or "",
            summary=json.dumps(summary, sort_keys=True),
        )
        self.session.add(run)
        self.session.flush()
        record(self.session, "merge", "database", run.uuid, source=plan.source, **summary)
        return run.uuid


def _insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows with one prepared statement (psycopg sends them in one pipeline)."""
    session.execute(insert(table), rows)


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _entity(table: str) -> str:
    from circlekeeper.core.store.changes import entity_name

    return entity_name(table)


def _count(tables: Any) -> dict[str, int]:
    found: dict[str, int] = {}
    for table in tables:
        found[table] = found.get(table, 0) + 1
    return found


def _parents_first(table: Table, rows: list[Insert]) -> list[Insert]:
    """The rows in an order where a row referring to another of this table comes after it."""
    own = [c.name for c in table.columns if any(fk.column.table is table for fk in c.foreign_keys)]
    if not own:
        return rows
    waiting = list(rows)
    placed: set[str] = set()
    new = {r.uuid for r in rows}
    ordered: list[Insert] = []
    while waiting:
        still = []
        for row in waiting:
            needs = [
                v.uuid for c in own if isinstance(v := row.values.get(c), Pending) and v.uuid in new
            ]
            if all(uuid in placed for uuid in needs):
                ordered.append(row)
                placed.add(row.uuid)
            else:
                still.append(row)
        if len(still) == len(waiting):  # a loop of references: break it at the first row
            first = still.pop(0)
            for c in own:
                first.values[c] = None
            ordered.append(first)
            placed.add(first.uuid)
        waiting = still
    return ordered


def apply_plan(session: Session, plan: MergePlan) -> str:
    """Write ``plan`` in ``session`` (one transaction, already holding the merge's lock);
    returns the new merge record's UUID."""
    return Writer(session, plan).run()
