"""Helpers to run the real program as a subprocess with its own home folder."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.profiles.profiles import ProfileService
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.models import Note

Runner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_cli(tmp_path: Path) -> Runner:
    """Run ``python -m circlekeeper ARGS`` offscreen with CIRCLEKEEPER_HOME in tmp_path."""
    home = tmp_path / "cli-home"
    home.mkdir(exist_ok=True)

    def run(*args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
        environment = dict(os.environ, CIRCLEKEEPER_HOME=str(home), QT_QPA_PLATFORM="offscreen")
        environment.update(env)
        return subprocess.run(
            [sys.executable, "-m", "circlekeeper", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=environment,
            stdin=subprocess.DEVNULL,
        )

    run.home = home  # type: ignore[attr-defined]
    return run


# A conference with a private note, equity fields and two profiles, shared by the tests of
# what each profile's commands may write.
_spec = importlib.util.spec_from_file_location(
    "core_conference_fixtures_for_cli", Path(__file__).parents[1] / "core" / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_fixtures = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _fixtures
_spec.loader.exec_module(_fixtures)

PRIVATE_NOTE = "Mentioned trouble at home with the stepfather"
DEMOGRAPHICS = ("Zapotec-Mixtec heritage", "Genderfluid-kestrel")
SCHOOL_ONLY = "(he/him)"  # José's pronouns are printed on the school's copy only


@pytest.fixture
def school(db_target: Path | str) -> tuple[Path | str, int]:
    """A conference with a private note, equity fields, and profiles Dana (counselor), Sam (SRO)."""
    db = open_database(db_target)
    try:
        conference = _fixtures.build_conference(db)
        agreement_id = _fixtures.draft_with_items(conference, 2)
        people = PeopleService(db.sessions)
        jose = people.details(conference.jose).data
        people.update(
            conference.jose, replace(jose, race_ethnicity=DEMOGRAPHICS[0], gender=DEMOGRAPHICS[1])
        )
        with db.sessions.begin() as session:
            session.add(
                Note(
                    circle_id=conference.circle_id,
                    text=PRIVATE_NOTE,
                    privacy="private",
                    author="Dana Whitfield",
                )
            )
        profiles = ProfileService(db.sessions)
        dana = profiles.create("Dana Whitfield", pin="1111")
        profiles.create("Sam Reyes", "sro", pin="2222", approval=profiles.approve(dana.id, "1111"))
    finally:
        db.close()
    return db_target, agreement_id
