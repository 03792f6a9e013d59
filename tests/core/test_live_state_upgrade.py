"""A circle running when the app is upgraded keeps its place and every step of its back button.

The live state was written in format 1 (every undo snapshot in full); the upgraded app writes
format 2 (short rows) and reads both, on a file and on a server alike.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select, update
from tests.core.held import running_circle

from circlekeeper.core.domain.live import STATE_FORMAT
from circlekeeper.core.facilitation.actions import copy_state
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.operations import Context
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Circle, Turn


def _turns(db: Database, circle_id: int) -> list[int]:
    with db.sessions() as session:
        return list(session.scalars(select(Turn.id).where(Turn.circle_id == circle_id)))


def _stored(db: Database, circle_id: int) -> dict[str, object]:
    with db.sessions() as session:
        raw = session.scalar(select(Circle.live_state).where(Circle.id == circle_id))
    return dict(json.loads(raw or ""))


def test_a_circle_left_in_format_1_goes_back_step_by_step_after_the_upgrade(
    db: Database, tmp_path: Path
) -> None:
    cid = running_circle(db, tmp_path / "scripts", members=5)
    before = FacilitationService(Context(db.sessions, actor="Kim"), cid)
    turns = [_turns(db, cid)]
    for _ in range(4):
        before.next_speaker()
        turns.append(_turns(db, cid))
    state = before.state()
    # As the app before the upgrade left it: the snapshots in full, the ids as a list
    old = json.loads(json.dumps(state.to_dict()))
    old.update(format=1, history=[dict(h) for h in state.history], applied=list(state.applied))
    with db.sessions.begin() as session:
        session.execute(update(Circle).where(Circle.id == cid).values(live_state=json.dumps(old)))

    after = FacilitationService(Context(db.sessions, actor="Kim"), cid)  # the upgraded app
    assert after.resume().state == state
    expected = copy_state(state)
    for step in range(3):
        expected.back(now=0)
        moved = after.back()
        assert replace(moved, applied=expected.applied) == expected  # (its id is remembered)
        assert _turns(db, cid) == turns[-2 - step]  # the turn that move recorded is gone
        assert _stored(db, cid)["format"] == STATE_FORMAT
    after.next_speaker()
    assert len(_turns(db, cid)) == len(turns[2])  # and it goes on from there
