"""A finished conference with its people, for the agreement and export tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from circlekeeper.core.agreements.commands import AgreementService
from circlekeeper.core.agreements.rows import AgreementHeader, ItemData
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Case, Circle, Participant


@dataclass
class Conference:
    """Ids of everything the agreement tests need."""

    db: Database
    agreements: AgreementService
    circle_id: int
    case_id: int
    jose: int  # responsible student (minor), guardian Lucía
    amara: int  # harmed student (minor), guardian Grace
    lucia: int
    grace: int
    dana: int  # facilitator (staff)
    sam: int  # SRO co-facilitator
    olive: int  # observer: does not sign


def build_conference(db: Database) -> Conference:
    people = PeopleService(Context(db.sessions, actor="test"))

    def person(first: str, last: str, kind: str, **extra: object) -> int:
        return people.create(PersonData(first, last, kind=kind, **extra)).id  # type: ignore[arg-type]

    jose = person(
        "José",
        "Núñez",
        "student",
        grade="8",
        birth_date=date(2011, 5, 2),
        gender="M",
        race_ethnicity="Hispanic or Latino",
        pronouns="he/him",
    )
    amara = person("Amara", "Okafor", "student", grade="8", gender="F", race_ethnicity="Black")
    lucia = person("Lucía", "Núñez", "guardian")
    grace = person("Grace", "Okafor", "guardian")
    dana = person("Dana", "Whitfield", "staff", title="Counselor")
    sam = person("Sam", "Reyes", "sro")
    olive = person("Olive", "Marsh", "staff")
    people.link_guardian(jose, lucia, "aunt")
    people.link_guardian(amara, grace, "mother")
    SettingsService(db.sessions).save(
        SchoolSettings(
            school_name="Riverside Middle School",
            school_address="1200 Alder Street\nSpringfield, OR 97477",
            facilitator_name="Dana Whitfield",
            facilitator_role="School counselor",
        )
    )
    with db.sessions.begin() as session:
        case = Case(
            referred_on=date(2025, 2, 26),
            incident_category="property",
            referral_source="teacher",
            description="Referral text (school only)",
        )
        session.add(case)
        session.flush()
        circle = Circle(
            kind="conference",
            title="Cafeteria headphones",
            case_id=case.id,
            started_at=datetime(2025, 3, 4, 19, 0, tzinfo=UTC),
            location="Counseling office",
        )
        session.add(circle)
        session.flush()
        seats = [
            (jose, "responsible"),
            (lucia, "guardian"),
            (amara, "harmed"),
            (grace, "supporter"),
            (dana, "facilitator"),
            (sam, "co_facilitator"),
            (olive, "observer"),
        ]
        for seat, (pid, role) in enumerate(seats):
            session.add(
                Participant(
                    circle_id=circle.id,
                    person_id=pid,
                    role=role,
                    seat_position=seat,
                    attendance="present",
                )
            )
        circle_id, case_id = circle.id, case.id
    return Conference(
        db,
        AgreementService(Context(db.sessions, actor="test")),
        circle_id,
        case_id,
        jose,
        amara,
        lucia,
        grace,
        dana,
        sam,
        olive,
    )


@pytest.fixture
def conference(db: Database) -> Conference:
    return build_conference(db)


def draft_with_items(c: Conference, count: int = 3) -> int:
    """A draft agreement for the conference with ``count`` items for José."""
    draft = c.agreements.create_draft(
        circle_id=c.circle_id,
        header=AgreementHeader(
            harm_summary="José grabbed Amara's headphones; they broke.",
            if_not_kept="We meet again.",
            follow_up_on=date(2025, 4, 15),
            follow_up_by_id=c.dana,
        ),
    )
    for n in range(count):
        c.agreements.add_item(
            draft.id,
            ItemData(
                action=f"Item number {n + 1}: do the agreed thing",
                kind="service",
                responsible_id=c.jose,
                due_on=date(2025, 3, 10 + n % 18),
                verification="The librarian signs the log.",
                verifier_id=c.dana,
                supporter_id=c.lucia,
            ),
        )
    return draft.id


@pytest.fixture
def draft_id(conference: Conference) -> int:
    return draft_with_items(conference)


@pytest.fixture
def make_draft(conference: Conference):  # type: ignore[no-untyped-def]
    """Make another draft for the conference: ``make_draft(count)`` returns its id."""
    return lambda count=3: draft_with_items(conference, count)
