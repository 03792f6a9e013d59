"""search everywhere: the index can filter by kind, so one query serves a keystroke

Revision ID: 0012_search_by_kind
Revises: 0011_foreign_key_indexes

Ctrl+K shows a few results of each kind (people, cases, circles, agreements, their items,
notes). With the kind stored unindexed, a query for a rare kind walked every match of a common
prefix before it found a handful of notes: six queries per keystroke, about 190 ms on a
district's ten years. The index now also holds one token per row naming its kind (``tag``:
``kperson``, ``kcase``, ``kcircle``, ``kagreement``, ``kagreementitem``, ``knote``,
``kprivatenote``), so ``tag : knote AND (...)`` jumps through the short list of notes
instead, and one statement asks for every kind at once.

The table is rebuilt from the records (FTS5 cannot add a column); the triggers are made again
with the tag. As in 0002, the text below is frozen on purpose.
"""

from __future__ import annotations

from alembic import op

revision = "0012_search_by_kind"
down_revision = "0011_foreign_key_indexes"
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

_WATCHED = {
    "person": "first_name, preferred_name, last_name, external_id",
    "case_file": "incident_category, location, description",
    "circle": "title, purpose, location, case_id",
    "agreement": "harm_summary, case_id",
    "agreement_item": "action, agreement_id",
    "note": "text, privacy, circle_id",
}


def _select(table: str, alias: str, *, tagged: bool) -> str:
    code, kind, parent, title, body = _SOURCES[table]
    exprs = [f"{alias}.id * 8 + {code}", kind, f"{alias}.id", parent, title, body]
    if tagged:
        exprs.append(f"'k' || replace({kind}, '_', '')")
    return "SELECT " + ", ".join(e.replace("r.", f"{alias}.") for e in exprs)


def _build(*, tagged: bool) -> None:
    columns = "rowid, kind, ref_id, parent_id, title, body" + (", tag" if tagged else "")
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "kind UNINDEXED, ref_id UNINDEXED, parent_id UNINDEXED, title, body"
        + (", tag" if tagged else "")
        + ", tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
    )
    for table, (code, *_rest) in _SOURCES.items():
        select = _select(table, "r", tagged=tagged)
        op.execute(f"INSERT INTO search_index ({columns}) {select} FROM {table} r")
        op.execute(
            f"CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO search_index ({columns}) {_select(table, 'new', tagged=tagged)}; END"
        )
        op.execute(
            f"CREATE TRIGGER search_{table}_au AFTER UPDATE OF {_WATCHED[table]} ON {table} BEGIN "
            f"DELETE FROM search_index WHERE rowid = old.id * 8 + {code}; "
            f"INSERT INTO search_index ({columns}) {_select(table, 'new', tagged=tagged)}; END"
        )
        op.execute(
            f"CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN "
            f"DELETE FROM search_index WHERE rowid = old.id * 8 + {code}; END"
        )
    op.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")


def _drop() -> None:
    for table in _SOURCES:
        for suffix in ("ai", "au", "ad"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")
    op.execute("DROP TABLE IF EXISTS search_index")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop()
    _build(tagged=True)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop()
    _build(tagged=False)
