"""The log keeps what went wrong, never what a record says, and stays a few MB at most."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from circlekeeper.core.logs import (
    BACKUP_COUNT,
    MAX_BYTES,
    PrivateRotatingFileHandler,
    scrub,
    setup_logging,
)
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Circle, Note
from circlekeeper.core.store.problems import DatabaseProblem

NOTE_TEXT = "Zq-private-note: said the bruise came from home 7f3a"
FIRST_NAME = "Quillonia"
LAST_NAME = "Farthingale"
DEMOGRAPHIC = "Marker-Ethnicity-4412"


@pytest.fixture
def project_log(home: Path) -> Iterator[Path]:
    """The project's own log handler on this test's data folder, removed afterwards."""
    _remove_project_handlers()  # an earlier in-process CLI run may have set one up
    logfile = setup_logging(home)
    assert logfile is not None
    yield logfile
    _remove_project_handlers()


def _remove_project_handlers() -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, PrivateRotatingFileHandler):
            root.removeHandler(handler)
            handler.close()


def _refuse_writes(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TRIGGER refuse_person BEFORE INSERT ON person "
        "BEGIN SELECT RAISE(ABORT, 'refused for this test'); END;"
        "CREATE TRIGGER refuse_note BEFORE INSERT ON note "
        "BEGIN SELECT RAISE(ABORT, 'refused for this test'); END;"
    )
    conn.close()


def _log_bytes(home: Path) -> bytes:
    files = sorted(p for p in (home / "logs").iterdir() if p.is_file())
    assert files, "nothing was logged"
    return b"".join(p.read_bytes() for p in files)


@pytest.mark.sqlite_only("makes the file refuse writes by its permissions")
def test_failed_writes_log_the_statement_but_no_record_content(
    db: Database, home: Path, project_log: Path
) -> None:
    # Given a database that refuses inserts (as a CHECK or a full disk would)
    _refuse_writes(db.path)
    log = logging.getLogger("circlekeeper.test")
    # When a person with a name and a demographic field, and a private note, fail to save
    with pytest.raises(DatabaseProblem):  # the pipeline's plain-words problem
        PeopleService(db.sessions).create(
            PersonData(FIRST_NAME, LAST_NAME, race_ethnicity=DEMOGRAPHIC)
        )
    try:
        PeopleService(db.sessions).create(PersonData(FIRST_NAME, LAST_NAME))
    except DatabaseProblem:
        log.exception("saving a person failed")
    with db.sessions.begin() as session:
        circle = Circle(kind="harm_repair", title="t")
        session.add(circle)
    try:
        with db.sessions.begin() as session:
            session.add(Note(circle_id=circle.id, privacy="private", author="k", text=NOTE_TEXT))
    except IntegrityError as exc:
        log.error("saving a note failed: %s", exc)
        log.exception("saving a note failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    # Then the log names the failure and the statement, and none of the values
    written = _log_bytes(home)
    assert b"IntegrityError" in written and b"INSERT INTO note" in written
    for secret in (NOTE_TEXT, FIRST_NAME, LAST_NAME, DEMOGRAPHIC):
        assert secret.encode() not in written, secret


def test_scrub_takes_values_out_of_statement_text() -> None:
    text = (
        "(sqlite3.IntegrityError) boom\n"
        "[SQL: INSERT INTO note (text) VALUES ('Mary said it')]\n"
        "[parameters: ('Quillonia', 'x]y', 3)]\n"
        "(Background on this error at: https://sqlalche.me/e/20/gkpj)"
    )
    cleaned = scrub(text)
    assert "Mary" not in cleaned and "Quillonia" not in cleaned
    assert "INSERT INTO note (text) VALUES (?)" in cleaned
    assert "Background on this error" in cleaned


def test_log_rotates_within_a_few_megabytes(home: Path, project_log: Path) -> None:
    log = logging.getLogger("circlekeeper.test")
    line = "x" * 1000
    for _ in range(6 * MAX_BYTES // 1000):
        log.info(line)
    files = sorted((home / "logs").iterdir())
    assert len(files) == BACKUP_COUNT + 1
    assert all(f.stat().st_size <= MAX_BYTES + 2000 for f in files)


def test_setting_up_twice_keeps_one_handler(home: Path, project_log: Path) -> None:
    assert setup_logging(home) == project_log
    handlers = [
        h for h in logging.getLogger().handlers if isinstance(h, PrivateRotatingFileHandler)
    ]
    assert len(handlers) == 1
