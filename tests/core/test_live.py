"""The live-session state machine: talking piece, rounds, modes, people coming and going."""

from __future__ import annotations

import json
import uuid

import pytest

from circlekeeper.core.domain.live import (
    APPLIED_LIMIT,
    HISTORY_LIMIT,
    LiveState,
    MoveNotAllowed,
    PieceMode,
    SeatStatus,
    StagePlan,
)

OPENING = StagePlan(has_round=False)
ROUND = StagePlan(has_round=True)


def circle(seating: list[int] | None = None, stages: list[StagePlan] | None = None) -> LiveState:
    return LiveState.begin(stages or [OPENING, ROUND, ROUND], seating or [1, 2, 3, 4], now=0)


def test_a_full_round_with_passes_completes_when_everyone_had_a_turn() -> None:
    # Given a circle at its first round
    state = circle()
    assert state.speaker is None  # the opening has no round
    with pytest.raises(MoveNotAllowed):
        state.next_speaker(now=1)
    state.next_stage(now=10)
    assert (state.stage_index, state.round_number, state.speaker) == (1, 1, 1)

    # When the piece goes round, two people passing
    turns = [
        state.next_speaker(now=20),
        state.pass_turn(now=25),
        state.next_speaker(now=40),
    ]
    assert not state.round_complete
    assert state.remaining == [4]
    turns.append(state.pass_turn(now=42))

    # Then the round is complete and every turn was reported
    assert state.round_complete
    assert state.speaker is None
    assert state.spoken == [1, 3] and state.passed == [2, 4]
    assert [(t.participant_id, t.passed) for t in turns if t] == [
        (1, False),
        (2, True),
        (3, False),
        (4, True),
    ]
    first = turns[0]
    assert first is not None and (first.started_at, first.ended_at) == (10, 20)
    assert state.seat_status(1) is SeatStatus.SPOKE
    assert state.seat_status(2) is SeatStatus.PASSED

    # And the next move starts round two with the first person again
    assert state.next_speaker(now=50) is None
    assert (state.round_number, state.speaker, state.spoken, state.passed) == (2, 1, [], [])


def test_pass_with_nobody_holding_the_piece_is_refused() -> None:
    state = circle(stages=[ROUND])
    for _ in range(4):
        state.next_speaker(now=1)
    with pytest.raises(MoveNotAllowed, match="Nobody holds"):
        state.pass_turn(now=2)


def test_popcorn_order_waits_for_the_keeper_to_choose() -> None:
    state = circle(stages=[ROUND])
    state.set_mode(PieceMode.POPCORN, now=1)
    assert state.speaker == 1  # whoever holds the piece finishes their turn
    state.next_speaker(now=2)
    assert state.speaker is None
    with pytest.raises(MoveNotAllowed, match="choose"):
        state.next_speaker(now=3)
    state.choose_speaker(4, now=3)
    assert state.speaker == 4
    state.pass_turn(now=4)
    with pytest.raises(MoveNotAllowed, match="already had a turn"):
        state.choose_speaker(1, now=5)
    state.choose_speaker(3, now=5)
    state.next_speaker(now=6)
    state.choose_speaker(2, now=7)
    state.next_speaker(now=8)
    assert state.round_complete
    # Back to the ring: a new round starts with the first seat.
    state.set_mode(PieceMode.RING, now=9)
    state.next_speaker(now=10)
    assert (state.round_number, state.speaker) == (2, 1)


def test_talking_piece_set_aside_stops_turns_and_picking_it_up_resumes() -> None:
    state = circle(stages=[ROUND])
    state.next_speaker(now=1)  # 1 spoke, 2 holds the piece
    state.set_mode(PieceMode.ASIDE, now=2)
    assert state.speaker is None
    assert state.mode is PieceMode.ASIDE
    with pytest.raises(MoveNotAllowed, match="set aside"):
        state.next_speaker(now=3)
    with pytest.raises(MoveNotAllowed):
        state.back(now=3)
    state.set_mode(PieceMode.RING, now=4)
    assert state.speaker == 2
    assert state.spoken == [1]


def test_back_undoes_the_last_move_and_hands_back_the_recorded_turn() -> None:
    state = circle(stages=[ROUND])
    state.next_speaker(now=1)
    state.note_turn_id(101)
    state.pass_turn(now=2)
    state.note_turn_id(102)
    assert state.speaker == 3
    assert state.back(now=3) == 102
    assert (state.speaker, state.spoken, state.passed) == (2, [1], [])
    assert state.back(now=3) == 101
    assert (state.speaker, state.spoken) == (1, [])
    with pytest.raises(MoveNotAllowed, match="no move to undo"):
        state.back(now=4)


def test_back_over_the_start_of_a_new_round_restores_the_finished_round() -> None:
    state = circle([1, 2], stages=[ROUND])
    state.next_speaker(now=1)
    state.next_speaker(now=2)
    state.next_speaker(now=3)  # starts round 2
    assert state.round_number == 2
    assert state.back(now=4) is None
    assert state.round_complete and state.round_number == 1
    state.next_speaker(now=5)
    assert state.round_number == 2  # numbering stays continuous


def test_join_late_takes_a_seat_and_gets_a_turn_in_this_round() -> None:
    state = circle([1, 2, 3], stages=[ROUND])
    state.next_speaker(now=1)  # 1 spoke, 2 holds
    state.join_late(9, position=2, tags=["others"], now=2)
    assert state.seating == [1, 2, 9, 3]
    state.next_speaker(now=3)
    assert state.speaker == 9
    assert state.joined_late == [9]
    with pytest.raises(MoveNotAllowed, match="already in the circle"):
        state.join_late(9, now=4)


def test_leave_early_moves_the_piece_on_and_the_round_completes_without_them() -> None:
    state = circle(stages=[ROUND])
    state.next_speaker(now=1)  # 2 holds the piece
    state.leave_early(2, now=2)
    assert state.speaker == 3
    assert state.left == [2]
    state.leave_early(4, now=3)
    state.next_speaker(now=4)
    assert state.round_complete
    assert state.seat_status(2) is SeatStatus.NOT_ADDRESSED
    # Coming back is a late join, and they are no longer counted as gone.
    state.join_late(2, position=1, now=5)
    assert state.left == [4]


def test_conference_questions_go_only_to_the_people_addressed() -> None:
    stages = [StagePlan(True, "responsible"), StagePlan(True, "supporters_of_harmed")]
    tags = {
        1: ["keeper"],
        2: ["responsible"],
        3: ["supporters_of_responsible"],
        4: ["harmed"],
        5: ["supporters_of_harmed"],
        6: ["supporters_of_harmed"],
        7: ["observer"],
    }
    state = LiveState.begin(stages, [1, 2, 3, 6, 5, 4, 7], tags, keepers_take_turns=False, now=0)
    assert state.turn_order == [2]
    assert state.speaker == 2
    state.next_speaker(now=1)
    assert state.round_complete
    state.next_stage(now=2)
    assert state.turn_order == [6, 5]
    with pytest.raises(MoveNotAllowed, match="not addressed"):
        state.choose_speaker(4, now=3)


def test_keepers_take_turns_in_circles_but_not_in_conferences() -> None:
    tags = {1: ["keeper"], 2: ["others"], 7: ["observer"]}
    assert LiveState.begin([ROUND], [1, 2, 7], tags, now=0).turn_order == [1, 2]
    state = LiveState.begin([ROUND], [1, 2, 7], tags, keepers_take_turns=False, now=0)
    assert state.turn_order == [2]


def test_stages_move_both_ways_and_revisiting_continues_round_numbers() -> None:
    state = circle()
    with pytest.raises(MoveNotAllowed, match="first stage"):
        state.previous_stage(now=0)
    state.next_stage(now=1)
    state.next_stage(now=2)
    with pytest.raises(MoveNotAllowed, match="last stage"):
        state.next_stage(now=3)
    state.previous_stage(now=4)
    assert (state.stage_index, state.round_number, state.speaker) == (1, 2, 1)


def test_round_timer_pauses_and_survives_a_restart() -> None:
    state = circle(stages=[ROUND])
    state.start_timer(now=100)
    state.pause_timer(now=130)
    assert state.round_elapsed(now=500) == 30
    state.start_timer(now=600)
    restored = LiveState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert restored.timer_running
    assert restored.round_elapsed(now=610) == 40
    assert restored.elapsed(now=610) == 610


def test_serialization_roundtrip_keeps_everything() -> None:
    state = LiveState.begin(
        [OPENING, ROUND, StagePlan(True, "harmed")],
        [1, 2, 3],
        {1: ["keeper"], 2: ["harmed"], 3: ["responsible"]},
        keepers_take_turns=False,
        now=5,
    )
    state.next_stage(now=6)
    state.next_speaker(now=7)
    state.note_turn_id(55)
    state.set_mode("popcorn", now=8)
    state.join_late(4, 0, ["others"], now=9)
    state.leave_early(3, now=10)
    state.stage_record_id = 12
    data = json.loads(json.dumps(state.to_dict()))
    restored = LiveState.from_dict(data)
    assert restored == state
    assert restored.back(now=11) == 55


def test_damaged_state_is_refused_with_a_reason() -> None:
    data = circle().to_dict()
    del data["seating"]
    with pytest.raises(ValueError, match="damaged"):
        LiveState.from_dict(data)
    data = circle().to_dict()
    data["stage_index"] = 99
    with pytest.raises(ValueError, match="stage"):
        LiveState.from_dict(data)


def _written_by_format_1(state: LiveState) -> dict[str, object]:
    """The state as format 1 wrote it: snapshots and applied ids as they are in memory."""
    data = json.loads(json.dumps(state.to_dict()))
    data.update(
        format=1,
        history=[dict(h) for h in state.history],
        applied=list(state.applied),
    )
    return json.loads(json.dumps(data))


def _long_round(seated: int = 12, moves: int = 200) -> LiveState:
    state = circle(seating=list(range(101, 101 + seated)), stages=[ROUND])
    for n in range(moves):
        passing = n % 7 == 3 and state.speaker is not None
        turn = state.pass_turn(now=n) if passing else state.next_speaker(now=n + 0.25)
        if turn is not None:
            state.note_turn_id(10_000 + n)
        state.mark_applied(str(uuid.UUID(int=n + 1)))
    return state


def test_a_full_undo_history_is_written_in_a_few_kilobytes() -> None:
    state = _long_round()
    assert len(state.history) == HISTORY_LIMIT and len(state.applied) == APPLIED_LIMIT
    written = json.dumps(state.to_dict(), separators=(",", ":"))
    old = json.dumps(_written_by_format_1(state), separators=(",", ":"))
    assert len(written) < 4000 and len(old) > 10_000
    # and nothing of it is lost: every step back undoes exactly what it did before
    restored = LiveState.from_dict(json.loads(written))
    assert restored == state
    before = LiveState.from_dict(_written_by_format_1(state))
    for n in range(HISTORY_LIMIT):
        assert restored.back(now=1000 + n) == before.back(now=1000 + n)
        assert restored == before
    assert not restored.can_go_back


def test_a_state_written_by_format_1_loads_and_goes_back_the_same() -> None:
    state = _long_round(seated=5, moves=37)
    state.choose_speaker(state.remaining[-1], now=500)  # a snapshot not followed by a prefix
    state.mark_applied("not-a-uuid")  # kept as it is, whatever it looks like
    old = LiveState.from_dict(_written_by_format_1(state))
    assert old == state
    new = LiveState.from_dict(json.loads(json.dumps(old.to_dict())))
    assert new == state and new.applied[-1] == "not-a-uuid"
    while state.can_go_back:
        assert new.back(now=900) == state.back(now=900)
        assert new == state


def test_a_damaged_undo_snapshot_is_refused() -> None:
    state = _long_round(seated=4, moves=10)
    data = json.loads(json.dumps(state.to_dict()))
    data["history"][-1][3] = 99  # more spoken than the state has
    with pytest.raises(ValueError, match="damaged"):
        LiveState.from_dict(data)
    data = json.loads(json.dumps(state.to_dict()))
    data["applied"] = data["applied"][:-3]
    with pytest.raises(ValueError, match="damaged"):
        LiveState.from_dict(data)


def test_a_copy_moves_on_its_own() -> None:
    state = _long_round(seated=5, moves=23)
    state.tags[102] = ["others"]
    state.set_display(projector=True, languages=["en"], guidelines=False)
    before = json.dumps(state.to_dict())
    moved = state.copy()
    assert moved == state
    moved.note_turn_id(77)
    moved.next_speaker(now=1000)
    moved.note_turn_id(78)
    moved.join_late(999, 0, ["others"], now=1001)
    moved.leave_early(101, now=1002)
    moved.back(now=1003)
    moved.mark_applied(str(uuid.uuid4()))
    moved.tags[102].append("keeper")
    moved.display["languages"].append("es")
    moved.start_timer(now=1004)
    assert json.dumps(state.to_dict()) == before
