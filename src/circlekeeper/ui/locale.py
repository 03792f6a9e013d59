"""How the screens write dates, times and numbers: the one place, in the interface's language.

US English by default ("Nov 23, 2026", "3:30 PM"); Spanish as a US school writes it
("23 nov 2026", "15:30"). ``ui/i18n.install_language`` calls :func:`set_language`; every screen
that shows a date or a time to a person calls the functions here instead of ``strftime`` or
``isoformat``, and every date or time field is given its format by :func:`format_edit`.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QTimeEdit

_FORMATS = {
    "en": {
        "date": "MMM d, yyyy",
        "short_date": "ddd, MMM d",
        "long_date": "dddd, MMMM d, yyyy",
        "time": "h:mm AP",
        "datetime": "MMM d, yyyy, h:mm AP",
        "edit_date": "MMM d, yyyy",
        "edit_datetime": "ddd, MMM d, yyyy  h:mm AP",
    },
    "es": {
        "date": "d MMM yyyy",
        "short_date": "ddd d MMM",
        "long_date": "dddd d 'de' MMMM 'de' yyyy",
        "time": "HH:mm",
        "datetime": "d MMM yyyy, HH:mm",
        "edit_date": "d MMM yyyy",
        "edit_datetime": "ddd d MMM yyyy  HH:mm",
    },
}
_LOCALES = {
    "en": (QLocale.Language.English, QLocale.Country.UnitedStates),
    "es": (QLocale.Language.Spanish, QLocale.Country.UnitedStates),
}
_state = {"code": "en"}


def set_language(code: str) -> None:
    """Write dates and numbers the way ``code`` (``en`` or ``es``) does from now on."""
    code = code if code in _FORMATS else "en"
    _state["code"] = code
    QLocale.setDefault(QLocale(*_LOCALES[code]))


def language() -> str:
    """The code dates and numbers are written in now."""
    return _state["code"]


def _locale() -> QLocale:
    return QLocale(*_LOCALES[_state["code"]])


def _format(kind: str) -> str:
    return _FORMATS[_state["code"]][kind]


def _clean(text: str) -> str:
    # CLDR's Spanish abbreviations end some months and days with a dot in some Qt versions.
    return text.replace(".", "") if _state["code"] == "es" else text


def date_text(value: dt.date | None) -> str:
    """A day in words: "Nov 23, 2026" or "23 nov 2026"; "" for none."""
    if value is None:
        return ""
    day = value.date() if isinstance(value, dt.datetime) else value
    return _clean(_locale().toString(QDate(day.year, day.month, day.day), _format("date")))


def short_date_text(value: dt.date | None) -> str:
    """A day of this season, with its weekday: "Wed, Dec 2" or "mié 2 dic"."""
    if value is None:
        return ""
    day = value.date() if isinstance(value, dt.datetime) else value
    return _clean(_locale().toString(QDate(day.year, day.month, day.day), _format("short_date")))


def long_date_text(value: dt.date) -> str:
    """A day in full: "Wednesday, December 2, 2026" or "miércoles 2 de diciembre de 2026"."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return _locale().toString(QDate(day.year, day.month, day.day), _format("long_date"))


def time_text(value: dt.time | dt.datetime | None) -> str:
    """A time of day: "3:30 PM" or "15:30"; "" for none."""
    if value is None:
        return ""
    moment = value.time() if isinstance(value, dt.datetime) else value
    return _locale().toString(QTime(moment.hour, moment.minute), _format("time"))


def datetime_text(value: dt.datetime | None) -> str:
    """A moment: "Nov 23, 2026, 3:30 PM" or "23 nov 2026, 15:30"; "" for none."""
    if value is None:
        return ""
    moment = QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))
    return _clean(_locale().toString(moment, _format("datetime")))


def number_text(value: int | float, decimals: int = 0) -> str:
    """A number with the language's grouping: "1,234" (and "1,234.5" with one decimal)."""
    if isinstance(value, int) and decimals == 0:
        return _locale().toString(value)
    return _locale().toString(float(value), "f", decimals)


def format_edit(edit: QDateTimeEdit) -> None:
    """Give a date, time or date-and-time field the interface's format ("Nov 23, 2026")."""
    if isinstance(edit, QTimeEdit):
        kind = "time"
    elif isinstance(edit, QDateEdit):
        kind = "edit_date"
    else:
        kind = "edit_datetime"
    edit.setLocale(_locale())
    edit.setDisplayFormat(_format(kind))
