"""Blanks left in an agreement's wording: ``[amount]``, ``[name]``, ``[hours]``.

The typical items of the catalogue carry words in square brackets for the group to replace
with what was agreed. This is the one rule for finding them: the builder highlights them, and
activating, printing and exporting an agreement refuse while any is left (a copy marked DRAFT
may still be printed, to talk it over). Nothing here touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from circlekeeper.core.i18n import _
from circlekeeper.core.problems import InvalidInput

# A word or a few in square brackets, on one line: "[amount]", "[in person / a letter]".
_BLANK = re.compile(r"\[[^\[\]\n]{1,120}\]")


class UnfilledBlanks(InvalidInput):
    """An agreement still holds blanks to fill in; ``items`` are their numbers as printed."""

    def __init__(self, message: str, items: list[int]) -> None:
        super().__init__(message)
        self.items = items


def blanks(text: str | None) -> list[str]:
    """The blanks in ``text``, in order, each with its brackets (``"[amount]"``)."""
    return _BLANK.findall(text or "")


def blank_spans(text: str | None) -> list[tuple[int, int]]:
    """Where the blanks are in ``text``: (start, end) character offsets, for highlighting."""
    return [m.span() for m in _BLANK.finditer(text or "")]


def unfilled_items(items: Iterable[tuple[int, Iterable[str | None]]]) -> list[int]:
    """The numbers of the items, given as (number, their texts), that still hold a blank."""
    return [number for number, texts in items if any(blanks(t) for t in texts)]


def _listed(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _example(items: Iterable[tuple[int, Iterable[str | None]]]) -> str:
    for _number, texts in items:
        for text in texts:
            found = blanks(text)
            if found:
                return found[0]
    return "[...]"


def refuse_activation(items: list[tuple[int, list[str | None]]]) -> None:
    """Raise :class:`UnfilledBlanks` when an item still holds a blank (activation)."""
    numbers = unfilled_items(items)
    if numbers:
        raise UnfilledBlanks(
            _(
                "Item {items} still has words in square brackets to fill in, such as "
                "{example}. Replace each one with what was agreed, then make the agreement "
                "active. Nothing was changed.",
                items=_listed(numbers),
                example=_example(items),
            ),
            numbers,
        )


def refuse_printing(items: list[tuple[int, list[str | None]]]) -> None:
    """Raise :class:`UnfilledBlanks` when an item still holds a blank (printing, exporting)."""
    numbers = unfilled_items(items)
    if numbers:
        raise UnfilledBlanks(
            _(
                "Item {items} still has words in square brackets to fill in, such as "
                "{example}, so the agreement cannot be printed or saved for signing yet. "
                "Replace each one with what was agreed, or print a draft copy (marked DRAFT) "
                "to talk it over. Nothing was saved.",
                items=_listed(numbers),
                example=_example(items),
            ),
            numbers,
        )
