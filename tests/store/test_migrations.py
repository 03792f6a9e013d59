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
