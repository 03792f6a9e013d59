"""Helpers for the merge tests: a laptop's database, and a full dump of a database to compare."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select

from circlekeeper.core.store.models import Base


def dump(target: Path | str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the models describe, in key order, as plain text values."""
    url = target if isinstance(target, str) else f"sqlite:///{target}"
    engine = create_engine(url)
    try:
        found: dict[str, list[tuple[Any, ...]]] = {}
        with engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                order = list(table.primary_key.columns)
                rows = conn.execute(select(table).order_by(*order)).all()
                found[table.name] = [tuple(str(v) for v in row) for row in rows]
        return found
    finally:
        engine.dispose()
