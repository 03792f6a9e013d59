"""Every write of the cases, follow-ups, SRO and evaluation areas names who did it.

Each service runs its writes through the operation pipeline, so a context with an actor is all
it takes for every audit line to name that person: no service passes a name of its own.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.core.conftest import Conference, draft_with_items
from tests.core.held import held_circle

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.eligibility import EligibilityService
from circlekeeper.core.cases.handoffs import HandOffData, HandOffService
from circlekeeper.core.cases.incidents import IncidentVocabulary
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.domain.eligibility import Eligibility
from circlekeeper.core.evaluation.fidelity import FidelityService
from circlekeeper.core.evaluation.surveys import SurveyService, new_sheet
from circlekeeper.core.followups.commands import FollowUpService
from circlekeeper.core.followups.rows import FollowUpData
from circlekeeper.core.operations import Context
from circlekeeper.core.problems import NotPermitted
from circlekeeper.core.profiles.viewer import ProfileRole, Viewer
from circlekeeper.core.sro import mou
from circlekeeper.core.sro.activity import ActivityEntry, SroActivityService
from circlekeeper.core.sro.training import TrainingEntry, TrainingService
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import AuditEvent

RIVERA = Viewer("Ms. Rivera", ProfileRole.COUNSELOR.value)
REYES = Viewer("Officer Reyes", ProfileRole.SRO.value)
ON = date(2025, 3, 5)


def _last_id(db: Database) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.max(AuditEvent.id))) or 0)


def _lines_since(db: Database, after: int) -> list[tuple[str, str]]:
    with db.sessions() as session:
        return [
            (line.action, line.actor)
            for line in session.scalars(
                select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id)
            )
        ]


def test_every_case_and_follow_up_write_names_the_contexts_actor(conference: Conference) -> None:
    db = conference.db
    agreement_id = draft_with_items(conference, 1)
    context = Context(db.sessions, actor="Ms. Rivera", viewer=RIVERA)
    before = _last_id(db)

    # When a counselor works a case from referral to closure through one context
    cases = CaseService(context)
    case = cases.intake(
        CaseIntake(
            referred_on=ON,
            incident_category="Vandalism",
            parties=[(conference.jose, "responsible")],
        )
    )
    party = cases.add_party(case.id, conference.amara, "harmed")
    cases.change_party_role(party.id, "harmed_and_responsible")
    cases.remove_party(party.id)
    cases.update_referral(
        case.id, CaseIntake(referred_on=ON, incident_category="Vandalism", location="Gym")
    )
    cases.record_eligibility(case.id, Eligibility(responsibility_admitted=True))
    EligibilityService(context).record_for_case(case.id, Eligibility(participation_voluntary=True))
    cases.set_diversion(case.id, "suspension", 2)
    cases.add_contact(case.id, datetime(2025, 3, 6, 15, tzinfo=UTC), "phone", "Left a message")
    follow_ups = FollowUpService(context)
    first = follow_ups.create(
        FollowUpData(due_on=ON, responsible_id=conference.dana, purpose="Check in", case_id=case.id)
    )
    follow_ups.reschedule(first.id, date(2025, 3, 12))
    follow_ups.record_outcome(first.id, "done", "All well", on=date(2025, 3, 12))
    second = follow_ups.create(
        FollowUpData(due_on=ON, responsible_id=conference.dana, case_id=case.id)
    )
    follow_ups.cancel(second.id, "Family moved", on=ON)
    hand_offs = HandOffService(context)
    row = hand_offs.hand_off(
        HandOffData(
            handed_to="btam",
            recipient="Ms. Patel",
            handed_on=ON,
            shared="The referral.",
            basis="health_safety_emergency",
            threat="A threat was made.",
        ),
        case_id=case.id,
    )
    hand_offs.bring_back(row.id, on=date(2025, 3, 20))
    hand_offs.record_sharing_copy(agreement_id, on=ON)
    cases.move(case.id, "screened")
    cases.close(case.id, "handed_off", today=date(2025, 3, 21))
    vocabulary = IncidentVocabulary(context)
    added = vocabulary.add("Graffiti")
    vocabulary.map(added.id, swis_behavior="Property damage", swis_level="major")

    # Then every audit line those writes left names her, and each kind of write left one
    lines = _lines_since(db, before)
    assert {actor for _action, actor in lines} == {"Ms. Rivera"}
    assert {action for action, _actor in lines} >= {
        "intake",
        "add_party",
        "change_party_role",
        "remove_party",
        "update",
        "screen",
        "diversion",
        "family_contact",
        "outcome",
        "cancel",
        "hand_off",
        "hand_off_back",
        "move",
        "close",
        "create",
        "map",
    }


def test_sro_log_training_and_refusals_name_the_officer(db: Database) -> None:
    context = Context(db.sessions, actor="Officer Reyes", viewer=REYES)
    before = _last_id(db)

    # When the officer logs an activity and a course, corrects and removes them
    activities = SroActivityService(context, today=lambda: ON)
    logged = activities.log(ActivityEntry("class_taught", ON, 50))
    activities.update(logged.id, ActivityEntry("class_taught", ON, 45))
    activities.remove(logged.id)
    training = TrainingService(context, today=lambda: ON)
    course = training.record(TrainingEntry("De-escalation", "de_escalation", "8", ON))
    training.update(course.id, TrainingEntry("De-escalation", "de_escalation", "7.5", ON))
    training.remove(course.id)
    # and tries to change the MOU, which the school keeps from an officer's profile
    with pytest.raises(NotPermitted):
        mou.save(context, mou.Mou(sro_in_discipline=True))

    # Then each line names the officer (the refusal says an officer tried)
    lines = _lines_since(db, before)
    assert lines[:-1] == [
        ("create", "Officer Reyes"),
        ("update", "Officer Reyes"),
        ("delete", "Officer Reyes"),
        ("create", "Officer Reyes"),
        ("update", "Officer Reyes"),
        ("delete", "Officer Reyes"),
    ]
    assert lines[-1] == ("mou_refused", "Officer Reyes (school resource officer)")


def test_evaluation_writes_and_the_mou_name_the_contexts_actor(
    db: Database, tmp_path: Path
) -> None:
    held = held_circle(db, tmp_path)
    context = Context(db.sessions, actor="Ms. Rivera", viewer=RIVERA)
    before = _last_id(db)

    # When the keeper completes the checklist, runs a survey and records the MOU
    fidelity = FidelityService(context)
    answers = {row.item: "yes" for row in fidelity.draft(held.circle_id).items}
    done = fidelity.complete(held.circle_id, answers, on=date(2026, 3, 2))
    surveys = SurveyService(context)
    sitting = surveys.open_sitting(held.circle_id)
    surveys.answer(sitting.id, new_sheet(), {"heard": "yes"})
    surveys.close_sitting(sitting.id)
    mou.save(context, mou.Mou(sro_may_lead=True))

    # Then the checklist says who completed it, and every line names her
    assert done.completed_by == "Ms. Rivera"
    lines = _lines_since(db, before)
    assert len(lines) >= 3
    assert {actor for _action, actor in lines} == {"Ms. Rivera"}
