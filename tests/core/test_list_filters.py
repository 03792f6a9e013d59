"""The Cases and Agreements lists' search and filters, read in core (on both engines).

What each test expects is worked out from the seeded records (tests/core/list_seed.py).
"""

from __future__ import annotations

from datetime import date

import pytest
from tests.core.list_seed import CASES, HILLSIDE, LAKEVIEW, school_year, seed_lists

from circlekeeper.core.agreements.listing import agreement_lines
from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.list_filter import ListFilter
from circlekeeper.core.operations import Context
from circlekeeper.core.store.database import Database

TODAY = date(2026, 3, 1)


@pytest.fixture
def seeded(db: Database) -> tuple[Database, dict[str, object]]:
    return db, seed_lists(db)


def _expected(**wanted: object) -> list[int]:
    """Positions in CASES that match, newest referral first."""
    found = []
    for n, seeded in enumerate(CASES):
        names = {seeded.responsible, seeded.harmed} - {None}
        if "year" in wanted and school_year(seeded.referred_on) != wanted["year"]:
            continue
        if "school" in wanted and seeded.school != wanted["school"]:
            continue
        if "incident" in wanted and seeded.incident != wanted["incident"]:
            continue
        if "name" in wanted and wanted["name"] not in names:
            continue
        found.append(n)
    return sorted(found, key=lambda n: CASES[n].referred_on, reverse=True)


def _ids(choices: list[tuple[int, str]], label: str) -> int:
    return next(value for value, text in choices if text == label)


def test_search_and_filters_narrow_the_case_list_newest_referral_first(seeded) -> None:
    db, made = seeded
    cases = CaseService(Context(db.sessions, actor="test"))
    case_ids: list[int] = made["cases"]  # type: ignore[assignment]
    choices = cases.list_choices()

    def listed(filters: ListFilter) -> list[int]:
        rows = cases.list_cases(filters=filters)
        assert cases.count_cases(filters=filters) == len(rows)
        return [row.id for row in rows]

    def expect(**wanted: object) -> list[int]:
        return [case_ids[n] for n in _expected(**wanted)]

    # Everything, in the stated order
    assert listed(ListFilter()) == expect()
    # A name typed without its accent, in any case, finds the person's cases (harmed ones too)
    assert listed(ListFilter(text="NUNEZ")) == expect(name="Chloé")
    assert listed(ListFilter(text="ben")) == expect(name="Ben")
    # A case number, with or without "#"
    assert listed(ListFilter(text=f"#{case_ids[1]}")) == [case_ids[1]]
    # Filters combine with each other and with the words
    year = school_year(CASES[3].referred_on)
    hillside = _ids(choices.schools, HILLSIDE)
    fighting = _ids(choices.incident_types, "Fighting")
    assert listed(ListFilter(school_year=year)) == expect(year=year)
    assert listed(ListFilter(school_year=year, school_id=hillside)) == expect(
        year=year, school=HILLSIDE
    )
    assert listed(
        ListFilter(school_year=year, school_id=hillside, incident_type_id=fighting)
    ) == expect(year=year, school=HILLSIDE, incident="Fighting")
    assert listed(ListFilter(text="ana fighting")) == expect(name="Ana", incident="Fighting")
    people: dict[str, int] = made["people"]  # type: ignore[assignment]
    assert listed(ListFilter(person_id=people["Ben"])) == expect(name="Ben")
    # Each row names its school; the choices offer the years there are, newest first
    assert {row.school for row in cases.list_cases()} == {HILLSIDE, LAKEVIEW}
    years = sorted({school_year(s.referred_on) for s in CASES}, reverse=True)
    assert choices.school_years == years
    # Characters that mean something to SQL are only letters here
    assert listed(ListFilter(text="%")) == []
    assert listed(ListFilter(text="_")) == []


def test_search_and_filters_narrow_the_agreement_list_too(seeded) -> None:
    db, made = seeded
    ctx = Context(db.sessions, actor="test")
    agreement_ids: list[int] = made["agreements"]  # type: ignore[assignment]
    choices = CaseService(ctx).list_choices()

    def listed(filters: ListFilter) -> list[int]:
        listing = agreement_lines(ctx, TODAY, filters=filters)
        assert listing.total == len(listing.lines)
        return [line.summary.id for line in listing.lines]

    def expect(**wanted: object) -> list[int]:
        # Newest agreement first: the order they were made in, reversed
        return sorted((agreement_ids[n] for n in _expected(**wanted)), reverse=True)

    assert listed(ListFilter()) == expect()
    assert listed(ListFilter(text="patel")) == expect(name="Dev")
    lakeview = _ids(choices.schools, LAKEVIEW)
    year = school_year(CASES[1].referred_on)
    assert listed(ListFilter(school_id=lakeview, school_year=year)) == expect(
        school=LAKEVIEW, year=year
    )
    theft = _ids(choices.incident_types, "Theft")
    assert listed(ListFilter(incident_type_id=theft)) == expect(incident="Theft")
    assert listed(ListFilter(status="active")) == []
    assert len(listed(ListFilter(status="draft"))) == len(CASES)
