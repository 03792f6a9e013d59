"""A follow-up closed as lapsed in a Today review comes back from its case's page."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.core.conftest import build_conference
from tests.ui.a11y import unnamed_controls

from circlekeeper.core.followups.commands import FollowUpService
from circlekeeper.core.followups.lapsed import LAPSE_AFTER_DAYS, LapsedFollowUps
from circlekeeper.core.followups.rows import FollowUpData
from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.page import CasePage

ZONE = ZoneInfo("America/Chicago")
NOW = datetime(2025, 3, 5, 9, 30, tzinfo=ZONE)
TODAY = NOW.date()


def test_a_lapsed_follow_up_is_reopened_from_its_case_page(qtbot, db: Database) -> None:
    # Given a case whose old follow-up was closed as lapsed, and one still open
    conference = build_conference(db)
    service = FollowUpService(db.sessions)
    old = service.create(
        FollowUpData(
            due_on=TODAY - timedelta(days=LAPSE_AFTER_DAYS + 20),
            responsible_id=conference.dana,
            purpose="Check in with José",
            case_id=conference.case_id,
        )
    )
    service.create(
        FollowUpData(
            due_on=TODAY + timedelta(days=3),
            responsible_id=conference.dana,
            purpose="Call home",
            case_id=conference.case_id,
        )
    )
    assert LapsedFollowUps(db.sessions).close_as_lapsed([old.id], today=TODAY).closed == 1

    # When the counselor opens the case
    page = CasePage(db, clock=lambda: NOW)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    assert page.load(conference.case_id)
    table = page.follow_up_table
    assert "Lapsed:" in table.item(0, 3).text()
    assert not unnamed_controls(page)

    # Then an open follow-up cannot be reopened; the lapsed one can
    table.selectRow(1)
    assert not page.reopen_follow_up_button.isEnabled()
    table.selectRow(0)
    assert page.reopen_follow_up_button.isEnabled()
    page.reopen_follow_up_button.click()

    # And it is open again, said so on the page, overdue as before
    assert service.get(old.id).status == "open"
    assert "reopened" in page.message.text()
    assert table.item(0, 3).text() == f"⚠ {LAPSE_AFTER_DAYS + 20} days overdue"
    assert not page.reopen_follow_up_button.isEnabled()
