"""Migration 0019: dated consent and its withdrawal, up and down, on both engines, keeping every
participant and the consent already recorded."""

from __future__ import annotations

from datetime import date

from sqlalchemy import inspect, text
from tests.store.migrating import migrate

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CirclePlan
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.store.database import Database

NEW = {"consent_given_on", "consent_withdrawn_on", "consent_withdrawn_by"}


def _columns(db: Database) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns("participant")}


def _participants(db: Database) -> list[tuple[object, ...]]:
    with db.engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                text("SELECT uuid, role, consent, guardian_consent FROM participant ORDER BY id")
            )
        ]


def test_withdrawn_consent_columns_come_and_go_keeping_the_participants(db: Database) -> None:
    people = PeopleService(db.sessions)
    ana = people.create(PersonData("Ana", "Ruiz", grade="8")).id
    planner = CirclePlanner(db.sessions)
    circle = planner.plan(CirclePlan(kind="harm_repair", title="Repair"))
    row = planner.add_participant(circle.id, ana, "responsible").id
    planner.set_preparation(row, consent=True, guardian_consent=True)
    planner.withdraw_consent(row, date.today(), "guardian")
    before = _participants(db)
    assert _columns(db) >= NEW

    migrate(db, "0018_merges", down=True)
    assert not NEW & _columns(db)
    assert _participants(db) == before

    migrate(db, "head")
    assert _columns(db) >= NEW
    assert _participants(db) == before
    with db.engine.connect() as conn:
        dates = conn.execute(
            text(
                "SELECT consent_given_on, consent_withdrawn_on, consent_withdrawn_by"
                " FROM participant"
            )
        ).one()
    assert tuple(dates) == (None, None, None)  # the dates went with the columns
    # and the new column takes only the values the app writes, on both engines' rules
    fresh = planner.withdraw_consent(row, by="participant")
    assert fresh.withdrawn and fresh.consent_withdrawn_by == "participant"
