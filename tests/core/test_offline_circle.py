"""A circle survives a dropped connection: on the real test server, through a proxy we cut.

The circle runs through the real services; mid-circle the network goes (the proxy closes every
connection and refuses new ones), the keeper goes on, the network comes back, and what the
server holds is compared with an independent list of what the keeper did.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.tcp_proxy import Proxy

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CirclePlan
from circlekeeper.core.domain.enums import PersonKind, Role
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.facilitation.journal import Journal
from circlekeeper.core.facilitation.offline import OfflineCircle, send_waiting
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.database import Database, open_database
from circlekeeper.core.store.models import Note, StageRecord, Turn
from circlekeeper.core.store.problems import DatabaseProblem, WrongPassphrase

WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = WHEN.timestamp()

    def __call__(self) -> float:
        self.now += 7
        return self.now


@pytest.fixture
def proxied(pg_url: str, home: Path) -> Iterator[tuple[Proxy, Database]]:
    proxy, url = Proxy.in_front_of(pg_url)
    database = open_database(url)
    try:
        yield proxy, database
    finally:
        database.close()
        proxy.close()


def plan_circle(db: Database, students: int = 4) -> int:
    people = PeopleService(db.sessions)
    planner = CirclePlanner(Context(db.sessions, actor="Kim"))
    keeper = people.create(PersonData("Kim", "Keeper", kind=PersonKind.STAFF)).id
    cid = planner.plan(
        CirclePlan(kind="harm_repair", script_key="harm_repair", facilitator_id=keeper)
    ).id
    for n in range(students):
        student = people.create(PersonData(f"Student{n}", "Test")).id
        planner.add_participant(cid, student, Role.MEMBER)
    return cid


def start(db: Database, cid: int, **journal: object) -> tuple[FacilitationService, OfflineCircle]:
    service = FacilitationService(Context(db.sessions, actor="Kim"), cid, clock=Clock())
    live = service.start() if not journal.pop("resume", False) else service.resume()
    keeper = OfflineCircle.attach(service, live, **journal)  # type: ignore[arg-type]
    assert keeper is not None
    return service, keeper


def stored(db: Database, cid: int) -> dict[str, list[object]]:
    """What the server holds of the circle, in the order it was done."""
    with db.sessions() as s:
        turns = s.execute(
            select(Turn.participant_id, Turn.passed, Turn.stage_index)
            .where(Turn.circle_id == cid)
            .order_by(Turn.started_at, Turn.id)
        ).all()
        notes = s.scalars(select(Note.text).where(Note.circle_id == cid).order_by(Note.created_at))
        stages = s.scalars(
            select(StageRecord.stage_index)
            .where(StageRecord.circle_id == cid)
            .order_by(StageRecord.started_at, StageRecord.id)
        )
        return {"turns": [tuple(t) for t in turns], "notes": list(notes), "stages": list(stages)}


def to_a_round(service: FacilitationService, done: dict[str, list[object]]) -> None:
    while not service.state().stage.has_round:
        service.next_stage()
        done["stages"].append(service.state().stage_index)


def speak(service: FacilitationService, done: dict[str, list[object]], *, passed: bool) -> None:
    state = service.state()
    speaker, stage = state.speaker, state.stage_index
    (service.pass_turn if passed else service.next_speaker)()
    done["turns"].append((speaker, passed, stage))


def test_a_circle_cut_off_mid_round_loses_nothing_and_doubles_nothing(
    proxied: tuple[Proxy, Database], tmp_path: Path
) -> None:
    proxy, db = proxied
    cid = plan_circle(db)
    service, keeper = start(db, cid, folder=tmp_path / "journal")
    done: dict[str, list[object]] = {"turns": [], "notes": [], "stages": [0]}
    to_a_round(service, done)
    speak(service, done, passed=False)
    service.add_note("before the drop", privacy="record")
    done["notes"].append("before the drop")

    # When the network drops mid-round and the keeper goes on
    proxy.cut()
    speak(service, done, passed=True)
    assert keeper.active and keeper.journal.exists()
    speak(service, done, passed=False)
    service.add_note("kept on the laptop", privacy="private")
    done["notes"].append("kept on the laptop")
    service.back()  # the last turn is undone: it must not reach the server
    done["turns"].pop()
    speak(service, done, passed=False)
    while not service.state().round_complete:
        speak(service, done, passed=False)
    service.next_stage()
    done["stages"].append(service.state().stage_index)
    assert [n.text for n in service.notes()][-1] == "kept on the laptop"
    shown = service.state()
    # While the server is away, asking again changes nothing and loses nothing
    assert keeper.try_to_send() is None

    kept = [entry.action for entry in keeper.journal.waiting().entries]

    # And the network comes back
    proxy.restore()
    report = keeper.try_to_send()

    # Then everything done is on the server, once, in order; the journal is gone
    assert report is not None and report.sent > 0 and report.problems == []
    assert not keeper.active and not keeper.journal.exists()
    assert stored(db, cid) == done
    state = service.state()
    assert (state.stage_index, state.speaker, state.round_number) == (
        shown.stage_index,
        shown.speaker,
        shown.round_number,
    )
    # And sending the same actions again changes nothing
    for action in kept:
        service.apply(action)
    assert stored(db, cid) == done


def test_a_replay_cut_short_by_a_crash_resumes_without_doubling(
    proxied: tuple[Proxy, Database], tmp_path: Path
) -> None:
    proxy, db = proxied
    cid = plan_circle(db)
    service, keeper = start(db, cid, folder=tmp_path / "journal")
    done: dict[str, list[object]] = {"turns": [], "notes": [], "stages": [0]}
    to_a_round(service, done)
    proxy.cut()
    for passed in (False, True, False):
        speak(service, done, passed=passed)
    service.add_note("during the drop")
    done["notes"].append("during the drop")
    proxy.restore()

    # When the first two actions reach the server but the laptop never learns it (a crash
    # between the server's commit and the journal's mark)
    waiting = keeper.journal.waiting().entries
    for entry in waiting[:2]:
        service.apply(entry.action)

    # Then the next start sends the journal: nothing doubled, nothing lost
    said = send_waiting(Context(db.sessions, actor="Kim"), folder=tmp_path / "journal")
    assert said and "4" in said[0]
    assert stored(db, cid) == done
    assert not keeper.journal.exists()


def test_a_file_database_never_journals(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        cid = plan_circle(db, students=2)
        service = FacilitationService(Context(db.sessions, actor="Kim"), cid, clock=Clock())
        assert OfflineCircle.attach(service, service.start()) is None
    finally:
        db.close()


def test_a_protected_journal_cannot_be_read_without_the_passphrase(
    proxied: tuple[Proxy, Database], tmp_path: Path
) -> None:
    proxy, db = proxied
    cid = plan_circle(db)
    folder = tmp_path / "journal"
    service, keeper = start(db, cid, folder=folder, passphrase="a long sentence here")
    to_a_round(service, {"stages": []})
    proxy.cut()
    service.add_note("Student2 told us about the bus", privacy="private")
    service.next_speaker()
    path = keeper.journal.path

    # The file holds nothing readable: not the note, not even SQLite's header
    raw = path.read_bytes()
    assert b"bus" not in raw and b"SQLite format 3" not in raw
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM action").fetchall()
    # Without (or with a wrong) passphrase it is refused and kept as it was
    identity = keeper.journal.database
    for wrong in (None, "not the passphrase"):
        other = Journal(
            path, database=identity, circle=keeper.journal.circle, circle_id=cid, passphrase=wrong
        )
        with pytest.raises((DatabaseProblem, WrongPassphrase)):
            other.waiting()
    assert path.read_bytes()[:64] == raw[:64]

    # With it, everything goes to the server
    proxy.restore()
    report = keeper.try_to_send()
    assert report is not None and report.sent == 2
    assert "Student2 told us about the bus" in stored(db, cid)["notes"]


def test_a_journal_from_another_database_is_never_sent_into_this_one(
    proxied: tuple[Proxy, Database], pg_cluster: object, tmp_path: Path
) -> None:
    proxy, db = proxied
    cid = plan_circle(db)
    folder = tmp_path / "journal"
    service, keeper = start(db, cid, folder=folder)
    to_a_round(service, {"stages": []})
    proxy.cut()
    service.next_speaker()
    proxy.restore()
    # The file claims another database (copied from another laptop, or a restored server)
    conn = sqlite3.connect(keeper.journal.path)
    conn.execute("UPDATE about SET value = 'postgresql://elsewhere/ck#1' WHERE key = 'database'")
    conn.commit()
    conn.close()
    before = stored(db, cid)

    with pytest.raises(InvalidInput, match="another database"):
        keeper.try_to_send()
    assert stored(db, cid) == before
    assert keeper.journal.exists()  # kept, unchanged, for the database it belongs to
    # And the start-up sender leaves it alone too
    assert send_waiting(Context(db.sessions), folder=folder) == []
    assert stored(db, cid) == before


def test_a_damaged_journal_line_is_reported_and_the_rest_is_sent(
    proxied: tuple[Proxy, Database], tmp_path: Path
) -> None:
    proxy, db = proxied
    cid = plan_circle(db)
    service, keeper = start(db, cid, folder=tmp_path / "journal")
    to_a_round(service, {"stages": []})
    proxy.cut()
    for text in ("first", "second", "third"):
        service.add_note(text, privacy="record")
    proxy.restore()
    conn = sqlite3.connect(keeper.journal.path)
    conn.execute("UPDATE action SET body = replace(body, 'second', 'sec#nd') WHERE seq = 2")
    conn.commit()
    conn.close()

    report = keeper.try_to_send()

    assert report is not None and report.sent == 2 and report.damaged == 1
    assert "damaged" in report.problems[0] and str(report.kept_at) in report.problems[0]
    assert stored(db, cid)["notes"] == ["first", "third"]
    assert report.kept_at is not None and report.kept_at.exists()
    assert not keeper.journal.path.exists()


def test_what_needs_the_server_is_refused_offline_in_plain_words(
    proxied: tuple[Proxy, Database], tmp_path: Path
) -> None:
    proxy, db = proxied
    cid = plan_circle(db)
    service, keeper = start(db, cid, folder=tmp_path / "journal")
    proxy.cut()
    service.next_stage()
    with pytest.raises(InvalidInput, match="saved on this laptop"):
        service.join_late(1)
    with pytest.raises(InvalidInput, match="server is back"):
        service.end()
    proxy.restore()
    assert keeper.try_to_send() is not None
