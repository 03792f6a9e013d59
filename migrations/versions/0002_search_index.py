"""search everywhere: an FTS5 index kept in sync by triggers

Revision ID: 0002_search_index
Revises: 0001_initial
Create Date: 2026-11-27 10:00:00

Why triggers and not service-level updates: records are written by many services, by the demo
builder's bulk inserts straight into SQLite, and later by merges of several laptops' databases.
Triggers keep the index right whoever writes, inside the writer's own transaction. Each indexed
row's FTS rowid is ``id * 8 + kind code``, so a trigger finds its index row by rowid instead of
scanning the index.

The index exists only on SQLite; on another database (a district server) search falls back to
the server's own tools and this revision does nothing.

The text below is frozen on purpose: a migration must keep building the same schema even when the
application code changes later.
"""

from __future__ import annotations

from alembic import op

revision = "0002_search_index"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

# table -> (kind code, kind expression, parent id, title, body), in terms of a row alias "r".
_SOURCES: dict[str, tuple[int, str, str, str, str]] = {
    "person": (
        1,
        "'person'",
        "NULL",
        "r.first_name || ' ' || coalesce(r.preferred_name || ' ', '') || r.last_name",
        "coalesce(r.external_id, '')",
    ),
    "case_file": (
        2,
        "'case'",
        "NULL",
        "r.incident_category",
        "coalesce(r.location, '') || ' ' || r.description",
    ),
    "circle": (
        3,
        "'circle'",
        "r.case_id",
        "r.title",
        "r.purpose || ' ' || coalesce(r.location, '')",
    ),
    "agreement": (4, "'agreement'", "r.case_id", "''", "r.harm_summary"),
    "agreement_item": (5, "'agreement_item'", "r.agreement_id", "r.action", "''"),
    "note": (
        6,
        "CASE r.privacy WHEN 'record' THEN 'note' ELSE 'private_note' END",
        "r.circle_id",
        "''",
        "r.text",
    ),
}


def _select(table: str, alias: str) -> str:
    code, kind, parent, title, body = _SOURCES[table]
    exprs = [f"{alias}.id * 8 + {code}", kind, f"{alias}.id", parent, title, body]
    return "SELECT " + ", ".join(e.replace("r.", f"{alias}.") for e in exprs)


_COLUMNS = "rowid, kind, ref_id, parent_id, title, body"

# Only changes to these columns touch the index: a circle's live state is written on every
# facilitation action and must not pay for re-indexing.
_WATCHED = {
    "person": "first_name, preferred_name, last_name, external_id",
    "case_file": "incident_category, location, description",
    "circle": "title, purpose, location, case_id",
    "agreement": "harm_summary, case_id",
    "agreement_item": "action, agreement_id",
    "note": "text, privacy, circle_id",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # unicode61 with remove_diacritics 2 folds case and accents ("nunez" finds "Núñez");
    # prefix indexes of 1-3 characters keep search-as-you-type quick on short prefixes.
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "kind UNINDEXED, ref_id UNINDEXED, parent_id UNINDEXED, title, body, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
    )
    for table, (code, *_rest) in _SOURCES.items():
        op.execute(f"INSERT INTO search_index ({_COLUMNS}) {_select(table, 'r')} FROM {table} r")
        op.execute(
            f"CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO search_index ({_COLUMNS}) {_select(table, 'new')}; END"
        )
        op.execute(
            f"CREATE TRIGGER search_{table}_au AFTER UPDATE OF {_WATCHED[table]} ON {table} BEGIN "
            f"DELETE FROM search_index WHERE rowid = old.id * 8 + {code}; "
            f"INSERT INTO search_index ({_COLUMNS}) {_select(table, 'new')}; END"
        )
        op.execute(
            f"CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN "
            f"DELETE FROM search_index WHERE rowid = old.id * 8 + {code}; END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in _SOURCES:
        for suffix in ("ai", "au", "ad"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")
    op.execute("DROP TABLE IF EXISTS search_index")
