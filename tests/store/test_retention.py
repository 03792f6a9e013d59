"""Retention: preview, then purge or anonymise old closed cases; the purge itself is audited."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select, text
from tests.store.seed import NOTE_TEXT, seed

from circlekeeper.core.operations import Context
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.retention.retention import (
    REMOVED,
    apply_retention,
    cutoff,
    plan_retention,
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
        Context(db.sessions, actor="Admin"),
        5,
        TODAY,
        mode="purge",
        case_ids=[c.case_id for c in due],
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
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT kind, ref_id, title, body FROM search_index")).all()
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
    set_retention_years(Context(db.sessions, actor="Admin"), 7)
    assert retention_years(db.sessions) == 7


# -- the cut-off at its edges ------------------------------------------------------------------
# A record is due from the N-th anniversary of its day: an off-by-one-day or off-by-one-year
# cut-off fails one of these.


def _closed_case(db: Database, closed_on: date) -> int:
    with db.sessions.begin() as session:
        case = Case(
            referred_on=closed_on,
            incident_category="conflict",
            status="closed",
            closed_on=closed_on,
        )
        session.add(case)
        session.flush()
        return case.id


def _due(db: Database, years: int, today: date) -> bool:
    return bool(preview_retention(db.sessions, years, today))


@pytest.mark.parametrize(
    ("closed_on", "due"),
    [
        (date(2021, 6, 1), True),  # exactly 5 years ago: due on the anniversary
        (date(2021, 5, 31), True),  # 5 years and a day ago
        (date(2021, 6, 2), False),  # a day short of 5 years
        (date(2022, 6, 1), False),  # exactly 4 years ago: a year early
        (date(2022, 5, 31), False),
    ],
)
def test_a_case_is_due_from_the_nth_anniversary_of_its_closing(
    db: Database, closed_on: date, due: bool
) -> None:
    _closed_case(db, closed_on)
    assert _due(db, 5, TODAY) is due


@pytest.mark.parametrize(
    ("years", "last_kept_day", "first_due_day"),
    [
        (1, date(2021, 2, 28), date(2021, 3, 1)),
        (2, date(2022, 2, 28), date(2022, 3, 1)),
        (4, date(2024, 2, 28), date(2024, 2, 29)),
    ],
)
def test_a_case_closed_on_29_february_is_due_on_1_march_or_the_next_29_february(
    db: Database, years: int, last_kept_day: date, first_due_day: date
) -> None:
    _closed_case(db, date(2020, 2, 29))
    assert not _due(db, years, last_kept_day)
    assert _due(db, years, first_due_day)
    assert cutoff(years, first_due_day) >= date(2020, 2, 29) > cutoff(years, last_kept_day)


def test_on_29_february_a_case_closed_on_28_february_a_year_before_is_due(db: Database) -> None:
    kept = _closed_case(db, date(2023, 3, 1))
    due = _closed_case(db, date(2023, 2, 28))
    found = [c.case_id for c in preview_retention(db.sessions, 1, date(2024, 2, 29))]
    assert found == [due] and kept not in found


@pytest.mark.parametrize(
    ("day", "due"),
    [(date(2021, 6, 1), True), (date(2021, 5, 31), True), (date(2021, 6, 2), False)],
)
def test_loose_circles_and_people_who_left_share_the_same_edge(
    db: Database, day: date, due: bool
) -> None:
    # A circle tied to no case that ended late in the evening, and a student archived then
    late = datetime.combine(day, time(23, 30), UTC)
    with db.sessions.begin() as session:
        session.add(Circle(kind="check_in", status="completed", scheduled_at=late, ended_at=late))
        session.add(Person(first_name="Rowan", last_name="Left", archived_at=late))
    plan = plan_retention(db.sessions, 5, TODAY)
    assert (len(plan.circles), len(plan.people)) == ((1, 1) if due else (0, 0))


def test_a_circle_left_running_and_a_current_student_are_never_due(db: Database) -> None:
    long_ago = datetime(2010, 1, 5, 10, tzinfo=UTC)
    with db.sessions.begin() as session:
        session.add(Circle(kind="check_in", status="in_progress", scheduled_at=long_ago))
        session.add(Person(first_name="Still", last_name="Here", created_at=long_ago))
        session.add(
            Person(kind="staff", first_name="Left", last_name="Staff", archived_at=long_ago)
        )
    assert plan_retention(db.sessions, 5, TODAY).empty
