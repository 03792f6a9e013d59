"""School years: 1 August to 31 July, named by their two calendar years ("2025-26")."""

from __future__ import annotations

from datetime import date


def school_year_of(day: date) -> int:
    """The calendar year a school year starts in, for the school year ``day`` falls in."""
    return day.year if day.month >= 8 else day.year - 1


def school_year_start(day: date) -> date:
    """1 August of the school year ``day`` falls in."""
    return date(school_year_of(day), 8, 1)


def school_year_bounds(start_year: int) -> tuple[date, date]:
    """The first and last day of the school year starting in August of ``start_year``."""
    return date(start_year, 8, 1), date(start_year + 1, 7, 31)


def school_year_name(start_year: int) -> str:
    """How a school year is written: ``2025-26``."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"
