"""The live session of a circle as plain state: stage, seating, talking piece, rounds, timer.

Nothing here touches the database or a clock of its own: every move takes ``now`` (seconds
since the epoch, as :func:`time.time` gives) so the rules are testable without waiting, and the
whole state turns into a small JSON dict (``Circle.live_state``) after every move, so a crash
resumes exactly where the circle was: same stage, same speaker, same round.

Vocabulary. *Seating* is the ring, as participant ids in order. The *turn order* of a round is
the seated people the current stage is addressed to (everyone, or in a conference only the
person responsible, the person harmed, their supporters...). The *speaker* holds the talking
piece. A round is *complete* when everyone in the turn order has spoken or passed.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import operator
import time
import uuid
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from circlekeeper.core.i18n import _

# 2: the undo snapshots as short rows (a list it repeats from the move after it by its length
# only) and the applied ids as one string; 1 (still read): both as written in memory.
STATE_FORMAT = 2
READ_FORMATS = frozenset({1, 2})
# What an undo snapshot holds, in the order of its stored row (``turn_id`` once noted).
SNAPSHOT_KEYS = (
    "speaker",
    "round_number",
    "rounds_in_stage",
    "spoken",
    "passed",
    "last_speaker",
    "turn_started_at",
)
HISTORY_LIMIT = 60  # moves kept for "back"; bounded so the JSON written per move stays small
APPLIED_LIMIT = 40  # ids of the last actions stored, so an action sent twice lands once


class PieceMode(StrEnum):
    """How the talking piece moves."""

    RING = "ring"  # round the seating order
    POPCORN = "popcorn"  # the keeper gives it to whoever asks
    ASIDE = "aside"  # set aside for open talk; no turns are counted


class Tag(StrEnum):
    """What a participant is, for deciding which stages are addressed to them."""

    RESPONSIBLE = "responsible"
    HARMED = "harmed"
    SUPPORTERS_OF_RESPONSIBLE = "supporters_of_responsible"
    SUPPORTERS_OF_HARMED = "supporters_of_harmed"
    OTHERS = "others"
    KEEPER = "keeper"  # facilitator or co-facilitator
    OBSERVER = "observer"  # sits in an outer ring; never handed the piece


class SeatStatus(StrEnum):
    """How a seat in the ring reads in this round: speaking, spoke, passed, waiting, or not
    addressed by this stage."""

    SPEAKING = "speaking"
    SPOKE = "spoke"
    PASSED = "passed"
    WAITING = "waiting"  # will get a turn in this round
    NOT_ADDRESSED = "not_addressed"  # this stage is not for them (or it has no round)


class MoveNotAllowed(ValueError):
    """A move that makes no sense now; the message says why in plain words."""


@dataclass(frozen=True)
class StagePlan:
    """What the state machine needs to know about one stage of the script."""

    has_round: bool
    addressed_to: str = "all"  # an AddressedTo value


@dataclass(frozen=True)
class TurnTaken:
    """A finished turn, for the caller to record."""

    participant_id: int
    passed: bool
    stage_index: int
    round_number: int
    started_at: float
    ended_at: float


@dataclass
class LiveState:
    """Everything about a running circle that must survive a crash."""

    stages: list[StagePlan]
    seating: list[int]
    tags: dict[int, list[str]] = field(default_factory=dict)
    keepers_take_turns: bool = True
    stage_index: int = 0
    mode: PieceMode = PieceMode.RING
    speaker: int | None = None
    round_number: int = 0  # 0 until the first round of this stage begins
    spoken: list[int] = field(default_factory=list)
    passed: list[int] = field(default_factory=list)
    last_speaker: int | None = None  # who last finished a turn; the ring goes on from them
    aside_holder: int | None = None  # who held the piece when it was set aside
    turn_started_at: float | None = None
    rounds_in_stage: dict[int, int] = field(default_factory=dict)
    joined_late: list[int] = field(default_factory=list)
    left: list[int] = field(default_factory=list)
    started_at: float | None = None
    stage_started_at: float | None = None
    timer_started_at: float | None = None
    timer_accumulated: float = 0.0
    history: list[dict[str, Any]] = field(default_factory=list)
    # Bookkeeping for the service that stores this state (open stage record, last turn row).
    stage_record_id: int | None = None
    # The ids of the last actions stored (oldest first): an action sent again (a replay from
    # the laptop's journal, a commit whose answer was lost) is recognised and not done twice.
    applied: list[str] = field(default_factory=list)
    # How the keeper set the screens (projector open, its languages, guidelines shown), so a
    # resumed circle comes back on the same screens.
    display: dict[str, Any] = field(default_factory=dict)

    # --- starting ---------------------------------------------------------------------

    @classmethod
    def begin(
        cls,
        stages: list[StagePlan],
        seating: list[int],
        tags: dict[int, list[str]] | None = None,
        *,
        keepers_take_turns: bool = True,
        now: float | None = None,
    ) -> LiveState:
        """A session at the first stage, with the piece at the first person if it is a round."""
        if not stages:
            raise MoveNotAllowed(_("The script has no stages."))
        if len(set(seating)) != len(seating):
            raise MoveNotAllowed(_("Someone is seated twice."))
        now = _now(now)
        state = cls(
            stages=list(stages),
            seating=list(seating),
            tags={pid: list(t) for pid, t in (tags or {}).items()},
            keepers_take_turns=keepers_take_turns,
            started_at=now,
        )
        state._enter_stage(0, now)
        return state

    # --- reading ----------------------------------------------------------------------

    @property
    def stage(self) -> StagePlan:
        return self.stages[self.stage_index]

    @property
    def turn_order(self) -> list[int]:
        """Who gets a turn in this stage's rounds, in seating order."""
        if not self.stage.has_round:
            return []
        return [pid for pid in self.seating if self._addressed(pid)]

    @property
    def remaining(self) -> list[int]:
        """Who has not yet spoken or passed in this round, in seating order."""
        done = set(self.spoken) | set(self.passed)
        return [pid for pid in self.turn_order if pid not in done]

    @property
    def round_complete(self) -> bool:
        """Everyone present this stage is for has had a turn in the current round."""
        return self.stage.has_round and self.round_number > 0 and not self.remaining

    @property
    def is_first_stage(self) -> bool:
        return self.stage_index == 0

    @property
    def is_last_stage(self) -> bool:
        return self.stage_index == len(self.stages) - 1

    @property
    def can_go_back(self) -> bool:
        return bool(self.history) and self.mode is not PieceMode.ASIDE

    @property
    def timer_running(self) -> bool:
        return self.timer_started_at is not None

    def seat_status(self, participant_id: int) -> SeatStatus:
        if participant_id == self.speaker:
            return SeatStatus.SPEAKING
        if participant_id in self.spoken:
            return SeatStatus.SPOKE
        if participant_id in self.passed:
            return SeatStatus.PASSED
        if participant_id in self.seating and self._addressed(participant_id):
            return SeatStatus.WAITING
        return SeatStatus.NOT_ADDRESSED

    def round_elapsed(self, now: float | None = None) -> float:
        """Seconds on the round timer (it runs only while started)."""
        running = _now(now) - self.timer_started_at if self.timer_started_at is not None else 0
        return self.timer_accumulated + max(0.0, running)

    def elapsed(self, now: float | None = None) -> float:
        """Seconds since the circle started."""
        return max(0.0, _now(now) - self.started_at) if self.started_at is not None else 0.0

    def stage_elapsed(self, now: float | None = None) -> float:
        if self.stage_started_at is None:
            return 0.0
        return max(0.0, _now(now) - self.stage_started_at)

    # --- the talking piece ------------------------------------------------------------

    def next_speaker(self, now: float | None = None) -> TurnTaken | None:
        """The speaker has spoken: record it and move the piece on (or start a new round).

        Returns the finished turn, or ``None`` when the move only started a new round or
        handed the piece on without anyone finishing a turn.
        """
        return self._advance(passed=False, now=_now(now))

    def pass_turn(self, now: float | None = None) -> TurnTaken:
        """The speaker passes: count it and move the piece on."""
        if self.speaker is None:
            self._check_round_stage()
            raise MoveNotAllowed(_("Nobody holds the talking piece, so nobody can pass."))
        turn = self._advance(passed=True, now=_now(now))
        assert turn is not None
        return turn

    def choose_speaker(self, participant_id: int, now: float | None = None) -> None:
        """Hand the piece to someone (popcorn order, or to skip ahead in the ring)."""
        now = _now(now)
        self._check_round_stage()
        if participant_id not in self.seating:
            raise MoveNotAllowed(_("That person is not in the circle now."))
        if not self._addressed(participant_id):
            raise MoveNotAllowed(_("This stage's question is not addressed to that person."))
        if self.mode is PieceMode.ASIDE:
            raise MoveNotAllowed(_("The talking piece is set aside; pick it up first."))
        if participant_id == self.speaker:
            return
        new_round = self.round_complete or self.round_number == 0
        if not new_round and participant_id not in self.remaining:
            raise MoveNotAllowed(_("That person has already had a turn in this round."))
        self._remember()
        if new_round:
            self._start_round(now, first=participant_id)
        self.speaker = participant_id
        self.turn_started_at = now

    def set_mode(self, mode: PieceMode | str, now: float | None = None) -> None:
        """Pass the piece round the ring, popcorn style, or set it aside for open talk."""
        now = _now(now)
        mode = PieceMode(mode)
        if mode is self.mode:
            return
        if mode is not PieceMode.ASIDE:
            self._check_round_stage()
        previous, self.mode = self.mode, mode
        if mode is PieceMode.ASIDE:
            # Open talk: nobody holds the piece; the holder gets it back when it is picked up.
            self.aside_holder = self.speaker
            self.speaker = None
            self.turn_started_at = None
            return
        if mode is PieceMode.RING:
            if previous is PieceMode.ASIDE and (self.round_number == 0 or self.round_complete):
                self._start_round(now)
            elif self.speaker is None and not self.round_complete:
                held = self.aside_holder if previous is PieceMode.ASIDE else None
                self.speaker = (
                    held if held in self.remaining else self._next_in_ring(self.last_speaker)
                )
                self.turn_started_at = now if self.speaker is not None else None
        self.aside_holder = None

    def back(self, now: float | None = None) -> int | None:
        """Undo the last move of the piece in this stage.

        Returns the ``turn_id`` recorded for the undone turn (see :meth:`note_turn_id`), so the
        caller can delete that turn, or ``None`` when the move recorded no turn.
        """
        if self.mode is PieceMode.ASIDE:
            raise MoveNotAllowed(_("The talking piece is set aside; pick it up before going back."))
        if not self.history:
            raise MoveNotAllowed(_("There is no move to undo in this stage."))
        snapshot = self.history.pop()
        self.speaker = snapshot["speaker"]
        self.round_number = snapshot["round_number"]
        self.spoken = list(snapshot["spoken"])
        self.passed = list(snapshot["passed"])
        self.last_speaker = snapshot["last_speaker"]
        self.turn_started_at = snapshot["turn_started_at"]
        if snapshot["round_number"]:
            self.rounds_in_stage[self.stage_index] = snapshot["rounds_in_stage"]
        else:
            self.rounds_in_stage.pop(self.stage_index, None)
        if self.speaker is not None and self.speaker not in self.seating:
            # They have left since: the piece goes on to the next person.
            self.speaker = self._next_in_ring(self.speaker)
        turn_id: int | None = snapshot.get("turn_id")
        return turn_id

    def note_turn_id(self, turn_id: int) -> None:
        """Remember the stored id of the turn the last move recorded, so back can remove it."""
        if self.history:
            self.history[-1]["turn_id"] = turn_id

    # --- stages -----------------------------------------------------------------------

    def next_stage(self, now: float | None = None) -> None:
        if self.is_last_stage:
            raise MoveNotAllowed(_("This is the last stage; end the circle when you are ready."))
        self._enter_stage(self.stage_index + 1, _now(now))

    def previous_stage(self, now: float | None = None) -> None:
        if self.is_first_stage:
            raise MoveNotAllowed(_("This is the first stage."))
        self._enter_stage(self.stage_index - 1, _now(now))

    # --- people -----------------------------------------------------------------------

    def join_late(
        self,
        participant_id: int,
        position: int | None = None,
        tags: list[str] | None = None,
        now: float | None = None,
    ) -> None:
        """Seat someone who arrives late at ``position`` in the ring (the end if None)."""
        if participant_id in self.seating:
            raise MoveNotAllowed(_("That person is already in the circle."))
        where = len(self.seating) if position is None else max(0, min(position, len(self.seating)))
        self.seating.insert(where, participant_id)
        if tags is not None:
            self.tags[participant_id] = list(tags)
        if participant_id in self.left:
            self.left.remove(participant_id)
        if participant_id not in self.joined_late:
            self.joined_late.append(participant_id)
        # They join this round's turn order: the piece reaches them as it goes round (and if
        # the round had finished, the next move hands it to them before a new round begins).

    def leave_early(self, participant_id: int, now: float | None = None) -> None:
        """Someone leaves: take them out of the ring (remembered), moving the piece on."""
        now = _now(now)
        if participant_id not in self.seating:
            raise MoveNotAllowed(_("That person is not in the circle now."))
        held = participant_id == self.speaker
        next_holder = self._next_in_ring(participant_id) if held else None
        self.seating.remove(participant_id)
        if participant_id not in self.left:
            self.left.append(participant_id)
        if held:
            self.speaker = next_holder if self.mode is PieceMode.RING else None
            self.turn_started_at = now if self.speaker is not None else None

    # --- round timer ------------------------------------------------------------------

    def start_timer(self, now: float | None = None) -> None:
        if self.timer_started_at is None:
            self.timer_started_at = _now(now)

    def pause_timer(self, now: float | None = None) -> None:
        if self.timer_started_at is not None:
            self.timer_accumulated = self.round_elapsed(now)
            self.timer_started_at = None

    def reset_timer(self, now: float | None = None) -> None:
        running = self.timer_running
        self.timer_accumulated = 0.0
        self.timer_started_at = _now(now) if running else None

    def skip(self, seconds: float) -> None:
        """Leave ``seconds`` out of every clock (time the program was not running)."""
        if seconds <= 0:
            return
        for name in ("started_at", "stage_started_at", "timer_started_at", "turn_started_at"):
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, value + seconds)

    def set_display(self, *, projector: bool, languages: list[str], guidelines: bool) -> None:
        """Remember how the screens are set: the projector, its languages, the guidelines."""
        if not languages or len(languages) > 2 or not all(isinstance(x, str) for x in languages):
            raise MoveNotAllowed(_("Show one or two of the script's languages."))
        self.display = {
            "projector": bool(projector),
            "languages": list(languages),
            "guidelines": bool(guidelines),
        }

    def mark_applied(self, action_id: str) -> None:
        """Remember that the action with this id is stored (only the last few are kept)."""
        self.applied.append(action_id)
        del self.applied[:-APPLIED_LIMIT]

    # --- storing ----------------------------------------------------------------------

    def copy(self) -> LiveState:
        """An independent copy (what the moves change in place is copied; the rest is shared
        because nothing changes it: the stage plans, and each snapshot's lists)."""
        return replace(
            self,
            stages=list(self.stages),
            seating=list(self.seating),
            tags={pid: list(t) for pid, t in self.tags.items()},
            spoken=list(self.spoken),
            passed=list(self.passed),
            rounds_in_stage=dict(self.rounds_in_stage),
            joined_late=list(self.joined_late),
            left=list(self.left),
            history=[dict(h) for h in self.history],
            applied=list(self.applied),
            display={k: list(v) if isinstance(v, list) else v for k, v in self.display.items()},
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": STATE_FORMAT,
            "stages": [[s.has_round, s.addressed_to] for s in self.stages],
            "seating": list(self.seating),
            "tags": {str(k): list(v) for k, v in self.tags.items()},
            "keepers_take_turns": self.keepers_take_turns,
            "stage_index": self.stage_index,
            "mode": self.mode.value,
            "speaker": self.speaker,
            "round_number": self.round_number,
            "spoken": list(self.spoken),
            "passed": list(self.passed),
            "last_speaker": self.last_speaker,
            "aside_holder": self.aside_holder,
            "turn_started_at": self.turn_started_at,
            "rounds_in_stage": {str(k): v for k, v in self.rounds_in_stage.items()},
            "joined_late": list(self.joined_late),
            "left": list(self.left),
            "started_at": self.started_at,
            "stage_started_at": self.stage_started_at,
            "timer_started_at": self.timer_started_at,
            "timer_accumulated": self.timer_accumulated,
            "history": _pack_history(self.history, self.spoken, self.passed),
            "stage_record_id": self.stage_record_id,
            "applied": _pack_ids(self.applied),
            "display": dict(self.display),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LiveState:
        """The state saved by :meth:`to_dict`; raises ``ValueError`` if it is damaged."""
        try:
            if data.get("format") not in READ_FORMATS:
                raise ValueError(f"unknown live state format {data.get('format')!r}")
            spoken = [int(p) for p in data["spoken"]]
            passed = [int(p) for p in data["passed"]]
            state = cls(
                stages=[StagePlan(bool(r), str(a)) for r, a in data["stages"]],
                seating=[int(p) for p in data["seating"]],
                tags={int(k): [str(t) for t in v] for k, v in data["tags"].items()},
                keepers_take_turns=bool(data["keepers_take_turns"]),
                stage_index=int(data["stage_index"]),
                mode=PieceMode(data["mode"]),
                speaker=_opt_int(data["speaker"]),
                round_number=int(data["round_number"]),
                spoken=spoken,
                passed=passed,
                last_speaker=_opt_int(data["last_speaker"]),
                aside_holder=_opt_int(data.get("aside_holder")),
                turn_started_at=_opt_float(data["turn_started_at"]),
                rounds_in_stage={int(k): int(v) for k, v in data["rounds_in_stage"].items()},
                joined_late=[int(p) for p in data["joined_late"]],
                left=[int(p) for p in data["left"]],
                started_at=_opt_float(data["started_at"]),
                stage_started_at=_opt_float(data["stage_started_at"]),
                timer_started_at=_opt_float(data["timer_started_at"]),
                timer_accumulated=float(data["timer_accumulated"]),
                history=_unpack_history(data["history"], spoken, passed),
                stage_record_id=_opt_int(data.get("stage_record_id")),
                applied=_unpack_ids(data.get("applied", [])),
                display=dict(data.get("display") or {}),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"the saved live state is damaged ({exc})") from exc
        if not 0 <= state.stage_index < len(state.stages):
            raise ValueError("the saved live state points at a stage the script does not have")
        return state

    # --- inside -----------------------------------------------------------------------

    def _addressed(self, pid: int) -> bool:
        tags = set(self.tags.get(pid, ()))
        if Tag.OBSERVER in tags:
            return False
        target = self.stage.addressed_to
        if target == "all":
            return self.keepers_take_turns or Tag.KEEPER not in tags
        return target in tags

    def _check_round_stage(self) -> None:
        if not self.stage.has_round:
            raise MoveNotAllowed(
                _("This stage has no talking-piece round; go on to the next stage.")
            )

    def _enter_stage(self, index: int, now: float) -> None:
        self.stage_index = index
        self.mode = PieceMode.RING
        self.speaker = None
        self.last_speaker = None
        self.aside_holder = None
        self.turn_started_at = None
        self.round_number = 0
        self.spoken = []
        self.passed = []
        self.history = []
        self.stage_started_at = now
        self.timer_accumulated = 0.0
        self.timer_started_at = None
        if self.stage.has_round:
            self._start_round(now)

    def _start_round(self, now: float, first: int | None = None) -> None:
        number = self.rounds_in_stage.get(self.stage_index, 0) + 1
        self.rounds_in_stage[self.stage_index] = number
        self.round_number = number
        self.spoken = []
        self.passed = []
        self.reset_timer(now)
        order = self.turn_order
        if first is None and self.mode is PieceMode.RING and order:
            first = order[0]
        self.speaker = first
        self.turn_started_at = now if first is not None else None

    def _remember(self) -> None:
        self.history.append(
            {
                "speaker": self.speaker,
                "round_number": self.round_number,
                "rounds_in_stage": self.rounds_in_stage.get(self.stage_index, 0),
                "spoken": list(self.spoken),
                "passed": list(self.passed),
                "last_speaker": self.last_speaker,
                "turn_started_at": self.turn_started_at,
            }
        )
        del self.history[:-HISTORY_LIMIT]

    def _advance(self, *, passed: bool, now: float) -> TurnTaken | None:
        self._check_round_stage()
        if self.mode is PieceMode.ASIDE:
            raise MoveNotAllowed(_("The talking piece is set aside; pick it up to go on."))
        if self.speaker is None:
            if self.round_complete:
                self._remember()
                self._start_round(now)
                return None
            if self.mode is PieceMode.POPCORN:
                raise MoveNotAllowed(_("Popcorn order: choose who speaks next."))
            if not self.remaining:
                raise MoveNotAllowed(_("Nobody in the circle is addressed in this stage."))
            self._remember()
            self.speaker = self._next_in_ring(self.last_speaker)
            self.turn_started_at = now
            return None
        self._remember()
        holder = self.speaker
        turn = TurnTaken(
            participant_id=holder,
            passed=passed,
            stage_index=self.stage_index,
            round_number=self.round_number,
            started_at=self.turn_started_at if self.turn_started_at is not None else now,
            ended_at=now,
        )
        (self.passed if passed else self.spoken).append(holder)
        self.last_speaker = holder
        self.speaker = self._next_in_ring(holder) if self.mode is PieceMode.RING else None
        self.turn_started_at = now if self.speaker is not None else None
        return turn

    def _next_in_ring(self, after: int | None) -> int | None:
        """The next person round the ring after ``after`` who still has a turn to take."""
        waiting = set(self.remaining)
        if not waiting:
            return None
        ring = self.seating
        start = ring.index(after) + 1 if after in ring else 0
        for offset in range(len(ring)):
            pid = ring[(start + offset) % len(ring)]
            if pid in waiting and pid != after:
                return pid
        return None


def _now(now: float | None) -> float:
    return time.time() if now is None else float(now)


def _opt_int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def _opt_float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


# --- the stored form of the undo snapshots and the applied ids (format 2) -------------------
#
# Written after every key press, so kept short: a snapshot is a row of its values in
# SNAPSHOT_KEYS order (its turn id last, once noted), and its spoken and passed lists, which are
# nearly always the start of the next newer snapshot's (or, for the newest, the state's own),
# are then only their length. An applied id (a uuid) is its 16 bytes in 22 characters.


def _pack_history(history: list[dict[str, Any]], spoken: list[int], passed: list[int]) -> list[Any]:
    packed: list[Any] = []
    newer_spoken, newer_passed = spoken, passed
    for snapshot in reversed(history):
        size = len(snapshot)
        row: list[Any] | None = None
        if size == _SNAPSHOT_SIZE or (size == _SNAPSHOT_SIZE + 1 and "turn_id" in snapshot):
            with contextlib.suppress(KeyError):  # a key missing: kept as it is below
                row = list(_SNAPSHOT_VALUES(snapshot))
        if row is None:
            packed.append(dict(snapshot))  # not one _remember made: kept as it is
        else:
            said, gave_up = row[_SPOKEN], row[_PASSED]
            if newer_spoken[: len(said)] == said:
                row[_SPOKEN] = len(said)
            if newer_passed[: len(gave_up)] == gave_up:
                row[_PASSED] = len(gave_up)
            if size > _SNAPSHOT_SIZE:
                row.append(snapshot["turn_id"])
            packed.append(row)
        newer_spoken, newer_passed = snapshot["spoken"], snapshot["passed"]
    packed.reverse()
    return packed


def _unpack_history(
    packed: list[Any], spoken: list[int], passed: list[int]
) -> list[dict[str, Any]]:
    history: list[dict[str, Any]] = []
    newer_spoken, newer_passed = spoken, passed
    for row in reversed(packed):
        if isinstance(row, dict):  # format 1, or a snapshot kept as it was
            snapshot = dict(row)
        else:
            if not _SNAPSHOT_SIZE <= len(row) <= _SNAPSHOT_SIZE + 1:
                raise ValueError("an undo snapshot of the wrong length")
            snapshot = dict(zip(SNAPSHOT_KEYS, row[:_SNAPSHOT_SIZE], strict=True))
            snapshot["spoken"] = _unprefix(snapshot["spoken"], newer_spoken)
            snapshot["passed"] = _unprefix(snapshot["passed"], newer_passed)
            if len(row) > _SNAPSHOT_SIZE:
                snapshot["turn_id"] = row[-1]
        history.append(snapshot)
        newer_spoken, newer_passed = snapshot["spoken"], snapshot["passed"]
    history.reverse()
    return history


_SNAPSHOT_SIZE = len(SNAPSHOT_KEYS)
_SPOKEN, _PASSED = SNAPSHOT_KEYS.index("spoken"), SNAPSHOT_KEYS.index("passed")
_SNAPSHOT_VALUES = operator.itemgetter(*SNAPSHOT_KEYS)


def _unprefix(stored: object, newer: list[int]) -> list[int]:
    if type(stored) is int:
        if not 0 <= stored <= len(newer):
            raise ValueError("an undo snapshot refers to more turns than were taken")
        return newer[:stored]
    if isinstance(stored, list):
        return [int(p) for p in stored]
    raise ValueError("an undo snapshot's turns are not a list")


_ID_CHARS = 22  # a uuid's 16 bytes in URL-safe base64, without its padding


def _pack_ids(ids: list[str]) -> str | list[str]:
    short = [_short_id(i) for i in ids]
    if all(short):
        return "".join(short)  # type: ignore[arg-type]
    return list(ids)  # an id that is not a uuid as written: all kept as they are


def _unpack_ids(stored: object) -> list[str]:
    if isinstance(stored, str):
        if len(stored) % _ID_CHARS:
            raise ValueError("the applied ids are cut short")
        return [_long_id(stored[i : i + _ID_CHARS]) for i in range(0, len(stored), _ID_CHARS)]
    if not isinstance(stored, list):
        raise ValueError("the applied ids are not a list")
    return [str(a) for a in stored]


@functools.lru_cache(maxsize=512)
def _short_id(action_id: str) -> str | None:
    """The id in 22 characters, when it is a uuid written the usual way (else None)."""
    try:
        parsed = uuid.UUID(action_id)
    except ValueError:
        return None
    if str(parsed) != action_id:
        return None
    return base64.urlsafe_b64encode(parsed.bytes).decode("ascii")[:_ID_CHARS]


@functools.lru_cache(maxsize=512)
def _long_id(short: str) -> str:
    return str(uuid.UUID(bytes=base64.urlsafe_b64decode(short + "==")))
