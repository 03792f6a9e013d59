"""Anonymous participant surveys: one answer per person, nothing that links it to them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from circlekeeper.core.circles.rows import CirclePlan
from circlekeeper.core.evaluation.surveys import SurveyService, new_sheet
from circlekeeper.core.operations import Context
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import AuditEvent, SurveyResponse

from .held import WHEN, held_circle

ALL_YES = {"heard": "yes", "safe": "yes", "fair": "yes", "again": "yes"}


def _responses(db: Database) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(SurveyResponse)) or 0)


def test_a_sitting_takes_one_answer_from_each_person_present(db: Database, tmp_path: Path) -> None:
    # Given a circle held with three of its four members present
    held = held_circle(db, tmp_path, members=4, absent=1)
    surveys = SurveyService(Context(db.sessions, actor="Kim"))

    # When the laptop goes round
    sitting = surveys.open_sitting(held.circle_id)
    assert (sitting.expected, sitting.answered) == (3, 0)
    surveys.answer(sitting.id, new_sheet(), ALL_YES)
    surveys.answer(sitting.id, new_sheet(), {"heard": "somewhat", "safe": "no", "again": None})
    last = surveys.answer(sitting.id, new_sheet(), {"fair": "no"})

    # Then every answer counts once, a skipped question counts as skipped
    assert (last.answered, last.remaining) == (3, 0)
    tally = surveys.tally(held.circle_id)
    assert tally.responses == 3
    assert tally.counts["heard"] == {"yes": 1, "somewhat": 1, "no": 0, "skipped": 1}
    assert tally.counts["fair"] == {"yes": 1, "somewhat": 0, "no": 1, "skipped": 1}

    # And a fourth answer is refused: everyone present has answered
    with pytest.raises(InvalidInput, match="All 3 people present have already answered"):
        surveys.answer(sitting.id, new_sheet(), ALL_YES)
    assert _responses(db) == 3


def test_the_same_form_sent_twice_is_refused(db: Database, tmp_path: Path) -> None:
    held = held_circle(db, tmp_path)
    surveys = SurveyService(db.sessions)
    sitting = surveys.open_sitting(held.circle_id)
    sheet = new_sheet()
    surveys.answer(sitting.id, sheet, ALL_YES)
    with pytest.raises(InvalidInput, match="already answered, so it was not saved again"):
        surveys.answer(sitting.id, sheet, {"heard": "no"})
    assert _responses(db) == 1
    assert surveys.tally(held.circle_id).counts["heard"]["yes"] == 1


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({}, "No question was answered, so nothing was saved"),
        ({"heard": None}, "No question was answered"),
        ({"heard": "always"}, "Answer 'heard' with yes, somewhat or no"),
        ({"name": "Ali"}, "no question 'name'"),
    ],
)
def test_a_bad_form_is_refused_and_nothing_saved(
    db: Database, tmp_path: Path, answers: dict[str, str | None], message: str
) -> None:
    held = held_circle(db, tmp_path)
    surveys = SurveyService(db.sessions)
    sitting = surveys.open_sitting(held.circle_id)
    with pytest.raises(InvalidInput, match=message):
        surveys.answer(sitting.id, new_sheet(), answers)
    assert _responses(db) == 0


def test_nothing_in_the_file_links_an_answer_to_a_person_or_a_moment(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    # Given answers handed in one after the other
    held = held_circle(db, tmp_path, members=6, absent=0)
    surveys = SurveyService(Context(db.sessions, actor="Kim"))
    sitting = surveys.open_sitting(held.circle_id)
    for _ in range(6):
        surveys.answer(sitting.id, new_sheet(), ALL_YES)
    surveys.close_sitting(sitting.id)

    # Then the response table has no person, no time, and keys that do not count up
    raw = sqlite3.connect(db_path)
    columns = [row[1] for row in raw.execute("PRAGMA table_info(survey_response)")]
    keys = [row[0] for row in raw.execute("SELECT id FROM survey_response ORDER BY rowid")]
    raw.close()
    assert columns == ["id", "uuid", "sitting_id", "heard", "safe", "fair", "again"]
    assert min(keys) > 6  # drawn at random, not 1, 2, 3...

    # And the audit trail says a round opened and closed, never one line per answer
    with db.sessions() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == "survey_sitting")
        ).all()
        assert not session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "survey_response")
        ).all()
    assert actions == ["open_survey", "close_survey"]


def test_a_closed_round_takes_no_more_answers(db: Database, tmp_path: Path) -> None:
    held = held_circle(db, tmp_path)
    surveys = SurveyService(db.sessions)
    sitting = surveys.open_sitting(held.circle_id, "paper")
    surveys.answer(sitting.id, new_sheet(), ALL_YES)
    assert surveys.close_sitting(sitting.id).closed
    with pytest.raises(InvalidInput, match="This round of surveys is closed"):
        surveys.answer(sitting.id, new_sheet(), ALL_YES)
    assert _responses(db) == 1


def test_a_survey_waits_for_the_circle_to_be_held(db: Database, tmp_path: Path) -> None:
    held = held_circle(db, tmp_path)
    planned = held.planner.plan(CirclePlan(kind="staff", scheduled_at=WHEN)).id
    with pytest.raises(InvalidInput, match="after the circle has been held"):
        SurveyService(db.sessions).open_sitting(planned)
    with pytest.raises(InvalidInput, match="on the laptop or on paper"):
        SurveyService(db.sessions).open_sitting(held.circle_id, "email")
