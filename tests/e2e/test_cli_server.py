"""The real program on a district's PostgreSQL server: `db` upkeep and `search`, as IT runs them.

The search tests run on both engines (``db_target``): a file and a server answer alike.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from tests.pg_cluster import Cluster

from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.profiles.profiles import ProfileService
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.models import Circle, Note

PRIVATE_NOTE = "Worried about the stepfather at home"
RECORD_NOTE = "Agreed to meet the stepfather with the counselor"


@pytest.fixture
def empty_url(pg_cluster: Cluster) -> str:
    name = f"cli_{uuid.uuid4().hex[:12]}"
    pg_cluster.sql(f"CREATE DATABASE {name}")
    return pg_cluster.url(name)


def test_db_upgrade_on_a_server_sets_it_up_and_makes_no_file(run_cli, empty_url: str) -> None:
    # The bug this replaces: an SQLite file under a folder named "postgresql+psycopg:"
    first = run_cli("db", "upgrade", "--database", empty_url)
    assert first.returncode == 0, first.stderr
    assert "upgraded to the current schema" in first.stdout
    again = run_cli("db", "upgrade", "--database", empty_url)
    assert again.returncode == 0 and "already up to date" in again.stdout
    for folder in (run_cli.home, Path.cwd()):  # type: ignore[attr-defined]
        assert not list(folder.glob("postgres*")), list(folder.iterdir())
    password = empty_url.split(":")[2].split("@")[0]
    assert password not in first.stdout + first.stderr + again.stdout


def test_db_check_runs_the_servers_checks(run_cli, pg_url: str, pg_cluster: Cluster) -> None:
    done = run_cli("db", "check", "--database", pg_url)
    assert done.returncode == 0, done.stderr
    assert "ok (schema" in done.stdout and "checked by the server" in done.stdout
    # The setting names the server as well as --database does
    named = run_cli("db", "check", CIRCLEKEEPER_DATABASE=pg_url)
    assert named.returncode == 0 and "checked by the server" in named.stdout, named.stderr
    # A switched-off guard is found
    pg_cluster.sql(
        "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only",
        pg_url.rsplit("/", 1)[1],
    )
    broken = run_cli("db", "check", "--database", pg_url)
    assert broken.returncode == 2
    assert "the audit trail's guard against edits is missing or switched off" in broken.stderr


def test_db_backup_on_a_server_prints_the_pg_dump_command(run_cli, pg_url: str) -> None:
    done = run_cli("db", "backup", "--database", pg_url)
    assert done.returncode == 2
    assert done.stdout.startswith("pg_dump --format=custom")
    assert "district's pg_dump routine" in done.stderr and "Nothing was changed" in done.stderr
    assert pg_url.split(":")[2].split("@")[0] not in done.stdout + done.stderr


@pytest.mark.parametrize("action", ["encrypt", "backups", "passphrase"])
def test_file_only_upkeep_on_a_server_is_refused_in_plain_words(
    run_cli, pg_url: str, action: str
) -> None:
    done = run_cli("db", action, "--database", pg_url)
    assert done.returncode == 2
    assert "database on the district's server" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_wrong_server_address_is_bad_input(run_cli, pg_cluster: Cluster) -> None:
    for url, words in (
        (pg_cluster.url("postgres", password="wrong"), "user name or password is wrong"),
        ("postgresql+psycopg://postgres@127.0.0.1:1/x", "Could not reach the server"),
        (pg_cluster.url("not_there"), "no database named"),
    ):
        done = run_cli("search", "x", "--database", url)
        assert done.returncode == 2, done.stderr
        assert words in done.stderr and "Traceback" not in done.stderr


@pytest.fixture
def school(db_target: Path | str) -> Path | str:
    """José Núñez with a private note by Dana and a note for the record; Dana and Sam (SRO)."""
    db = open_database(db_target)
    try:
        people = PeopleService(Context(db.sessions, actor="test"))
        people.create(PersonData("José", "Núñez", kind="student", grade="8"))
        with db.sessions.begin() as session:
            circle = Circle(kind="check_in", title="Morning check-in")
            session.add(circle)
            session.flush()
            session.add(
                Note(circle_id=circle.id, text=PRIVATE_NOTE, privacy="private", author="Dana")
            )
            session.add(Note(circle_id=circle.id, text=RECORD_NOTE, privacy="record"))
        profiles = ProfileService(db.sessions)
        dana = profiles.create("Dana", pin="1111")
        profiles.create("Sam", "sro", pin="2222", approval=profiles.approve(dana.id, "1111"))
    finally:
        db.close()
    return db_target


def test_search_prints_what_ctrl_k_finds_accent_blind(run_cli, school: Path | str) -> None:
    done = run_cli(
        "search", "nunez", "--database", str(school), "--profile", "Dana", CIRCLEKEEPER_PIN="1111"
    )
    assert done.returncode == 0, done.stderr
    assert "José Núñez" in done.stdout and "1 found." in done.stdout


def test_search_as_a_profile_finds_only_what_that_profile_may_see(
    run_cli, school: Path | str
) -> None:
    # Dana wrote the private note: she finds it, and the note for the record
    dana = run_cli(
        "search", "stepfather", "--database", str(school), "--profile", "Dana",
        CIRCLEKEEPER_PIN="1111",
    )  # fmt: skip
    assert dana.returncode == 0, dana.stderr
    assert "(private note)" in dana.stdout and "2 found." in dana.stdout
    # Sam (SRO) never finds a private note
    sam = run_cli(
        "search", "stepfather", "--database", str(school), "--profile", "Sam",
        CIRCLEKEEPER_PIN="2222",
    )  # fmt: skip
    assert sam.returncode == 0, sam.stderr
    assert "private" not in sam.stdout and "home" not in sam.stdout
    assert "1 found." in sam.stdout
    # Without a profile, once profiles exist, the command says whose it must be
    nobody = run_cli("search", "stepfather", "--database", str(school))
    assert nobody.returncode == 2 and "--profile NAME" in nobody.stderr


def test_retention_on_a_server_deletes_the_rows_and_leaves_storage_to_it(
    run_cli, pg_url: str
) -> None:
    from datetime import date

    from sqlalchemy import select
    from tests.store.retention_seed import GONE_WORDS, plant

    from circlekeeper.core.store.models import Person

    db = open_database(pg_url)
    try:
        plant(db, date.today())
    finally:
        db.close()
    preview = run_cli("db", "retention", "--years", "5", "--database", pg_url)
    assert preview.returncode == 0, preview.stderr
    assert "Would purge" in preview.stdout and "Nothing was changed" in preview.stdout
    refused = run_cli(
        "db", "retention", "--years", "5", "--apply", "--yes", "--backups", "prune",
        "--database", pg_url,
    )  # fmt: skip
    assert refused.returncode == 2 and "pg_dump files are IT's" in refused.stderr
    done = run_cli("db", "retention", "--years", "5", "--apply", "--yes", "--database", pg_url)
    assert done.returncode == 0, done.stderr
    assert "Purged 1 case" in done.stdout and "(VACUUM)" in done.stdout
    db = open_database(pg_url)
    try:
        with db.sessions() as session:
            names = set(session.scalars(select(Person.last_name)))
    finally:
        db.close()
    assert GONE_WORDS["student_renamed"] not in names
