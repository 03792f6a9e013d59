"""Merging a laptop's database into another (a file or the server): both engines as target."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from tests.core.conftest import build_conference
from tests.merging import dump

from circlekeeper.core.audit.audit import history
from circlekeeper.core.merge import (
    KEEP_NEWER,
    KEEP_THIS,
    merge_database,
    open_source,
    preview_merge,
)
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.problems import NotPermitted
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.store.database import Database, open_database
from circlekeeper.core.store.models import Case, CaseParty, Note, Person


@pytest.fixture
def laptop(tmp_path: Path, migrated_template: Path) -> Iterator[Database]:
    """Another counselor's laptop: its own database file, made by the real migrations."""
    path = tmp_path / "laptop" / "circlekeeper.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(migrated_template, path)
    database = open_database(path)
    yield database
    database.close()


def _merge(laptop: Database, target: Database, *, dry_run: bool = False, keep: str = KEEP_NEWER):  # type: ignore[no-untyped-def]
    ctx = Context(target.sessions, actor="District IT")
    source = open_source(laptop.file(), target)
    try:
        run = preview_merge if dry_run else merge_database
        return run(ctx, source, target.location, keep)
    finally:
        source.close()


def _person(db: Database, uuid: str) -> Person:
    with db.sessions() as session:
        return session.scalars(select(Person).where(Person.uuid == uuid)).one()


def test_merging_the_same_laptop_twice_changes_nothing_the_second_time(
    db: Database, db_target: Path | str, laptop: Database
) -> None:
    # Given a laptop with a conference, its people and a private note, merged once
    conference = build_conference(laptop)
    with laptop.sessions.begin() as session:
        session.add(Note(circle_id=conference.circle_id, text="Private words", author="Dana"))
    first = _merge(laptop, db)
    assert first.applied and first.added["person"] == 7
    once = dump(db_target)

    # When it is merged again
    second = _merge(laptop, db)

    # Then nothing at all changed: every table, the audit trail and the merge records
    assert second.nothing_to_do and not second.applied
    assert dump(db_target) == once


def test_the_same_student_with_two_uuids_is_matched_by_student_id_and_references_follow(
    db: Database, laptop: Database
) -> None:
    # Given José already in the target, and on the laptop under another UUID with a case
    here = PeopleService(Context(db.sessions, actor="Dana")).create(
        PersonData("José", "Núñez", external_id="S100234", grade="8")
    )
    there = PeopleService(Context(laptop.sessions, actor="Maya")).create(
        PersonData("José", "Núñez", external_id="S100234", grade="8")
    )
    assert here.uuid != there.uuid
    with laptop.sessions.begin() as session:
        case = Case(referred_on=date(2026, 3, 2), incident_category="conflict")
        session.add(case)
        session.flush()
        session.add(CaseParty(case_id=case.id, person_id=there.id, role="responsible"))

    # When the laptop is merged
    report = _merge(laptop, db)

    # Then José is one person, the case points at the target's José, and the report names him
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 1
        party = session.scalars(select(CaseParty)).one()
    assert party.person_id == here.id
    assert [(m.label, m.key) for m in report.matched] == [("José Núñez", "student ID S100234")]
    assert any("José Núñez (student ID S100234)" in line for line in report.lines())
    # And the laptop's own audit line about José travelled, pointing at the target's José
    lines = history(Context(db.sessions), here.uuid, mentions=False)
    assert {(e.actor, e.action) for e in lines} >= {
        ("Maya", "create"),
        ("District IT", "merge match"),
    }


def test_an_edit_on_both_sides_is_a_conflict_the_newer_change_wins_the_other_kept_in_audit(
    db: Database, laptop: Database
) -> None:
    # Given a conference merged once, then José edited here and later on the laptop, and
    # Amara edited on the laptop and later here
    c = build_conference(laptop)
    _merge(laptop, db)
    jose_uuid = _person(laptop, PeopleService(laptop.sessions).details(c.jose).uuid).uuid
    amara_uuid = PeopleService(laptop.sessions).details(c.amara).uuid
    here = PeopleService(Context(db.sessions, actor="Dana"))
    there = PeopleService(Context(laptop.sessions, actor="Maya"))
    jose_here = _person(db, jose_uuid).id
    amara_here = _person(db, amara_uuid).id
    here.update(jose_here, replace(here.details(jose_here).data, grade="9"))
    there.update(c.jose, replace(there.details(c.jose).data, grade="10"))
    there.update(c.amara, replace(there.details(c.amara).data, grade="7"))
    here.update(amara_here, replace(here.details(amara_here).data, grade="6"))

    # When the laptop is merged again
    report = _merge(laptop, db)

    # Then both are conflicts listed by name and field, and the newer change won each
    listed = {(x.label, x.fields, x.winner) for x in report.conflicts}
    assert listed == {("José Núñez", ("grade",), "source"), ("Amara Okafor", ("grade",), "target")}
    lines = report.lines()
    assert "  person José Núñez: grade (the other laptop's change is newer: it wins)" in lines
    assert any(line.startswith("Rule for conflicts: ") for line in lines)
    assert _person(db, jose_uuid).grade == "10"
    assert _person(db, amara_uuid).grade == "6"
    # And the losing values are kept in the audit trail
    ctx = Context(db.sessions)
    jose_line = [e for e in history(ctx, jose_uuid) if e.action == "merge conflict"][-1]
    assert jose_line.detail["other_values"] == {"grade": "9"}
    assert jose_line.changes == {"grade": ("9", "10")}
    amara_line = [e for e in history(ctx, amara_uuid) if e.action == "merge conflict"][-1]
    assert amara_line.detail["other_values"] == {"grade": "7"}
    # And merging once more finds nothing new
    assert _merge(laptop, db).nothing_to_do


def test_the_person_may_choose_that_this_database_keeps_its_change(
    db: Database, laptop: Database
) -> None:
    # Given José edited here, then (later, so newer) on the laptop
    c = build_conference(laptop)
    _merge(laptop, db)
    jose_uuid = PeopleService(laptop.sessions).details(c.jose).uuid
    here = PeopleService(Context(db.sessions, actor="Dana"))
    there = PeopleService(Context(laptop.sessions, actor="Maya"))
    jose_here = _person(db, jose_uuid).id
    here.update(jose_here, replace(here.details(jose_here).data, grade="9"))
    there.update(c.jose, replace(there.details(c.jose).data, grade="10"))

    # When the person merging chooses to keep this database's changes
    report = _merge(laptop, db, keep=KEEP_THIS)

    # Then this database's grade stays, the report states the chosen rule, and the laptop's
    # value is kept in the audit trail
    assert [(x.label, x.winner) for x in report.conflicts] == [("José Núñez", "target")]
    assert "  person José Núñez: grade (this database's change stays, as chosen)" in (
        report.lines()
    )
    assert any("(chosen for this merge)" in line for line in report.lines())
    assert _person(db, jose_uuid).grade == "9"
    line = [e for e in history(Context(db.sessions), jose_uuid) if e.action == "merge conflict"]
    assert line[-1].detail["other_values"] == {"grade": "10"}


def test_a_district_id_another_person_here_holds_is_left_with_that_person(
    db: Database, laptop: Database
) -> None:
    # Given José merged, then given on the laptop the student ID Ana holds here
    c = build_conference(laptop)
    _merge(laptop, db)
    ana = PeopleService(Context(db.sessions, actor="Dana")).create(
        PersonData("Ana", "Ruiz", external_id="S777")
    )
    there = PeopleService(Context(laptop.sessions, actor="Maya"))
    there.update(c.jose, replace(there.details(c.jose).data, external_id="S777", grade="9"))
    jose_uuid = there.details(c.jose).uuid

    # When the laptop is merged again, the merge goes through without taking Ana's ID
    _merge(laptop, db)
    assert _person(db, ana.uuid).external_id == "S777"
    jose = _person(db, jose_uuid)
    assert (jose.external_id, jose.grade) == (None, "9")


def test_a_private_note_keeps_its_author(db: Database, laptop: Database) -> None:
    c = build_conference(laptop)
    with laptop.sessions.begin() as session:
        session.add(Note(circle_id=c.circle_id, text="Said he feels unsafe", author="Maya Torres"))
    _merge(laptop, db)
    with db.sessions() as session:
        note = session.scalars(select(Note)).one()
    assert (note.author, note.privacy, note.text) == (
        "Maya Torres",
        "private",
        "Said he feels unsafe",
    )


def test_the_dry_run_writes_nothing_and_lists_exactly_what_the_merge_then_does(
    db: Database, db_target: Path | str, laptop: Database
) -> None:
    # Given a target with José under another UUID, and a laptop with a whole conference
    PeopleService(Context(db.sessions, actor="Dana")).create(
        PersonData("José", "Núñez", external_id="S555", grade="8")
    )
    c = build_conference(laptop)
    PeopleService(laptop.sessions).update(
        c.jose, replace(PeopleService(laptop.sessions).details(c.jose).data, external_id="S555")
    )
    before = dump(db_target)

    # When the dry run runs
    preview = _merge(laptop, db, dry_run=True)

    # Then nothing was written, and it says it is a dry run
    assert dump(db_target) == before
    assert preview.lines()[0].startswith("Dry run: ")
    # And the merge then does exactly what it listed
    done = _merge(laptop, db)
    assert done.listing() == preview.listing()
    after = dump(db_target)
    added = {t: len(after[t]) - len(before[t]) for t in preview.added}
    assert added == preview.added
    assert [m.label for m in preview.matched] == ["José Núñez"]


def test_a_school_resource_officer_cannot_merge(db: Database, laptop: Database) -> None:
    build_conference(laptop)
    ctx = Context(db.sessions, actor="Sam", viewer=Viewer("Sam", role="sro"))
    source = open_source(laptop.file(), db)
    try:
        with pytest.raises(NotPermitted, match="Only a counselor or an administrator"):
            merge_database(ctx, source, db.location)
        with pytest.raises(NotPermitted):
            preview_merge(ctx, source, db.location)
    finally:
        source.close()


def test_a_statement_of_the_merge_never_grows_with_the_laptop(
    db: Database, laptop: Database, tmp_path: Path
) -> None:
    # A district's server takes at most 65,535 values in one statement: a laptop of ten
    # years (hundreds of thousands of survey answers) must go in by pieces of a fixed size.
    import secrets
    import uuid

    from sqlalchemy import event

    from circlekeeper.core.evaluation.surveys import SurveyService
    from circlekeeper.core.merge.plan import CHUNK
    from circlekeeper.core.store.models import SurveyResponse

    from .held import held_circle

    held = held_circle(laptop, tmp_path, members=2)
    sitting = SurveyService(Context(laptop.sessions, actor="Kim")).open_sitting(held.circle_id)
    answers = 2 * CHUNK + 1
    with laptop.sessions.begin() as session:
        session.add_all(
            SurveyResponse(
                id=secrets.randbelow(2**62) + 1,
                uuid=str(uuid.uuid4()),
                sitting_id=sitting.id,
                heard="yes",
            )
            for _ in range(answers)
        )
    widest = [0]

    def count(_conn, _cursor, _statement, parameters, _context, executemany) -> None:  # type: ignore[no-untyped-def]
        rows = parameters if executemany else [parameters]
        widest[0] = max([widest[0], *(len(row or ()) for row in rows)])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        _merge(laptop, db)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(SurveyResponse)) == answers
    assert widest[0] <= CHUNK


def _merge_a_student_into_a_server(laptop: Database, db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a file plans without statistics and has no visibility map")
    PeopleService(Context(laptop.sessions, actor="Kim")).create(
        PersonData("Ana", "Ruiz", kind="student")
    )
    _merge(laptop, db)


def test_a_server_has_statistics_for_what_was_merged_in_at_once(
    db: Database, db_target: Path | str, laptop: Database
) -> None:
    # Without them the server plans a big laptop's rows as empty tables until its autovacuum
    # gets round to them: minutes of slow lists just after the merge.
    _merge_a_student_into_a_server(laptop, db)
    with db.sessions() as session:
        # The statistics themselves, kept (not only the note that an ANALYZE ran).
        kept = session.scalar(text("SELECT count(*) FROM pg_stats WHERE tablename = 'person'"))
    assert kept


def test_a_server_can_search_what_was_merged_in_at_once(
    db: Database, db_target: Path | str, laptop: Database
) -> None:
    # The people search's lists and the Ctrl+K index are filled by triggers, not by the
    # merge's own inserts. Planned without statistics, a one-letter search on the large demo
    # counted its matches in 60-135 ms instead of 1; read without a visibility map, every
    # entry of an index-only walk went to the table as well (a page of 51 fetched 52 rows).
    _merge_a_student_into_a_server(laptop, db)
    with db.sessions() as session:
        for table in ("person_gram", "search_index"):
            stats = session.scalar(
                text("SELECT count(*) FROM pg_stats WHERE tablename = :t"), {"t": table}
            )
            # Vacuumed, which is what marks pages all-visible (the pages themselves are not
            # asked: on this throwaway cluster commits are not flushed at once, and a page is
            # marked only once its rows' commit is on disk).
            vacuumed = session.scalar(
                text("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = :t"),
                {"t": table},
            )
            assert stats, f"{table} has no statistics"
            assert vacuumed, f"{table} was not vacuumed"


def _answers(db: Database, tmp_path: Path, count: int) -> list[dict[str, object]]:
    """``count`` survey answers for a held circle of ``db``: rows to write in one go."""
    import secrets
    import uuid

    from circlekeeper.core.evaluation.surveys import SurveyService

    from .held import held_circle

    held = held_circle(db, tmp_path, members=2)
    sitting = SurveyService(Context(db.sessions, actor="Kim")).open_sitting(held.circle_id)
    return [
        {
            "id": secrets.randbelow(2**62) + 1,
            "uuid": str(uuid.uuid4()),
            "sitting_id": sitting.id,
            "heard": "yes",
        }
        for _ in range(count)
    ]


@contextmanager
def _busy_server(url: str) -> Iterator[None]:
    """Another session holds the answers' table against writing (reads go on) until a write
    has waited on it for four seconds: a server that stops reading what it is sent."""
    import threading
    import time

    import psycopg

    plain = url.replace("+psycopg", "")
    busy = psycopg.connect(plain, autocommit=False)
    busy.execute("LOCK TABLE survey_response IN SHARE MODE")

    def hold_while_a_write_waits() -> None:
        deadline = time.monotonic() + 120
        with psycopg.connect(plain, autocommit=True) as watch:
            waiting = "SELECT count(*) FROM pg_locks WHERE NOT granted"
            while not watch.execute(waiting).fetchone()[0] and time.monotonic() < deadline:  # type: ignore[index]
                time.sleep(0.05)
        time.sleep(4)  # what is written meanwhile queues up behind the lock
        busy.rollback()

    holder = threading.Thread(target=hold_while_a_write_waits)
    holder.start()
    try:
        yield
    finally:
        holder.join(timeout=150)
        busy.close()


ANSWERS = 150_000  # megabytes in one pipeline: more than the sockets between them hold


def test_a_merge_waits_for_a_server_too_busy_to_read_it(
    laptop: Database, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A big laptop goes in as one pipeline of inserts. A server slowed by other work stops
    # reading for a while; the connection counted that silence as a lost network after
    # LOST_AFTER seconds and the merge failed after minutes of work. Here LOST_AFTER is one.
    from sqlalchemy import insert

    from circlekeeper.core.store import server
    from circlekeeper.core.store.models import SurveyResponse

    with laptop.sessions.begin() as session:
        session.execute(insert(SurveyResponse), _answers(laptop, tmp_path, ANSWERS))
    monkeypatch.setattr(server, "LOST_AFTER", 1)
    target = open_database(pg_url)
    try:
        with _busy_server(pg_url):
            report = _merge(laptop, target)
        assert report.applied
        with target.sessions() as session:
            stored = session.scalar(select(func.count()).select_from(SurveyResponse))
        assert stored == ANSWERS
    finally:
        target.close()


def test_a_connection_gone_silent_mid_work_is_told_as_lost_not_as_unreachable(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Outside a merge a silent server still counts as lost after LOST_AFTER (a circle must
    # notice a dropped network at once); the words must say the connection was lost, not that
    # nothing answered at that address, which sends IT to check a host name that is right.
    from sqlalchemy import insert

    from circlekeeper.core.store import server
    from circlekeeper.core.store.models import SurveyResponse
    from circlekeeper.core.store.problems import ServerUnreachable

    monkeypatch.setattr(server, "LOST_AFTER", 1)
    target = open_database(pg_url)
    try:
        rows = _answers(target, tmp_path, ANSWERS)
        with (
            _busy_server(pg_url),
            pytest.raises(ServerUnreachable) as lost,
            target.sessions.begin() as session,
        ):
            session.execute(insert(SurveyResponse), rows)
        assert "was lost" in str(lost.value) and "nothing answered" not in str(lost.value)
    finally:
        target.close()
