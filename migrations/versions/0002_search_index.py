"""search everywhere: an FTS5 index kept in sync by triggers

Revision ID: 0002_search_index
Revises: 0001_initial
Create Date: 2026-11-27 10:00:00

Why triggers and not service-level updates: records are written by many services, by the demo
builder's bulk inserts straight into SQLite, and later by merges of several laptops' databases.
Triggers keep the index right whoever writes, inside the writer's own transaction. Each indexed
row's FTS rowid is ``id * 8 + kind code``, so a trigger finds its index row by rowid instead of
scanning the index.

On PostgreSQL (a district server) the same rows live in an ordinary ``search_index`` table with a
``tsvector`` document (titles weighted A, the rest B) under a GIN index; the text is folded with
``unaccent`` and the ``simple`` configuration, so search stays accent- and case-blind as on
SQLite. One trigger function per table keeps it in sync inside the writer's transaction.

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


def _upgrade_server() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute(
        "CREATE TABLE search_index (rowid BIGINT PRIMARY KEY, kind TEXT NOT NULL, "
        "ref_id INTEGER NOT NULL, parent_id INTEGER, title TEXT, body TEXT, "
        "document TSVECTOR NOT NULL)"
    )
    op.execute("CREATE INDEX ix_search_index_document ON search_index USING gin (document)")
    # Words are runs of letters and digits, anything else separates them, as FTS5's unicode61
    # tokenizer reads them: "S-20391" is "s" and "20391", never the number -20391.
    op.execute(
        "CREATE FUNCTION search_words(value TEXT) RETURNS TEXT LANGUAGE sql STABLE AS $$ "
        "SELECT regexp_replace(unaccent(coalesce(value, '')), '[^[:alnum:]]+', ' ', 'g') $$"
    )
    op.execute(
        "CREATE FUNCTION search_document(title TEXT, body TEXT) RETURNS TSVECTOR "
        "LANGUAGE sql STABLE AS $$ SELECT "
        "setweight(to_tsvector('simple', search_words(title)), 'A') || "
        "setweight(to_tsvector('simple', search_words(body)), 'B') $$"
    )
    insert = (
        f"INSERT INTO search_index ({_COLUMNS}, document) SELECT s.rowid, s.kind, s.ref_id, "
        "s.parent_id::integer, s.title, s.body, search_document(s.title, s.body)"
    )
    for table, (code, *_rest) in _SOURCES.items():
        op.execute(
            f"{insert} FROM ({_select(table, 'r')} FROM {table} r) "
            "AS s(rowid, kind, ref_id, parent_id, title, body)"
        )
        op.execute(
            f"CREATE FUNCTION search_{table}_sync() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN "
            "IF TG_OP <> 'INSERT' THEN "
            f"DELETE FROM search_index WHERE rowid = OLD.id * 8 + {code}; END IF; "
            "IF TG_OP <> 'DELETE' THEN "
            f"{insert} FROM ({_select(table, 'NEW')}) "
            "AS s(rowid, kind, ref_id, parent_id, title, body); END IF; "
            "RETURN NULL; END $$"
        )
        op.execute(
            f"CREATE TRIGGER search_{table}_sync AFTER INSERT OR DELETE OR UPDATE OF "
            f"{_WATCHED[table]} ON {table} FOR EACH ROW EXECUTE FUNCTION search_{table}_sync()"
        )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_server()
        return
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
    if op.get_bind().dialect.name == "postgresql":
        for table in _SOURCES:
            op.execute(f"DROP TRIGGER IF EXISTS search_{table}_sync ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS search_{table}_sync()")
        op.execute("DROP TABLE IF EXISTS search_index")
        op.execute("DROP FUNCTION IF EXISTS search_document(TEXT, TEXT)")
        op.execute("DROP FUNCTION IF EXISTS search_words(TEXT)")
        return
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in _SOURCES:
        for suffix in ("ai", "au", "ad"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")
    op.execute("DROP TABLE IF EXISTS search_index")
