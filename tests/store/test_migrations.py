"""The alembic chain builds exactly the schema the models describe, both ways."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from circlekeeper.core.paths import migrations_dir
from circlekeeper.core.store.models import Base
from circlekeeper.core.store.schema_version import HEAD, REVISIONS, is_managed_table


def _config(path: Path) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    return config


def test_known_revisions_match_the_alembic_chain() -> None:
    # Given the migration scripts on disk
    script = ScriptDirectory.from_config(_config(Path("unused.sqlite3")))
    chain = [rev.revision for rev in script.walk_revisions()]
    # Then start-up's list of known versions is that chain, oldest first, with one head
    assert tuple(reversed(chain)) == REVISIONS
    assert script.get_heads() == [HEAD]


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    command.upgrade(_config(path), "head")
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                # The FTS5 search index is made by hand in a migration; the models skip it.
                "include_name": lambda name, type_, _parents: (
                    type_ != "table" or is_managed_table(name)
                ),
            },
        )
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_downgrade_to_base_and_up_again_on_a_populated_database(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    config = _config(path)
    command.upgrade(config, "head")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO person (uuid, created_at, updated_at, kind, first_name, last_name,"
            " search_text) VALUES ('u1', '2026-01-01T00:00:00+00:00',"
            " '2026-01-01T00:00:00+00:00', 'student', 'Ana', 'Ruiz', 'ana ruiz')"
        )
    command.downgrade(config, "base")
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables <= {"alembic_version"}
    command.upgrade(config, "head")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        assert conn.execute("SELECT count(*) FROM person").fetchone() == (0,)


def _insert_case(conn: sqlite3.Connection, uuid: str, category: str) -> None:
    conn.execute(
        "INSERT INTO case_file (uuid, created_at, updated_at, referred_on, referral_source,"
        " incident_category, description, status, diverted_from, consequence_reinstated)"
        " VALUES (?, '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00', '2026-01-05',"
        " 'teacher', ?, '', 'referred', 'none', 0)",
        (uuid, category),
    )


def test_incident_vocabulary_maps_old_free_text_and_flags_the_unknown(tmp_path: Path) -> None:
    # Given referrals typed freely before the vocabulary existed
    path = tmp_path / "db.sqlite3"
    config = _config(path)
    command.upgrade(config, "0004_person_directory_index")
    with sqlite3.connect(path) as conn:
        _insert_case(conn, "c1", "Fighting")
        _insert_case(conn, "c2", "  bullying OR harassment ")
        _insert_case(conn, "c3", "Pushed in the lunch line")
    # When the vocabulary migration runs
    command.upgrade(config, "head")
    with sqlite3.connect(path) as conn:
        rows = dict(
            conn.execute(
                "SELECT c.uuid, t.key || '|' || coalesce(t.swis_behavior, '') || '|'"
                " || t.needs_mapping FROM case_file c JOIN incident_type t"
                " ON t.id = c.incident_type_id"
            ).fetchall()
        )
        kept = conn.execute("SELECT incident_category FROM case_file WHERE uuid = 'c3'").fetchone()
        flagged = conn.execute("SELECT label FROM incident_type WHERE needs_mapping = 1").fetchall()
    # Then known words get their SWIS code, the unknown text is kept as its own flagged type
    assert rows["c1"] == "fighting|Fighting|0"
    assert rows["c2"] == "bullying|Bullying|0"
    assert rows["c3"] == "pushed_in_the_lunch_line||1"
    assert kept == ("Pushed in the lunch line",)
    assert flagged == [("Pushed in the lunch line",)]


def test_incident_vocabulary_downgrade_keeps_the_search_triggers(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    config = _config(path)
    command.upgrade(config, "0004_person_directory_index")

    def triggers() -> set[str]:
        with sqlite3.connect(path) as conn:
            sql = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'case_file'"
            return {r[0] for r in conn.execute(sql)}

    before = triggers()
    command.upgrade(config, "head")
    assert triggers() == before
    command.downgrade(config, "0004_person_directory_index")
    assert triggers() == before and before
    with sqlite3.connect(path) as conn:
        _insert_case(conn, "c9", "Zanzibarite quarrel")
        found = conn.execute(
            "SELECT count(*) FROM search_index WHERE search_index MATCH 'zanzibarite'"
        ).fetchone()
    assert found == (1,)
