"""Opening a database on a district's PostgreSQL server: check, migrate or refuse.

The same states as a file (:class:`SchemaState`): an empty database is set up, an older one is
upgraded in one transaction (PostgreSQL runs DDL in transactions, so a failed or interrupted
upgrade leaves the database as it was), a newer one or another application's is refused.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from circlekeeper.core.i18n import _
from circlekeeper.core.store.database import (
    CIRCLEKEEPER_TABLES,
    Database,
    SchemaCheck,
    SchemaState,
)
from circlekeeper.core.store.engine import make_session_factory
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.core.store.schema_version import HEAD, REVISIONS
from circlekeeper.core.store.server import (
    connection_problem,
    describe,
    make_server_engine,
    parse_url,
    server_version,
)

# Two laptops opening an empty district database at once must not both build it.
_UPGRADE_LOCK = 0x63697263  # "circ"


def _tables(conn: Connection) -> set[str]:
    return set(
        conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
    )


def inspect_connection(conn: Connection, where: str) -> SchemaCheck:
    """What the connected database holds, without changing it."""
    tables = _tables(conn)
    if not tables:
        return SchemaCheck(SchemaState.EMPTY, None)
    foreign = (
        f"The database {where} belongs to another application (it has tables circlekeeper did "
        "not make). Nothing was changed. Give circlekeeper a database of its own."
    )
    if "alembic_version" not in tables:
        raise DatabaseProblem(foreign)
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision is None:
        return SchemaCheck(SchemaState.EMPTY, None)
    if revision == HEAD:
        return SchemaCheck(SchemaState.CURRENT, revision)
    if revision in REVISIONS:
        return SchemaCheck(SchemaState.OUTDATED, revision)
    if not tables >= CIRCLEKEEPER_TABLES:
        raise DatabaseProblem(foreign)
    return SchemaCheck(SchemaState.NEWER, revision)


def inspect_server(engine: Engine) -> SchemaCheck:
    """What the server's database holds: whose it is and at which revision."""
    with engine.connect() as conn:
        return inspect_connection(conn, describe(engine.url))


def _upgrade(engine: Engine) -> None:
    """Run the alembic chain under a lock, in one transaction (see the module notes)."""
    from alembic import command
    from alembic.config import Config

    from circlekeeper.core.paths import migrations_dir

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
        state = inspect_connection(connection, describe(engine.url))
        if state.state is SchemaState.CURRENT:
            return  # someone else upgraded it while we waited for the lock
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_server(url: str, *, migrate: bool = True, create: bool = True) -> Database:
    """Open a circlekeeper database on a PostgreSQL server, migrating it when it is older.

    Raises :class:`DatabaseProblem` in plain words, with nothing changed, for a wrong host,
    port, user, password or database name, a server older than PostgreSQL 13, a database that
    belongs to another application or to a newer circlekeeper. With ``create=False`` (commands
    that only read) a database circlekeeper has not set up yet is refused.
    """
    parsed = parse_url(url)
    where = describe(parsed)
    engine = make_server_engine(parsed)
    try:
        server_version(engine)
        state = inspect_server(engine)
        if state.state is SchemaState.NEWER:
            raise DatabaseProblem(
                _(
                    "{where} was made by a newer version of circlekeeper (schema "
                    "{revision}). This version cannot use it safely and has not changed it. "
                    "Install the newer circlekeeper to open it.",
                    where=where,
                    revision=state.revision,
                )
            )
        if state.state is SchemaState.EMPTY and not create:
            raise DatabaseProblem(
                _(
                    "{where} holds no circlekeeper data yet, so there is nothing to read. Nothing "
                    "was changed. Set it up first with 'circlekeeper db upgrade --database URL'.",
                    where=where,
                )
            )
        if state.state is SchemaState.OUTDATED and not migrate:
            raise DatabaseProblem(
                _(
                    "{where} was made by an older circlekeeper and needs upgrading: "
                    "run 'circlekeeper db upgrade'.",
                    where=where,
                )
            )
        if state.state is not SchemaState.CURRENT:
            _upgrade(engine)
    except DBAPIError as exc:
        engine.dispose()
        problem = connection_problem(exc, where)
        if problem is None:
            raise
        raise problem from exc
    except BaseException:
        engine.dispose()
        raise
    return Database(None, engine, make_session_factory(engine), server=where)


def server_checks(db: Database) -> list[str]:
    """The server's own checks of a circlekeeper database: what is wrong, or nothing.

    The schema version, the search index present and kept by its triggers, the audit trail's
    guard in place, and no broken reference (PostgreSQL enforces those itself; a foreign key
    turned off or a trigger disabled would show here).
    """
    problems: list[str] = []
    with db.engine.connect() as conn:
        state = inspect_connection(conn, db.location)
        if state.state is SchemaState.OUTDATED:
            problems.append(_("needs upgrading: run 'circlekeeper db upgrade'"))
        elif state.state is SchemaState.EMPTY:
            problems.append(_("holds no circlekeeper data yet"))
        elif state.state is SchemaState.NEWER:
            problems.append(
                _(
                    "made by a newer circlekeeper (schema {revision})",
                    revision=state.revision,
                )
            )
        if state.state is not SchemaState.CURRENT:
            return problems
        triggers = {
            str(row.tgname): str(row.tgenabled)
            for row in conn.execute(
                text(
                    "SELECT t.tgname, t.tgenabled FROM pg_trigger t "
                    "JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"
                )
            )
        }
        for needed, what in (
            ("audit_event_append_only", "the audit trail's guard against edits"),
            ("search_person_sync", "the search index's upkeep"),
            ("search_note_sync", "the search index's upkeep"),
        ):
            if triggers.get(needed, "D") == "D":
                problems.append(
                    _(
                        "{what} is missing or switched off (trigger {needed})",
                        what=what,
                        needed=needed,
                    )
                )
        unchecked = conn.execute(
            text(
                "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated "
                "AND connamespace = current_schema()::regnamespace"
            )
        ).scalar_one()
        if unchecked:
            problems.append(
                _(
                    "{unchecked} references between records are not enforced",
                    unchecked=unchecked,
                )
            )
    return sorted(set(problems), key=problems.index)
