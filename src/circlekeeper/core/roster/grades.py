"""School grades in one canonical form: PK, TK, K, then 1 to 12.

Every path that saves, shows, sorts or promotes a grade uses this module, so a roster's
``KG``, ``Kindergarten``, ``12th`` or PowerSchool's ``-1`` all end up as the one stored value
a report counts and a list sorts. Pre-kindergarten and transitional kindergarten are never
grade 1 (or K): they are school years of their own.
"""

from __future__ import annotations

import re

GRADES: tuple[str, ...] = ("PK", "TK", "K", *(str(n) for n in range(1, 13)))

# The grade after each one at the end of a school year; 12 has none (the student leaves).
# Pre-K and TK lead to kindergarten.
NEXT_GRADE: dict[str, str] = {"PK": "K", "TK": "K", "K": "1"} | {
    str(n): str(n + 1) for n in range(1, 12)
}

LAST_GRADE = "12"

_WORDS = {
    "PK": "PK", "PREK": "PK", "PREKINDERGARTEN": "PK", "PREKINDER": "PK", "PRESCHOOL": "PK",
    "PS": "PK", "P3": "PK", "P4": "PK", "PK3": "PK", "PK4": "PK", "PREK3": "PK", "PREK4": "PK",
    "EC": "PK", "ECE": "PK", "EARLYCHILDHOOD": "PK", "HEADSTART": "PK",
    "TK": "TK", "TRANSITIONALKINDERGARTEN": "TK", "TRANSITIONALK": "TK",
    "K": "K", "KG": "K", "KN": "K", "KI": "K", "KK": "K", "KINDER": "K", "KINDERGARTEN": "K",
    "KINDERGARDEN": "K", "FULLDAYK": "K", "HALFDAYK": "K",
    "FIRST": "1", "SECOND": "2", "THIRD": "3", "FOURTH": "4", "FIFTH": "5", "SIXTH": "6",
    "SEVENTH": "7", "EIGHTH": "8", "NINTH": "9", "TENTH": "10", "ELEVENTH": "11",
    "TWELFTH": "12", "FRESHMAN": "9", "SOPHOMORE": "10", "JUNIOR": "11", "SENIOR": "12",
}  # fmt: skip

_ORDINAL = re.compile(r"(\d{1,2})(?:ST|ND|RD|TH)?")


def canonical_grade(text: str | int | float | None) -> str | None:
    """The canonical form of a grade as any common system spells it; None if it is not one.

    ``"07"``, ``"7th"``, ``"Grade 7"`` and ``7.0`` are ``"7"``; ``"KG"`` and ``"0"`` are
    ``"K"``; ``"-1"``, ``"-2"`` (PowerSchool's pre-K codes), ``"PK"`` and ``"Pre-K"`` are
    ``"PK"``; ``"TK"`` stays ``"TK"``. An empty text is not a grade (None).
    """
    if text is None:
        return None
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    value = str(text).strip().upper()
    if re.fullmatch(r"-?\d{1,2}\.0+", value):
        value = value.split(".")[0]  # a number a spreadsheet stored as 7.0
    sign = "-" if value.startswith("-") else ""
    value = sign + re.sub(r"[\s\-_.'’]", "", value)
    value = value.removeprefix("GRADE").removesuffix("GRADE").removeprefix("GR")
    if value in _WORDS:
        return _WORDS[value]
    if re.fullmatch(r"-\d{1,2}", value):
        return "PK"  # PowerSchool and others count the years before K below zero
    match = _ORDINAL.fullmatch(value)
    if match:
        number = int(match.group(1))
        if number == 0:
            return "K"
        if 1 <= number <= 12:
            return str(number)
    return None


def grade_order(grade: str | None) -> int:
    """Where a grade sorts: PK, TK, K, 1 ... 12, then anything unknown or empty."""
    canonical = canonical_grade(grade) if grade else None
    return GRADES.index(canonical) if canonical in GRADES else len(GRADES)


def next_grade(grade: str | None) -> str | None:
    """The grade a student moves to at the end of the year; None after 12 (or if unknown)."""
    canonical = canonical_grade(grade) if grade else None
    return NEXT_GRADE.get(canonical or "")
