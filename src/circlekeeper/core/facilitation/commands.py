"""Running one circle live: every move of the talking piece is committed as it happens.

Each action is one short transaction: read the circle's live state by primary key, apply the
move (:mod:`circlekeeper.core.domain.live`), insert the turn or note it produced, and write the
state back. Closing the lid, a crash or a power cut therefore loses nothing already on screen,
and :meth:`FacilitationService.resume` puts the keeper back on the same stage with the same
speaker. Actions return the new :class:`LiveState`, which is all the facilitator and projector
views need to redraw."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.cases.eligibility import check_conference_may_go_ahead
from circlekeeper.core.cases.holding import CaseMove, move_after_holding
from circlekeeper.core.circles.queries import participant_rows
from circlekeeper.core.domain.enums import Attendance, CircleKind, CircleStatus, NotePrivacy, Role
from circlekeeper.core.domain.live import (
    LiveState,
    MoveNotAllowed,
    PieceMode,
    StagePlan,
)
from circlekeeper.core.domain.script_snapshot import script_from_json
from circlekeeper.core.facilitation.actions import STATE_MOVES, Action, copy_state
from circlekeeper.core.facilitation.moves import move_for
from circlekeeper.core.facilitation.queries import (
    circle_summary,
    dump_state,
    load_json,
    load_state,
    moment,
    tags_for,
    visible_notes,
)
from circlekeeper.core.facilitation.rows import Joined, LiveSession, NoteRow
from circlekeeper.core.facilitation.server_lane import server_lane_for
from circlekeeper.core.facilitation.stored import seat_late, store_note
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.sro import mou
from circlekeeper.core.store.models import Circle, Participant, StageRecord
from circlekeeper.core.store.problems import ServerUnreachable

if TYPE_CHECKING:
    from circlekeeper.core.facilitation.offline import OfflineCircle

MAX_NOTE_LENGTH = 20_000


class FacilitationService:
    """The live actions on one circle, each committed immediately.

    The context names the keeper (their notes, the audit lines) and who is looking (which
    notes come back). ``clock`` gives seconds since the epoch (tests pass their own, so
    nothing waits).
    """

    def __init__(
        self,
        context: Context | sessionmaker[Session],
        circle_id: int,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.ctx = as_context(context)
        self.circle_id = circle_id
        self._clock = clock
        # On a server, what keeps the circle going on the laptop when the server drops
        # (:mod:`circlekeeper.core.facilitation.offline`); None on a file, which never drops.
        self.offline: OfflineCircle | None = None
        # What ending the circle did to its case (moved it along, or needs asking).
        self.case_move: CaseMove | None = None
        # On a server, each key press in one statement (core/facilitation/server_lane.py).
        self.lane = server_lane_for(self.ctx.sessions, circle_id)
        # The live state this service last stored, as stored and as read: the next move
        # starts from a copy of it when the stored text is still that one (compared in full),
        # instead of parsing it again at every key press.
        self._stored: tuple[str, LiveState] | None = None

    def close(self) -> None:
        """The window is done with the circle: give back the server connection its key presses
        kept (nothing is stored by closing; a press after it takes a connection again)."""
        if self.lane is not None:
            self.lane.close()

    @property
    def viewer(self) -> Viewer:
        """Whose screen the notes go to: a private note only to its author (never an SRO).

        Without a viewer in the context, the actor; with no name, the one user of an
        installation without profiles.
        """
        viewer = self.ctx.viewer_or_none()
        if viewer is not None:
            return viewer
        actor = self.ctx.actor()
        return Viewer(actor, sees_unattributed=not actor.strip())

    def start(self, present: list[int] | None = None) -> LiveSession:
        """Begin the circle with these participants present (default: everyone invited).

        Readiness is not enforced here: the planner explains what is missing, the keeper
        decides. The one exception is the eligibility rule: a conference whose screen shows an
        exclusion, the facilitator's halt or a refusal is refused with :class:`NotEligible`.
        Observers are marked present but sit outside the ring.
        """
        now = self._clock()
        with self.ctx.write("start circle") as session:
            circle = self._circle(session)
            if circle.status != CircleStatus.PLANNED.value:
                raise InvalidInput(
                    _(
                        "This circle is {status}; only a planned circle can be started.",
                        status=circle.status.replace("_", " "),
                    )
                )
            if not circle.script_snapshot:
                raise InvalidInput(_("Choose a script for this circle before starting it."))
            script = script_from_json(circle.script_snapshot)
            on = moment(now).astimezone().date()
            check_conference_may_go_ahead(session, circle, on)
            rows = participant_rows(session, circle.id, on)
            known = {r.id for r in rows}
            chosen = set(known if present is None else present)
            if chosen - known:
                raise InvalidInput(_("Some of the people marked present are not in this circle."))
            seating = [r.id for r in rows if r.id in chosen and r.role != Role.OBSERVER.value]
            state = LiveState.begin(
                [StagePlan(s.has_round, s.addressed_to.value) for s in script.stages],
                seating,
                tags_for(rows),
                keepers_take_turns=circle.kind != CircleKind.CONFERENCE.value,
                now=now,
            )
            for participant in session.scalars(
                select(Participant).where(Participant.circle_id == circle.id)
            ):
                if participant.id in chosen:
                    participant.attendance = Attendance.PRESENT.value
                    participant.joined_at = moment(now)
                else:
                    participant.attendance = Attendance.ABSENT.value
            record = StageRecord(circle_id=circle.id, stage_index=0, started_at=moment(now))
            session.add(record)
            session.flush()
            state.stage_record_id = record.id
            circle.status = CircleStatus.IN_PROGRESS.value
            circle.started_at = moment(now)
            circle.live_state = dump_state(state)
            audit.record(
                session,
                "start",
                "circle",
                circle.uuid,
                present=len(chosen),
            )
        return self.resume()

    def resume(self) -> LiveSession:
        """Everything the facilitator view needs, exactly as the last committed action left it."""
        with self.ctx.read() as session:
            circle = self._circle(session)
            if circle.status != CircleStatus.IN_PROGRESS.value and circle.live_state is not None:
                raise InvalidInput(
                    _(
                        "This circle has already ended, so it cannot be resumed. Nothing was "
                        "changed; its summary is in Circles.",
                    )
                )
            if circle.live_state is None or circle.script_snapshot is None:
                raise InvalidInput(_("This circle has not been started."))
            state = load_state(circle.live_state)
            if self.lane is not None and circle.status == CircleStatus.IN_PROGRESS.value:
                self.lane.remember(circle.live_state)
            on = (circle.started_at or moment(self._clock())).astimezone().date()
            rows = participant_rows(session, circle.id, on)
            return LiveSession(
                circle_id=circle.id,
                uuid=circle.uuid,
                kind=circle.kind,
                title=circle.title,
                script=script_from_json(circle.script_snapshot),
                participants={r.id: r for r in rows},
                state=state,
                notes=visible_notes(session, self.circle_id, self.viewer),
                officer_statement=mou.opening_statement(self.ctx.sessions, circle.kind, rows),
            )

    def state(self) -> LiveState:
        """The circle's position now (the laptop's, while the server cannot be reached)."""
        if self.offline is None or not self.offline.active:
            try:
                with self.ctx.read() as session:
                    return load_state(self.read_live(session)[1])
            except ServerUnreachable as problem:
                if self.offline is None:
                    raise
                self.offline.lost(problem)
        return self.offline.state

    def next_speaker(self) -> LiveState:
        """The speaker has finished: record the turn and pass the piece on."""
        return self._moved("next_speaker")

    def pass_turn(self) -> LiveState:
        """The speaker passes."""
        return self._moved("pass_turn")

    def choose_speaker(self, participant_id: int) -> LiveState:
        """Hand the piece to someone (popcorn order, or skipping ahead)."""
        return self._moved("choose_speaker", participant_id=participant_id)

    def set_mode(self, mode: PieceMode | str) -> LiveState:
        """Ring order, popcorn order, or the piece set aside for open talk."""
        try:
            value = PieceMode(mode).value
        except ValueError:
            raise InvalidInput(
                _(
                    "Unknown way of passing the piece: {mode}.",
                    mode=repr(mode),
                )
            ) from None
        return self._moved("set_mode", mode=value)

    def set_piece_aside(self, aside: bool) -> LiveState:
        return self.set_mode(PieceMode.ASIDE if aside else PieceMode.RING)

    def back(self) -> LiveState:
        """Undo the last move of the piece; the turn it recorded is removed."""
        return self._moved("back")

    def next_stage(self) -> LiveState:
        return self._moved("next_stage")

    def previous_stage(self) -> LiveState:
        return self._moved("previous_stage")

    def start_timer(self) -> LiveState:
        return self._moved("start_timer")

    def pause_timer(self) -> LiveState:
        return self._moved("pause_timer")

    def reset_timer(self) -> LiveState:
        return self._moved("reset_timer")

    def set_display(self, *, projector: bool, languages: list[str], guidelines: bool) -> LiveState:
        """Remember how the keeper set the screens, so resuming brings them back."""
        args = {"projector": projector, "languages": list(languages), "guidelines": guidelines}
        return self._moved("set_display", **args)

    def skip_downtime(self, seconds: float) -> LiveState:
        """Leave out of the clocks the time the program was not running (see ``downtime``)."""
        return self._moved("skip_downtime", seconds=max(0.0, float(seconds)))

    def join_late(
        self,
        person_id: int,
        *,
        role: str = Role.MEMBER.value,
        supporter_of: int | None = None,
        position: int | None = None,
    ) -> Joined:
        """Seat someone arriving late at ``position`` in the ring (the end if None).

        Someone already invited (marked absent at the start) keeps their participant record.
        """
        if role not in set(Role):
            raise InvalidInput(
                _(
                    "Unknown role: {role}.",
                    role=repr(role),
                )
            )
        args = {
            "person_id": person_id,
            "role": role,
            "supporter_of": supporter_of,
            "position": position,
        }
        joined = self.perform("join_late", args)
        assert isinstance(joined, Joined)
        return joined

    def leave_early(self, participant_id: int) -> LiveState:
        """Someone leaves: out of the ring, remembered as having left early."""
        return self._moved("leave_early", participant_id=participant_id)

    def add_note(
        self,
        text: str,
        *,
        privacy: str = NotePrivacy.PRIVATE.value,
        participant_id: int | None = None,
        stage_index: int | None = None,
    ) -> NoteRow:
        """Keep a note on the current stage (or ``stage_index``), perhaps about someone.

        A private note is the keeper's own memory aid; a record note joins the shared file.
        """
        text = text.strip()
        if not text:
            raise InvalidInput(_("The note is empty."))
        if len(text) > MAX_NOTE_LENGTH:
            raise InvalidInput(_("The note is too long; split it into several notes."))
        if privacy not in set(NotePrivacy):
            raise InvalidInput(
                _(
                    "Unknown privacy level: {privacy}.",
                    privacy=repr(privacy),
                )
            )
        args = {
            "text": text,
            "privacy": privacy,
            "participant_id": participant_id,
            "stage_index": stage_index,
        }
        note = self.perform("add_note", args)
        assert isinstance(note, NoteRow)
        return note

    # --- storing one action ---------------------------------------------------------------

    def perform(self, kind: str, args: dict[str, Any]) -> object:
        """Make the action now; kept on the laptop instead while the server cannot be reached."""
        if self.offline is None:
            return self.apply(Action.new(kind, args, at=self._clock(), actor=self.ctx.actor()))
        # Offline, who acts cannot be read from the server: the keeper remembers them.
        keeper = self.offline
        actor = keeper.actor if keeper.active else (self.ctx.actor() or keeper.actor)
        return keeper.perform(Action.new(kind, args, at=self._clock(), actor=actor))

    def apply(self, action: Action) -> object:
        """Store one action in one transaction, once: an action whose id is already stored
        (sent again from the journal, or its commit's answer was lost) changes nothing.

        Returns the new state, the note kept, or for a late arrival a :class:`Joined`.
        """
        if self.lane is not None:
            stored = self.lane.store(action, self.context_of(action).actor())
            if stored is not None:
                self.ctx.committed(stored.changes)
                return stored.result
        if action.kind == "add_note":
            return store_note(self, action)
        if action.kind == "join_late":
            return self._act(seat_late(self, action), action, "seat a late arrival")
        if action.kind not in STATE_MOVES:
            raise InvalidInput(
                _(
                    "Unknown live action: {kind}.",
                    kind=repr(action.kind),
                )
            )
        name = "someone leaves early" if action.kind == "leave_early" else "move the piece"
        return self._act(move_for(self, action), action, name)

    def _moved(self, kind: str, **args: Any) -> LiveState:
        state = self.perform(kind, args)
        assert isinstance(state, LiveState)
        return state

    def notes(self) -> list[NoteRow]:
        if self.offline is None or not self.offline.active:
            try:
                with self.ctx.read() as session:
                    return visible_notes(session, self.circle_id, self.viewer)
            except ServerUnreachable as problem:
                if self.offline is None:
                    raise
                self.offline.lost(problem)
        return self.offline.visible_notes()

    def end(self) -> dict[str, Any]:
        """End the circle: close the open stage, mark it completed, store and return a summary.

        The summary: duration, time per stage, who spoke and who passed (by participant id),
        attendance, and how many notes of each privacy level.
        """
        if self.offline is not None and self.offline.active:
            raise InvalidInput(
                _(
                    "The circle can be ended once the server is back: ending it writes its "
                    "summary there. Everything done so far is saved on this laptop."
                )
            )
        now = self._clock()
        with self.ctx.write("end circle") as session:
            circle = self._circle(session)
            if circle.status != CircleStatus.IN_PROGRESS.value:
                raise InvalidInput(_("This circle is not running, so it cannot be ended."))
            state = load_state(circle.live_state or "")
            if state.stage_record_id is not None:
                session.execute(
                    update(StageRecord)
                    .where(StageRecord.id == state.stage_record_id)
                    .values(ended_at=moment(now))
                )
            state.pause_timer(now)
            circle.status = CircleStatus.COMPLETED.value
            circle.ended_at = moment(now)
            circle.live_state = dump_state(state)
            session.flush()
            summary = circle_summary(session, circle, state, now)
            previous = load_json(circle.summary)
            if "eligibility" in previous:
                summary["eligibility"] = previous["eligibility"]
            circle.summary = json.dumps(summary, ensure_ascii=False, sort_keys=True)
            audit.record(
                session,
                "end",
                "circle",
                circle.uuid,
                minutes=round(summary["duration_seconds"] / 60),
            )
            # Holding the circle moves its case along, in the same transaction.
            self.case_move = move_after_holding(session, circle.case_id, circle.uuid)
        return summary

    def _act(
        self,
        move: Callable[[LiveState, float, Session], object],
        action: Action,
        name: str = "move the piece",
    ) -> object:
        """Apply one move in its own transaction. Only the state column is read and written,
        by primary key, so the cost does not grow with the database.

        Turns are not written to the audit trail: they are already rows of their own with
        times, and an audit line per key press would double the writes of the one action that
        must stay instant. Start, end, notes, late arrivals and departures are audited.
        """
        with self.context_of(action).write(name) as session:
            status, raw = self.read_live(session)
            if status != CircleStatus.IN_PROGRESS.value:
                raise InvalidInput(
                    _(
                        "This circle is {status}, not running; start or resume it first.",
                        status=status.replace("_", " "),
                    )
                )
            stored = self._stored
            state = copy_state(stored[1]) if stored and stored[0] == raw else load_state(raw)
            if action.id in state.applied:
                return state  # stored before: nothing doubles
            try:
                result = move(state, action.at, session)
            except MoveNotAllowed as exc:
                raise InvalidInput(str(exc)) from None
            state.mark_applied(action.id)
            raw = dump_state(state)
            session.execute(
                update(Circle).where(Circle.id == self.circle_id).values(live_state=raw)
            )
        self._stored = (raw, state)
        if self.lane is not None:
            self.lane.remember(raw, state)
        return result if isinstance(result, Joined) else state

    def context_of(self, action: Action) -> Context:
        """The context that names the action's own actor (a replay may run under another)."""
        if not action.actor or action.actor == self.ctx.actor():
            return self.ctx
        return self.ctx.acting_as(action.actor, self.ctx.viewer_or_none())

    def read_live(self, session: Session) -> tuple[str, str]:
        """The circle's status and saved live state (read by primary key)."""
        row = session.execute(
            select(Circle.status, Circle.live_state).where(Circle.id == self.circle_id)
        ).one_or_none()
        if row is None:
            raise NotFound(
                _(
                    "There is no circle with id {circle_id} in this database.",
                    circle_id=self.circle_id,
                )
            )
        status, raw = row
        if raw is None:
            raise InvalidInput(_("This circle has not been started."))
        if self.lane is not None:
            self.lane.remember(str(raw) if status == CircleStatus.IN_PROGRESS.value else None)
        return str(status), str(raw)

    def _circle(self, session: Session) -> Circle:
        circle = session.get(Circle, self.circle_id)
        if circle is None:
            raise NotFound(
                _(
                    "There is no circle with id {circle_id} in this database.",
                    circle_id=self.circle_id,
                )
            )
        return circle
