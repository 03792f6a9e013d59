"""One action of a running circle as a small record: what, with which ids, when, and by whom.

Every live action (the piece moved, a stage changed, a note kept) is one :class:`Action` with a
fresh id. The facilitation service stores it in one transaction and remembers its id there, so
an action sent twice (a replay from the laptop's journal, a commit whose answer was lost with
the connection) lands once. While the server cannot be reached the same record is kept in the
journal, and :func:`move_in_memory` moves the circle on the laptop exactly as the server will.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from circlekeeper.core.domain.live import LiveState, MoveNotAllowed, TurnTaken
from circlekeeper.core.facilitation.rows import NoteRow
from circlekeeper.core.i18n import _
from circlekeeper.core.problems import InvalidInput

# The actions the journal can keep. Starting and ending a circle, and seating someone new, need
# the server (they read the roster and write the summary), so they are not among them.
STATE_MOVES = frozenset(
    {
        "next_speaker",
        "pass_turn",
        "choose_speaker",
        "set_mode",
        "back",
        "next_stage",
        "previous_stage",
        "start_timer",
        "pause_timer",
        "reset_timer",
        "leave_early",
        "set_display",
        "skip_downtime",
    }
)
KINDS = STATE_MOVES | {"add_note", "join_late"}
OFFLINE_KINDS = STATE_MOVES | {"add_note"}
# The moves that take only the time (the service records a turn or a stage for some of them).
_PLAIN_MOVES = frozenset(
    {
        "next_speaker",
        "pass_turn",
        "next_stage",
        "previous_stage",
        "start_timer",
        "pause_timer",
        "reset_timer",
    }
)


@dataclass(frozen=True)
class Action:
    """One live action: its id, kind, arguments, time (seconds since the epoch) and actor."""

    id: str
    kind: str
    at: float
    actor: str = ""
    args: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def new(cls, kind: str, args: dict[str, Any], *, at: float, actor: str) -> Action:
        return cls(str(uuid.uuid4()), kind, at, actor, dict(args))

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "kind": self.kind,
                "at": self.at,
                "actor": self.actor,
                "args": self.args,
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Action:
        """The action written by :meth:`to_json`; raises ``ValueError`` when it is damaged."""
        try:
            data = json.loads(text)
            action = cls(
                str(uuid.UUID(str(data["id"]))),
                str(data["kind"]),
                float(data["at"]),
                str(data.get("actor") or ""),
                dict(data.get("args") or {}),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"unreadable action ({exc})") from None
        if action.kind not in KINDS:
            raise ValueError(f"unknown action {action.kind!r}")
        return action


def display_args(args: dict[str, Any]) -> dict[str, Any]:
    """The screens' settings of a ``set_display`` action, as :meth:`LiveState.set_display`
    takes them."""
    languages = args.get("languages")
    return {
        "projector": bool(args.get("projector")),
        "languages": [str(x) for x in languages] if isinstance(languages, list) else [],
        "guidelines": bool(args.get("guidelines")),
    }


def copy_state(state: LiveState) -> LiveState:
    """An independent copy (a move that is refused must leave the shown state untouched)."""
    return state.copy()


@dataclass(frozen=True)
class Moved:
    """What a move asks of the stored rows besides the live state itself."""

    turn: TurnTaken | None = None  # a finished turn to record
    removed_turn: int | None = None  # the stored turn that ``back`` undid
    stage_changed: bool = False  # the open stage ends and the state's new one begins
    left: int | None = None  # the participant who left early


def move_state(state: LiveState, action: Action) -> Moved:
    """Apply one of :data:`STATE_MOVES` to ``state``: the one dispatch from an action to
    :class:`LiveState`, shared by the server's transaction, its one-statement lane and the
    laptop's journal. Raises :class:`MoveNotAllowed` when the move makes no sense now."""
    kind, args, now = action.kind, action.args, action.at
    if kind == "next_speaker":
        return Moved(turn=state.next_speaker(now))
    if kind == "pass_turn":
        return Moved(turn=state.pass_turn(now))
    if kind in ("next_stage", "previous_stage"):
        getattr(state, kind)(now)
        return Moved(stage_changed=True)
    if kind in _PLAIN_MOVES:  # the timers
        getattr(state, kind)(now)
    elif kind == "choose_speaker":
        state.choose_speaker(int(args["participant_id"]), now)
    elif kind == "set_mode":
        state.set_mode(str(args["mode"]), now)
    elif kind == "back":
        return Moved(removed_turn=state.back(now))
    elif kind == "leave_early":
        participant_id = int(args["participant_id"])
        state.leave_early(participant_id, now)
        return Moved(left=participant_id)
    elif kind == "set_display":
        state.set_display(**display_args(args))
    elif kind == "skip_downtime":
        state.skip(float(args["seconds"]))
    else:
        raise InvalidInput(_("Unknown live action: {kind}.", kind=repr(kind)))
    return Moved()


def move_in_memory(state: LiveState, action: Action, participants: set[int]) -> LiveState | NoteRow:
    """Apply ``action`` to ``state`` on the laptop only, as the service applies it on the server.

    Returns the state, or for a note the note as it will be stored. A move that makes no sense
    raises :class:`InvalidInput` with the same words as online.
    """
    if action.kind not in OFFLINE_KINDS:
        raise InvalidInput(
            _(
                "The server cannot be reached, and this needs it. Everything done so far is "
                "saved on this laptop; do it again once the server is back."
            )
        )
    try:
        if action.kind == "add_note":
            return _note(state, action, participants)
        move_state(state, action)
    except MoveNotAllowed as exc:
        raise InvalidInput(str(exc)) from None
    state.mark_applied(action.id)
    return state


def _note(state: LiveState, action: Action, participants: set[int]) -> NoteRow:
    args = action.args
    about = args.get("participant_id")
    if about is not None and int(about) not in participants:
        raise InvalidInput(_("That person is not in this circle."))
    index = state.stage_index if args.get("stage_index") is None else int(args["stage_index"])
    if not 0 <= index < len(state.stages):
        raise InvalidInput(_("That stage is not in this circle's script."))
    return NoteRow(
        0,  # no row yet: the server gives it its number when the journal is sent
        action.id,
        index,
        None if about is None else int(about),
        str(args["privacy"]),
        str(args["text"]),
        datetime.fromtimestamp(action.at, UTC),
        action.actor or None,
    )
