"""What merging one laptop's database into another would change, worked out without writing.

Records are matched by UUID, table by table in foreign-key order, through the models' metadata;
a record with another UUID is matched by the table's own unique key when it has one (a person by
the district student ID, an incident type by its key, a participant by circle and person), and
every reference to it is re-pointed. What changed since the last merge is read from
``merge_base``: a record changed on both sides is a conflict, and the newer change wins.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, UniqueConstraint, select, tuple_
from sqlalchemy.orm import Session

from circlekeeper.core.i18n import _
from circlekeeper.core.people.names import display_name
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.changes import entity_name
from circlekeeper.core.store.models import AuditEvent, Base, MergeBase

# Kept on each laptop: its settings, its sign-ins (PIN hashes never travel), its merge records.
# The audit trail is copied on its own, after the records it speaks of.
LOCAL_TABLES = frozenset({"setting", "profile", "merge_run", "merge_base", "audit_event"})
# Columns that say nothing about the record itself: compared neither way.
NOT_COMPARED = frozenset({"id", "uuid", "created_at", "updated_at", "search_text"})
CHUNK = 500
# Which change a record edited on both sides since the last merge keeps: the newer one (the
# rule unless the person chooses), always this database's, or always the other laptop's.
KEEP_NEWER = "newer"
KEEP_THIS = "this"
KEEP_OTHER = "other"
KEEP_CHOICES = (KEEP_NEWER, KEEP_THIS, KEEP_OTHER)


@dataclass(frozen=True)
class Pending:
    """A record the merge adds: its id in the target is known only when it is written."""

    table: str
    uuid: str


Ref = int | Pending | None


@dataclass(frozen=True)
class Match:
    """A record found in the target under another UUID, by the table's own key."""

    entity: str
    label: str
    key: str  # "student ID S123456", "key bullying", ...
    source_uuid: str
    target_uuid: str
    kind: str | None = None  # a person's kind (student, staff, ...)


@dataclass(frozen=True)
class Conflict:
    """A record edited on both sides since the last merge; ``winner``: ``source`` or ``target``."""

    entity: str
    label: str
    target_uuid: str
    fields: tuple[str, ...]
    winner: str
    source_changed: datetime | None
    target_changed: datetime | None
    losing: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass
class Insert:
    """A source record the target does not have, to add."""

    table: str
    uuid: str
    source_id: int
    values: dict[str, Any]  # every column but id; references as Ref
    changed_at: datetime | None


@dataclass
class Update:
    """A record both have, to bring up to the source's newer values."""

    table: str
    target_id: int
    target_uuid: str
    source_uuid: str
    values: dict[str, Any]  # the source's values of the columns that differ
    old: dict[str, Any]  # the target's values of those columns
    changed_at: datetime | None  # the target's updated_at after the merge
    source_changed: datetime | None
    conflict: Conflict | None = None


@dataclass(frozen=True)
class Seen:
    """A ``merge_base`` line to write: both sides' last change right after this merge."""

    table: str
    source_uuid: str
    target_uuid: str
    source_seen: datetime | None
    target_seen: datetime | None


@dataclass
class MergePlan:
    """Everything a merge would do, in the order it does it."""

    source: str
    keep: str = "newer"  # which change a record edited on both sides keeps (KEEP_CHOICES)
    source_newest: datetime | None = None
    inserts: list[Insert] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    kept: list[Conflict] = field(default_factory=list)  # conflicts this database won
    matches: list[Match] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # rows whose parent is not there

    @property
    def conflicts(self) -> list[Conflict]:
        won = [u.conflict for u in self.updates if u.conflict is not None]
        return sorted([*won, *self.kept], key=lambda c: (c.entity, c.label, c.target_uuid))

    @property
    def changes_anything(self) -> bool:
        return bool(self.inserts or self.updates or self.kept or self.audit)


def merged_tables() -> list[Table]:
    """The tables a merge carries, parents before children."""
    return [t for t in Base.metadata.sorted_tables if t.name not in LOCAL_TABLES]


def chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """``values`` in pieces of CHUNK: a statement's values stay far below a server's limit."""
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _natural_keys(table: Table) -> list[tuple[str, ...]]:
    keys = []
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            names = tuple(c.name for c in constraint.columns)
            if names not in (("uuid",), ("id",)):
                keys.append(names)
    return keys


def _references(table: Table) -> dict[str, str]:
    found = {}
    for column in table.columns:
        for fk in column.foreign_keys:
            found[column.name] = fk.column.table.name
    return found


def label(table: str, row: Any) -> str:
    """How a record is named in a merge's report: a person by name, others by what they are."""
    get = row.get
    if table == "person":
        return display_name(get("first_name"), get("preferred_name"), get("last_name"))
    if table == "case_file":
        return f"case referred {get('referred_on')} ({get('incident_category')})"
    if table == "circle":
        when = get("scheduled_at") or get("started_at")
        day = f" on {when:%Y-%m-%d}" if isinstance(when, datetime) else ""
        return f"{str(get('kind')).replace('_', ' ')} {get('title') or ''}".strip() + day
    if table == "incident_type":
        return f"incident type {get('label')}"
    return f"{entity_name(table).replace('_', ' ')} {str(get('uuid') or '')[:8]}"


def _key_words(table: str, row: Any, names: tuple[str, ...], values: tuple[Any, ...]) -> str:
    if table == "person" and names == ("external_id",):
        if row.get("kind") == "student":
            return _("student ID {id}", id=values[0])
        return _("district ID {id}", id=values[0])
    return ", ".join(f"{n.replace('_', ' ')} {v}" for n, v in zip(names, values, strict=True))


class Planner:
    """Works out a :class:`MergePlan` from a source session and a target session."""

    def __init__(
        self, source: Session, target: Session, source_name: str, keep: str = "newer"
    ) -> None:
        if keep not in KEEP_CHOICES:
            raise InvalidInput(
                _(
                    "Unknown choice for records edited on both sides: {keep}. Choose one "
                    "of: {choices}.",
                    keep=keep,
                    choices=", ".join(KEEP_CHOICES),
                )
            )
        self.source = source
        self.target = target
        self.keep = keep
        self.plan = MergePlan(source_name, keep=keep)
        self.refs: dict[str, dict[int, Ref]] = {}
        self.alias: dict[str, str] = {}  # source uuid -> target uuid, where they differ

    def build(self) -> MergePlan:
        for table in merged_tables():
            self._table(table)
        self._audit()
        return self.plan

    # -- one table ------------------------------------------------------------------------

    def _ref(self, table: str, value: Any) -> Ref:
        if value is None:
            return None
        return self.refs.get(table, {}).get(int(value))

    def _table(self, table: Table) -> None:
        rows = self.source.execute(select(table).order_by(table.c.id)).mappings().all()
        self.refs[table.name] = refs = {}
        if not rows:
            return
        references = _references(table)
        stamped = "updated_at" in table.c
        compared = [c.name for c in table.columns if c.name not in NOT_COMPARED]
        by_uuid = self._target_rows(table, "uuid", [r["uuid"] for r in rows])
        bases = self._bases([r["uuid"] for r in rows]) if stamped else {}
        mapped_rows: list[tuple[Any, dict[str, Any]]] = []
        for row in rows:
            values = {c: row[c] for c in compared}
            for column, parent in references.items():
                if column in values:
                    values[column] = self._ref(parent, row[column])
            missing = [
                c
                for c, parent in references.items()
                if row[c] is not None and values[c] is None and not table.c[c].nullable
            ]
            if missing:
                self.plan.skipped[table.name] = self.plan.skipped.get(table.name, 0) + 1
                continue
            mapped_rows.append((row, values))
        by_key = self._by_natural_key(
            table, [v for r, v in mapped_rows if r["uuid"] not in by_uuid]
        )
        if stamped:
            newest = max((r["updated_at"] for r, _ in mapped_rows if r["updated_at"]), default=None)
            if newest is not None and (
                self.plan.source_newest is None or newest > self.plan.source_newest
            ):
                self.plan.source_newest = newest
        for row, values in mapped_rows:
            target = by_uuid.get(row["uuid"])
            if target is None:
                target = self._match_by_key(table, row, values, by_key)
            if target is None:
                refs[row["id"]] = Pending(table.name, row["uuid"])
                full = {c: row[c] for c in row if c != "id"}
                full.update(values)
                self.plan.inserts.append(
                    Insert(table.name, row["uuid"], row["id"], full, row.get("updated_at"))
                )
                if stamped:
                    self.plan.seen.append(
                        Seen(
                            table.name,
                            row["uuid"],
                            row["uuid"],
                            row["updated_at"],
                            row["updated_at"],
                        )
                    )
                continue
            refs[row["id"]] = target["id"]
            if target["uuid"] != row["uuid"]:
                self.alias[row["uuid"]] = target["uuid"]
            if stamped:
                self._compare(table, row, values, target, bases.get(row["uuid"]))

    def _target_rows(self, table: Table, column: str, values: Sequence[Any]) -> dict[Any, Any]:
        found: dict[Any, Any] = {}
        for chunk in chunks(values):
            for row in self.target.execute(
                select(table).where(table.c[column].in_(chunk))
            ).mappings():
                found[row[column]] = row
        return found

    def _bases(self, uuids: Sequence[str]) -> dict[str, MergeBase]:
        found: dict[str, MergeBase] = {}
        for chunk in chunks(uuids):
            for base in self.target.scalars(
                select(MergeBase).where(MergeBase.source_uuid.in_(chunk))
            ):
                found[base.source_uuid] = base
        return found

    def _by_natural_key(
        self, table: Table, candidates: list[dict[str, Any]]
    ) -> dict[tuple[str, ...], dict[tuple[Any, ...], Any]]:
        found: dict[tuple[str, ...], dict[tuple[Any, ...], Any]] = {}
        for names in _natural_keys(table):
            wanted = set()
            for values in candidates:
                key = tuple(values[n] for n in names)
                if all(isinstance(v, int | str) for v in key):
                    wanted.add(key)
            index: dict[tuple[Any, ...], Any] = {}
            columns = [table.c[n] for n in names]
            ordered = sorted(wanted)
            for chunk in chunks(ordered):
                condition = (
                    columns[0].in_([k[0] for k in chunk])
                    if len(columns) == 1
                    else tuple_(*columns).in_(list(chunk))
                )
                for row in self.target.execute(select(table).where(condition)).mappings():
                    index[tuple(row[n] for n in names)] = row
            found[names] = index
        return found

    def _match_by_key(
        self,
        table: Table,
        row: Any,
        values: dict[str, Any],
        by_key: dict[tuple[str, ...], dict[tuple[Any, ...], Any]],
    ) -> Any:
        for names, index in by_key.items():
            key = tuple(values[n] for n in names)
            target = index.get(key)
            if target is not None:
                self.plan.matches.append(
                    Match(
                        entity_name(table.name),
                        label(table.name, target),
                        _key_words(table.name, row, names, key),
                        row["uuid"],
                        target["uuid"],
                        row.get("kind") if table.name == "person" else None,
                    )
                )
                return target
        return None

    def _compare(
        self,
        table: Table,
        row: Any,
        values: dict[str, Any],
        target: Any,
        base: MergeBase | None,
    ) -> None:
        differ = [c for c, v in values.items() if v != target[c]]
        source_at, target_at = row["updated_at"], target["updated_at"]
        if not differ:
            if base is None:
                self.plan.seen.append(
                    Seen(table.name, row["uuid"], target["uuid"], source_at, target_at)
                )
            return
        source_changed = (
            base is None or base.source_seen is None or _after(source_at, base.source_seen)
        )
        target_changed = (
            base is None or base.target_seen is None or _after(target_at, base.target_seen)
        )
        if not source_changed:
            return  # only this database changed it (or it kept its own last time): keep it
        # A unique value (a district ID) another record here already holds stays as it is.
        differ = [c for c in differ if not self._held_elsewhere(table, c, values[c], target)]
        if not differ:
            return
        new = {c: values[c] for c in differ}
        old = {c: target[c] for c in differ}
        conflict = None
        if target_changed:
            source_wins = {
                KEEP_NEWER: _after(source_at, target_at),
                KEEP_THIS: False,
                KEEP_OTHER: True,
            }[self.keep]
            conflict = Conflict(
                entity_name(table.name),
                label(table.name, target),
                target["uuid"],
                tuple(differ),
                "source" if source_wins else "target",
                source_at,
                target_at,
                old if source_wins else {c: row[c] for c in differ},
            )
            if not source_wins:
                self.plan.kept.append(conflict)
                self.plan.seen.append(
                    Seen(table.name, row["uuid"], target["uuid"], source_at, target_at)
                )
                return
        after = max((t for t in (source_at, target_at) if t is not None), default=None)
        self.plan.updates.append(
            Update(
                table.name,
                target["id"],
                target["uuid"],
                row["uuid"],
                new,
                old,
                after,
                source_at,
                conflict,
            )
        )
        self.plan.seen.append(Seen(table.name, row["uuid"], target["uuid"], source_at, after))

    def _held_elsewhere(self, table: Table, column: str, value: Any, target: Any) -> bool:
        if value is None or (column,) not in _natural_keys(table):
            return False
        holder = self.target.scalar(
            select(table.c.id).where(table.c[column] == value, table.c.id != target["id"])
        )
        return holder is not None

    # -- the audit trail ------------------------------------------------------------------

    def _audit(self) -> None:
        table: Table = AuditEvent.__table__  # type: ignore[assignment]
        rows = self.source.execute(select(table).order_by(table.c.id)).mappings().all()
        present: set[str] = set()
        uuids = [r["uuid"] for r in rows]
        for chunk in chunks(uuids):
            present.update(self.target.scalars(select(table.c.uuid).where(table.c.uuid.in_(chunk))))
        for row in rows:
            if row["uuid"] in present:
                continue
            line = {c: row[c] for c in row if c != "id"}
            entity = line.get("entity_uuid")
            if entity in self.alias:
                line["entity_uuid"] = self.alias[entity]
            self.plan.audit.append(line)


def _after(one: datetime | None, other: datetime | None) -> bool:
    if one is None:
        return False
    return other is None or one > other


def build_plan(
    source: Session, target: Session, source_name: str, keep: str = KEEP_NEWER
) -> MergePlan:
    """What merging ``source`` into ``target`` would do (reads both, writes nothing)."""
    return Planner(source, target, source_name, keep).build()
