"""The context every operation runs in: who acts, who looks, the clock, and one transaction."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from circlekeeper.core.i18n import _
from circlekeeper.core.operations.changes import NO_CHANGES, Changes, install, reads_only, take
from circlekeeper.core.problems import EditConflict
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.store.changes import ACTOR
from circlekeeper.core.store.problems import DatabaseProblem

log = logging.getLogger(__name__)

OPERATION = "circlekeeper.operation"  # session.info: the running operation's name

Listener = Callable[[Changes], None]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def storage_problem(error: SQLAlchemyError, *, reading: bool = False) -> DatabaseProblem:
    """A storage error the engine did not already put in plain words, as a project problem.

    A read that failed changed nothing and says so (``reading``): a counselor told that "the
    last change could not be saved" when a page failed to load looks for a loss that is not.
    """
    # The statement goes to the log for IT (the log's formatter takes the values out of it).
    if reading:
        log.error("A read was refused: %s", type(error).__name__, exc_info=error)
        return DatabaseProblem(
            _(
                "What you asked for could not be read because the database refused it. "
                "Nothing was changed. Try again; if it happens again, restart circlekeeper and "
                "look at the log (Settings, About).",
            )
        )
    log.error("A change could not be saved: %s", type(error).__name__, exc_info=error)
    return DatabaseProblem(
        _(
            "The last change could not be saved because the database refused it. Everything "
            "saved before it is safe. Try again; if it happens again, restart circlekeeper and "
            "look at the log (Settings, About).",
        )
    )


class Context:
    """Who is acting and looking, the clock, and the database's sessions, for every operation.

    ``actor`` and ``viewer`` may be values or functions (a window's active profile can change
    while the window is open); both are asked at the start of each operation.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        actor: str | Callable[[], str] = "",
        viewer: Viewer | Callable[[], Viewer] | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.sessions = sessions
        self._actor = actor
        self._viewer = viewer
        self.clock = clock
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._local = threading.local()

    # -- who ------------------------------------------------------------------------------

    def actor(self) -> str:
        """The name written in the audit line: the active profile's (or Settings' facilitator)."""
        actor = self._actor() if callable(self._actor) else self._actor
        if actor:
            return actor
        viewer = self.viewer_or_none()
        return viewer.name if viewer is not None else ""

    def viewer_or_none(self) -> Viewer | None:
        if self._viewer is None:
            return None
        return self._viewer() if callable(self._viewer) else self._viewer

    def viewer(self) -> Viewer:
        """Who is looking (reads filter for them); a counselor named as the actor when unset."""
        viewer = self.viewer_or_none()
        return viewer if viewer is not None else Viewer(self.actor())

    def acting_as(
        self, actor: str | Callable[[], str], viewer: Viewer | Callable[[], Viewer] | None = None
    ) -> Context:
        """The same database and listeners, another person acting (a sign-in, a CLI --profile)."""
        other = Context(self.sessions, actor=actor, viewer=viewer or self._viewer, clock=self.clock)
        other._listeners = self._listeners
        return other

    # -- listening ------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(changes)`` after each committed operation; returns an unsubscribe."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    @property
    def last_changes(self) -> Changes:
        """What the last operation this thread ran changed."""
        found: Changes = getattr(self._local, "last", NO_CHANGES)
        return found

    def committed(self, found: Changes) -> None:
        """Tell the listeners of an operation committed in one statement outside :meth:`write`
        (a key press of a live circle on a server, ``core/facilitation/server_lane.py``)."""
        self._announce(found)

    def _announce(self, found: Changes) -> None:
        self._local.last = found
        if not found:
            return
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(found)
            except Exception:  # a screen failing to refresh must not undo a saved change
                log.exception("A screen failed to refresh after a change")

    # -- the pipeline ---------------------------------------------------------------------

    @contextmanager
    def write(self, name: str = "") -> Iterator[Session]:
        """One operation: a short transaction committed on leaving the block.

        Audit lines written in it name :meth:`actor`; storage errors come out as
        :class:`DatabaseProblem`; what changed is announced after the commit. An exception
        from the block rolls everything back and is raised unchanged (the project's problems
        pass through).
        """
        actor = self.actor()
        try:
            with self.sessions.begin() as session:
                session.info[ACTOR] = actor
                session.info[OPERATION] = name or "write"
                install(session)
                yield session
                session.flush()
                found = take(session)
        except StaleDataError as error:
            # Two saves of one record at the same moment: the other committed first.
            raise EditConflict(
                _(
                    "Someone else saved a change to this record at the same moment, so yours "
                    "was refused: nothing you entered was saved, and nothing of theirs was "
                    "overwritten. Load it again to see their change, then make yours again."
                )
            ) from error
        except SQLAlchemyError as error:
            raise storage_problem(error) from error
        self._announce(found)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; a write tried in it is refused (``reads_only``).

        On a server it reads outside a transaction (autocommit). PostgreSQL's default
        isolation (read committed) gives each statement its own snapshot inside a transaction
        too, so a page reads what it read before; but a page on a server pays a round trip per
        statement, and the BEGIN and ROLLBACK around it were two, and psycopg forgets every
        statement it prepared at a ROLLBACK, so each view was planned afresh (planning was two
        thirds of the time of a student's history's statements on the large demo). A file
        keeps its read transaction: there it is one snapshot for the whole page.
        """
        try:
            with self.sessions() as session:
                reads_only(session)
                if session.get_bind().dialect.name == "postgresql":
                    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
                yield session
        except SQLAlchemyError as error:
            raise storage_problem(error, reading=True) from error


def as_context(sessions_or_context: sessionmaker[Session] | Context) -> Context:
    """A service's context: given one, or a plain one around a session factory (tools, tests)."""
    if isinstance(sessions_or_context, Context):
        return sessions_or_context
    return Context(sessions_or_context)
