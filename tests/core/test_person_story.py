"""A person's story (the student page's one read): every section, as the viewer may see it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from circlekeeper.core.agreements.rows import ItemData
from circlekeeper.core.operations import Context
from circlekeeper.core.people.story import person_story
from circlekeeper.core.problems import NotFound
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import (
    AgreementItem,
    Case,
    CaseParty,
    Circle,
    FamilyContact,
    FollowUp,
    Note,
    Participant,
)

from .conftest import Conference, draft_with_items

TODAY = date(2025, 4, 1)


def fill_story(c: Conference) -> dict[str, int]:
    """Given the conference, José's agreement, a second case, a planned circle, a family
    contact, follow-ups (one done, one open and overdue) and two notes about José."""
    db = c.db
    agreement_id = draft_with_items(c, 3)
    c.agreements.add_item(
        agreement_id,
        ItemData(action="Write to Amara", kind="apology", responsible_id=c.jose),
    )
    with db.sessions.begin() as session:
        item = session.scalars(
            select(AgreementItem).where(AgreementItem.agreement_id == agreement_id).limit(1)
        ).one()
        item.completed_on = date(2025, 3, 12)
        session.add(CaseParty(case_id=c.case_id, person_id=c.jose, role="responsible"))
        second = Case(referred_on=date(2025, 3, 20), incident_category="defiance", location="Gym")
        session.add(second)
        session.flush()
        session.add(CaseParty(case_id=second.id, person_id=c.jose, role="harmed_and_responsible"))
        planned = Circle(
            kind="check_in",
            title="Monday check-in",
            scheduled_at=datetime(2025, 4, 7, 13, 0, tzinfo=UTC),
        )
        session.add(planned)
        session.flush()
        session.add(Participant(circle_id=planned.id, person_id=c.jose, role="member"))
        session.add(
            FamilyContact(
                case_id=c.case_id,
                person_id=c.lucia,
                contacted_at=datetime(2025, 2, 27, 16, 0, tzinfo=UTC),
                method="phone",
                outcome="Lucía will come to the conference.",
                staff_name="Dana Whitfield",
            )
        )
        session.add_all(
            [
                FollowUp(
                    due_on=date(2025, 3, 11),
                    status="done",
                    purpose="First check-in",
                    responsible_id=c.dana,
                    case_id=c.case_id,
                    done_on=date(2025, 3, 11),
                ),
                FollowUp(
                    due_on=date(2025, 3, 25),
                    purpose="Second check-in",
                    responsible_id=c.dana,
                    agreement_id=agreement_id,
                ),
            ]
        )
        seat = session.scalars(
            select(Participant).where(
                Participant.circle_id == c.circle_id, Participant.person_id == c.jose
            )
        ).one()
        session.add_all(
            [
                Note(
                    circle_id=c.circle_id,
                    participant_id=seat.id,
                    privacy="private",
                    author="Dana Whitfield",
                    text="Seemed tired; ask about sleep.",
                ),
                Note(
                    circle_id=c.circle_id,
                    participant_id=seat.id,
                    privacy="record",
                    author="Dana Whitfield",
                    text="Offered to repay in two parts.",
                ),
            ]
        )
        return {"agreement": agreement_id, "second_case": second.id, "planned": planned.id}


def _count(db: Database, query: object) -> int:
    with db.sessions() as session:
        return int(session.scalar(query) or 0)  # type: ignore[call-overload]


def test_every_section_holds_the_person_s_records(conference: Conference) -> None:
    c = conference
    ids = fill_story(c)
    counselor = Context(c.db.sessions, viewer=Viewer("Dana Whitfield", "counselor"))
    story = person_story(counselor, c.jose, today=TODAY)

    # The header: the name by the one rule (preferred first), grade, pronouns, equity fields.
    assert story.header.name == "José Núñez"
    assert (story.header.grade, story.header.pronouns) == ("8", "he/him")
    assert story.header.demographics is not None
    assert story.header.demographics["race_ethnicity"] == "Hispanic or Latino"

    # Each section counted independently from the rows.
    assert len(story.cases) == _count(
        c.db, select(func.count()).where(CaseParty.person_id == c.jose)
    )
    assert [s.id for s in story.cases] == [ids["second_case"], c.case_id]  # newest first
    assert len(story.circles) == _count(
        c.db, select(func.count()).where(Participant.person_id == c.jose)
    )
    planned, held = story.circles
    assert planned.id == ids["planned"] and not planned.held
    assert held.id == c.circle_id and held.held
    assert held.when == datetime(2025, 3, 4, 19, 0, tzinfo=UTC)  # when held, not planned
    (agreement,) = story.agreements
    total = _count(c.db, select(func.count()).where(AgreementItem.agreement_id == ids["agreement"]))
    done = _count(
        c.db,
        select(func.count()).where(
            AgreementItem.agreement_id == ids["agreement"], AgreementItem.completed_on.is_not(None)
        ),
    )
    assert (agreement.items_done, agreement.items_total) == (done, total) == (1, 4)
    # Follow-ups: open first (the overdue one), then the done one.
    assert [(f.purpose, f.status) for f in story.follow_ups] == [
        ("Second check-in", "open"),
        ("First check-in", "done"),
    ]
    assert story.follow_ups[0].days_overdue == 7
    (contact,) = story.contacts
    assert (contact.person_name, contact.method) == ("Lucía Núñez", "phone")
    assert [(g.name, g.relationship) for g in story.guardians] == [("Lucía Núñez", "aunt")]
    assert story.students == []
    assert {n.text for n in story.notes} == {
        "Seemed tired; ask about sleep.",
        "Offered to repay in two parts.",
    }

    # A guardian's page lists the students in their care.
    guardian = person_story(counselor, c.lucia, today=TODAY)
    assert [s.name for s in guardian.students] == ["José Núñez"]
    assert guardian.contacts[0].id == contact.id


def test_an_sro_sees_no_equity_fields_and_no_private_notes(conference: Conference) -> None:
    c = conference
    fill_story(c)
    sro = Context(c.db.sessions, viewer=Viewer("Sam Reyes", "sro"))
    story = person_story(sro, c.jose, today=TODAY)
    assert story.header.demographics is None
    assert [n.text for n in story.notes] == ["Offered to repay in two parts."]
    assert "Hispanic" not in repr(story)
    # The rest of the story is the same as the counselor's.
    counselor = person_story(
        Context(c.db.sessions, viewer=Viewer("Dana Whitfield", "counselor")), c.jose, today=TODAY
    )
    assert [x.id for x in story.cases] == [x.id for x in counselor.cases]
    assert [x.id for x in story.agreements] == [x.id for x in counselor.agreements]


def test_another_counselor_does_not_see_dana_s_private_note(conference: Conference) -> None:
    c = conference
    fill_story(c)
    other = Context(c.db.sessions, viewer=Viewer("Priya Shah", "counselor"))
    assert [n.privacy for n in person_story(other, c.jose).notes] == ["record"]


def test_a_person_with_no_records_has_an_empty_story(conference: Conference) -> None:
    story = person_story(conference.db.sessions, conference.olive)
    assert story.cases == [] and story.agreements == [] and story.follow_ups == []
    assert [c.id for c in story.circles] == [conference.circle_id]


def test_a_missing_person_is_a_plain_problem(db: Database) -> None:
    with pytest.raises(NotFound, match="no person with id 999"):
        person_story(db.sessions, 999)
