"""Reading the dates rosters hold, in every spelling US student information systems write.

``2013-03-14``, ``3/14/2013``, ``3/14/13``, ``03-14-2013``, ``20130314``, ``March 14, 2013``,
``14 Mar 2013`` and a spreadsheet's own date cells are all read. A date written with numbers
only, day and month both 12 or under (``04/03/2012``), can be read two ways: it is read month
first, as US systems write it, unless the same file shows that it writes the day first; a file
that writes both ways gets each such date reported with its line, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

_NUMERIC = re.compile(r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4}|\d{2})")
_COMPACT = re.compile(r"(19\d{2}|20\d{2})(\d{2})(\d{2})")
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AP]M)?$", re.IGNORECASE)


@dataclass(frozen=True)
class DateReading:
    """What a written date can mean: one date, two (month or day first), or none."""

    month_first: date | None
    day_first: date | None

    @property
    def readable(self) -> bool:
        return self.month_first is not None or self.day_first is not None

    @property
    def ambiguous(self) -> bool:
        return (
            self.month_first is not None
            and self.day_first is not None
            and self.month_first != self.day_first
        )

    @property
    def only(self) -> date | None:
        """The date when the text can mean only one (None when it means two, or none)."""
        if self.ambiguous:
            return None
        return self.month_first or self.day_first


def _year(text: str, today: date) -> int:
    if len(text) == 4:
        return int(text)
    # Two-digit years: the most recent year that ends so (a birth date is never in the future).
    year = 2000 + int(text)
    return year if year <= today.year else year - 100


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read_date(value: object, today: date | None = None) -> DateReading:
    """Every date ``value`` can be (a text, or a date or datetime a spreadsheet gives)."""
    if isinstance(value, datetime):
        return DateReading(value.date(), value.date())
    if isinstance(value, date):
        return DateReading(value, value)
    today = today or date.today()
    text = " ".join(str(value).split())
    text = _TIME.sub("", text).strip()
    if not text:
        return DateReading(None, None)
    numeric = _NUMERIC.fullmatch(text)
    if numeric:
        first, second, year_text = numeric.groups()
        year = _year(year_text, today)
        return DateReading(
            _make(year, int(first), int(second)), _make(year, int(second), int(first))
        )
    compact = _COMPACT.fullmatch(text)
    if compact:
        found = _make(*(int(g) for g in compact.groups()))
        return DateReading(found, found)
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}", text):
        year, month, day = (int(p) for p in re.split(r"[-/]", text))
        found = _make(year, month, day)
        return DateReading(found, found)
    if not re.search(r"[A-Za-z]", text):
        return DateReading(None, None)  # numbers in a shape no system writes dates in
    return _words(text)


def _words(text: str) -> DateReading:
    """A date with the month in words, read by dateutil's parser.

    It is read twice with two different default dates: a text that leaves out the day or the
    year comes out different each time, and is not a whole date.
    """
    from dateutil import parser

    try:
        one = parser.parse(text, default=datetime(2001, 1, 1), fuzzy=False)
        two = parser.parse(text, default=datetime(2002, 2, 2), fuzzy=False)
    except (ValueError, OverflowError):
        return DateReading(None, None)
    if one.date() != two.date():
        return DateReading(None, None)
    return DateReading(one.date(), one.date())
