"""The command line, run as a school resource officer's profile, obeys the school's MOU."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.profiles.profiles import ProfileService
from circlekeeper.core.profiles.viewer import ProfileRole, Viewer
from circlekeeper.core.sro import mou
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.models import AuditEvent, Case


@pytest.fixture
def school(db_path: Path) -> tuple[Path, int]:
    """One referred case; profiles Dana (counselor, PIN 1111) and Sam (SRO, PIN 2222)."""
    db = open_database(db_path)
    try:
        people = PeopleService(db.sessions)
        ana = people.create(PersonData("Ana", "Ruiz", grade="8")).id
        kim = people.create(PersonData("Kim", "Osei", kind="staff")).id
        case_id = (
            CaseService(db.sessions)
            .intake(
                CaseIntake(
                    referred_on=date(2026, 3, 10),
                    incident_category="Conflict between students",
                    referral_source="teacher",
                    referred_by_id=kim,
                    parties=[(ana, "responsible")],
                )
            )
            .id
        )
        profiles = ProfileService(db.sessions)
        dana = profiles.create("Dana Whitfield", pin="1111")
        profiles.create("Sam Reyes", "sro", pin="2222", approval=profiles.approve(dana.id, "1111"))
    finally:
        db.close()
    return db_path, case_id


def _case_and_refusals(db_path: Path, case_id: int) -> tuple[tuple[str, str | None], list[str]]:
    db = open_database(db_path)
    try:
        with db.sessions() as session:
            case = session.get(Case, case_id)
            assert case is not None
            lines = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "mou_refused")
            ).all()
            return (case.status, case.diverted_from), [
                f"{line.actor}: {json.loads(line.detail)['attempted']}" for line in lines
            ]
    finally:
        db.close()


def test_an_officers_profile_cannot_close_or_divert_from_the_command_line(
    run_cli, school: tuple[Path, int]
) -> None:  # type: ignore[no-untyped-def]
    db_path, case_id = school
    # When Sam (SRO) tries to close the case and to set its diversion
    common = ("--database", str(db_path), "--profile", "Sam Reyes")
    closing = run_cli(
        "case", "close", str(case_id), "--reason", "declined", *common, CIRCLEKEEPER_PIN="2222"
    )
    diverting = run_cli(
        "case",
        "divert",
        str(case_id),
        "--from",
        "suspension",
        "--amount",
        "2",
        *common,
        CIRCLEKEEPER_PIN="2222",
    )
    # Then both are refused in plain words with exit code 2, nothing changed, and the audit
    # trail says Sam tried
    for result in (closing, diverting):
        assert result.returncode == 2, result.stderr
        assert "takes no part in school discipline" in result.stderr
        assert "Traceback" not in result.stderr
    state, refusals = _case_and_refusals(db_path, case_id)
    assert state == ("referred", "none")
    assert refusals == [
        "Sam Reyes (school resource officer): close a case",
        "Sam Reyes (school resource officer): set the diversion of a case",
    ]
    # And Dana (counselor) does both
    dana = ("--database", str(db_path), "--profile", "Dana Whitfield")
    assert (
        run_cli(
            "case", "divert", str(case_id), "--from", "suspension", *dana, CIRCLEKEEPER_PIN="1111"
        ).returncode
        == 0
    )
    done = run_cli(
        "case", "close", str(case_id), "--reason", "declined", *dana, CIRCLEKEEPER_PIN="1111"
    )
    assert done.returncode == 0, done.stderr
    assert _case_and_refusals(db_path, case_id)[0] == ("closed", "suspension")


def test_the_command_line_follows_the_mou_the_school_recorded(
    run_cli, school: tuple[Path, int]
) -> None:  # type: ignore[no-untyped-def]
    db_path, case_id = school
    # Given an MOU that lets the officer take part in discipline
    db = open_database(db_path)
    try:
        mou.save(
            Context(db.sessions, viewer=Viewer("Dana", ProfileRole.COUNSELOR)),
            mou.Mou(sro_in_discipline=True),
        )
    finally:
        db.close()
    # Then Sam's close is accepted
    result = run_cli(
        "case",
        "close",
        str(case_id),
        "--reason",
        "declined",
        "--database",
        str(db_path),
        "--profile",
        "Sam Reyes",
        CIRCLEKEEPER_PIN="2222",
    )
    assert result.returncode == 0, result.stderr
    assert _case_and_refusals(db_path, case_id) == (("closed", "none"), [])
