"""A report's sentences write days as people read them, never as ISO dates."""

from __future__ import annotations

from datetime import date

from circlekeeper.core.export.templates import format_date
from circlekeeper.core.reports.common import empty_message


def test_an_empty_report_names_its_period_in_words_in_both_languages() -> None:
    message = empty_message(date(2026, 8, 1), date(2026, 12, 2))
    assert "from August 1, 2026 to December 2, 2026" in message.en
    assert "del 1 de agosto de 2026 al 2 de diciembre de 2026" in message.es
    assert "2026-08-01" not in message.en + message.es


def test_a_day_in_words() -> None:
    assert format_date(date(2027, 1, 31)) == "January 31, 2027"
    assert format_date(date(2027, 1, 31), "es") == "31 de enero de 2027"
