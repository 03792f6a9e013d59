"""``circlekeeper export calendar -o FILE.ics`` as a subprocess: the file parses back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from icalendar import Calendar

from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.models import Case, Circle, FollowUp, Person


def test_export_calendar_alias_writes_a_calendar_that_parses(
    run_cli, db_target: Path | str, tmp_path: Path
) -> None:
    # Given a planned circle and an open follow-up
    db = open_database(db_target)
    try:
        with db.sessions.begin() as session:
            kim = Person(first_name="Kim", last_name="Osei", kind="staff", search_text="kim osei")
            case = Case(referred_on=date(2026, 3, 1), incident_category="Theft")
            session.add_all([kim, case])
            session.flush()
            session.add(
                Circle(
                    kind="conference",
                    title="Gym conference",
                    status="planned",
                    case_id=case.id,
                    scheduled_at=datetime(2026, 3, 12, 14, 30, tzinfo=UTC),
                    planned_minutes=45,
                )
            )
            session.add(
                FollowUp(
                    due_on=date(2026, 3, 19),
                    case_id=case.id,
                    purpose="One-week check-in",
                    responsible_id=kim.id,
                )
            )
    finally:
        db.close()
    output = tmp_path / "circles.ics"

    # When the calendar is exported through the "export" command
    result = run_cli("export", "calendar", "-o", str(output), "--database", str(db_target))

    # Then it says what it wrote and the file parses back with both events at the right times
    assert result.returncode == 0, result.stderr
    assert "1 circle(s) and 1 follow-up(s)" in result.stdout
    calendar = Calendar.from_ical(output.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    starts = {event.decoded("DTSTART") for event in events}
    assert datetime(2026, 3, 12, 14, 30, tzinfo=UTC) in starts
    assert date(2026, 3, 19) in starts


def test_export_calendar_alias_refuses_a_name_without_ics(
    run_cli, db_target: Path | str, tmp_path: Path
) -> None:
    result = run_cli(
        "export", "calendar", "-o", str(tmp_path / "circles.txt"), "--database", str(db_target)
    )
    assert result.returncode != 0
    assert ".ics" in result.stderr
    assert not (tmp_path / "circles.txt").exists()
