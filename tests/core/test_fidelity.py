"""The fidelity checklist: prefilled from the live record, completed by the keeper."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from circlekeeper.core.circles.rows import CirclePlan
from circlekeeper.core.evaluation.fidelity import FidelityService
from circlekeeper.core.operations import Context
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import AuditEvent, FidelityCheck

from .held import WHEN, held_circle, held_conference


def _prefilled(draft: object) -> dict[str, bool | None]:
    return {row.item: row.prefilled for row in draft.items}  # type: ignore[attr-defined]


def test_a_circle_ended_early_is_prefilled_from_what_happened(db: Database, tmp_path: Path) -> None:
    # Given a community circle ended after its check-in round, one member absent
    held = held_circle(db, tmp_path, stages_run=4)

    # When the keeper opens the checklist
    draft = FidelityService(Context(db.sessions, actor="Kim")).draft(held.circle_id)

    # Then what the record knows is answered, and what only the keeper knows is not
    assert _prefilled(draft) == {
        "opening": True,
        "confidentiality_limits": None,
        "guidelines": True,
        "talking_piece": True,
        "everyone_invited": True,
        "every_stage": False,
        "closing": False,
    }
    reasons = {row.item: row.reason for row in draft.items}
    assert reasons["every_stage"] == f"{held.stages - 4} of {held.stages} stages not reached."
    assert reasons["everyone_invited"] == "3 of 3 people present took a turn."
    assert not draft.completed and all(row.answer is None for row in draft.items)


def test_someone_present_who_never_had_the_piece_is_noticed(db: Database, tmp_path: Path) -> None:
    # Given a circle that ended after the guidelines (no round with the talking piece yet)
    held = held_circle(db, tmp_path, stages_run=1)
    draft = FidelityService(db.sessions).draft(held.circle_id)
    assert _prefilled(draft)["everyone_invited"] is False
    assert _prefilled(draft)["guidelines"] is False


def test_a_conference_asks_whether_everyone_was_prepared(db: Database, tmp_path: Path) -> None:
    held = held_conference(db, tmp_path, prepared=2)
    draft = FidelityService(db.sessions).draft(held.circle_id)
    found = _prefilled(draft)
    assert set(found) == {
        "opening",
        "confidentiality_limits",
        "everyone_invited",
        "every_stage",
        "closing",
        "participants_prepared",
    }
    assert found["participants_prepared"] is False
    assert {r.item: r.reason for r in draft.items}["participants_prepared"] == (
        "2 of 3 people had a preparation meeting."
    )
    assert found["every_stage"] is True and found["opening"] is True

    held.planner.set_preparation(held.members[2], pre_meeting_held=True)
    assert _prefilled(FidelityService(db.sessions).draft(held.circle_id))["participants_prepared"]


def test_completing_saves_every_answer_once_with_its_audit_line(
    db: Database, tmp_path: Path
) -> None:
    held = held_circle(db, tmp_path)
    service = FidelityService(Context(db.sessions, actor="Kim"))
    answers = {row.item: "yes" for row in service.draft(held.circle_id).items}
    answers["closing"] = "no"

    done = service.complete(held.circle_id, answers, note="Bell rang.", on=date(2026, 3, 2))

    assert done.completed and done.completed_by == "Kim" and done.note == "Bell rang."
    assert {r.item: r.answer for r in done.items} == answers
    with db.sessions() as session:
        row = session.scalars(select(FidelityCheck)).one()
        assert json.loads(row.answers) == answers
        assert json.loads(row.prefilled)["closing"] is False
        lines = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == "fidelity_check")
        ).all()
    assert lines == ["complete_fidelity"]

    # Completing again replaces the answers (one checklist per circle)
    service.complete(held.circle_id, {**answers, "closing": "yes"})
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(FidelityCheck)) == 1
        assert json.loads(session.scalars(select(FidelityCheck.answers)).one())["closing"] == "yes"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"closing": None}, "1 item\\(s\\) of the checklist are not answered yet"),
        ({"closing": "maybe"}, "Answer 'closing' with yes, no or n/a"),
        ({"agreement_signed": "yes"}, "no item 'agreement_signed'"),
    ],
)
def test_an_incomplete_or_wrong_checklist_is_refused_and_nothing_saved(
    db: Database, tmp_path: Path, change: dict[str, str | None], message: str
) -> None:
    held = held_circle(db, tmp_path)
    service = FidelityService(Context(db.sessions, actor="Kim"))
    answers: dict[str, str] = {row.item: "yes" for row in service.draft(held.circle_id).items}
    for key, value in change.items():
        if value is None:
            answers.pop(key)
        else:
            answers[key] = value
    with pytest.raises(InvalidInput, match=message + ".*Nothing was saved"):
        service.complete(held.circle_id, answers)
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(FidelityCheck)) == 0


def test_a_circle_not_yet_held_has_no_checklist(db: Database, tmp_path: Path) -> None:
    held = held_circle(db, tmp_path)
    planned = held.planner.plan(CirclePlan(kind="staff", scheduled_at=WHEN)).id
    with pytest.raises(InvalidInput, match="after the circle has been held; this one is planned"):
        FidelityService(db.sessions).draft(planned)


def test_a_held_circle_without_a_case_can_be_opened_again(db: Database, tmp_path: Path) -> None:
    # The summary the end of a circle stores is not an eligibility screen; its note counts
    # must not be read as the screen's notes (opening the plan of a held circle failed).
    held = held_circle(db, tmp_path)
    screen = held.planner.detail(held.circle_id).eligibility
    assert screen.answers is None and not screen.unreadable
