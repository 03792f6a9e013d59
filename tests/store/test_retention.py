"""Retention: preview, then purge or anonymise old closed cases; the purge itself is audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from tests.store.seed import NOTE_TEXT, plain_contents, seed

from circlekeeper.core.services import InvalidInput
from circlekeeper.core.services.retention import (
    REMOVED,
    apply_retention,
    preview_retention,
    retention_years,
    set_retention_years,
)
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    AuditEvent,
    Case,
    CaseParty,
    Circle,
    Note,
    Participant,
    Person,
)

TODAY = date(2026, 6, 1)


def _count(db: Database, model: type) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_preview_lists_only_old_closed_cases_with_their_counts(db: Database) -> None:
    old = seed(db, closed_on=date(2019, 3, 1), tag="old")
    seed(db, closed_on=date(2025, 3, 1), tag="recent")
    seed(db, tag="open")
    due = preview_retention(db.sessions, 5, TODAY)
    assert [c.case_id for c in due] == [old["case"]]
    assert (due[0].circles, due[0].agreements, due[0].notes) == (1, 1, 1)
    with pytest.raises(InvalidInput):
        preview_retention(db.sessions, 0, TODAY)


def test_purge_removes_the_case_and_its_records_and_audits_without_content(db: Database) -> None:
    old = seed(db, closed_on=date(2019, 3, 1), tag="old")
    kept = seed(db, closed_on=date(2025, 3, 1), tag="recent")
    due = preview_retention(db.sessions, 5, TODAY)
    result = apply_retention(
        db.sessions, 5, TODAY, mode="purge", actor="Admin", case_ids=[c.case_id for c in due]
    )
    assert (result.cases, result.circles, result.agreements, result.notes) == (1, 1, 1, 1)
    with db.sessions() as session:
        assert session.get(Case, old["case"]) is None
        assert session.get(Circle, old["circle"]) is None
        assert session.get(Agreement, old["agreement"]) is None
        assert session.get(Case, kept["case"]) is not None
        assert session.get(Person, old["person"]) is not None  # people stay on the roster
        notes = session.scalars(select(Note.text)).all()
    assert notes == [f"{NOTE_TEXT} recent"]
    with db.sessions() as session:
        purge = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "retention_purge")
        ).one()
    assert purge.actor == "Admin" and NOTE_TEXT not in purge.detail and '"cases": 1' in purge.detail
    # The search index forgot the purged text too.
    rows = plain_contents(db.path)["search_index"]
    assert not any("old" in str(r) and NOTE_TEXT.split()[0] in str(r) for r in rows)


def test_anonymise_keeps_the_records_for_counting_but_no_text_or_people(db: Database) -> None:
    old = seed(db, closed_on=date(2019, 3, 1), tag="old")
    apply_retention(db.sessions, 5, TODAY, mode="anonymise")
    with db.sessions() as session:
        case = session.get(Case, old["case"])
        assert case is not None and case.description == REMOVED
        assert session.scalars(select(Note.text)).all() == [REMOVED]
        assert session.scalar(select(Agreement.harm_summary)) == REMOVED
        assert session.scalar(select(AgreementItem.action)) == REMOVED
        assert session.scalar(select(AgreementItem.responsible_id)) is None
    assert _count(db, CaseParty) == 0 and _count(db, Participant) == 0


def test_only_previewed_cases_are_acted_on_and_the_setting_is_kept(db: Database) -> None:
    seed(db, closed_on=date(2019, 3, 1), tag="old")
    result = apply_retention(db.sessions, 5, TODAY, case_ids=[])
    assert result.cases == 0 and _count(db, Case) == 1
    assert retention_years(db.sessions) is None
    set_retention_years(db.sessions, 7, actor="Admin")
    assert retention_years(db.sessions) == 7
