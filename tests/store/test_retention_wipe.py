"""Retention leaves no removed word in any byte of the file, and covers every table.

The rule's removals are checked against the bytes of every file in the data folder (the
database, its -wal and -shm), not only against queries: a deleted row's text stays in its page
and in the full-text index until the file is wiped.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError
from tests.store.retention_seed import GONE_WORDS, KEPT_WORDS, files_holding, plant

from circlekeeper.core.operations import Context
from circlekeeper.core.paths import migrations_dir
from circlekeeper.core.retention import rows as retention_rows
from circlekeeper.core.retention.backups import backups_holding, handle_backups
from circlekeeper.core.retention.retention import apply_retention, plan_retention
from circlekeeper.core.search.search import search
from circlekeeper.core.store.database import Database, backup_database, inspect_schema
from circlekeeper.core.store.models import (
    AuditEvent,
    Case,
    Circle,
    GuardianLink,
    Note,
    Person,
    Signature,
)
from circlekeeper.core.store.schema_version import HEAD, REVISIONS

TODAY = date(2026, 6, 1)
GONE = list(GONE_WORDS.values())
KEPT = list(KEPT_WORDS.values())


def test_the_plan_lists_cases_loose_circles_and_people_who_left(db: Database) -> None:
    planted = plant(db, TODAY)
    plan = plan_retention(db.sessions, 5, TODAY)
    assert [c.case_id for c in plan.cases] == [planted.gone["case"]]
    assert [c.circle_id for c in plan.circles] == [planted.gone["loose"]]
    assert plan.circles[0].notes == 1
    assert sorted(p.person_id for p in plan.people) == sorted(
        [planted.gone["student"], planted.gone["guardian"]]
    )
    # The archived student still named by a kept case stays, as does everyone not archived.
    assert planted.kept["leaver"] not in {p.person_id for p in plan.people}


@pytest.mark.sqlite_only("about the bytes left in the file; a server's storage is IT's")
@pytest.mark.parametrize("mode", ["purge", "anonymise"])
def test_no_removed_word_is_left_in_any_file_of_the_data_folder(
    db: Database, mode: str, home
) -> None:
    # Given records old enough to go, and the file as it is before the purge
    plant(db, TODAY)
    assert set(GONE) <= {w for ws in files_holding(home, GONE).values() for w in ws}

    # When the rule is applied
    apply_retention(db.sessions, 5, TODAY, mode=mode)  # type: ignore[arg-type]

    # Then no byte of the database, its -wal or -shm holds a removed word
    assert files_holding(home, GONE) == {}
    # and every kept word is still in the database (read through SQLite, not guessed)
    with db.sessions() as session:
        assert session.scalars(select(Note.text).where(Note.text == KEPT_WORDS["note"])).one()
        names = set(session.scalars(select(Person.first_name)))
    assert {KEPT_WORDS["student"], KEPT_WORDS["leaver_in_kept_case"], "Morgan"} <= names


def test_search_finds_kept_records_and_nothing_removed(db: Database) -> None:
    plant(db, TODAY)
    apply_retention(db.sessions, 5, TODAY)
    for word in GONE:
        assert search(db.sessions, word, include_private_notes=True) == [], word
    assert search(db.sessions, KEPT_WORDS["note"]) != []
    assert search(db.sessions, KEPT_WORDS["loose_title"]) != []


@pytest.mark.sqlite_only("about the bytes left in the file; a server's storage is IT's")
def test_wiping_is_what_removes_the_words_from_the_search_index(db: Database, home) -> None:
    # Without the wipe, the deleted note is still readable in the index pages (the old bug).
    plant(db, TODAY)
    apply_retention(db.sessions, 5, TODAY, wipe=False)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("VACUUM")
    assert files_holding(home, GONE) != {}


def test_people_who_left_go_from_every_table(db: Database) -> None:
    planted = plant(db, TODAY)
    result = apply_retention(db.sessions, 5, TODAY)
    assert (result.cases, result.circles, result.people) == (1, 2, 2)
    gone = [planted.gone["student"], planted.gone["guardian"]]
    with db.sessions() as session:
        assert session.scalars(select(Person.id).where(Person.id.in_(gone))).all() == []
        assert session.scalars(select(GuardianLink)).all() == []
        assert session.scalars(select(Signature)).all() == []
        assert session.get(Circle, planted.gone["loose"]) is None
        assert session.get(Case, planted.kept["case"]) is not None
        assert session.get(Circle, planted.kept["loose"]) is not None
        assert session.get(Person, planted.kept["leaver"]) is not None
    if db.path is None:
        return  # PostgreSQL enforces every reference itself, in the same transaction
    conn = sqlite3.connect(db.path)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_the_audit_trail_keeps_no_value_copied_from_removed_people(db: Database) -> None:
    planted = plant(db, TODAY)
    with db.sessions() as session:
        uuid = session.scalars(
            select(Person.uuid).where(Person.id == planted.gone["student"])
        ).one()
        before = session.scalars(
            select(AuditEvent.detail).where(AuditEvent.entity_uuid == uuid)
        ).all()
    assert any(GONE_WORDS["student_renamed"] in d for d in before)  # the trail copied the name

    result = apply_retention(Context(db.sessions, actor="Admin"), 5, TODAY)

    assert result.audit_lines_redacted == 1
    with db.sessions() as session:
        lines = session.scalars(select(AuditEvent)).all()
        redacted = [line for line in lines if line.entity_uuid == uuid]
    assert len(redacted) == len(before)  # the lines stay: when, who, which fields
    changes = json.loads(redacted[-1].detail)["changes"]
    assert changes == {"last_name": [retention_rows.REDACTED, retention_rows.REDACTED]}
    assert not any(word in line.detail for line in lines for word in GONE)
    purge = next(line for line in lines if line.action == "retention_purge")
    assert purge.actor == "Admin" and json.loads(purge.detail)["audit_lines_redacted"] == 1
    # and the trail is append-only again straight away
    with pytest.raises(DatabaseError, match="cannot be changed"), db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET actor = 'x'"))


@pytest.mark.sqlite_only("backups by copy are a file's; a server's are pg_dump files")
def test_a_backup_made_before_an_upgrade_is_upgraded_then_rewritten(db: Database) -> None:
    # Given a backup holding old records, in the schema of the release before
    plant(db, TODAY)
    before = REVISIONS[-2]
    copy = backup_database(db.path, reason=f"before-{HEAD}")
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{copy}")
    command.downgrade(config, before)
    holding = backups_holding(db.path, None, 5, TODAY)
    # (an older schema cannot be counted with today's queries, so it is listed as one that may
    # hold them)
    assert [b.path for b in holding] == [copy]

    # When the backups are rewritten
    apply_retention(db.sessions, 5, TODAY)
    outcome = handle_backups(db.path, None, holding, "rewrite", 5, TODAY)

    # Then the copy is current, holds none of the removed words and still opens
    assert outcome.rewritten == [copy] and outcome.failed == []
    assert inspect_schema(copy).revision == HEAD
    assert files_holding(copy.parent, GONE) == {}
    assert backups_holding(db.path, None, 5, TODAY) == []


def test_a_guardian_who_left_stays_while_a_student_of_theirs_stays(db: Database) -> None:
    # Given two guardians who left long ago: one of a current student, one of a student who left
    long_ago = datetime(2015, 6, 30, 12, tzinfo=UTC)
    with db.sessions.begin() as session:
        current = Person(first_name="Current", last_name="Student")
        left = Person(first_name="Left", last_name="Student", archived_at=long_ago)
        stays = Person(kind="guardian", first_name="Stays", last_name="G", archived_at=long_ago)
        goes = Person(kind="guardian", first_name="Goes", last_name="G", archived_at=long_ago)
        session.add_all([current, left, stays, goes])
        session.flush()
        session.add(GuardianLink(student_id=current.id, guardian_id=stays.id))
        session.add(GuardianLink(student_id=left.id, guardian_id=goes.id))
        session.flush()
        ids = {"left": left.id, "stays": stays.id, "goes": goes.id}

    # Then only the guardian of the student who left goes, with that student
    plan = plan_retention(db.sessions, 5, TODAY)
    assert sorted(p.person_id for p in plan.people) == sorted([ids["left"], ids["goes"]])
