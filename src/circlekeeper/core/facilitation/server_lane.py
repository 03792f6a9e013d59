"""A running circle's key presses on a district server: one statement each.

The ordinary path (:meth:`FacilitationService._act`) takes a pooled connection (the pool tests
it first), opens a transaction, reads the circle's state, writes the rows and the state and
commits: about eight round trips and a few milliseconds of ORM work for each key press. With
twenty schools' keepers pressing at once on a small server, those queue behind each other.

The lane keeps, for the one circle it runs, the live state exactly as last stored. An action
moves a fresh copy of that state in memory with the same
:func:`~circlekeeper.core.facilitation.actions.move_state` as every other path, then sends
**one statement**, committed on its own: the circle's state is replaced only if the stored
one is still the one the move started from (its md5), and the rows the move asks for (a turn, a
stage, a note and its audit line) are inserted by the same statement from that row, so either
everything of the action is stored or nothing is. Row ids come from the tables' own sequences,
a few reserved at a time, so the state can name its turn before the statement is sent.

The lane keeps one connection of the pool's, in autocommit, for as long as it runs the circle:
one round trip per key press (the statement), with no test of the connection before it and no
checkout. A connection the server dropped meanwhile fails the statement, which is then like any
other failure below: the lane lets the connection go, and its next statement takes a new one,
tested, from the pool. The connection goes back to the pool when the lane is closed or collected,
and is closed when the engine is disposed (:meth:`Database.close`), so none is left open.

Whenever the lane cannot be sure (it has no state yet, the stored state is not the one it
remembers because another window moved the circle, the circle is not running, the move is one
it does not take, the server refused the statement), it forgets what it remembered and returns
``None``: the ordinary path then runs the action, reads afresh, and gives the plain words. An
action is stored once by either path (its id is remembered in the state, a note's id is its
uuid), so a statement whose answer was lost with the connection is never stored twice.

A move that makes no sense now (passing when the round is over) is refused by the lane itself,
in the words the ordinary path gives, once one short read confirms the stored state is still
the one it refused on: a refusal costs a round trip, not a transaction.

Only on PostgreSQL; a file on the laptop has no round trips to save.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from circlekeeper.core.audit.audit import detail_text
from circlekeeper.core.domain.enums import CircleStatus
from circlekeeper.core.domain.live import LiveState, MoveNotAllowed
from circlekeeper.core.facilitation.actions import Action, move_state
from circlekeeper.core.facilitation.moves import turn_values
from circlekeeper.core.facilitation.queries import dump_state, load_state, moment
from circlekeeper.core.facilitation.rows import NoteRow
from circlekeeper.core.operations.changes import Changes
from circlekeeper.core.problems import InvalidInput

# What the lane takes: every move whose rows are at most one turn or one stage, and notes.
# Going back (deletes a turn) and leaving early (updates a participant) are rare and take the
# ordinary path.
LANE_MOVES = frozenset(
    {
        "next_speaker",
        "pass_turn",
        "choose_speaker",
        "set_mode",
        "next_stage",
        "previous_stage",
        "start_timer",
        "pause_timer",
        "reset_timer",
        "set_display",
        "skip_downtime",
    }
)
RESERVE = 16  # ids taken from a table's sequence at a time

_MOVED = (
    "UPDATE circle SET live_state = %(state)s, updated_at = %(now)s"
    " WHERE id = %(circle)s AND status = %(running)s AND md5(live_state) = %(was)s"
    " RETURNING id"
)
_STATE_ONLY = _MOVED
_STILL = (
    "SELECT id FROM circle"
    " WHERE id = %(circle)s AND status = %(running)s AND md5(live_state) = %(was)s"
)
_WITH_TURN = (
    f"WITH moved AS ({_MOVED})"
    " INSERT INTO turn (id, uuid, created_at, updated_at, circle_id, stage_index, round_number,"
    " participant_id, passed, started_at, duration_ms)"
    " SELECT %(row)s, %(uuid)s, %(now)s, %(now)s, moved.id, %(stage_index)s, %(round_number)s,"
    " %(participant_id)s, %(passed)s, %(started_at)s, %(duration_ms)s FROM moved"
)
_WITH_STAGE = (
    f"WITH moved AS ({_MOVED}),"
    " ended AS (UPDATE stage_record SET ended_at = %(now)s, updated_at = %(now)s"
    " WHERE id = %(ended)s AND circle_id = %(circle)s AND EXISTS (SELECT 1 FROM moved))"
    " INSERT INTO stage_record (id, uuid, created_at, updated_at, circle_id, stage_index,"
    " started_at)"
    " SELECT %(row)s, %(uuid)s, %(now)s, %(now)s, moved.id, %(stage_index)s, %(now)s FROM moved"
)
_NOTE = (
    "WITH live AS (SELECT id FROM circle WHERE id = %(circle)s AND status = %(running)s"
    " AND md5(live_state) = %(was)s"
    " AND (%(about)s::integer IS NULL OR EXISTS (SELECT 1 FROM participant"
    " WHERE participant.id = %(about)s::integer AND participant.circle_id = %(circle)s))),"
    " kept AS (INSERT INTO note (id, uuid, created_at, updated_at, circle_id, stage_index,"
    " participant_id, privacy, author, text)"
    " SELECT %(row)s, %(uuid)s, %(at)s, %(now)s, live.id, %(stage_index)s, %(about)s::integer,"
    " %(privacy)s, %(author)s, %(text)s FROM live"
    " ON CONFLICT (uuid) DO NOTHING RETURNING uuid)"
    " INSERT INTO audit_event (uuid, at, actor, action, entity, entity_uuid, detail)"
    " SELECT %(audit_uuid)s, %(now)s, %(actor)s, 'add_note', 'note', kept.uuid, %(detail)s"
    " FROM kept"
)


@dataclass
class Stored:
    """What the lane stored: the service's result and what changed, for the screens."""

    result: LiveState | NoteRow
    changes: Changes


class _Held:
    """The one pooled connection a lane keeps between its statements, in autocommit."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.fairy: Any = None
        self.lock = threading.Lock()

    def cursor(self) -> Any:
        """A cursor on the kept connection; a new one (tested by the pool) when none is kept."""
        if self.fairy is None:
            fairy = self.engine.raw_connection()
            driver: Any = fairy.driver_connection
            try:
                driver.autocommit = True
            except Exception:
                fairy.invalidate()
                fairy.close()
                raise
            self.fairy = fairy
        return self.fairy.driver_connection.cursor()

    def drop(self) -> None:
        """Let the kept connection go for good: it failed (or the engine is disposed)."""
        with self.lock:
            fairy, self.fairy = self.fairy, None
        if fairy is not None:
            fairy.invalidate()  # closes it: the pool opens a new one when asked
            fairy.close()

    def give_back(self) -> None:
        """Give the kept connection back to the pool, as it was lent (not in autocommit)."""
        with self.lock:
            fairy, self.fairy = self.fairy, None
        if fairy is None:
            return
        try:
            fairy.driver_connection.autocommit = False
        except Exception:
            fairy.invalidate()
        fairy.close()


# Every engine's kept connections, closed when it is disposed (a connection still lent out
# when the pool is disposed is otherwise left open until the collector finds it).
_KEPT: weakref.WeakKeyDictionary[Engine, weakref.WeakSet[_Held]] = weakref.WeakKeyDictionary()
_KEPT_LOCK = threading.Lock()


def _keep(held: _Held) -> None:
    with _KEPT_LOCK:
        kept = _KEPT.get(held.engine)
        if kept is None:
            kept = _KEPT[held.engine] = weakref.WeakSet()
            event.listen(held.engine, "engine_disposed", _disposed)
        kept.add(held)


def _disposed(engine: Engine) -> None:
    with _KEPT_LOCK:
        kept = list(_KEPT.get(engine, ()))
    for held in kept:
        held.drop()


class ServerLane:
    """One circle's actions on a server in one statement each (see the module's text)."""

    def __init__(self, engine: Engine, circle_id: int) -> None:
        self._engine = engine
        self.circle_id = circle_id
        self._lock = threading.Lock()
        self._raw: str | None = None  # the live state as stored
        # The same state read (None until needed): each move starts from a copy of it, so the
        # state a move returned (which a screen may keep, to compare) is never changed after.
        self._state: LiveState | None = None
        self._ids: dict[str, list[int]] = {}
        self._held = _Held(engine)
        _keep(self._held)
        # Collected without being closed (a window dropped): the connection goes back anyway.
        self._release = weakref.finalize(self, self._held.give_back)

    def close(self) -> None:
        """Give the lane's connection back to the pool (it takes a new one if used again)."""
        self._held.give_back()

    # -- what the ordinary path tells it ---------------------------------------------------

    def remember(self, raw: str | None, state: LiveState | None = None) -> None:
        """The live state as it is stored now (read or written by the ordinary path), and
        the state it reads as when the path has it already."""
        with self._lock:
            self._raw = raw
            self._state = state if raw is not None else None

    # -- storing one action ----------------------------------------------------------------

    def store(self, action: Action, actor: str) -> Stored | None:
        """Store ``action`` in one statement; None when the ordinary path should run it.

        A move that makes no sense on the state as stored is refused here, with the words the
        ordinary path gives (:class:`InvalidInput`), once one short read confirms that state is
        still the stored one; otherwise the ordinary path reads afresh and decides.
        """
        if action.kind not in LANE_MOVES and action.kind != "add_note":
            return None
        with self._lock:
            raw = self._raw
            if raw is None:
                return None
            refusal: MoveNotAllowed | None = None
            try:
                if action.kind == "add_note":
                    return self._note(action, actor, raw)
                try:
                    return self._move(action, raw)
                except MoveNotAllowed as exc:
                    refusal = exc
                if self._execute(_STILL, self._still(raw)) != 1:
                    self._forget()  # moved elsewhere, or not running: read afresh
                    return None
            except Exception:
                # The server refused it or the connection dropped: the ordinary path runs the
                # action on a tested connection (a new one, once the server answers again) and
                # says what is wrong in plain words, or hands the circle to the laptop.
                self._forget()
                return None
        raise InvalidInput(str(refusal)) from None

    def _still(self, raw: str) -> dict[str, Any]:
        """The parameters that name the circle as running with the state ``raw`` stored."""
        return {
            "circle": self.circle_id,
            "running": CircleStatus.IN_PROGRESS.value,
            "was": _md5(raw),
        }

    def _forget(self) -> None:
        self._raw = self._state = None

    def _read(self, raw: str) -> LiveState:
        """The remembered state (never to be changed: copy it to move it)."""
        if self._state is None:
            self._state = load_state(raw)
        return self._state

    def _move(self, action: Action, raw: str) -> Stored | None:
        stored = self._read(raw)
        if action.id in stored.applied:
            return Stored(stored, Changes())  # stored before: nothing doubles
        state = stored.copy()
        moved = move_state(state, action)
        now = moment(action.at)
        params: dict[str, Any] = {**self._still(raw), "now": now}
        ids: dict[str, list[int]] = {"circle": [self.circle_id]}
        if moved.turn is not None:
            row = self._reserve("turn")
            state.note_turn_id(row)
            statement = _WITH_TURN
            params.update(turn_values(self.circle_id, moved.turn), row=row, uuid=_uuid())
            ids["turn"] = [row]
        elif moved.stage_changed:
            row = self._reserve("stage_record")
            params.update(
                ended=state.stage_record_id, row=row, uuid=_uuid(), stage_index=state.stage_index
            )
            state.stage_record_id = row
            statement = _WITH_STAGE
            ids["stage_record"] = [row]
        elif moved.removed_turn is not None or moved.left is not None:
            return None
        else:
            statement = _STATE_ONLY
        state.mark_applied(action.id)
        new_raw = dump_state(state)
        params["state"] = new_raw
        if self._execute(statement, params) != 1:
            self._forget()  # moved elsewhere, or not running: read afresh
            return None
        self._raw, self._state = new_raw, state
        return Stored(state, Changes.of(ids=ids))

    def _note(self, action: Action, actor: str, raw: str) -> Stored | None:
        args = action.args
        state = self._read(raw)
        stage_index = args.get("stage_index")
        index = state.stage_index if stage_index is None else int(stage_index)
        if not 0 <= index < len(state.stages):
            return None
        about = args.get("participant_id")
        privacy = str(args["privacy"])
        row = self._reserve("note")
        at = datetime.fromtimestamp(action.at, UTC)
        # The audit line says a note exists, never what it says (as the ordinary path writes it).
        detail = detail_text({"circle_id": self.circle_id, "privacy": privacy})
        params = {
            "circle": self.circle_id,
            "running": CircleStatus.IN_PROGRESS.value,
            "was": _md5(raw),
            "about": None if about is None else int(about),
            "row": row,
            "uuid": action.id,
            "at": at,
            "now": datetime.now(UTC),
            "stage_index": index,
            "privacy": privacy,
            "author": actor or None,
            "text": str(args["text"]),
            "audit_uuid": _uuid(),
            "actor": actor,
            "detail": detail,
        }
        if self._execute(_NOTE, params) != 1:
            # Not running, moved on, not one of this circle's people, or kept before: the
            # ordinary path says which (and gives back a note kept before).
            self._forget()
            return None
        note = NoteRow(
            row,
            action.id,
            index,
            None if about is None else int(about),
            privacy,
            str(args["text"]),
            at,
            actor or None,
        )
        return Stored(note, Changes.of(ids={"note": [row]}))

    # -- the connection ----------------------------------------------------------------------

    def _execute(self, statement: str, params: dict[str, Any]) -> int:
        with self._cursor() as cursor:
            cursor.execute(statement, params)
            return int(cursor.rowcount)

    def _reserve(self, table: str) -> int:
        """The next id of ``table`` from its own sequence (never given to anyone else)."""
        free = self._ids.setdefault(table, [])
        if not free:
            with self._cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%(table)s, 'id'))"
                    " FROM generate_series(1, %(n)s)",
                    {"table": table, "n": RESERVE},
                )
                free.extend(int(r[0]) for r in cursor.fetchall())
        return free.pop(0)

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        """A cursor on the lane's kept connection (autocommit; see the module's text).

        Any failure lets the connection go (a dropped one, or one in a state not to trust): the
        next statement takes a new one from the pool, which tests it as it lends it.
        """
        held = self._held
        with held.lock:
            try:
                cursor = held.cursor()
                try:
                    yield cursor
                finally:
                    cursor.close()
            except BaseException:
                fairy, held.fairy = held.fairy, None
                if fairy is not None:
                    fairy.invalidate()
                    fairy.close()
                raise


def _md5(raw: str) -> str:
    return hashlib.md5(raw.encode("utf-8"), usedforsecurity=False).hexdigest()


def _uuid() -> str:
    return str(uuid.uuid4())


def server_lane_for(sessions: Any, circle_id: int) -> ServerLane | None:
    """The lane for a circle kept on a server; None on a file (or sessions bound to nothing)."""
    bind = getattr(sessions, "kw", {}).get("bind")
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
        return ServerLane(bind, circle_id)
    return None
