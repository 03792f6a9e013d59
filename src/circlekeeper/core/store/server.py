"""A district's circlekeeper on one PostgreSQL server (psycopg 3), opened by URL.

The same models and the same alembic chain as a file; what only a file has (pragmas, the quick
check, backups by copy, SQLCipher, VACUUM) has the server's own answer here. Every failure to
reach or read the server becomes a :class:`DatabaseProblem` in plain words that never shows
the password.
"""

from __future__ import annotations

import os
import re
import shlex
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session

from circlekeeper.core.i18n import _
from circlekeeper.core.store.addresses import SCHEMES
from circlekeeper.core.store.problems import DatabaseProblem, ServerUnreachable

# The oldest PostgreSQL major version circlekeeper supports (trusted unaccent, EXECUTE FUNCTION).
MINIMUM_MAJOR = 13
CONNECT_TIMEOUT = 10  # seconds: a wrong host says so quickly instead of hanging a counselor
LOST_AFTER = 8  # seconds without an answer before a connection counts as lost
# Seconds a bulk write (a merge) waits for a server too busy to read what it is sent.
BUSY_SERVER_PATIENCE = 300


def parse_url(url: str) -> URL:
    """The URL as SQLAlchemy reads it, always with psycopg 3; refuses anything else clearly."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseProblem(
            _(
                "The server address could not be read. Nothing was changed. Write it as "
                "postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE.",
            )
        ) from None
    backend, _ignored, driver = parsed.drivername.partition("+")
    if backend not in SCHEMES or driver not in ("", "psycopg"):
        raise DatabaseProblem(
            _(
                "circlekeeper talks to PostgreSQL through psycopg 3 only, not '{drivername}'. "
                "Nothing was changed. Write the address as "
                "postgresql+psycopg://USER@HOST/DATABASE.",
                drivername=parsed.drivername,
            )
        )
    if not parsed.database:
        raise DatabaseProblem(
            _(
                "The server address names no database (the part after the last '/'). Nothing was "
                "changed. Write it as postgresql+psycopg://USER@HOST:PORT/DATABASE.",
            )
        )
    return parsed.set(drivername="postgresql+psycopg")


def describe(url: str | URL) -> str:
    """The server and database for messages and titles, never the password."""
    parsed = url if isinstance(url, URL) else parse_url(url)
    user = f"{parsed.username}@" if parsed.username else ""
    port = f":{parsed.port}" if parsed.port else ""
    return f"postgresql://{user}{parsed.host or 'localhost'}{port}/{parsed.database}"


def _driver_message(exc: BaseException) -> str:
    return " ".join(str(getattr(exc, "orig", None) or exc).split())


def connection_problem(exc: BaseException, where: str) -> DatabaseProblem | None:
    """A plain sentence for a failure to reach, sign in to or keep talking to the server."""
    message = _driver_message(exc).lower()
    if "password authentication failed" in message or "no password supplied" in message:
        return DatabaseProblem(
            _(
                "The server {where} refused the sign-in: the user name or password is wrong. "
                "Nothing was changed. Check them with the district's IT.",
                where=where,
            )
        )
    if re.search(r'database "[^"]*" does not exist', message):
        return DatabaseProblem(
            _(
                "The server has no database named in {where}. Nothing was created or changed. "
                "Check the name after the last '/', or ask IT to create the database.",
                where=where,
            )
        )
    if re.search(r'role "[^"]*" does not exist', message):
        return DatabaseProblem(
            _(
                "The server {where} has no such user. Nothing was changed. Check the user name "
                "with the district's IT.",
                where=where,
            )
        )
    # An open connection that went quiet ("consuming input failed: ... timed out") is lost,
    # not unreachable: checked first, as its words can hold a connect failure's.
    if any(
        sign in message
        for sign in (
            "server closed the connection",
            "terminating connection",
            "connection is lost",
            "consuming input failed",
            "the connection is closed",
            "connection not open",
            "ssl syscall error",
            "admin_shutdown",
        )
    ):
        return ServerUnreachable(
            _(
                "The connection to the server {where} was lost, so the last change was not saved. "
                "Everything saved before it is safe. Check the network, then try again.",
                where=where,
            )
        )
    if any(
        sign in message
        for sign in (
            "connection refused",
            "could not translate host name",
            "name or service not known",
            "timeout expired",
            "connection timed out",
            "no route to host",
            "network is unreachable",
            "could not connect",
            "failed to resolve host",
        )
    ):
        return ServerUnreachable(
            _(
                "Could not reach the server {where}: nothing answered at that address and port. "
                "Nothing was changed. Check the host name and port, and that the server is "
                "running.",
                where=where,
            )
        )
    if "permission denied" in message or "row-level security" in message:
        return DatabaseProblem(
            _(
                "The server {where} does not let this user do that (permission denied). "
                "Nothing was changed. Ask the district's IT which circlekeeper role you should "
                "use.",
                where=where,
            )
        )
    return None


@contextmanager
def patient_with_a_busy_server(session: Session) -> Iterator[None]:
    """Let this session's server connection wait for a busy server, during bulk writing.

    ``tcp_user_timeout`` (``LOST_AFTER``) makes a connection that sent something and heard
    nothing for 8 seconds count as lost, so a circle notices a dropped network at once. A
    merge sends thousands of rows in a pipeline: a server slowed by other schools' work (or
    its own checkpoint) stops reading for longer than that, its socket fills, and the merge
    was cut off as "lost" after minutes of work. For the block, the connection waits up to
    ``BUSY_SERVER_PATIENCE``; keepalives still tell a dead network from a busy server, which
    answers them. Nothing changes for a file, or where the system has no such option.
    """
    connection = session.connection()
    option = getattr(socket, "TCP_USER_TIMEOUT", None)
    if connection.dialect.name != "postgresql" or option is None:
        yield
        return
    raw: Any = connection.connection.dbapi_connection
    # A second handle on the same socket: setting it sets libpq's; closing it leaves libpq's.
    handle = socket.socket(fileno=os.dup(raw.pgconn.socket))
    try:
        handle.setsockopt(socket.IPPROTO_TCP, option, BUSY_SERVER_PATIENCE * 1000)
        yield
    finally:
        with suppress(OSError):  # the connection is gone: the pool will not hand it out again
            handle.setsockopt(socket.IPPROTO_TCP, option, LOST_AFTER * 1000)
        handle.close()


NO_JIT = "-c jit=off"


def make_server_engine(url: str | URL) -> Engine:
    """An engine on a PostgreSQL database: values never shown, lost connections in words."""
    parsed = url if isinstance(url, URL) else parse_url(url)
    where = describe(parsed)
    given = parsed.query.get("options", "")
    given = " ".join(given) if isinstance(given, tuple) else given
    engine = create_engine(
        parsed,
        hide_parameters=True,
        pool_pre_ping=True,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT,
            "application_name": "circlekeeper",
            # A network that drops without a word (a lid closed on Wi-Fi, a cable pulled) is
            # noticed in seconds, not after the system's quarter of an hour: a running circle
            # then goes on on the laptop (core/facilitation/offline.py) instead of freezing.
            "tcp_user_timeout": LOST_AFTER * 1000,
            "keepalives": 1,
            "keepalives_idle": LOST_AFTER,
            "keepalives_interval": 2,
            "keepalives_count": 3,
            # Every statement the app sends is an interactive one of milliseconds: compiling one
            # to machine code (PostgreSQL's JIT, for those it costs high) took 50 ms to 3 s a
            # Ctrl+K key on a district's ten years, and made no programme report faster.
            "options": f"{given} {NO_JIT}".strip(),
        },
    )

    @event.listens_for(engine, "handle_error")
    def _plain_words(context: Any) -> None:
        # The pool's own test of a pooled connection (pool_pre_ping) failing is how it learns
        # the server dropped it: it opens a new one, so that is no problem for anyone yet.
        if getattr(context, "is_pre_ping", False):
            return
        problem = connection_problem(context.original_exception, where)
        if problem is not None:
            raise problem from context.original_exception

    return engine


def server_version(engine: Engine) -> int:
    """The server's version number (``150018`` for 15.18); refuses one older than supported."""
    with engine.connect() as conn:
        number = int(conn.execute(text("SHOW server_version_num")).scalar_one())
    if number // 10000 < MINIMUM_MAJOR:
        raise DatabaseProblem(
            _(
                "The server {describe} runs PostgreSQL {number}; circlekeeper "
                "needs PostgreSQL {minimum_major} or newer. Nothing was changed. Ask the "
                "district's "
                "IT to upgrade the server, or to give circlekeeper a database on a newer one.",
                describe=describe(engine.url),
                number=number // 10000,
                minimum_major=MINIMUM_MAJOR,
            )
        )
    return number


def pg_dump_command(url: str | URL) -> str:
    """The command a district's backup routine runs for this database (no password in it)."""
    parsed = url if isinstance(url, URL) else parse_url(url)
    argv = ["pg_dump", "--format=custom", "--file", f"{parsed.database}-YYYYMMDD.dump"]
    if parsed.host:
        argv += ["--host", parsed.host]
    if parsed.port:
        argv += ["--port", str(parsed.port)]
    if parsed.username:
        argv += ["--username", parsed.username]
    argv.append(str(parsed.database))
    return shlex.join(argv)
