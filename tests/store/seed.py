"""A small set of records touching the tables that hold names and confidential text."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from typing import Any

from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    Case,
    CaseParty,
    Circle,
    Note,
    Participant,
    Person,
)

# Words that appear nowhere else, so finding them in a file's bytes means the text leaked.
STUDENT = ("Quillon", "Marrowby")
NOTE_TEXT = "Zephyrine disclosed the bicycle incident in confidence"
HARM = "Thistlewood broke the headphones"


def seed(db: Database, *, closed_on: date | None = None, tag: str = "") -> dict[str, int]:
    with db.sessions.begin() as session:
        student = Person(
            first_name=STUDENT[0] + tag, last_name=STUDENT[1], search_text="quillon marrowby"
        )
        session.add(student)
        session.flush()
        case = Case(
            referred_on=date(2019, 1, 10),
            incident_category="property",
            description=f"{HARM} {tag}",
            status="closed" if closed_on else "referred",
            closed_on=closed_on,
        )
        session.add(case)
        session.flush()
        session.add(CaseParty(case_id=case.id, person_id=student.id, role="responsible"))
        circle = Circle(
            kind="conference",
            title="Headphones",
            case_id=case.id,
            started_at=datetime(2019, 1, 12, 15, tzinfo=UTC),
        )
        session.add(circle)
        session.flush()
        participant = Participant(circle_id=circle.id, person_id=student.id)
        session.add(participant)
        session.flush()
        session.add(
            Note(circle_id=circle.id, participant_id=participant.id, text=f"{NOTE_TEXT} {tag}")
        )
        agreement = Agreement(circle_id=circle.id, case_id=case.id, harm_summary=HARM)
        session.add(agreement)
        session.flush()
        session.add(
            AgreementItem(
                agreement_id=agreement.id, action="Replace them", responsible_id=student.id
            )
        )
    return {"case": case.id, "circle": circle.id, "agreement": agreement.id, "person": student.id}


def contents(conn: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (FTS shadow tables aside), sorted, for exact comparisons."""
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'search_index_%'"
        )
    ]
    return {
        name: sorted(
            conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=lambda r: [str(v) for v in r]
        )
        for name in names
    }


def plain_contents(path: Any) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return contents(conn)
    finally:
        conn.close()
