"""Cases and agreements at two schools over two school years, for the list search tests.

Each test works out what it expects from ``CASES`` here, never from the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from circlekeeper.core.agreements.commands import AgreementService
from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.store.database import Database

HILLSIDE = "Hillside Elementary"
LAKEVIEW = "Lakeview Middle School"


@dataclass(frozen=True)
class Seeded:
    referred_on: date
    incident: str
    school: str
    responsible: str  # first name
    harmed: str | None = None


CASES = (
    Seeded(date(2024, 10, 1), "Fighting", HILLSIDE, "Ana"),
    Seeded(date(2025, 9, 15), "Bullying", LAKEVIEW, "Ben"),
    Seeded(date(2025, 11, 2), "Fighting", LAKEVIEW, "Chloé", harmed="Ben"),
    Seeded(date(2026, 1, 20), "Theft", HILLSIDE, "Ana"),
    Seeded(date(2026, 2, 3), "Fighting", HILLSIDE, "Dev"),
)
PEOPLE = {
    "Ana": ("Ruiz", HILLSIDE),
    "Ben": ("Lee", LAKEVIEW),
    "Chloé": ("Núñez", LAKEVIEW),
    "Dev": ("Patel", HILLSIDE),
}


def school_year(day: date) -> int:
    return day.year if day.month >= 8 else day.year - 1


def seed_lists(db: Database) -> dict[str, object]:
    """The people (first name -> id), cases and agreements (in ``CASES`` order)."""
    ctx = Context(db.sessions, actor="Ms. Ortiz")
    people = PeopleService(ctx)
    ids = {
        first: people.create(PersonData(first, last, grade="5", school=school)).id
        for first, (last, school) in PEOPLE.items()
    }
    cases = CaseService(ctx)
    agreements = AgreementService(ctx)
    case_ids, agreement_ids = [], []
    for seeded in CASES:
        parties = [(ids[seeded.responsible], "responsible")]
        if seeded.harmed:
            parties.append((ids[seeded.harmed], "harmed"))
        detail = cases.intake(
            CaseIntake(seeded.referred_on, seeded.incident, school=seeded.school, parties=parties)
        )
        case_ids.append(detail.id)
        agreement_ids.append(agreements.create_draft(case_id=detail.id).id)
    return {"people": ids, "cases": case_ids, "agreements": agreement_ids}
