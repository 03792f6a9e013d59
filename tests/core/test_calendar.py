"""The .ics export parses back with icalendar and holds every scheduled item, rightly timed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import select

from circlekeeper.cli import run
from circlekeeper.core.export.calendar import write_calendar
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Case, CaseParty, Circle, FollowUp, Participant, Person

DENVER = ZoneInfo("America/Denver")


def _fill(db: Database) -> dict[str, str]:
    with db.sessions.begin() as session:
        ana = Person(first_name="Ana", last_name="Zamorano", search_text="")
        ben = Person(first_name="Benjamin", preferred_name="Ben", last_name="Whitfield",
                     search_text="")  # fmt: skip
        session.add_all([ana, ben])
        session.flush()
        case = Case(referred_on=date(2026, 3, 1), incident_category="Fighting")
        session.add(case)
        session.flush()
        session.add_all([
            CaseParty(case_id=case.id, person_id=ana.id, role="responsible"),
            CaseParty(case_id=case.id, person_id=ben.id, role="harmed"),
        ])  # fmt: skip
        conference = Circle(
            kind="conference",
            case_id=case.id,
            planned_minutes=90,
            location="Room 12",
            scheduled_at=datetime(2026, 3, 12, 14, 30, tzinfo=DENVER),
        )
        check_in = Circle(
            kind="check_in",
            title="Advisory check-in",
            scheduled_at=datetime(2026, 4, 1, 8, 0, tzinfo=DENVER),
        )
        old = Circle(kind="grief", scheduled_at=datetime(2026, 1, 5, 9, tzinfo=DENVER))
        done = Circle(
            kind="staff", status="completed", scheduled_at=datetime(2026, 3, 20, 9, tzinfo=DENVER)
        )
        unscheduled = Circle(kind="academic")
        session.add_all([conference, check_in, old, done, unscheduled])
        session.flush()
        session.add_all([
            Participant(circle_id=conference.id, person_id=ana.id, role="responsible"),
            Participant(circle_id=conference.id, person_id=ben.id, role="harmed"),
        ])  # fmt: skip
        follow_up = FollowUp(
            due_on=date(2026, 3, 19), case_id=case.id, purpose="Ask Ana Zamorano about the letter"
        )
        closed = FollowUp(due_on=date(2026, 3, 19), case_id=case.id, status="done")
        session.add_all([follow_up, closed])
        session.flush()
        return {"conference": conference.uuid, "check_in": check_in.uuid, "old": old.uuid,
                "follow_up": follow_up.uuid}  # fmt: skip


def _events(path: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_calendar_holds_every_planned_circle_and_open_follow_up(
    db: Database, tmp_path: Path
) -> None:
    uuids = _fill(db)
    path = tmp_path / "circles.ics"
    result = write_calendar(db.sessions, path)
    assert (result.circles, result.follow_ups) == (3, 1)
    events = _events(path)
    assert set(events) == {
        f"circle-{uuids['conference']}@circlekeeper",
        f"circle-{uuids['check_in']}@circlekeeper",
        f"circle-{uuids['old']}@circlekeeper",
        f"follow-up-{uuids['follow_up']}@circlekeeper",
    }
    conference = events[f"circle-{uuids['conference']}@circlekeeper"]
    start = conference.decoded("DTSTART")
    # The same instant as 14:30 in Denver, written in UTC
    assert start == datetime(2026, 3, 12, 14, 30, tzinfo=DENVER)
    assert start.utcoffset() == timedelta(0)
    assert conference.decoded("DTEND") - start == timedelta(minutes=90)
    assert str(conference["LOCATION"]) == "Room 12"
    # The kind only, by default: no names at all in what phones show
    assert str(conference["SUMMARY"]) == "Restorative conference"
    check_in = events[f"circle-{uuids['check_in']}@circlekeeper"]
    assert str(check_in["SUMMARY"]) == "Check-in / check-out circle"  # not its typed title
    follow_up = events[f"follow-up-{uuids['follow_up']}@circlekeeper"]
    assert follow_up.decoded("DTSTART") == date(2026, 3, 19)
    assert not isinstance(follow_up.decoded("DTSTART"), datetime)  # all-day
    assert follow_up.decoded("DTEND") == date(2026, 3, 20)
    text = path.read_text(encoding="utf-8")
    assert "Zamorano" not in text and "Whitfield" not in text
    assert "about the letter" not in text and "Ana" not in text and "Advisory" not in text

    # With first names turned on: first (or preferred) names, still no family names
    write_calendar(db.sessions, path, first_names=True)
    events = _events(path)
    conference = events[f"circle-{uuids['conference']}@circlekeeper"]
    assert str(conference["SUMMARY"]) == "Restorative conference: Ana, Ben"
    follow_up = events[f"follow-up-{uuids['follow_up']}@circlekeeper"]
    assert str(follow_up["SUMMARY"]) == "Follow-up: Ana, Ben"
    text = path.read_text(encoding="utf-8")
    assert "Zamorano" not in text and "Whitfield" not in text


def test_the_export_is_stable_and_can_start_from_a_date(db: Database, tmp_path: Path) -> None:
    uuids = _fill(db)
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    write_calendar(db.sessions, first)
    write_calendar(db.sessions, second)
    assert first.read_bytes() == second.read_bytes()
    result = write_calendar(db.sessions, first, start=date(2026, 3, 12), tz=DENVER)
    assert (result.circles, result.follow_ups) == (2, 1)
    assert f"circle-{uuids['old']}@circlekeeper" not in _events(first)


def test_unwritable_places_get_plain_answers(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(InvalidInput, match="is a folder"):
        write_calendar(db.sessions, tmp_path)
    with pytest.raises(InvalidInput, match="does not exist"):
        write_calendar(db.sessions, tmp_path / "missing" / "c.ics")

    # A folder the user may not write to (faked: tests may run as root, who can write anywhere)
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    with pytest.raises(InvalidInput, match="Cannot write in .*Permission denied"):
        write_calendar(db.sessions, tmp_path / "c.ics")
    assert not (tmp_path / "c.ics").exists()


def test_the_command_line_writes_the_calendar(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out.ics"
    assert run(["calendar", "export", "-o", str(output), "--database", str(db_path)]) == 0
    assert "Wrote 0 circle(s) and 0 follow-up(s)" in capsys.readouterr().out
    assert icalendar.Calendar.from_ical(output.read_bytes())["PRODID"]
    assert (
        run(["calendar", "export", "-o", str(tmp_path / "x.txt"), "--database", str(db_path)]) == 2
    )
    assert run(["calendar", "export", "-o", str(output), "--from", "soon",
                "--database", str(db_path)]) == 2  # fmt: skip


def test_a_typed_preferred_name_never_brings_a_family_name() -> None:
    from circlekeeper.core.export.calendar import first_name_only

    assert first_name_only("Mary-Kate", "Mary-Kate Miller", "Miller") == "Mary-Kate"
    assert first_name_only("José", "Miller José", "Miller") == "José"
    assert first_name_only("Ana", None, "de la Cruz") == "Ana"
    assert first_name_only("Ana", "Cruz", "de la Cruz") == "Ana"  # only the family name: first
    assert first_name_only("Li", "", "Wei") == "Li"
    assert first_name_only("Ana", "Miller-Jones Ana", "Miller-Jones") == "Ana"


def test_a_cancelled_follow_up_is_written_as_cancelled(db: Database, tmp_path: Path) -> None:
    uuids = _fill(db)
    path = tmp_path / "c.ics"
    write_calendar(db.sessions, path)
    before = _events(path)[f"follow-up-{uuids['follow_up']}@circlekeeper"]
    with db.sessions.begin() as session:
        follow_up = session.scalars(
            select(FollowUp).where(FollowUp.uuid == uuids["follow_up"])
        ).one()
        follow_up.status = "cancelled"
    result = write_calendar(db.sessions, path)
    assert (result.follow_ups, result.cancelled) == (0, 1)
    after = _events(path)[f"follow-up-{uuids['follow_up']}@circlekeeper"]
    assert str(after["STATUS"]) == "CANCELLED"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
