"""What a piece of code asks the database, and how the database means to answer it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event

from circlekeeper.core.store.database import Database


def statements(db: Database, run: Callable[[], object]) -> list[tuple[str, Any]]:
    """Every statement (and its parameters) ``run`` sends through ``db``'s engine."""
    seen: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return seen


def plan(db: Database, statement: str, parameters: Any) -> str:
    """The engine's plan for one statement, as text (SQLite's or PostgreSQL's EXPLAIN)."""
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        if db.engine.dialect.name == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        # On a handful of rows the planner rightly prefers reading the table: forbid that, so
        # the plan shows whether an index path exists at all, as on a district's ten years.
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(f"EXPLAIN {statement}", parameters)
        return "\n".join(str(row[0]) for row in cursor.fetchall())
    finally:
        raw.close()
