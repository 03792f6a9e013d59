"""Writes the demo's rows straight into SQLite in large batches, by the models' own tables.

Each row is given by column name; the statement is made from the model's table
(``Base.metadata``), so a misspelt or removed column fails at once instead of shifting values
into the wrong column, and a column added to a model needs no list here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.dialects import sqlite

from circlekeeper.core.store.models import Base

Cancelled = Callable[[], bool]

# The tables the demo fills, parents before children: flushed in this order, so every foreign
# key already has its row (and the search index fills in the same order as always).
TABLES = (
    "school",
    "person",
    "guardian_link",
    "case_file",
    "case_party",
    "family_contact",
    "circle",
    "participant",
    "stage_record",
    "turn",
    "note",
    "agreement",
    "agreement_item",
    "signature",
    "follow_up",
    "hand_off",
    "disclosure",
)
BATCH = 20_000


class DemoCancelled(Exception):
    """The person asked to stop; the partly built demo was removed."""


def ts(moment: datetime) -> str:
    # Exactly what UTCDateTime writes, so rows read back the same as ORM-written ones.
    return moment.isoformat(timespec="microseconds")


def b(value: bool | None) -> int | None:
    return None if value is None else int(value)


class Writer:
    """Buffers rows per table and writes them with executemany in large batches."""

    def __init__(self, conn: sqlite3.Connection, cancelled: Cancelled | None) -> None:
        self._conn = conn
        self._cancelled = cancelled
        self._rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLES}
        self._columns: dict[str, tuple[str, ...]] = {}
        self._sql: dict[str, str] = {}
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)

    def add(self, table: str, **row: Any) -> None:
        """Queue one row of ``table``; every row of a table names the same columns."""
        columns = self._columns.get(table) or self._prepare(table, row)
        if len(row) != len(columns):
            raise ValueError(f"a {table} row names other columns than the first one did")
        rows = self._rows[table]
        rows.append(tuple(row[name] for name in columns))
        self.counts[table] += 1
        if len(rows) >= BATCH:
            # Parents first, so every foreign key already has its row.
            self.flush_all()

    def _prepare(self, table: str, row: dict[str, Any]) -> tuple[str, ...]:
        model = Base.metadata.tables[table]
        unknown = sorted(set(row) - set(model.c.keys()))
        if unknown:
            raise ValueError(f"{table} has no column {', '.join(unknown)}")
        compiled = insert(model).compile(dialect=sqlite.dialect(), column_keys=list(row))
        columns = tuple(compiled.positiontup or ())
        if set(columns) != set(row):
            raise ValueError(f"{table} needs values for {sorted(set(columns) - set(row))}")
        self._columns[table] = columns
        self._sql[table] = str(compiled)
        return columns

    def flush(self, table: str) -> None:
        self.check()
        rows = self._rows[table]
        if rows:
            self._conn.executemany(self._sql[table], rows)
            rows.clear()

    def flush_all(self) -> None:
        for table in TABLES:  # listed parents before children
            self.flush(table)

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise DemoCancelled("The demo build was stopped; nothing was kept.")
