"""Every foreign-key column has an index, so following a reference never scans a whole table."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from circlekeeper.core.store.schema_version import is_managed_table


def _unindexed_references(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        tables = [
            str(row[0])
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            if is_managed_table(str(row[0]))
        ]
        missing = []
        for table in tables:
            # A column is looked up quickly when it leads an index (or the primary key).
            leading = {
                str(info[1])
                for info in conn.execute(f"PRAGMA table_info('{table}')")
                if info[5] == 1
            }
            for index in conn.execute(f"PRAGMA index_list('{table}')"):
                columns = [str(c[2]) for c in conn.execute(f"PRAGMA index_info('{index[1]}')")]
                if columns:
                    leading.add(columns[0])
            for reference in conn.execute(f"PRAGMA foreign_key_list('{table}')"):
                if str(reference[3]) not in leading:
                    missing.append(f"{table}.{reference[3]} -> {reference[2]}")
        return missing
    finally:
        conn.close()


def test_every_foreign_key_column_leads_an_index(migrated_template: Path) -> None:
    # Given a database built through every migration
    # When each table's foreign keys are compared with its indexes
    missing = _unindexed_references(migrated_template)
    # Then no reference is left to a full-table scan
    assert missing == []


def test_the_check_sees_an_unindexed_reference(tmp_path: Path) -> None:
    # Given a table whose reference has no index
    path = tmp_path / "plain.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE person (id INTEGER PRIMARY KEY)")
        conn.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, person_id REFERENCES person(id))")
    # Then the check names it
    assert _unindexed_references(path) == ["note.person_id -> person"]
