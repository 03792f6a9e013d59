"""Translatable messages from the core, without Qt.

A message the core raises or returns for a person is marked with :func:`_`: the English text is
the message id, and its parameters are filled in *after* the lookup, so the translation can put
them where its grammar needs them::

    raise InvalidInput(_("No person has the id {id}.", id=person_id))

By default :func:`_` returns the English text (the command line speaks English). The desktop app
installs a lookup (:func:`install`) that asks Qt's translator under the context ``"core"``, so the
one ``.ts`` file holds the interface's words and the core's. ``python -m
circlekeeper.tools.i18n_update`` finds every ``_("...")`` call in the core and adds it to the
``.ts`` file; only literal strings can be found, so never pass a variable or an f-string to it.

The languages the program speaks, and how a typed choice (``--language``, the
``CIRCLEKEEPER_LANGUAGE`` variable, the setting) is read, live here too, so the command line can
refuse an unknown one before any window exists.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from circlekeeper.core.problems import InvalidInput

#: Follow the computer's own language (Spanish when it is Spanish, English otherwise).
SYSTEM = "system"
#: The languages the interface is written in, by code, with their own names.
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
LANGUAGE_ENV = "CIRCLEKEEPER_LANGUAGE"
#: The translation context of the core's messages in the ``.ts`` file.
CONTEXT = "core"

_lookup: Callable[[str], str] | None = None


def _(message: str, /, **params: object) -> str:
    """``message`` in the interface's language, with ``{name}`` parameters filled in."""
    text = message
    if _lookup is not None:
        text = _lookup(message) or message
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            # A translation that lost or misspelt a parameter must not hide the message.
            return message.format(**params)
    return text


def N_(message: str, /) -> str:
    """Mark ``message`` for the translation file without translating it now.

    For English words kept in tables (labels the calendar prints in English and the screens
    translate where they show them).
    """
    return message


_MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


def say_date(value: date) -> str:
    """A date in a core message, as the interface's language writes it ("March 5, 2026",
    "5 de marzo de 2026"); exports keep their own formats."""
    return _(
        "{month} {day}, {year}",
        month=_(_MONTHS[value.month - 1]),
        day=value.day,
        year=value.year,
    )


def install(lookup: Callable[[str], str] | None) -> None:
    """Use ``lookup`` (English text -> translation, "" when none) for every later message."""
    global _lookup
    _lookup = lookup


def choose_language(value: str | None) -> str:
    """The language code for a typed choice: ``en``, ``es`` or ``system``.

    Accepts the codes, ``system`` and regional forms such as ``es_MX`` or ``es-US.UTF-8``;
    anything else is refused with a message naming the choices.
    """
    if value is None or not value.strip():
        return SYSTEM
    typed = value.strip()
    code = typed.lower().replace("-", "_").split(".")[0].split("_")[0]
    if code == SYSTEM or code in LANGUAGES:
        return code
    choices = ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
    raise InvalidInput(
        _(
            "There is no language called “{typed}”. The choices are {choices}, or system "
            "(the computer's own language). Nothing was changed.",
            typed=typed,
            choices=choices,
        )
    )
