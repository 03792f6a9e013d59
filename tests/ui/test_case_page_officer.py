"""The case page as a school resource officer sees it: what the core says the officer may do
and see, and nothing more (no Close, no Diversion, no screen notes or Title IX answers)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.core.conftest import build_conference
from tests.ui.a11y import unnamed_controls
from tests.ui.conftest import add_person

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.domain.eligibility import Eligibility
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.profiles.viewer import ProfileRole, Viewer
from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.page import CasePage
from circlekeeper.ui.operations import context_for, register

ZONE = ZoneInfo("America/Chicago")
NOW = datetime(2025, 3, 5, 9, 30, tzinfo=ZONE)
COUNSELOR = Viewer("Dana Whitfield", ProfileRole.COUNSELOR.value)
OFFICER = Viewer("Sam Reyes", ProfileRole.SRO.value)
NOTES = "Told the counselor about harm at home; reported to child protection."


def clock() -> datetime:
    return NOW


def _page(qtbot, db: Database, viewer: Viewer) -> CasePage:  # type: ignore[no-untyped-def]
    conference = build_conference(db)
    CaseService(Context(db.sessions, viewer=COUNSELOR)).record_eligibility(
        conference.case_id,
        Eligibility(
            responsibility_admitted=True,
            participation_voluntary=True,
            guardian_consent=True,
            child_protection=True,
            notes=NOTES,
        ),
    )
    register(db, lambda: viewer.name, lambda: viewer)
    page = CasePage(db, clock=clock)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    assert page.load(conference.case_id)
    return page


def test_an_officer_is_offered_neither_close_nor_diversion(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    # Given the case page opened by an officer's profile
    page = _page(qtbot, db, OFFICER)

    # Then the page offers no discipline decision: no Close, no saving a diversion
    assert not page.close_button.isVisible()
    assert not page.diversion.save_button.isVisible()
    assert not page.diversion.diverted_from.isEnabled()
    assert page.diversion.decided_by.isVisible()
    # but the officer can still move the case along the pipeline
    assert page.next_button.isVisible() and page.previous_button.isVisible()

    # And the screen shows no notes and no child-protection answer, only that it goes elsewhere
    form = page.eligibility.form
    assert not form.notes.isVisible() and form.notes.text() == ""
    assert not form.exclusions["child_protection"].isVisible()
    assert not form.exclusions["title_ix"].isVisible()
    assert form.restricted.isVisible()
    assert "child protection" not in form.problems.text()
    assert "stays with school staff" in form.problems.text()
    assert not unnamed_controls(page)
    page.grab().save("/tmp/case_page_officer.png")


def test_a_counselor_is_offered_close_and_diversion(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, db, COUNSELOR)
    assert page.close_button.isVisible()
    assert page.diversion.save_button.isVisible()
    assert not page.diversion.decided_by.isVisible()
    form = page.eligibility.form
    assert form.notes.isVisible() and form.notes.text() == NOTES
    assert form.exclusions["child_protection"].isChecked()
    assert not form.restricted.isVisible()
    page.grab().save("/tmp/case_page_counselor.png")


def test_the_page_shows_a_change_made_to_its_case_elsewhere(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    # Given a counselor's case page open on a case
    page = _page(qtbot, db, COUNSELOR)
    assert page.detail is not None
    newcomer = add_person(PeopleService(db.sessions), "Luz", "Marín", grade="7")

    # When another screen of the same window adds a person to that case
    CaseService(context_for(db)).add_party(page.detail.id, newcomer, "supporter")

    # Then the page shows it without being asked to reload
    def shown() -> bool:
        return any("Luz Marín" in page.parties.item(i).text() for i in range(page.parties.count()))

    qtbot.waitUntil(shown)
    assert [p.name for p in page.detail.parties] == ["Luz Marín"]
