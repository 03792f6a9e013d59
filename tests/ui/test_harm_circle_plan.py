"""A harm-and-repair circle is planned like a conference: each person's consent and the
eligibility screen in the Preparation tab, and Start refuses what the screen blocks."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from circlekeeper.core.domain.enums import Role
from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.store.database import Database
from circlekeeper.ui.circles.plan import PlanDialog

from .a11y import unnamed_controls
from .conftest import activate, add_person
from .test_circles import choose, invite
from .test_eligibility_across import when_modal

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("America/Chicago"))
MINOR = date(2011, 5, 1)
SHOTS = Path("/tmp/circlekeeper-shots")


@pytest.fixture
def library(home) -> ScriptLibrary:  # type: ignore[no-untyped-def]
    return ScriptLibrary()


@pytest.mark.parametrize("kind", ["harm_repair", "reentry"])
def test_a_harm_circle_is_prepared_and_screened_like_a_conference(
    qtbot: QtBot, db: Database, people: PeopleService, library: ScriptLibrary, kind: str
) -> None:
    keeper = add_person(people, "Dana", "Whitfield", kind="staff")
    add_person(people, "José", "Núñez", birth_date=MINOR)
    add_person(people, "Amara", "Okafor", birth_date=MINOR)
    # Given a circle of this kind planned with two students
    dialog = PlanDialog(db, library=library)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    activate(qtbot, dialog)
    choose(dialog.kind, kind)
    choose(dialog.facilitator, keeper)
    dialog.save_details()
    assert dialog.circle_id is not None
    invite(qtbot, dialog, "nunez", Role.RESPONSIBLE.value)
    invite(qtbot, dialog, "okafor", Role.HARMED.value)
    # Then the Preparation tab is there, with each person's consent and the screen
    assert dialog.tabs.isTabEnabled(2)
    dialog.tabs.setCurrentIndex(2)
    readiness = [dialog.readiness.item(r).text() for r in range(dialog.readiness.count())]
    assert any("José Núñez has not agreed to take part yet" in line for line in readiness)
    assert any("guardian's consent" in line for line in readiness)
    assert any("not been done" in line for line in readiness)
    assert "no case" in dialog.preparation.whose.text()
    assert unnamed_controls(dialog) == []
    SHOTS.mkdir(exist_ok=True)
    qtbot.wait(50)
    dialog.grab().save(str(SHOTS / f"plan-{kind}-preparation.png"))
    # When the facilitator halts it on the screen, Start explains and nothing starts
    form = dialog.preparation.form
    form.halted.setChecked(True)
    qtbot.waitUntil(lambda: any("not safe" in dialog.readiness.item(r).text()
                                for r in range(dialog.readiness.count())))  # fmt: skip
    seen: list[str] = []
    when_modal(seen)
    dialog.start()
    assert seen and "This circle cannot be held" in seen[0] and "not safe" in seen[0]
    assert dialog.started is None
