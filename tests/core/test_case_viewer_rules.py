"""What an officer gets from the case reads: no screen notes, no Title IX or child-protection
answers, and no discipline decisions offered; the same rules on every read of the screen."""

from __future__ import annotations

from datetime import date

import pytest
from tests.core.conftest import Conference

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.eligibility import EligibilityService
from circlekeeper.core.cases.rows import CaseAction
from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.domain.eligibility import STAFF_MATTER, Eligibility
from circlekeeper.core.operations import Context
from circlekeeper.core.problems import NotPermitted
from circlekeeper.core.profiles.viewer import ProfileRole, Viewer
from circlekeeper.core.sro import mou

COUNSELOR = Viewer("Dana Whitfield", ProfileRole.COUNSELOR.value)
OFFICER = Viewer("Sam Reyes", ProfileRole.SRO.value)
NOTES = "Disclosed abuse at home to the counselor; reported to CPS on 3 March."


def _screened(conference: Conference) -> None:
    """The conference's case screened by the counselor: a child-protection matter, with notes."""
    CaseService(Context(conference.db.sessions, viewer=COUNSELOR)).record_eligibility(
        conference.case_id,
        Eligibility(
            responsibility_admitted=True,
            participation_voluntary=True,
            guardian_consent=True,
            child_protection=True,
            title_ix=True,
            notes=NOTES,
        ),
    )


def _words(screen: object) -> str:
    return repr(screen)


def test_an_officer_reads_no_screen_notes_or_staff_only_answers(conference: Conference) -> None:
    _screened(conference)
    officer = Context(conference.db.sessions, viewer=OFFICER)
    counselor = Context(conference.db.sessions, viewer=COUNSELOR)

    # When the officer opens the case page, the case's screen and the conference's screen
    detail = CaseService(officer).detail(conference.case_id)
    screens = EligibilityService(officer)
    plan = CirclePlanner(officer).detail(conference.circle_id)
    seen = [
        detail.screen,
        screens.for_case(conference.case_id),
        screens.for_circle(conference.circle_id),
        plan.eligibility,
    ]

    # Then none of them carries the notes or says which staff matter it is
    for screen in seen:
        assert screen.restricted
        assert screen.answers is not None and screen.answers.notes == ""
        assert not screen.answers.child_protection and not screen.answers.title_ix
        assert "child protection" not in " ".join(screen.verdict.problems)
        assert "Title IX" not in " ".join(screen.verdict.problems)
        assert NOTES not in _words(screen)
        # and it still may not go ahead: the officer learns that, not why
        assert not screen.verdict.may_go_ahead
        assert STAFF_MATTER in screen.verdict.blocked
    assert detail.eligibility == detail.screen.answers
    assert "child protection" not in " ".join(detail.eligibility_problems)
    readiness = CirclePlanner(Context(conference.db.sessions, viewer=OFFICER)).readiness(
        conference.circle_id
    )
    assert "child protection" not in " ".join(r.message for r in readiness)

    # While the counselor reads the whole screen
    full = CaseService(counselor).detail(conference.case_id).screen
    assert not full.restricted
    assert full.answers is not None and full.answers.notes == NOTES
    assert full.answers.child_protection and full.answers.title_ix


def test_an_officer_saving_the_screen_keeps_what_they_did_not_see(conference: Conference) -> None:
    _screened(conference)
    screens = EligibilityService(Context(conference.db.sessions, viewer=OFFICER))
    shown = screens.for_case(conference.case_id)
    assert shown.answers is not None

    # When the officer changes an answer they can see and saves the form as shown
    edited = Eligibility(**{**shown.answers.__dict__, "serious_injury": True})
    screens.record_for_case(conference.case_id, edited, loaded=shown.answers)

    # Then the notes and the staff-only answers are still there for the counselor
    full = EligibilityService(Context(conference.db.sessions, viewer=COUNSELOR)).for_case(
        conference.case_id
    )
    assert full.answers is not None
    assert full.answers.notes == NOTES and full.answers.child_protection
    assert full.answers.serious_injury


def test_the_case_page_says_an_officer_may_not_close_divert_or_reopen(
    conference: Conference,
) -> None:
    officer = CaseService(Context(conference.db.sessions, viewer=OFFICER))
    counselor = CaseService(Context(conference.db.sessions, viewer=COUNSELOR))

    # Then an officer may move the case along, but not make a discipline decision
    assert officer.detail(conference.case_id).allowed_actions == {CaseAction.MOVE}
    assert counselor.detail(conference.case_id).allowed_actions == {
        CaseAction.MOVE,
        CaseAction.CLOSE,
        CaseAction.DIVERT,
    }
    # and what the page is told matches what the operations do
    with pytest.raises(NotPermitted):
        officer.close(conference.case_id, "declined", today=date(2025, 3, 5))
    with pytest.raises(NotPermitted):
        officer.set_diversion(conference.case_id, "suspension", 2)

    # When the counselor closes it, only the counselor may reopen it
    counselor.close(conference.case_id, "declined", today=date(2025, 3, 5), open_follow_ups="keep")
    assert officer.detail(conference.case_id).allowed_actions == frozenset()
    assert counselor.detail(conference.case_id).allowed_actions == {
        CaseAction.REOPEN,
        CaseAction.DIVERT,
    }


def test_where_the_mou_allows_it_the_page_offers_an_officer_closing(
    conference: Conference,
) -> None:
    mou.save(Context(conference.db.sessions, viewer=COUNSELOR), mou.Mou(sro_in_discipline=True))
    officer = CaseService(Context(conference.db.sessions, viewer=OFFICER))
    assert CaseAction.CLOSE in officer.detail(conference.case_id).allowed_actions
    assert CaseAction.DIVERT in officer.detail(conference.case_id).allowed_actions
