"""Make the old-database fixture of this release's schema: tests/data/databases/<head>.sqlite.

Run from the checkout, once per release that changes the schema, and commit the file:

    .venv/bin/python tests/data/databases/make_database.py

The file holds a few fictional records in every kind of table a school fills (people, a case,
a held circle with a note, an agreement, a follow-up, an SRO log line, settings, the audit
trail), written through the operation pipeline. tests/store/test_old_databases.py opens every
file here through today's code (upgrading the older ones) and checks the records survived.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from circlekeeper.core.audit import audit
from circlekeeper.core.operations import Context
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    Case,
    CaseParty,
    Circle,
    FollowUp,
    GuardianLink,
    Note,
    Participant,
    Person,
    Setting,
    SroActivity,
)
from circlekeeper.core.store.schema_version import HEAD

HERE = Path(__file__).parent


def fill(path: Path) -> None:
    """Build a fresh database at ``path`` and write the fixture's records into it."""
    db = open_database(path)
    context = Context(db.sessions, actor="Fixture Maker")
    with context.write("fixture") as session:
        ana = Person(
            first_name="Anabel",
            preferred_name="Ana",
            last_name="Quintero",
            kind="student",
            external_id="S1001",
            grade="7",
            gender="F",
            birth_date=date(2013, 4, 2),
            search_text="anabel ana quintero s1001",
        )
        rosa = Person(
            first_name="Rosa", last_name="Quintero", kind="guardian", search_text="rosa quintero"
        )
        kim = Person(first_name="Kim", last_name="Osei", kind="staff", search_text="kim osei")
        session.add_all([ana, rosa, kim])
        session.flush()
        session.add(
            GuardianLink(student_id=ana.id, guardian_id=rosa.id, relationship_label="mother")
        )
        case = Case(
            referred_on=date(2026, 2, 2),
            incident_category="Property damage",
            description="A broken locker door.",
            status="monitoring",
        )
        session.add(case)
        session.flush()
        session.add(CaseParty(case_id=case.id, person_id=ana.id, role="responsible"))
        circle = Circle(
            kind="harm_repair",
            title="Locker circle",
            case_id=case.id,
            status="completed",
            scheduled_at=datetime(2026, 2, 9, 14, tzinfo=UTC),
            started_at=datetime(2026, 2, 9, 14, tzinfo=UTC),
            ended_at=datetime(2026, 2, 9, 15, tzinfo=UTC),
        )
        session.add(circle)
        session.flush()
        keeper = Participant(circle_id=circle.id, person_id=kim.id, role="facilitator")
        member = Participant(circle_id=circle.id, person_id=ana.id, role="responsible")
        session.add_all([keeper, member])
        session.flush()
        session.add(
            Note(
                circle_id=circle.id,
                participant_id=member.id,
                text="Ana offered to help repaint.",
                privacy="private",
                author="Kim Osei",
            )
        )
        agreement = Agreement(
            circle_id=circle.id, case_id=case.id, harm_summary="A broken locker door."
        )
        session.add(agreement)
        session.flush()
        session.add(AgreementItem(agreement_id=agreement.id, action="Help repaint the lockers"))
        session.add(
            FollowUp(
                due_on=date(2026, 3, 2),
                case_id=case.id,
                purpose="Check the repainting",
                responsible_id=kim.id,
            )
        )
        session.add(
            SroActivity(
                officer="Sam Reyes",
                role="education",
                activity_type="class_taught",
                on_date=date(2026, 2, 10),
                minutes=45,
            )
        )
        session.add(Setting(key="school_name", value="Riverside Middle School"))
        audit.record(session, "create", "case", case.uuid)
    db.close()


def main() -> int:
    target = HERE / f"{HEAD.split('_')[0]}.sqlite"
    with tempfile.TemporaryDirectory() as folder:
        built = Path(folder) / "fixture.sqlite3"
        fill(built)
        # One self-contained file: the log folded in, free pages dropped.
        with sqlite3.connect(built) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        conn = sqlite3.connect(built)
        conn.execute("VACUUM")
        conn.close()
        target.write_bytes(built.read_bytes())
    print(f"wrote {target} ({target.stat().st_size:,} bytes, schema {HEAD})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
