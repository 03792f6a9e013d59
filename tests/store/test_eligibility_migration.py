"""Migration 0005 turns both old eligibility formats into the one screen, losing no answer."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config

from circlekeeper.core.cases.eligibility import EligibilityService
from circlekeeper.core.domain.eligibility import Eligibility, decode, from_stored
from circlekeeper.core.paths import migrations_dir
from circlekeeper.core.store.database import open_database

BEFORE = "0004_person_directory_index"
STAMP = "2026-01-01T00:00:00+00:00"

# The case page's format: every answer it could hold.
CASE_PAGE = {
    "responsibility_admitted": True,
    "participation_voluntary": False,
    "guardian_consent": None,
    "weapons": False,
    "sexual_harm": True,
    "serious_injury": False,
    "credible_threat": True,
    "title_ix": True,
    "child_protection": False,
    "police_matter": True,
    "notes": "Títle IX coordinator told on Monday",
}
# The panel's format, as it overwrote a case screen or sat in a conference's summary.
PANEL = {
    "responsibility_admitted": True,
    "weapons": True,
    "sexual_harm": False,
    "serious_injury": True,
    "credible_threat": False,
    "must_refer": True,
    "notes": "Panel notes",
    "answered": True,
}


def _config(path: Path) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    return config


def _case(conn: sqlite3.Connection, number: int, screen: object) -> None:
    text = screen if isinstance(screen, str) or screen is None else json.dumps(screen)
    conn.execute(
        "INSERT INTO case_file (id, uuid, created_at, updated_at, referred_on, referral_source,"
        " incident_category, description, status, diverted_from, consequence_reinstated,"
        " eligibility) VALUES (?, ?, ?, ?, '2026-01-02', 'teacher', 'Conflict', '', 'screened',"
        " 'none', 0, ?)",
        (number, f"case-{number}", STAMP, STAMP, text),
    )


def _circle(conn: sqlite3.Connection, number: int, case_id: int | None, summary: object) -> None:
    conn.execute(
        "INSERT INTO circle (id, uuid, created_at, updated_at, kind, title, purpose, status,"
        " case_id, summary) VALUES (?, ?, ?, ?, 'conference', 'Conference', '', 'planned', ?, ?)",
        (number, f"circle-{number}", STAMP, STAMP, case_id, json.dumps(summary)),
    )


def test_both_old_formats_are_converted_without_losing_an_answer(tmp_path: Path) -> None:
    # Given a database at the previous revision holding every old shape of the screen
    path = tmp_path / "old.sqlite3"
    config = _config(path)
    command.upgrade(config, BEFORE)
    with sqlite3.connect(path) as conn:
        _case(conn, 1, CASE_PAGE)  # screened on the case page
        _case(conn, 2, PANEL)  # the panel wrote over the case's screen
        _case(conn, 3, None)  # not screened
        _case(conn, 4, {**CASE_PAGE, "weapons": True, "title_ix": False})  # screened, and
        _circle(conn, 40, 4, {"eligibility": {**PANEL, "must_refer": False, "weapons": False}})
        _case(conn, 5, None)  # a linked conference kept the only screen
        _circle(conn, 50, 5, {"eligibility": PANEL})
        _circle(conn, 60, None, {"eligibility": PANEL, "duration_seconds": 1800})  # on its own
        _circle(conn, 70, None, {"duration_seconds": 60})  # ended, never screened
        _case(conn, 8, "not json")  # damaged: left exactly as it was
        _case(conn, 9, {"responsibility_admitted": False, "answered": True})  # panel, unticked
        _case(conn, 10, {"responsibility_admitted": False, "answered": False})  # never filled

    # When it is upgraded
    command.upgrade(config, "head")

    with sqlite3.connect(path) as conn:
        cases = dict(conn.execute("SELECT id, eligibility FROM case_file"))
        summaries = dict(conn.execute("SELECT id, summary FROM circle"))
    # Then the case page's answers are all there, the Title IX flag first of all
    assert decode(cases[1]) == Eligibility(
        responsibility_admitted=True,
        participation_voluntary=False,
        guardian_consent=None,
        sexual_harm=True,
        credible_threat=True,
        title_ix=True,
        police_matter=True,
        notes="Títle IX coordinator told on Monday",
    )
    # The panel's answers too: its one referral box is kept as an unspecified referral
    panel = Eligibility(
        responsibility_admitted=True,
        weapons=True,
        serious_injury=True,
        referral_unspecified=True,
        notes="Panel notes",
    )
    assert decode(cases[2]) == panel
    assert cases[3] is None
    # A case and its conference that each kept a screen now share one holding both
    both = decode(cases[4])
    assert both is not None
    assert both.weapons and both.sexual_harm and both.credible_threat and both.police_matter
    assert both.serious_injury and not both.title_ix
    assert both.participation_voluntary is False  # a refusal is never turned into a yes
    assert both.notes == "Títle IX coordinator told on Monday / Panel notes"
    assert "eligibility" not in json.loads(summaries[40] or "{}")
    assert decode(cases[5]) == panel and summaries[50] is None
    # A conference on its own keeps its screen, in the new format, beside its summary
    alone = json.loads(summaries[60])
    assert from_stored(alone["eligibility"]) == panel and alone["duration_seconds"] == 1800
    assert json.loads(summaries[70]) == {"duration_seconds": 60}
    assert cases[8] == "not json"
    assert decode(cases[9]) == Eligibility()  # an unticked box did not say "no"
    assert cases[10] is None

    # And the program reads them: the exclusions still stop the cases
    db = open_database(path)
    try:
        screens = EligibilityService(db.sessions)
        for case_id in (1, 2, 4, 5):
            assert screens.for_case(case_id).verdict.blocked
        assert screens.for_circle(60).verdict.blocked
        assert screens.for_case(8).unreadable
    finally:
        db.close()


def test_downgrade_keeps_the_answers_in_the_old_formats(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    config = _config(path)
    command.upgrade(config, BEFORE)
    with sqlite3.connect(path) as conn:
        _case(conn, 1, CASE_PAGE)
        _circle(conn, 60, None, {"eligibility": PANEL})
    command.upgrade(config, "head")
    command.downgrade(config, BEFORE)
    with sqlite3.connect(path) as conn:
        case = json.loads(conn.execute("SELECT eligibility FROM case_file").fetchone()[0])
        summary = json.loads(conn.execute("SELECT summary FROM circle").fetchone()[0])
    assert case == CASE_PAGE
    assert summary["eligibility"] == PANEL
