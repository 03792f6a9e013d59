"""a server's Ctrl+K reads each kind's words in order, so a short prefix stops after a few rows

Revision ID: 0022_search_words
Revises: 0021_open_items_by_due_date

On PostgreSQL only (an SQLite file is unchanged: FTS5 keeps to a kind inside its index through
the kind's token, migration 0012, and stops at the LIMIT).

Ctrl+K asks, for each kind, for the first few records holding every typed word as the start of
one of their words. The server's ``search_index`` answers from a GIN index on ``document``,
which can neither keep to one kind nor stop at the LIMIT: a one- or two-letter prefix first
builds a bitmap of every document holding a word that starts so (most of them), and for a
prefix rare in one kind the planner, taking kind and prefix as independent, reads the whole
table. On the large demo (5.5 million words in 475,000 documents) that was 13 ms a key at the
median and 170 ms at the 95th percentile.

``search_word`` lists every distinct word of every document, keyed ``(kind, word, rowid)``
(``word`` in the "C" collation, so a prefix is one range of the key): each kind's words are in
order. A typed word is one range, read from its start; each entry leads by ``rowid`` to its
document, which is tested against the whole query (every typed word), so the range is read
only until the kind has its few rows. With several words typed,
the one with the fewest entries in that kind (counted up to a cap) leads. What a key reads
depends on the page asked for, not on how much the server holds.

One trigger on ``search_index`` keeps the list in the writer's own transaction (the tables'
triggers of 0002 write the index, so every writer is covered: the app, merges, retention): a
document's words go in with it, and out with it, found by key from the old document's words.

Row-level security follows ``search_index``'s (0014): the words of a private note are read
only by those who may read the note. The group roles get the rights they have on
``search_index``: counselors and administrators write through the trigger, an SRO role reads.

The index's triggers now run as the database's owner (``SECURITY DEFINER``, with the search
path pinned). Until now they ran as whoever wrote, under that role's row-level security, which
hides a private note's copy once the note is gone or is someone else's: a counselor's role
deleting a note of hers, or a circle and with it anyone's notes, deleted the note and left its
text in ``search_index``. The copies such deletions left behind are removed here (every index
row whose record is gone), before the word list is built.

On the large demo the list takes about 510 MB (the heap and its key); the upgrade, the look for
copies left behind included, about 14 s.

The text below is frozen on purpose: a migration must keep building the same schema even when the
application code changes later.
"""

from __future__ import annotations

from alembic import op

revision = "0022_search_words"
down_revision = "0021_open_items_by_due_date"
branch_labels = None
depends_on = None

COUNSELOR = "circlekeeper_counselor"
ADMINISTRATOR = "circlekeeper_administrator"
SRO = "circlekeeper_sro"
KEEPERS = f"{COUNSELOR}, {ADMINISTRATOR}"

TABLE = "search_word"
KEY = f"pk_{TABLE}"
NOTE_CODE = 8  # a note's rowid in search_index is its id * 8 + 6 (0002)
# The tables 0002 indexes, each with its trigger function search_<table>_sync(), and the kinds
# their rows are indexed under.
INDEXED = {
    "person": ("person",),
    "case_file": ("case",),
    "circle": ("circle",),
    "agreement": ("agreement",),
    "agreement_item": ("agreement_item",),
    "note": ("note", "private_note"),
}


def _schema() -> str:
    return str(op.get_bind().exec_driver_sql("SELECT current_schema()").scalar())


def _as_owner(function: str) -> str:
    return f"ALTER FUNCTION {function}() SECURITY DEFINER SET search_path = {_schema()}, pg_temp"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, kinds in INDEXED.items():
        op.execute(_as_owner(f"search_{table}_sync"))
        listed = ", ".join(f"'{kind}'" for kind in kinds)
        op.execute(
            f"DELETE FROM search_index s WHERE s.kind IN ({listed}) "
            f"AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.id = s.ref_id)"
        )
    op.execute(
        f'CREATE TABLE {TABLE} (kind TEXT NOT NULL, word TEXT COLLATE "C" NOT NULL, '
        "rowid BIGINT NOT NULL)"
    )
    # Filled before its key is built: one sort instead of 5.5 million insertions in order.
    op.execute(
        f"INSERT INTO {TABLE} (kind, word, rowid) "
        "SELECT kind, unnest(tsvector_to_array(document)), rowid FROM search_index"
    )
    op.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {KEY} PRIMARY KEY (kind, word, rowid)")
    op.execute(
        f"CREATE FUNCTION {TABLE}_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP <> 'INSERT' THEN "
        f"DELETE FROM {TABLE} WHERE kind = OLD.kind "
        "AND word = ANY(tsvector_to_array(OLD.document)) AND rowid = OLD.rowid; END IF; "
        "IF TG_OP <> 'DELETE' THEN "
        f"INSERT INTO {TABLE} (kind, word, rowid) "
        "SELECT NEW.kind, unnest(tsvector_to_array(NEW.document)), NEW.rowid; END IF; "
        "RETURN NULL; END $$"
    )
    op.execute(_as_owner(f"{TABLE}_sync"))
    op.execute(
        f"CREATE TRIGGER {TABLE}_sync AFTER INSERT OR DELETE OR UPDATE OF rowid, kind, document "
        f"ON search_index FOR EACH ROW EXECUTE FUNCTION {TABLE}_sync()"
    )
    op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY {TABLE}_readable ON {TABLE} FOR SELECT USING (kind <> 'private_note' "
        f"OR EXISTS (SELECT 1 FROM note n WHERE n.id = {TABLE}.rowid / {NOTE_CODE}))"
    )
    op.execute(f"CREATE POLICY {TABLE}_added ON {TABLE} FOR INSERT WITH CHECK (true)")
    op.execute(
        f"CREATE POLICY {TABLE}_changed ON {TABLE} FOR UPDATE USING (true) WITH CHECK (true)"
    )
    op.execute(f"CREATE POLICY {TABLE}_removed ON {TABLE} FOR DELETE USING (true)")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {TABLE} TO {KEEPERS}")
    op.execute(f"GRANT SELECT ON {TABLE} TO {SRO}")
    op.execute(f"ANALYZE {TABLE}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_sync ON search_index")
    op.execute(f"DROP FUNCTION IF EXISTS {TABLE}_sync()")
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
    for table in INDEXED:
        op.execute(f"ALTER FUNCTION search_{table}_sync() SECURITY INVOKER RESET search_path")
