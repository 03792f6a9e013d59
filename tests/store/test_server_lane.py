"""Key presses of a live circle on a district server go by one statement each (the lane).

Real PostgreSQL, through the real migrations: what the lane stores must be exactly what the
ordinary transaction stores (turns, stages, notes and their audit line, the live state), an
action sent twice lands once, and two windows moving one circle never lose or double a move.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from tests.core.held import running_circle
from tests.pg_cluster import Cluster

from circlekeeper.core.facilitation.actions import Action, copy_state
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.operations import Context
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.database import Database, open_database
from circlekeeper.core.store.models import AuditEvent, Circle, Note, StageRecord, Turn


def _server(pg_url: str) -> Database:
    return open_database(pg_url)


def _turns(db: Database, circle_id: int) -> list[tuple[int | None, bool]]:
    with db.sessions() as session:
        return [
            (t.participant_id, t.passed)
            for t in session.scalars(
                select(Turn).where(Turn.circle_id == circle_id).order_by(Turn.id)
            )
        ]


def _stored_state(db: Database, circle_id: int) -> dict[str, object]:
    with db.sessions() as session:
        return dict(json.loads(session.get(Circle, circle_id).live_state))  # type: ignore[union-attr]


def _orm_statements(db: Database) -> list[str]:
    seen: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def test_a_key_press_is_stored_whole_without_the_orm_transaction(
    pg_url: str, tmp_path: Path
) -> None:
    db = _server(pg_url)
    try:
        cid = running_circle(db, tmp_path / "scripts", members=6)
        live = FacilitationService(Context(db.sessions, actor="Kim"), cid)
        assert live.lane is not None
        live.state()  # the window reads the circle once when it opens
        seen = _orm_statements(db)
        changes = []
        live.ctx.subscribe(changes.append)

        speaker = live.state().speaker
        seen.clear()
        state = live.next_speaker()
        live.pass_turn()
        note = live.add_note("Shared how the week went.", privacy="record")
        live.next_stage()

        # None of the four went through a session: each was one statement of the lane's
        assert seen == []
        assert _turns(db, cid)[-2:] == [(speaker, False), (state.speaker, True)]
        assert _stored_state(db, cid) == json.loads(json.dumps(live.state().to_dict()))
        with db.sessions() as session:
            kept = session.scalar(select(Note).where(Note.uuid == note.uuid))
            assert kept is not None and kept.id == note.id and kept.author == "Kim"
            line = session.scalar(select(AuditEvent).where(AuditEvent.entity_uuid == note.uuid))
            assert line is not None and line.actor == "Kim" and line.action == "add_note"
            assert "week" not in line.detail  # a note's words never go to the audit trail
            stages = session.scalars(
                select(StageRecord).where(StageRecord.circle_id == cid).order_by(StageRecord.id)
            ).all()
            assert stages[-2].ended_at is not None and stages[-1].ended_at is None
            assert live.state().stage_record_id == stages[-1].id
        # Screens were told, as after any operation
        assert [c.touches("circle") or c.touches("note") for c in changes] == [True] * 4
        assert changes[0].touched("turn", max(i for i in changes[0].ids["turn"]))
        assert changes[2].touched("note", note.id)
    finally:
        db.close()


@pytest.fixture
def keeping(pg_url: str, tmp_path: Path) -> Iterator[tuple[Database, int, FacilitationService]]:
    """A circle running on the server, and Kim's window on it (opened: its state read once)."""
    db = _server(pg_url)
    try:
        cid = running_circle(db, tmp_path / "scripts", members=6)
        live = FacilitationService(Context(db.sessions, actor="Kim"), cid)
        live.state()
        yield db, cid, live
    finally:
        db.close()


def test_back_undoes_a_turn_the_lane_recorded(
    keeping: tuple[Database, int, FacilitationService],
) -> None:
    db, cid, live = keeping
    before = _turns(db, cid)
    live.next_speaker()
    assert len(_turns(db, cid)) == len(before) + 1
    live.back()
    assert _turns(db, cid) == before
    live.next_speaker()  # the lane goes on from the state the ordinary path wrote
    assert len(_turns(db, cid)) == len(before) + 1


def test_an_action_sent_twice_lands_once(
    keeping: tuple[Database, int, FacilitationService],
) -> None:
    db, cid, live = keeping
    turn = Action.new("next_speaker", {}, at=live.state().turn_started_at + 5, actor="Kim")
    note = Action.new("add_note", {"text": "once", "privacy": "record"}, at=1e9, actor="Kim")
    before = len(_turns(db, cid))
    for _ in range(2):
        live.apply(turn)
        live.apply(note)
    assert len(_turns(db, cid)) == before + 1
    with db.sessions() as session:
        assert session.scalar(select(func.count()).where(Note.uuid == note.id)) == 1
        assert session.scalar(select(func.count()).where(AuditEvent.entity_uuid == note.id)) == 1


def test_two_windows_on_one_circle_never_lose_or_double_a_move(pg_url: str, tmp_path: Path) -> None:
    db = _server(pg_url)
    other = _server(pg_url)
    try:
        cid = running_circle(db, tmp_path / "scripts", members=6)
        first = FacilitationService(Context(db.sessions, actor="Kim"), cid)
        second = FacilitationService(Context(other.sessions, actor="Kim"), cid)
        first.state()
        second.state()
        before = len(_turns(db, cid))
        alone = copy_state(first.state())  # the same presses in memory, for the turns expected
        expected = sum(alone.next_speaker() is not None for _ in range(12))
        # Each remembers a state the other has since moved on from
        for n in range(12):
            (first if n % 2 == 0 else second).next_speaker()
        assert len(_turns(db, cid)) == before + expected
        stored = _stored_state(db, cid)
        assert stored == json.loads(json.dumps(first.state().to_dict()))
        assert len(stored["applied"]) >= 12  # type: ignore[arg-type]
    finally:
        other.close()
        db.close()


def test_a_file_has_no_lane(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    try:
        cid = running_circle(db, tmp_path / "scripts", members=4)
        assert FacilitationService(Context(db.sessions), cid).lane is None
    finally:
        db.close()


def test_key_presses_take_no_connection_from_the_pool_and_test_none(
    keeping: tuple[Database, int, FacilitationService],
) -> None:
    db, cid, live = keeping
    live.next_speaker()  # the lane takes its connection (tested by the pool) once
    lent: list[object] = []
    event.listen(db.engine, "checkout", lambda *a: lent.append(a))
    pings = _orm_statements(db)  # the pool's test of a connection goes through the engine
    for _ in range(3):
        live.next_speaker()
        live.add_note("kept", privacy="record")
    assert lent == [] and pings == []
    assert len(_turns(db, cid)) >= 3


def test_the_lanes_connection_is_closed_with_the_database(pg_url: str, tmp_path: Path) -> None:
    db = _server(pg_url)
    cid = running_circle(db, tmp_path / "scripts", members=6)
    live = FacilitationService(Context(db.sessions, actor="Kim"), cid)
    live.state()
    live.next_speaker()
    assert live.lane is not None
    assert live.lane._held.fairy is not None
    held = live.lane._held.fairy.driver_connection
    assert not held.closed
    db.close()  # the engine is disposed: a connection still kept must not be left open
    assert live.lane._held.fairy is None and held.closed


def test_a_lane_collected_unclosed_gives_its_connection_back(
    keeping: tuple[Database, int, FacilitationService],
) -> None:
    db, cid, live = keeping
    live.next_speaker()
    assert db.engine.pool.checkedout() == 1  # type: ignore[attr-defined]
    other = FacilitationService(Context(db.sessions, actor="Kim"), cid)
    other.state()
    other.next_speaker()
    assert db.engine.pool.checkedout() == 2  # type: ignore[attr-defined]
    del other
    gc.collect()
    assert db.engine.pool.checkedout() == 1  # type: ignore[attr-defined]


def test_a_service_closed_gives_its_connection_back_and_a_later_press_still_lands(
    keeping: tuple[Database, int, FacilitationService],
) -> None:
    db, cid, live = keeping
    live.next_speaker()
    assert db.engine.pool.checkedout() == 1  # type: ignore[attr-defined]
    live.close()  # the facilitator window closed
    assert db.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    before = len(_turns(db, cid))
    live.next_speaker()  # resumed in the same window: a connection is taken again
    assert len(_turns(db, cid)) == before + 1


def test_a_press_after_the_server_dropped_the_lanes_connection_is_stored_once(
    pg_cluster: Cluster, keeping: tuple[Database, int, FacilitationService]
) -> None:
    db, cid, live = keeping
    live.next_speaker()
    before = _turns(db, cid)
    assert live.lane is not None
    pid = live.lane._held.fairy.driver_connection.info.backend_pid
    pg_cluster.sql(f"SELECT pg_terminate_backend({pid})")
    for _ in range(100):  # the backend exits on its own time after the signal
        if not pg_cluster.sql(f"SELECT count(*) FROM pg_stat_activity WHERE pid = {pid}")[0][0]:
            break
        time.sleep(0.05)
    live.next_speaker()  # the lane's statement fails: the ordinary path stores it
    assert len(_turns(db, cid)) == len(before) + 1
    live.next_speaker()  # and the lane goes on, on a new connection
    assert len(_turns(db, cid)) == len(before) + 2
    assert live.lane._held.fairy is not None
    assert live.lane._held.fairy.driver_connection.info.backend_pid != pid


def test_a_state_a_press_returned_never_changes_after(
    keeping: tuple[Database, int, FacilitationService],
) -> None:
    db, cid, live = keeping
    first = live.next_speaker()  # the screen keeps it, to compare with the next one
    kept = json.dumps(first.to_dict())
    second = live.next_speaker()
    live.pass_turn()
    assert json.dumps(first.to_dict()) == kept and second is not first
    assert _stored_state(db, cid) == json.loads(json.dumps(live.state().to_dict()))


def _round_over(live: FacilitationService) -> None:
    while live.state().speaker is not None:
        live.next_speaker()


def test_a_move_that_makes_no_sense_is_refused_in_the_same_words_in_one_read(
    pg_url: str, db_path: Path, tmp_path: Path
) -> None:
    on_file = open_database(db_path)  # the ordinary path's words, to compare
    db = _server(pg_url)
    try:
        refusals = []
        for database in (on_file, db):
            cid = running_circle(database, tmp_path / f"scripts{len(refusals)}", members=3)
            live = FacilitationService(Context(database.sessions, actor="Kim"), cid)
            _round_over(live)
            seen = _orm_statements(database)
            with pytest.raises(InvalidInput) as refused:
                live.pass_turn()
            refusals.append((str(refused.value), seen))
        (on_a_file, _), (on_the_server, through_a_session) = refusals
        assert on_the_server == on_a_file and "nobody can pass" in on_the_server
        assert through_a_session == []  # the lane refused it, after its one read
    finally:
        db.close()
        on_file.close()


def test_a_move_refused_on_a_state_another_window_moved_on_is_decided_afresh(
    pg_url: str, tmp_path: Path
) -> None:
    db = _server(pg_url)
    other = _server(pg_url)
    try:
        cid = running_circle(db, tmp_path / "scripts", members=3)
        first = FacilitationService(Context(db.sessions, actor="Kim"), cid)
        second = FacilitationService(Context(other.sessions, actor="Kim"), cid)
        _round_over(first)
        second.state()
        second.next_speaker()  # the next round begins in the other window
        turns = len(_turns(db, cid))
        first.pass_turn()  # refused on what the first window remembers, not on what is stored
        assert len(_turns(db, cid)) == turns + 1 and _turns(db, cid)[-1][1] is True
    finally:
        other.close()
        db.close()
