"""What the Cases and Agreements lists are narrowed to: words typed, and the filters chosen.

Both lists take the same :class:`ListFilter`, so "search for Ana in 2024-25 at Hillside" means
the same on either. Words match a party's name (preferred, first or family name, or student ID),
a case number, or the incident type (and, for agreements, the circle's title); every word must
match. Nothing private is searched: not a referral's own words, not a note, not a demographic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select

from circlekeeper.core.people.matching import people_with
from circlekeeper.core.schools.years import school_year_bounds
from circlekeeper.core.store.models import CaseParty
from circlekeeper.core.text import fold, like_pattern

# Longer text is cut: nobody types more, and each word is one more subquery.
MAX_WORDS = 6


@dataclass(frozen=True)
class ListFilter:
    """Words and filters for a list of cases or agreements (None: no filter)."""

    text: str = ""
    status: str | None = None
    school_year: int | None = None  # the calendar year the school year starts in
    incident_type_id: int | None = None
    person_id: int | None = None
    school_id: int | None = None

    def words(self) -> list[str]:
        """The typed words, folded as the people directory stores names (no case, no accents),
        a leading ``#`` dropped from a case number."""
        return [w.lstrip("#") for w in fold(self.text).split() if w.lstrip("#")][:MAX_WORDS]


def cases_with_party_named(word: str) -> Any:
    """The ids of cases one of whose people has ``word`` in their name or student ID."""
    return select(CaseParty.case_id).where(CaseParty.person_id.in_(people_named(word)))


def people_named(word: str) -> Any:
    """The ids of people with ``word`` in their name or student ID: the people directory's own
    rule, read from its lists (``core/people/matching.py``), not from the table."""
    return people_with(word)


def word_matches(
    word: str, case_id: Any, *texts: Any, party_cases: Any | None = None
) -> ColumnElement[bool]:
    """One word found in a case number, a party's name, or any of ``texts`` (lower-cased)."""
    terms: list[ColumnElement[bool]] = [
        func.lower(text).like(like_pattern(word), escape="\\") for text in texts
    ]
    terms.append(case_id.in_(party_cases if party_cases is not None else
                             cases_with_party_named(word)))  # fmt: skip
    if word.isdigit() and len(word) < 10:
        terms.append(case_id == int(word))
    return or_(*terms)


def year_between(day: Any, school_year: int) -> ColumnElement[bool]:
    first, last = school_year_bounds(school_year)
    return and_(day >= first, day <= last)
