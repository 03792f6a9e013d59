"""The ``fidelity`` and ``surveys`` reports, with every figure recomputed from the rows."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from tests.core.held import held_circle, held_conference

from circlekeeper.core.evaluation.fidelity import FidelityService
from circlekeeper.core.evaluation.surveys import SurveyService, new_sheet
from circlekeeper.core.operations import Context
from circlekeeper.core.profiles.profiles import Viewer
from circlekeeper.core.reports.engine import build_report
from circlekeeper.core.reports.model import Report
from circlekeeper.core.store.database import Database

MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}
COUNSELOR = Viewer("Kim", "counselor")
ANSWERS = ("yes", "somewhat", "no", None)


@pytest.fixture
def evaluated(db: Database, tmp_path: Path) -> Database:
    """Three community circles and a conference held in March 2026, with checklists and
    surveys: 12 answers after one circle, 4 after another, 3 after the conference."""
    fidelity = FidelityService(Context(db.sessions, actor="Kim"))
    surveys = SurveyService(Context(db.sessions, actor="Kim"))
    big = held_circle(db, tmp_path / "a", members=12, absent=0)
    small = held_circle(db, tmp_path / "b", members=4, absent=0, stages_run=8)
    held_circle(db, tmp_path / "c", members=3, absent=0)  # no checklist, no survey
    conference = held_conference(db, tmp_path / "d", prepared=3)
    for held, closing in ((big, "no"), (small, "yes"), (conference, "n/a")):
        answers = {r.item: "yes" for r in fidelity.draft(held.circle_id).items}
        answers["closing"] = closing
        answers["opening"] = "no" if held is big else "yes"
        fidelity.complete(held.circle_id, answers)
    for held, n in ((big, 12), (small, 4), (conference, 3)):
        sitting = surveys.open_sitting(held.circle_id)
        for i in range(n):
            sheet = {
                "heard": ANSWERS[i % 3],
                "safe": ANSWERS[(i + 1) % 4],
                "fair": ANSWERS[i % 2],
                "again": "yes",
            }
            surveys.answer(sitting.id, new_sheet(), sheet)
        surveys.close_sitting(sitting.id)
    return db


def _raw(path: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _value(report: Report, section: str, group: str, measure: str) -> float | None:
    return report.section(section).cell(group, measure).value


def test_the_fidelity_report_matches_the_checklists_in_the_file(
    evaluated: Database, db_path: Path
) -> None:
    report = build_report("fidelity", evaluated.sessions, **MARCH)  # type: ignore[arg-type]

    # Recomputed straight from the tables, without the services or the engine
    held = Counter(
        kind for (kind,) in _raw(db_path, "SELECT kind FROM circle WHERE status = 'completed'")
    )
    rows = _raw(
        db_path,
        "SELECT c.kind, f.answers FROM fidelity_check f JOIN circle c ON c.id = f.circle_id",
    )
    for kind in [*held, "all"]:
        mine = [json.loads(a) for k, a in rows if kind in ("all", k)]
        values = [v for answers in mine for v in answers.values() if v != "n/a"]
        circles = sum(held.values()) if kind == "all" else held[kind]
        assert _value(report, "fidelity_by_kind", kind, "held") == circles
        assert _value(report, "fidelity_by_kind", kind, "checked") == len(mine)
        assert _value(report, "fidelity_by_kind", kind, "checked_share") == pytest.approx(
            100 * len(mine) / circles
        )
        assert _value(report, "fidelity_by_kind", kind, "kept_share") == pytest.approx(
            100 * values.count("yes") / len(values)
        )
    assert held == {"community_building": 3, "conference": 1}
    for item in ("opening", "closing", "participants_prepared", "guidelines"):
        given = [json.loads(a)[item] for _k, a in rows if item in json.loads(a)]
        applied = [g for g in given if g != "n/a"]
        assert _value(report, "fidelity_by_item", item, "applied") == len(applied)
        assert _value(report, "fidelity_by_item", item, "kept") == applied.count("yes")
    # The conference's closing was not applicable: two checklists had a closing to keep
    assert _value(report, "fidelity_by_item", "closing", "applied") == 2
    assert _value(report, "fidelity_by_item", "closing", "kept") == 1


def test_the_surveys_report_matches_the_answers_and_hides_small_groups(
    evaluated: Database, db_path: Path
) -> None:
    inside = build_report(
        "surveys", evaluated.sessions, viewer=COUNSELOR, unsuppressed=True, **MARCH
    )  # type: ignore[arg-type]
    published = build_report("surveys", evaluated.sessions, **MARCH)  # type: ignore[arg-type]

    # Recomputed straight from the tables
    answers = _raw(db_path, "SELECT heard, safe, fair, again FROM survey_response")
    for index, question in enumerate(("heard", "safe", "fair", "again")):
        given = Counter(row[index] for row in answers if row[index] is not None)
        total = sum(given.values())
        assert _value(inside, "surveys_by_question", question, "answered") == total
        for answer in ("yes", "somewhat", "no"):
            assert _value(inside, "surveys_by_question", question, answer) == given[answer]
        assert _value(inside, "surveys_by_question", question, "yes_share") == pytest.approx(
            100 * given["yes"] / total
        )
    per_kind = dict(
        _raw(
            db_path,
            "SELECT c.kind, count(r.id) FROM survey_response r "
            "JOIN survey_sitting s ON s.id = r.sitting_id JOIN circle c ON c.id = s.circle_id "
            "GROUP BY c.kind",
        )
    )
    asked = dict(
        _raw(
            db_path,
            "SELECT c.kind, sum(s.expected) FROM survey_sitting s "
            "JOIN circle c ON c.id = s.circle_id GROUP BY c.kind",
        )
    )
    assert per_kind == {"community_building": 16, "conference": 3}
    for kind in per_kind:
        assert _value(inside, "surveys_by_kind", kind, "answered") == per_kind[kind]
        assert _value(inside, "surveys_by_kind", kind, "asked") == asked[kind]
    assert _value(inside, "surveys_by_kind", "all", "answered") == 19

    # Published: three conference answers are too few to show, and the community figure goes
    # too, or 19 - 16 would give the three away
    kind = published.section("surveys_by_kind")
    assert kind.cell("conference", "answered").suppressed
    assert kind.cell("conference", "answered_share").suppressed
    assert kind.cell("community_building", "answered").suppressed
    assert kind.cell("all", "answered").value == 19
    # Within a statement: a small answer count is hidden with another, so none can be
    # worked out from the number who answered
    by_question = published.section("surveys_by_question")
    for question in ("heard", "safe", "fair", "again"):
        hidden = [a for a in ("yes", "somewhat", "no") if by_question.cell(question, a).suppressed]
        assert len(hidden) != 1, question
        for answer in ("yes", "somewhat", "no"):
            value = by_question.cell(question, answer).value
            assert value is None or value == 0 or value >= 10


def test_a_period_with_no_surveys_says_so_plainly(evaluated: Database) -> None:
    report = build_report(
        "surveys", evaluated.sessions, start=date(2025, 9, 1), end=date(2025, 9, 30)
    )
    assert report.is_empty and report.sections == ()
    assert report.empty_message is not None and "Nothing was recorded" in report.empty_message.en
