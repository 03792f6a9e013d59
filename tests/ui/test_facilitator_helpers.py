"""Planning circles for the live-view tests, through the real services (helpers, no tests)."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CirclePlan
from circlekeeper.core.domain.enums import PersonKind, Role
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.store.database import Database
from circlekeeper.ui.live.facilitator import FacilitatorWindow

from .conftest import activate

WHEN = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
STUDENTS = ("Ali", "Bea", "Cy", "Dee")


class Clock:
    """A hand-moved clock: every action of the test takes 20 seconds."""

    def __init__(self) -> None:
        self.now = WHEN.timestamp()

    def __call__(self) -> float:
        self.now += 20
        return self.now


def person(db: Database, first: str, kind: str = PersonKind.STUDENT) -> int:
    return PeopleService(db.sessions).create(PersonData(first, "Test", kind=kind)).id


def harm_circle(db: Database) -> tuple[int, dict[str, int]]:
    """A planned harm circle: a keeper and four students; returns participant ids by name."""
    planner = CirclePlanner(db.sessions)
    keeper = person(db, "Kim", PersonKind.STAFF)
    cid = planner.plan(
        CirclePlan(kind="harm_repair", script_key="harm_repair", facilitator_id=keeper)
    ).id
    ids = {"Kim": planner.detail(cid).participants[0].id}
    for name in STUDENTS:
        ids[name] = planner.add_participant(cid, person(db, name), Role.MEMBER).id
    return cid, ids


def conference(db: Database) -> tuple[int, dict[str, int]]:
    planner = CirclePlanner(db.sessions)
    cid = planner.plan(
        CirclePlan(
            kind="conference",
            script_key="conference",
            facilitator_id=person(db, "Ana", PersonKind.STAFF),
            co_facilitator_id=person(db, "Ben", PersonKind.SRO),
        )
    ).id
    keeper, co = (p.id for p in planner.detail(cid).participants)
    rio = planner.add_participant(cid, person(db, "Rio"), Role.RESPONSIBLE).id
    hana = planner.add_participant(cid, person(db, "Hana"), Role.HARMED).id
    rosa = planner.add_participant(
        cid, person(db, "Rosa", PersonKind.GUARDIAN), Role.GUARDIAN, rio
    ).id
    hugo = planner.add_participant(cid, person(db, "Hugo"), Role.SUPPORTER, hana).id
    planner.set_seating(cid, planner.suggest_seating(cid).ring)
    return cid, dict(Ana=keeper, Ben=co, Rio=rio, Hana=hana, Rosa=rosa, Hugo=hugo)


def open_window(qtbot: QtBot, db: Database, cid: int, **options: object) -> FacilitatorWindow:
    window = FacilitatorWindow(db, cid, clock=Clock(), **options)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.resize(1366, 768)
    activate(qtbot, window)
    return window


def press(qtbot: QtBot, window: FacilitatorWindow, key: object, modifier: object = None) -> None:
    """A key press on the facilitator window, as the keeper's hands would make it."""
    from PySide6.QtCore import Qt

    qtbot.keyClick(window, key, modifier or Qt.KeyboardModifier.NoModifier)  # type: ignore[arg-type]


def to_first_round(qtbot: QtBot, window: FacilitatorWindow) -> None:
    """Page on to the first stage where the talking piece goes round."""
    while window.state is not None and not window.state.stage.has_round:
        from PySide6.QtCore import Qt

        press(qtbot, window, Qt.Key.Key_PageDown)
