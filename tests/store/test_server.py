"""A district's PostgreSQL server: the migrations' server branches and every refusal.

Each test talks to the throwaway cluster the fixtures start on 127.0.0.1 (``tests/pg_cluster.py``).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text, update
from tests.pg_cluster import Cluster

from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.search.search import search
from circlekeeper.core.store import server as server_module
from circlekeeper.core.store.database import Database, open_database
from circlekeeper.core.store.models import AuditEvent, Person
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.core.store.schema_version import HEAD
from circlekeeper.core.store.server_schema import server_checks


@pytest.fixture
def empty_database(pg_cluster: Cluster) -> str:
    name = f"empty_{uuid.uuid4().hex[:12]}"
    pg_cluster.sql(f"CREATE DATABASE {name}")
    return name


@pytest.fixture
def server_db(pg_url: str) -> Database:
    database = open_database(pg_url)
    yield database  # type: ignore[misc]
    database.close()


def _tables(cluster: Cluster, database: str) -> set[str]:
    rows = cluster.sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", database)
    return {str(row[0]) for row in rows}


def test_an_empty_database_is_set_up_with_the_whole_chain(
    pg_cluster: Cluster, empty_database: str
) -> None:
    # Given an empty database IT created for circlekeeper
    db = open_database(pg_cluster.url(empty_database))
    try:
        # Then it is on the newest schema, with the search index beside the models' tables
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        assert db.path is None and db.on_server
        assert db.location == f"postgresql://postgres@127.0.0.1:{pg_cluster.port}/{empty_database}"
        assert pg_cluster.password not in db.location
        assert server_checks(db) == []
    finally:
        db.close()
    assert {"person", "note", "audit_event", "search_index"} <= _tables(pg_cluster, empty_database)


def test_search_on_the_server_is_accent_blind_and_kept_in_the_same_transaction(
    server_db: Database,
) -> None:
    people = PeopleService(Context(server_db.sessions, actor="Dana"))
    row = people.create(PersonData("José", "Núñez", kind="student", grade="8"))
    # Found without accents, by prefixes, right after the write committed
    assert [h.id for h in search(server_db.sessions, "nun jo", kinds=("person",))] == [row.id]
    # A rename moves the index with it; the old name finds nothing
    people.update(row.id, PersonData("José", "Ibáñez", kind="student", grade="8"))
    assert search(server_db.sessions, "nunez", kinds=("person",)) == []
    assert [h.id for h in search(server_db.sessions, "IBANEZ", kinds=("person",))] == [row.id]
    # A write rolled back leaves no index row behind
    with server_db.sessions() as session:
        session.add(Person(first_name="Rolled", last_name="Back", kind="student"))
        session.flush()
        session.rollback()
    assert search(server_db.sessions, "rolled", kinds=("person",)) == []


@pytest.mark.parametrize("typed", ["'; DROP TABLE person; --", "a:*B | !b", "(x & y", "\\"])
def test_search_syntax_typed_on_the_server_is_plain_words(server_db: Database, typed: str) -> None:
    PeopleService(Context(server_db.sessions, actor="Dana")).create(
        PersonData("Ana", "Drop", kind="staff")
    )
    search(server_db.sessions, typed)  # no error, whatever was typed
    assert search(server_db.sessions, "drop", kinds=("person",))


def test_the_audit_trail_on_the_server_refuses_edits_deletions_and_truncation(
    server_db: Database, pg_cluster: Cluster
) -> None:
    PeopleService(Context(server_db.sessions, actor="Dana")).create(PersonData("Ana", "Ruiz"))
    for statement in (
        update(AuditEvent).values(actor="someone else"),
        text("DELETE FROM audit_event"),
        text("TRUNCATE audit_event"),
    ):
        with (
            pytest.raises(Exception, match="audit trail cannot be changed"),  # noqa: B017
            server_db.sessions.begin() as session,
        ):
            session.execute(statement)
    with server_db.sessions() as session:
        actors = set(session.scalars(select(AuditEvent.actor)))
    assert actors == {"Dana"}


def test_server_columns_are_typed_checked_and_indexed(server_db: Database) -> None:
    with server_db.engine.connect() as conn:
        # Every moment is a real timestamptz
        kinds = dict(
            conn.execute(
                text(
                    "SELECT table_name || '.' || column_name, data_type "
                    "FROM information_schema.columns WHERE table_schema = 'public' "
                    "AND (column_name LIKE '%\\_at' OR column_name = 'at')"
                )
            ).all()
        )
        assert kinds and set(kinds.values()) == {"timestamp with time zone"}, kinds
        # Every foreign key's first column leads some index
        unindexed = conn.execute(
            text(
                "SELECT c.conrelid::regclass || '.' || a.attname FROM pg_constraint c "
                "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
                "WHERE c.contype = 'f' AND NOT EXISTS (SELECT 1 FROM pg_index i "
                "WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])"
            )
        ).all()
        assert unindexed == []
    # An enumerated column refuses a value the app does not know
    with (
        pytest.raises(Exception, match="ck_person_kind_known"),  # noqa: B017
        server_db.sessions.begin() as session,
    ):
        session.add(Person(first_name="A", last_name="B", kind="wizard"))
    # Times come back aware and equal to what was written
    moment = datetime(2026, 3, 2, 14, 0, 0, 123456, tzinfo=UTC)
    with server_db.sessions.begin() as session:
        person = Person(first_name="C", last_name="D", kind="staff", archived_at=moment)
        session.add(person)
    with server_db.sessions() as session:
        assert session.get(Person, person.id).archived_at == moment  # type: ignore[union-attr]


def test_a_wrong_password_user_port_host_or_name_is_refused_in_plain_words(
    pg_cluster: Cluster, pg_url: str
) -> None:
    name = pg_url.rsplit("/", 1)[1]
    cases = {
        pg_cluster.url(name, password="wrong"): "user name or password is wrong",
        pg_cluster.url(name, user="nobody", password="x"): "user name or password is wrong",
        pg_cluster.url("no_such_database"): "no database named",
        f"postgresql+psycopg://postgres:x@127.0.0.1:1/{name}": "Could not reach the server",
        "postgresql+psycopg2://postgres@127.0.0.1/x": "psycopg 3 only",
        "postgresql+psycopg://postgres@127.0.0.1:5432": "names no database",
    }
    for url, words in cases.items():
        with pytest.raises(DatabaseProblem, match=words) as caught:
            open_database(url)
        assert pg_cluster.password not in str(caught.value)
        assert "Nothing was" in str(caught.value)


def test_an_older_server_is_refused_before_anything_is_written(
    pg_cluster: Cluster, empty_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a circlekeeper that needs a newer PostgreSQL than this server's
    running = int(pg_cluster.sql("SHOW server_version_num")[0][0]) // 10000
    monkeypatch.setattr(server_module, "MINIMUM_MAJOR", running + 1)
    with pytest.raises(DatabaseProblem, match=f"runs PostgreSQL {running}; circlekeeper needs"):
        open_database(pg_cluster.url(empty_database))
    assert _tables(pg_cluster, empty_database) == set()


def test_another_applications_database_is_refused_and_left_alone(
    pg_cluster: Cluster, empty_database: str
) -> None:
    pg_cluster.sql("CREATE TABLE invoices (id int)", empty_database)
    with pytest.raises(DatabaseProblem, match="belongs to another application"):
        open_database(pg_cluster.url(empty_database))
    assert _tables(pg_cluster, empty_database) == {"invoices"}


def test_a_database_from_a_newer_circlekeeper_is_refused_unchanged(
    pg_cluster: Cluster, pg_url: str
) -> None:
    name = pg_url.rsplit("/", 1)[1]
    pg_cluster.sql("UPDATE alembic_version SET version_num = '0999_future'", name)
    with pytest.raises(DatabaseProblem, match="newer version of circlekeeper"):
        open_database(pg_url)
    assert pg_cluster.sql("SELECT version_num FROM alembic_version", name) == [("0999_future",)]


def test_a_connection_lost_in_the_middle_of_a_write_keeps_nothing_half_written(
    pg_cluster: Cluster, server_db: Database
) -> None:
    name = server_db.engine.url.database
    people = PeopleService(Context(server_db.sessions, actor="Dana"))
    people.create(PersonData("Kept", "Before", kind="staff"))
    with (
        pytest.raises(DatabaseProblem, match="connection to the server .* was lost"),
        server_db.sessions.begin() as session,
    ):
        session.add(Person(first_name="Half", last_name="Written", kind="staff"))
        session.flush()
        # The network drops (the server ends this connection) before the commit
        pg_cluster.sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND application_name = 'circlekeeper'"
        )
        session.add(Person(first_name="Second", last_name="Half", kind="staff"))
    # The pool replaces the dead connection: the next operation works, and only the first
    # person is there
    with server_db.sessions() as session:
        names = set(session.scalars(select(Person.last_name)))
    assert names == {"Before"}


def test_the_whole_chain_goes_down_and_up_again_on_the_server(
    pg_cluster: Cluster, empty_database: str
) -> None:
    from alembic import command
    from alembic.config import Config

    from circlekeeper.core.paths import migrations_dir

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", pg_cluster.url(empty_database))
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    assert _tables(pg_cluster, empty_database) == {"alembic_version"}
    command.upgrade(config, "head")
    assert pg_cluster.sql("SELECT version_num FROM alembic_version", empty_database) == [(HEAD,)]


def test_the_app_never_waits_for_the_server_to_compile_a_statement(
    pg_url: str, server_db: Database
) -> None:
    # PostgreSQL compiles a statement it costs above jit_above_cost to machine code first: a
    # Ctrl+K "show all" on a district's ten years waited 50 ms for that (200 ms to 3 s for a
    # misjudged statement) to run a statement of a fraction of a millisecond, and the
    # programme reports ran no faster with it. The app's connections ask for none; whatever
    # else the address's options set is kept.
    with server_db.engine.connect() as conn:
        assert conn.execute(text("SHOW jit")).scalar() == "off"
    with_options = open_database(f"{pg_url}?options=-c%20work_mem%3D8MB")
    try:
        with with_options.engine.connect() as conn:
            assert conn.execute(text("SHOW jit")).scalar() == "off"
            assert conn.execute(text("SHOW work_mem")).scalar() == "8MB"
    finally:
        with_options.close()
