"""Live circles in several schools on one district server do not wait on each other.

Two real sessions on PostgreSQL: one circle's facilitation action holds its transaction open
(as a slow laptop on a school's network would), and the other circle's actions commit meanwhile.
Every connection has a ``lock_timeout``: a regression that made them wait (a table lock, one
shared row every action writes) fails here with a plain problem instead of hanging the test.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.core.held import running_circle

from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.operations import Context
from circlekeeper.core.store.database import Database, open_database
from circlekeeper.core.store.models import Note, StageRecord, Turn

LOCK_TIMEOUT = "options=-c%20lock_timeout%3D3000"  # 3 s: far above any real action


class HeldOpen(Context):
    """A context whose writes stop before their commit until the test lets them go."""

    def __init__(self, database: Database) -> None:
        super().__init__(database.sessions, actor="Keeper A")
        self.inside = threading.Event()
        self.go_on = threading.Event()
        self.armed = False  # only the action under test is held

    @contextmanager
    def write(self, name: str = "") -> Iterator[Session]:
        with super().write(name) as session:
            yield session
            if self.armed:
                session.flush()  # every row of the action written, its locks taken
                self.inside.set()
                assert self.go_on.wait(30), "the test never let the held transaction commit"


@pytest.fixture
def server(pg_url: str) -> Iterator[Database]:
    database = open_database(f"{pg_url}?{LOCK_TIMEOUT}")
    yield database
    database.close()


def _counts(db: Database, circle_id: int) -> tuple[int, int, int]:
    with db.sessions() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(t).where(t.circle_id == circle_id)) or 0
            for t in (Turn, Note, StageRecord)
        )


ACTIONS: dict[str, Callable[[FacilitationService], object]] = {
    "pass the piece": lambda live: live.pass_turn(),
    "record a turn": lambda live: live.next_speaker(),
    "add a note": lambda live: live.add_note("Shared how the week went.", privacy="record"),
    "advance a stage": lambda live: live.next_stage(),
}


@pytest.mark.parametrize("held_action", list(ACTIONS))
def test_one_circles_open_transaction_does_not_hold_up_another_circle(
    server: Database, tmp_path: Path, held_action: str
) -> None:
    # Given two circles running at once in two schools, each on its own connection
    first = running_circle(server, tmp_path / "scripts", actor="Keeper A")
    second = running_circle(server, tmp_path / "scripts", actor="Keeper B")
    held = HeldOpen(server)
    keeper_a = FacilitationService(held, first)
    # A's action takes the ordinary path, whose transaction can be held open (a key press by
    # the one-statement lane never leaves one open); B's go by the lane, as on a server.
    keeper_a.lane = None
    keeper_b = FacilitationService(Context(server.sessions, actor="Keeper B"), second)
    keeper_a.next_speaker()  # the piece in someone's hands, so passing is allowed
    keeper_b.next_speaker()
    before_a = _counts(server, first)
    held.armed = True

    # When circle A's action is written but not committed yet
    errors: list[BaseException] = []

    def run_a() -> None:
        try:
            ACTIONS[held_action](keeper_a)
        except BaseException as error:  # the test reports it below
            errors.append(error)

    worker = threading.Thread(target=run_a, daemon=True)
    worker.start()
    assert held.inside.wait(30), errors
    # Then circle B's keeper presses every key meanwhile, and each one commits
    try:
        for action in ACTIONS.values():
            action(keeper_b)
        after_b = _counts(server, second)
    finally:
        held.go_on.set()
        worker.join(30)
    assert not errors, errors
    assert after_b[0] >= 3 and after_b[1] == 1  # two turns and a pass, one note (and a stage)
    # and circle A's held action commits too once it goes on
    assert _counts(server, first) != before_a
