"""Today's slipping agreements, checked against the rule worked out in plain Python from rows.

The rule (one place: ``core/today/today.py``): an active agreement is slipping when one of its
items is past due and not completed, or when its follow-up date has passed and no follow-up of
the agreement itself (not one tied to an item) is done. The most urgent come first: the oldest
overdue item's due date, or else the passed follow-up date; ties by id. The reference below reads
every agreement, item and follow-up and applies that rule with no SQL at all.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from tests import query_plans

from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Agreement, AgreementItem, Case, FollowUp
from circlekeeper.core.today import at_risk
from circlekeeper.core.today.at_risk import AT_RISK_COUNT_LIMIT, AgreementAtRisk
from circlekeeper.core.today.today import TODAY_LIMIT, today_view

ZONE = ZoneInfo("America/New_York")
TODAY = date(2026, 3, 10)
STATUSES = ("active", "draft", "completed", "partially_completed", "not_completed", "superseded")


# How the first part of the page is read (core/today/at_risk.py): open items in due-date order;
# those, then the agreements in force ranked when the items read run out; or the agreements in
# force ranked from the start. Each must give the same page. (RANKED_UP_TO, ITEMS_READ_AT_MOST)
READINGS = {"items": (-1, 1000), "items, then ranked": (-1, 7), "ranked": (500, 1000)}


@pytest.fixture(params=list(READINGS))
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    ranked_up_to, read_at_most = READINGS[request.param]
    monkeypatch.setattr(at_risk, "RANKED_UP_TO", ranked_up_to)
    monkeypatch.setattr(at_risk, "ITEMS_READ_AT_MOST", read_at_most)
    return str(request.param)


def _now(day: date) -> datetime:
    return datetime.combine(day, time(11), tzinfo=ZONE)


@dataclass(frozen=True)
class Expected:
    at_risk: list[AgreementAtRisk]
    total: int


def _items_text(count: int, days: int) -> str:
    if count == 1:
        return (
            f"1 item is overdue (by {days} days)." if days != 1 else "1 item is overdue (by 1 day)."
        )
    if days == 1:
        return f"{count} items are overdue (the oldest by 1 day)."
    return f"{count} items are overdue (the oldest by {days} days)."


def _reference(db: Database, today: date) -> Expected:
    """Every slipping agreement in order, worked out from the rows in Python."""
    with db.sessions() as session:
        agreements = session.scalars(select(Agreement)).all()
        items = session.scalars(select(AgreementItem)).all()
        follow_ups = session.scalars(select(FollowUp)).all()
        found = []
        for agreement in agreements:
            if agreement.status != "active":
                continue
            overdue = [
                i.due_on
                for i in items
                if i.agreement_id == agreement.id
                and i.completed_on is None
                and i.due_on is not None
                and i.due_on < today
            ]
            done = any(
                f.agreement_id == agreement.id
                and f.agreement_item_id is None
                and f.status == "done"
                for f in follow_ups
            )
            follow_on = agreement.follow_up_on
            passed = follow_on is not None and follow_on < today and not done
            if not overdue and not passed:
                continue
            oldest = min(overdue) if overdue else None
            reasons = []
            if overdue:
                assert oldest is not None
                reasons.append(_items_text(len(overdue), (today - oldest).days))
            if passed:
                assert follow_on is not None
                reasons.append(
                    f"The follow-up date {follow_on.isoformat()} has passed with no follow-up done."
                )
            since = oldest if oldest is not None else follow_on
            found.append(
                (
                    since,
                    agreement.id,
                    AgreementAtRisk(
                        agreement.id,
                        agreement.case_id,
                        agreement.circle_id,
                        agreement.harm_summary,
                        len(overdue),
                        oldest,
                        follow_on,
                        reasons,
                    ),
                )
            )
    found.sort(key=lambda f: (f[0], f[1]))
    return Expected([f[2] for f in found[:TODAY_LIMIT]], len(found))


def _check(db: Database, today: date) -> Expected:
    expected = _reference(db, today)
    view = today_view(db.sessions, today, _now(today))
    assert view.at_risk == expected.at_risk
    if expected.total <= AT_RISK_COUNT_LIMIT:
        assert (view.more_at_risk, view.more_at_risk_capped) == (
            expected.total - len(expected.at_risk),
            False,
        )
    else:
        # Past the cap the count says only "more than": never a figure it did not count
        assert view.more_at_risk_capped
        assert len(view.at_risk) + view.more_at_risk == AT_RISK_COUNT_LIMIT
    return expected


def _edge_cases(db: Database) -> dict[str, int]:
    """One agreement for each edge of the rule, named."""

    def day(before: int) -> date:
        return TODAY - timedelta(days=before)

    with db.sessions.begin() as session:
        case = Case(referred_on=date(2026, 1, 5), incident_category="Conflict")
        session.add(case)
        session.flush()
        named = {
            # Both reasons; its follow-up date is older than its item, and the item orders it
            "both": Agreement(status="active", follow_up_on=day(20), harm_summary="both"),
            # Only completed items in the past, a follow-up date still to come: not slipping
            "kept": Agreement(status="active", follow_up_on=day(-3), harm_summary="kept"),
            # An item due today is not overdue yet, nor is a follow-up date of today
            "today": Agreement(status="active", follow_up_on=TODAY, harm_summary="today"),
            # A follow-up done for an item is not the agreement's own follow-up
            "item_done": Agreement(status="active", follow_up_on=day(6), harm_summary="item"),
            # The agreement's own follow-up done: the passed date no longer counts
            "own_done": Agreement(status="active", follow_up_on=day(6), harm_summary="own"),
            # An open or missed follow-up does not count as done
            "missed": Agreement(status="active", follow_up_on=day(4), harm_summary="missed"),
            # An item with no due date is never overdue
            "undated": Agreement(status="active", harm_summary="undated"),
            # Overdue items and a passed date, but not in force
            **{
                status: Agreement(status=status, follow_up_on=day(30), harm_summary=status)
                for status in STATUSES
                if status != "active"
            },
            # Ties: an item due the same day as another agreement's passed follow-up date
            "tie_item": Agreement(status="active", harm_summary="tie item"),
            "tie_date": Agreement(status="active", follow_up_on=day(9), harm_summary="tie date"),
        }
        session.add_all(named.values())
        session.flush()
        ids = {name: a.id for name, a in named.items()}

        def item(name: str, due: date | None, completed: date | None = None) -> AgreementItem:
            return AgreementItem(
                agreement_id=ids[name], action=name, due_on=due, completed_on=completed
            )

        session.add_all([
            item("both", day(5)), item("both", day(2)), item("both", day(8), day(9)),
            item("kept", day(10), day(11)), item("kept", day(3), day(1)),
            item("today", TODAY), item("today", day(-1)),
            item("undated", None),
            *(item(s, day(40)) for s in STATUSES if s != "active"),
            item("tie_item", day(9)),
        ])  # fmt: skip
        session.flush()
        item_done = item("item_done", day(1), day(0))
        session.add(item_done)
        session.flush()
        session.add_all([
            FollowUp(due_on=day(6), agreement_id=ids["item_done"],
                     agreement_item_id=item_done.id, status="done"),
            FollowUp(due_on=day(6), agreement_id=ids["own_done"], status="done"),
            FollowUp(due_on=day(4), agreement_id=ids["missed"], status="missed"),
            FollowUp(due_on=day(4), agreement_id=ids["missed"], status="open"),
            FollowUp(due_on=day(4), case_id=case.id, status="done"),
        ])  # fmt: skip
    return ids


def _many(db: Database, seed: int, count: int) -> None:
    """``count`` agreements drawn at random over a few weeks, so dates tie often."""
    rng = random.Random(seed)

    def some_day() -> date:
        return TODAY + timedelta(days=rng.randint(-25, 6))

    with db.sessions.begin() as session:
        agreements = [
            Agreement(
                status=rng.choice(("active",) * 5 + STATUSES),
                follow_up_on=None if rng.random() < 0.15 else some_day(),
                harm_summary=f"Harm {n}",
            )
            for n in range(count)
        ]
        session.add_all(agreements)
        session.flush()
        for agreement in agreements:
            items = []
            for _ in range(rng.randint(0, 4)):
                due = None if rng.random() < 0.05 else some_day()
                done = rng.random() < 0.35
                items.append(
                    AgreementItem(
                        agreement_id=agreement.id,
                        action="Make it right",
                        due_on=due,
                        completed_on=(due or TODAY) + timedelta(days=1) if done else None,
                    )
                )
            session.add_all(items)
            session.flush()
            for _ in range(rng.randint(0, 2)):
                tied = items and rng.random() < 0.4
                session.add(
                    FollowUp(
                        due_on=some_day(),
                        agreement_id=agreement.id,
                        agreement_item_id=rng.choice(items).id if tied else None,
                        status=rng.choice(("open", "done", "done", "missed", "cancelled")),
                    )
                )


def test_the_edges_of_the_rule(db: Database, reading: str) -> None:
    # Given one agreement at each edge of the rule
    ids = _edge_cases(db)
    # When Today is built
    expected = _check(db, TODAY)
    # Then the list is the reference's, and the reference itself reads the edges right
    listed = [a.id for a in expected.at_risk]
    assert listed == [
        ids["tie_item"],
        ids["tie_date"],
        ids["item_done"],
        ids["both"],
        ids["missed"],
    ]
    both = expected.at_risk[3]
    assert both.reasons == [
        "2 items are overdue (the oldest by 5 days).",
        f"The follow-up date {(TODAY - timedelta(20)).isoformat()} has passed with no "
        "follow-up done.",
    ]
    assert expected.at_risk[2].reasons == [
        f"The follow-up date {(TODAY - timedelta(6)).isoformat()} has passed with no "
        "follow-up done."
    ]


@pytest.mark.parametrize("shift", [-12, -5, 0, 4])
def test_many_agreements_match_the_reference_on_any_day(
    db: Database, reading: str, shift: int
) -> None:
    # Given more slipping agreements than Today lists, their dates tied often, and the edges
    _edge_cases(db)
    _many(db, seed=15, count=220)
    # When Today is built on a day before, on or after most of their dates
    expected = _check(db, TODAY + timedelta(days=shift))
    # Then it lists the reference's most urgent in its order and counts the rest
    if shift >= 0:
        assert expected.total > TODAY_LIMIT


def test_closed_agreements_open_items_ahead_of_the_active_ones(db: Database, reading: str) -> None:
    # Given many closed agreements whose open items fell due before any active one's, and an
    # active agreement with many overdue items of its own
    with db.sessions.begin() as session:
        closed = [Agreement(status="not_completed") for _ in range(60)]
        active = [Agreement(status="active", follow_up_on=TODAY - timedelta(1)) for _ in range(60)]
        session.add_all(closed + active)
        session.flush()
        for n, agreement in enumerate(closed):
            for k in range(5):
                session.add(
                    AgreementItem(
                        agreement_id=agreement.id,
                        action="Late",
                        due_on=TODAY - timedelta(days=300 - n - k),
                    )
                )
        for _ in range(700):
            session.add(
                AgreementItem(
                    agreement_id=active[0].id, action="Many", due_on=TODAY - timedelta(days=200)
                )
            )
        for n, agreement in enumerate(active[1:], start=1):
            session.add(
                AgreementItem(
                    agreement_id=agreement.id,
                    action="Late",
                    due_on=TODAY - timedelta(days=100 - n % 7),
                )
            )
    # Then Today still lists exactly the reference's
    expected = _check(db, TODAY)
    assert expected.at_risk[0].id == active[0].id and expected.at_risk[0].overdue_items == 700


def test_past_the_cap_the_count_says_more_than(
    db: Database, monkeypatch: pytest.MonkeyPatch, reading: str
) -> None:
    # Given more slipping agreements than the count goes to (the cap made small for the test)
    monkeypatch.setattr(at_risk, "AT_RISK_COUNT_LIMIT", 70)
    with db.sessions.begin() as session:
        late = [Agreement(status="active") for _ in range(60)]
        passed = [Agreement(status="active", follow_up_on=TODAY - timedelta(3)) for _ in range(20)]
        session.add_all(late + passed)
        session.flush()
        for agreement in late:
            session.add(
                AgreementItem(agreement_id=agreement.id, action="Fix", due_on=TODAY - timedelta(2))
            )
    # When Today is built
    view = today_view(db.sessions, TODAY, _now(TODAY))
    # Then it lists the most urgent and says only that there are more than the cap
    assert view.at_risk == _reference(db, TODAY).at_risk
    assert (len(view.at_risk), view.more_at_risk, view.more_at_risk_capped) == (50, 20, True)
    # And at the cap exactly, the count is exact
    with db.sessions.begin() as session:
        for agreement in passed[10:]:
            session.add(FollowUp(due_on=TODAY, agreement_id=agreement.id, status="done"))
    view = today_view(db.sessions, TODAY, _now(TODAY))
    assert (view.more_at_risk, view.more_at_risk_capped) == (20, False)


def test_the_streams_read_their_indexes_in_order(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(at_risk, "RANKED_UP_TO", -1)
    # Given slipping agreements of both kinds, and more overdue items than one step reads
    _edge_cases(db)
    _many(db, seed=3, count=150)
    # When Today is built
    statements = query_plans.statements(db, lambda: today_view(db.sessions, TODAY, _now(TODAY)))
    # Then open items are read in due-date order from their index, never all of them sorted
    items = [s for s in statements if "ORDER BY agreement_item.due_on" in s[0]]
    passed = [s for s in statements if "ORDER BY agreement.follow_up_on" in s[0]]
    assert items and passed
    for statement, parameters in items:
        plan = query_plans.plan(db, statement, parameters)
        assert "ix_agreement_item_open_due" in plan, plan
        if db.engine.dialect.name == "sqlite":
            assert "TEMP B-TREE" not in plan, plan
    # And the passed follow-up dates in date order from theirs
    for statement, parameters in passed:
        plan = query_plans.plan(db, statement, parameters)
        assert "ix_agreement_status_follow_up_on" in plan, plan
        if db.engine.dialect.name == "sqlite":
            assert "TEMP B-TREE" not in plan, plan


def test_past_its_reading_the_page_comes_from_the_agreements_in_force(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given more open items ahead in due-date order than the first stream reads
    monkeypatch.setattr(at_risk, "RANKED_UP_TO", -1)
    monkeypatch.setattr(at_risk, "ITEMS_READ_AT_MOST", 3)
    _edge_cases(db)
    _many(db, seed=3, count=150)
    # When Today is built
    statements = query_plans.statements(db, lambda: _check(db, TODAY))
    # Then the agreements in force are ranked by their oldest overdue item, and on SQLite each
    # is asked inside its own index (PostgreSQL's planner picks with its statistics)
    ranked = [s for s in statements if "GROUP BY agreement_item.agreement_id" in s[0]]
    assert len(ranked) == 1
    if db.engine.dialect.name == "sqlite":
        plan = query_plans.plan(db, *ranked[0])
        assert "ix_agreement_item_agreement_due" in plan, plan
