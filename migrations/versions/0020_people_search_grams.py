"""people search reads lists kept in directory order, so a keystroke never scans the directory

Revision ID: 0020_people_search_grams
Revises: 0019_consent_withdrawn

Search as you type finds people by any part of their names or ID: every typed word must appear in
``person.search_text`` (names and ID, folded in Python: no case, no accents). Until now that was
a substring LIKE over the covering index ``ix_person_directory`` and a second full scan to count:
a rare word ("zz", "ngu") read all 51,000 rows of the large demo twice, 12 ms a keystroke.

``person_gram`` holds, for each person, every distinct piece of one, two or three characters of
their search text that has no space in it, keyed ``(gram, last_name, first_name, person_id)``:
each piece's people are listed in directory order. A typed word of up to three characters is
exactly one such list, read from its start (the first page is the first 200 entries, the count
stops at its cap); a longer word is a list for one of its three-character pieces, each entry
tested against the search text it carries (``search_text`` and ``archived`` are in the row, so
nothing is read from ``person``). What a keystroke reads depends on the page size and the cap,
not on how many people the directory holds.

An FTS5 trigram table (SQLite) or a pg_trgm GIN index (PostgreSQL) finds the matches quickly too,
but in rowid order, never in directory order: the first page then needs every match read and
sorted (10 ms for "mar" on the large demo), a cost that grows with the directory.

Triggers keep the lists in the writer's own transaction on both engines (the demo's bulk inserts,
the roster import, merges and retention's redaction and purge included): an insert adds the
person's pieces, a change to the names, the search text or the archive mark replaces them, a
delete removes them (found by key, from the old row's pieces, so no second index is needed). On
SQLite a trigger may not use WITH, so a person's positions come from ``json_each`` over an array
of ``length(search_text)`` zeros; on PostgreSQL from ``generate_series``. No foreign key: deleting
a person would then look for referring rows by ``person_id``, which no index leads.

On PostgreSQL the group roles of 0014 get the same rights on the new table as on ``person``'s
names: counselors and administrators write it through the trigger, an SRO role reads it (names,
the ID and the folded search text, no demographic).

The text below is frozen on purpose: a migration must keep building the same schema even when the
application code changes later.
"""

from __future__ import annotations

from alembic import op

revision = "0020_people_search_grams"
down_revision = "0019_consent_withdrawn"
branch_labels = None
depends_on = None

COUNSELOR = "circlekeeper_counselor"
ADMINISTRATOR = "circlekeeper_administrator"
SRO = "circlekeeper_sro"
KEEPERS = f"{COUNSELOR}, {ADMINISTRATOR}"

TABLE = "person_gram"
WATCHED = "search_text, last_name, first_name, archived_at"
LONGEST = 3  # core/people/matching.py GRAM_LENGTH at this revision


def _sqlite_pieces(row: str) -> tuple[str, str, str]:
    """FROM, WHERE and the piece expression for every gram of ``row``'s search text."""
    text = f"{row}.search_text"
    piece = f"substr({text}, place.key + 1, width.n)"
    lengths = " UNION ALL ".join(f"SELECT {n} AS n" for n in range(1, LONGEST + 1))
    source = (
        f"json_each('[' || rtrim(replace(hex(zeroblob(length({text}))), '00', '0,'), ',') "
        f"|| ']') AS place, ({lengths}) AS width"
    )
    keep = f"length({piece}) = width.n AND instr({piece}, ' ') = 0"
    return source, keep, piece


def _sqlite_insert(row: str) -> str:
    source, keep, piece = _sqlite_pieces(row)
    return (
        f"INSERT OR IGNORE INTO {TABLE} (gram, last_name, first_name, person_id, archived, "
        f"search_text) SELECT {piece}, {row}.last_name, {row}.first_name, {row}.id, "
        f"{row}.archived_at IS NOT NULL, {row}.search_text FROM {source} WHERE {keep}"
    )


def _sqlite_delete(row: str) -> str:
    source, keep, piece = _sqlite_pieces(row)
    return (
        f"DELETE FROM {TABLE} WHERE gram IN (SELECT {piece} FROM {source} WHERE {keep}) "
        f"AND last_name = {row}.last_name AND first_name = {row}.first_name "
        f"AND person_id = {row}.id"
    )


def _upgrade_sqlite() -> None:
    op.execute(
        f"CREATE TABLE {TABLE} (gram VARCHAR(3) NOT NULL, last_name VARCHAR(100) NOT NULL, "
        "first_name VARCHAR(100) NOT NULL, person_id INTEGER NOT NULL, "
        "archived BOOLEAN NOT NULL, search_text VARCHAR(400) NOT NULL, "
        f"CONSTRAINT pk_{TABLE} PRIMARY KEY (gram, last_name, first_name, person_id)) "
        "WITHOUT ROWID"
    )
    source, keep, piece = _sqlite_pieces("p")
    op.execute(
        f"INSERT OR IGNORE INTO {TABLE} (gram, last_name, first_name, person_id, archived, "
        f"search_text) SELECT {piece}, p.last_name, p.first_name, p.id, "
        f"p.archived_at IS NOT NULL, p.search_text FROM person p, {source} WHERE {keep}"
    )
    op.execute(
        f"CREATE TRIGGER {TABLE}_ai AFTER INSERT ON person BEGIN {_sqlite_insert('new')}; END"
    )
    op.execute(
        f"CREATE TRIGGER {TABLE}_au AFTER UPDATE OF {WATCHED} ON person BEGIN "
        f"{_sqlite_delete('old')}; {_sqlite_insert('new')}; END"
    )
    op.execute(
        f"CREATE TRIGGER {TABLE}_ad AFTER DELETE ON person BEGIN {_sqlite_delete('old')}; END"
    )


def _upgrade_server() -> None:
    op.execute(
        f"CREATE TABLE {TABLE} (gram VARCHAR(3) NOT NULL, last_name VARCHAR(100) NOT NULL, "
        "first_name VARCHAR(100) NOT NULL, person_id INTEGER NOT NULL, "
        "archived BOOLEAN NOT NULL, search_text VARCHAR(400) NOT NULL, "
        f"CONSTRAINT pk_{TABLE} PRIMARY KEY (gram, last_name, first_name, person_id) "
        "INCLUDE (archived, search_text))"
    )
    op.execute(
        "CREATE FUNCTION person_grams(value TEXT) RETURNS SETOF TEXT LANGUAGE sql IMMUTABLE AS $$ "
        "SELECT DISTINCT substr(value, place, width) "
        "FROM generate_series(1, length(value)) AS place, "
        f"generate_series(1, {LONGEST}) AS width "
        "WHERE length(substr(value, place, width)) = width "
        "AND strpos(substr(value, place, width), ' ') = 0 $$"
    )
    columns = "gram, last_name, first_name, person_id, archived, search_text"
    values = (
        "gram, {r}.last_name, {r}.first_name, {r}.id, {r}.archived_at IS NOT NULL, {r}.search_text"
    )
    op.execute(
        f"INSERT INTO {TABLE} ({columns}) SELECT {values.format(r='p')} "
        "FROM person p, person_grams(p.search_text) AS gram"
    )
    insert = (
        f"INSERT INTO {TABLE} ({columns}) SELECT {values.format(r='NEW')} "
        "FROM person_grams(NEW.search_text) AS gram"
    )
    op.execute(
        f"CREATE FUNCTION {TABLE}_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP <> 'INSERT' THEN "
        f"DELETE FROM {TABLE} WHERE gram IN (SELECT person_grams(OLD.search_text)) "
        "AND last_name = OLD.last_name AND first_name = OLD.first_name "
        "AND person_id = OLD.id; END IF; "
        f"IF TG_OP <> 'DELETE' THEN {insert}; END IF; "
        "RETURN NULL; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {TABLE}_sync AFTER INSERT OR DELETE OR UPDATE OF {WATCHED} ON person "
        f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_sync()"
    )
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {TABLE} TO {KEEPERS}")
    op.execute(f"GRANT SELECT ON {TABLE} TO {SRO}")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _upgrade_server()
    elif dialect == "sqlite":
        _upgrade_sqlite()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_sync ON person")
        op.execute(f"DROP FUNCTION IF EXISTS {TABLE}_sync()")
        op.execute(f"DROP TABLE IF EXISTS {TABLE}")
        op.execute("DROP FUNCTION IF EXISTS person_grams(TEXT)")
    elif dialect == "sqlite":
        for suffix in ("ai", "au", "ad"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {TABLE}")
