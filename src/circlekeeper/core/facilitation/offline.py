"""A circle survives a dropped connection: its actions wait on the laptop and go in order.

On a district's server, :meth:`OfflineCircle.attach` gives a running circle's service a keeper.
While the server answers, every action goes straight to it. When one fails because the server
cannot be reached (:class:`ServerUnreachable`, never a refusal), the keeper switches to the
laptop: that action and every following one are moved on in memory exactly as the server would
(:func:`move_in_memory`) and kept in the circle's :class:`Journal` (on the disk before the
screen moves on). :meth:`OfflineCircle.try_to_send` asks the server again (the facilitator
window does it every few seconds) and, when it answers, sends the journal in order; each action
lands once (its id is stored with it), so a replay cut short by a crash simply starts again.

A file database never drops, so it never journals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, text

from circlekeeper.core.domain.live import LiveState
from circlekeeper.core.facilitation.actions import Action, copy_state, move_in_memory
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.facilitation.journal import SUFFIX, Journal, journal_folder
from circlekeeper.core.facilitation.rows import LiveSession, NoteRow
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.models import Circle
from circlekeeper.core.store.problems import DatabaseProblem, ServerUnreachable
from circlekeeper.core.store.server import describe

log = logging.getLogger(__name__)


def database_identity(context: Context) -> str | None:
    """Which server database this is, for a journal to name; None for a file (never journals).

    The server's own identifier (made when its cluster was created, whatever address the laptop
    reaches it by), the database's name, and its number on the server, which a database dropped
    and made again under the same name does not keep.
    """
    with context.read() as session:
        bind = session.get_bind()
        if bind.dialect.name != "postgresql":
            return None
        name, number = session.execute(
            text("SELECT datname, oid FROM pg_database WHERE datname = current_database()")
        ).one()
    try:
        with context.read() as session:
            system = session.scalar(text("SELECT system_identifier FROM pg_control_system()"))
    except ServerUnreachable:
        raise
    except DatabaseProblem:  # a server that keeps it from this user: its address instead
        system = describe(bind.engine.url)
    return f"{system}/{name}#{number}"


@dataclass
class Sent:
    """What sending a journal did: how many actions went, which were refused, what was damaged."""

    sent: int = 0
    refused: list[str] = field(default_factory=list)  # plain sentences, one per refused action
    damaged: int = 0
    kept_at: Path | None = None  # where a journal with damaged rows was kept

    @property
    def problems(self) -> list[str]:
        found = list(self.refused)
        if self.damaged:
            found.append(
                _(
                    "{n} saved actions on this laptop were damaged and could not be sent; the "
                    "rest were sent. The journal was kept at {path} for IT staff.",
                    n=self.damaged,
                    path=self.kept_at,
                )
            )
        return found


def send_journal(service: FacilitationService, journal: Journal) -> Sent:
    """Send a journal's waiting actions to the server in order; each lands once.

    Refuses (:class:`InvalidInput`, nothing sent) a journal written for another database or
    circle. A server that drops again raises :class:`ServerUnreachable`; what was sent stays
    sent and the rest waits.
    """
    identity = database_identity(service.ctx)
    with service.ctx.read() as session:
        circle = session.scalar(select(Circle.uuid).where(Circle.id == service.circle_id))
    about = journal.about()
    if about.get("database") != identity or about.get("circle") != circle:
        raise InvalidInput(
            _(
                "The actions saved on this laptop in {path} belong to another database or "
                "circle, so they were not sent here. Nothing was changed; the file is kept. "
                "Open the database it was written for (ask IT staff if unsure).",
                path=journal.path,
            )
        )
    waiting = journal.waiting()
    for seq in waiting.damaged:
        log.error(
            "Journal %s: the action at place %d is damaged and was not sent", journal.path, seq
        )
    report = Sent(damaged=len(waiting.damaged))
    for entry in waiting.entries:
        try:
            service.apply(entry.action)
            report.sent += 1
        except (InvalidInput, NotFound) as problem:
            # The circle moved on elsewhere meanwhile; say so, and never send it again.
            report.refused.append(str(problem))
        journal.mark_sent(entry.seq)
    report.kept_at = journal.finish()
    return report


class OfflineCircle:
    """Keeps one running circle going on the laptop while its server cannot be reached."""

    def __init__(self, service: FacilitationService, journal: Journal, live: LiveSession) -> None:
        self.service = service
        self.journal = journal
        self.active = journal.exists()  # a journal still waiting: the laptop goes first
        self.state = live.state
        self.participants = set(live.participants)
        self.notes: list[NoteRow] = list(live.notes)
        self.problem: str = ""
        # Who is keeping the circle, remembered while the server answers: offline, the
        # profiles cannot be read, and the keeper must still see their own private notes.
        self.actor = service.ctx.actor()
        self.viewer = service.viewer
        self.on_lost: Callable[[], None] | None = None  # a screen that says so at once
        service.offline = self

    @classmethod
    def attach(
        cls,
        service: FacilitationService,
        live: LiveSession,
        *,
        passphrase: str | None = None,
        folder: Path | None = None,
    ) -> OfflineCircle | None:
        """A keeper for a running circle on a server; None on a file (it never drops).

        Call it with the session :meth:`FacilitationService.resume` gave, while the server
        answers (the journal records which database it belongs to).
        """
        identity = database_identity(service.ctx)
        if identity is None:
            return None
        journal = Journal.for_circle(
            live.uuid,
            database=identity,
            circle_id=live.circle_id,
            passphrase=passphrase,
            folder=folder,
        )
        return cls(service, journal, live)

    # --- each action -----------------------------------------------------------------------

    def perform(self, action: Action) -> object:
        if not self.active:
            try:
                result = self.service.apply(action)
            except ServerUnreachable as problem:
                self.lost(problem)
            else:
                self._learn(result)
                return result
        return self._keep(action)

    def lost(self, problem: ServerUnreachable) -> None:
        """The server stopped answering: from now on the laptop keeps the circle's actions."""
        log.warning("The server dropped mid-circle; saving on this laptop: %s", problem)
        self.active = True
        self.problem = str(problem)
        if self.on_lost is not None:
            self.on_lost()

    def _learn(self, result: object) -> None:
        if isinstance(result, LiveState):
            self.state = result
        elif isinstance(result, NoteRow):
            self.notes.append(result)
        else:  # a late arrival: the new state and their row
            state = getattr(result, "state", None)
            row = getattr(result, "participant", None)
            if isinstance(state, LiveState):
                self.state = state
            if row is not None:
                self.participants.add(int(row.id))

    def _keep(self, action: Action) -> object:
        """Move on in memory and keep the action in the journal (on disk before returning)."""
        state = copy_state(self.state)
        result = move_in_memory(state, action, self.participants)
        self.journal.append(action)
        if isinstance(result, NoteRow):
            self.notes.append(result)
            return result
        self.state = state
        return state

    def visible_notes(self) -> list[NoteRow]:
        """The notes the keeper sees (their own private ones, every record note)."""
        return self.viewer.visible_notes(self.notes)

    # --- back online -----------------------------------------------------------------------

    def server_answers(self) -> bool:
        """Whether the server answers now (safe to call from a worker thread: reads only)."""
        try:
            with self.service.ctx.read() as session:
                session.execute(text("SELECT 1"))
        except DatabaseProblem:
            return False
        return True

    def try_to_send(self) -> Sent | None:
        """Ask the server; when it answers, send the journal in order and go back online.

        Returns what was sent, or None while the server still cannot be reached (the journal
        waits). A journal for another database raises :class:`InvalidInput` and stays.
        """
        if not self.active:
            return None
        try:
            with self.service.ctx.read() as session:
                session.execute(text("SELECT 1"))
            report = send_journal(self.service, self.journal) if self.journal.exists() else Sent()
            live = self.service.resume()
        except ServerUnreachable:
            return None
        self.active = False
        self.problem = ""
        self.state = live.state
        self.participants = set(live.participants)
        self.notes = list(live.notes)
        return report


def send_waiting(
    context: Context, *, passphrase: str | None = None, folder: Path | None = None
) -> list[str]:
    """At start on a server: send every journal this database left waiting (a crash, a kill).

    Returns plain sentences for the screen (what was sent, what could not be); a journal for
    another database is left alone, unchanged.
    """
    where = folder or journal_folder()
    if not where.is_dir():
        return []
    identity = database_identity(context)
    if identity is None:
        return []
    with context.read() as session:
        circles = {str(u): int(i) for u, i in session.execute(select(Circle.uuid, Circle.id))}
    said: list[str] = []
    for path in sorted(where.glob(f"*{SUFFIX}")):
        if ".damaged-" in path.name or path.stem not in circles:
            continue
        circle_id = circles[path.stem]
        journal = Journal(
            path, database=identity, circle=path.stem, circle_id=circle_id, passphrase=passphrase
        )
        try:
            if journal.about().get("database") != identity:
                continue  # another database's: it waits for that one
            report = send_journal(FacilitationService(context, circle_id), journal)
        except ServerUnreachable:
            return said
        except (InvalidInput, DatabaseProblem) as problem:
            said.append(str(problem))
            continue
        said.append(
            _(
                "{n} actions of a circle saved on this laptop were sent to the server.",
                n=report.sent,
            )
        )
        said.extend(report.problems)
    return said
