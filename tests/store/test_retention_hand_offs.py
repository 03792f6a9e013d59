"""Retention takes a removed case's hand-offs and its lines in the record of disclosures with
it, and leaves no word of them behind when it anonymises."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from tests.store.seed import seed

from circlekeeper.core.cases.handoffs import HandOffData, HandOffService
from circlekeeper.core.operations import Context
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.retention.retention import REMOVED, apply_retention
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Disclosure, HandOff

TODAY = date(2026, 6, 1)
SECRET = "Quillanbrook said he would bring a knife"


def _hand_off(db: Database, case_id: int, on: date) -> None:
    HandOffService(Context(db.sessions, viewer=Viewer("Dana", "counselor"))).hand_off(
        HandOffData("btam", "Ms. Patel", on, SECRET, "health_safety_emergency", SECRET),
        case_id=case_id,
    )


def _rows(db: Database) -> tuple[list[tuple[int | None, str, str]], list[int | None]]:
    with db.sessions() as session:
        hand_offs = [(h.case_id, h.recipient, h.shared) for h in session.scalars(select(HandOff))]
        lines = list(session.scalars(select(Disclosure.case_id)))
    return hand_offs, lines


def test_a_purged_case_takes_its_hand_offs_and_disclosures_with_it(db: Database) -> None:
    old = seed(db, closed_on=date(2019, 3, 1), tag="old")
    kept = seed(db, closed_on=date(2025, 3, 1), tag="recent")
    _hand_off(db, old["case"], date(2019, 1, 10))
    _hand_off(db, kept["case"], date(2025, 1, 10))
    assert len(_rows(db)[1]) >= 2

    apply_retention(db.sessions, 5, TODAY, mode="purge")

    hand_offs, lines = _rows(db)
    assert [h[0] for h in hand_offs] == [kept["case"]]
    assert lines and set(lines) == {kept["case"]}


def test_anonymising_removes_what_a_hand_off_said_and_who_it_concerned(db: Database) -> None:
    old = seed(db, closed_on=date(2019, 3, 1), tag="old")
    _hand_off(db, old["case"], date(2019, 1, 10))

    apply_retention(db.sessions, 5, TODAY, mode="anonymise")

    hand_offs, lines = _rows(db)
    assert hand_offs == [(old["case"], REMOVED, REMOVED)]  # still counted, nothing said
    assert lines == []
    with db.sessions() as session:
        assert session.scalar(select(HandOff.threat)) is None
