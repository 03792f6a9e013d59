"""A window's key presses start from the state it stored last, unless another moved it since.

Parsing the stored state at every press was a tenth of a press on the laptop; the service
keeps what it stored and compares the stored text in full, so a circle moved by another
window (or the laptop's journal) is always read afresh.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from tests.core.held import running_circle

from circlekeeper.core.facilitation import commands
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.operations import Context
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Turn


def _speakers(db: Database, circle_id: int) -> list[int | None]:
    with db.sessions() as session:
        return list(
            session.scalars(
                select(Turn.participant_id).where(Turn.circle_id == circle_id).order_by(Turn.id)
            )
        )


def test_presses_parse_the_stored_state_only_after_another_window_moved_it(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a running circle, open in two windows
    cid = running_circle(db, tmp_path / "scripts", members=6)
    one = FacilitationService(Context(db.sessions, actor="Kim"), cid)
    other = FacilitationService(Context(db.sessions, actor="Kim"), cid)
    one.lane = other.lane = None  # the laptop's path (a server's presses go by the lane)
    one.state()
    other.state()
    parsed: list[str] = []
    real = commands.load_state

    def counting(raw: str) -> object:
        parsed.append(raw)
        return real(raw)

    monkeypatch.setattr(commands, "load_state", counting)

    # When the first window presses three times
    first = one.next_speaker()
    one.next_speaker()
    one.pass_turn()
    # Then only its first press read the stored text as new
    assert len(parsed) == 1

    # When the other window moves the circle, and the first presses again
    other.next_speaker()
    after = one.next_speaker()
    # Then each parsed what it had not stored, and no move was lost or doubled
    assert len(parsed) == 3
    assert len(_speakers(db, cid)) == 5
    assert after.speaker != first.speaker
    assert after.spoken == sorted(after.spoken, key=after.turn_order.index)
