"""Remembering the language chosen in Settings (system, English or Español) on this computer.

A one-line text file in the data home, ``language.txt``, like ``last_database.txt``: the choice
belongs to the person at this laptop, not to the school's database, and it must be readable
before any window exists. Nothing here imports Qt.
"""

from __future__ import annotations

import os

from circlekeeper.core import i18n
from circlekeeper.core.files import private_folder, write_private_text
from circlekeeper.core.paths import data_home
from circlekeeper.core.problems import InvalidInput

FILENAME = "language.txt"


def remember_language(choice: str) -> None:
    """Start in ``choice`` (``system``, ``en`` or ``es``) from now on."""
    home = private_folder(data_home())
    write_private_text(home / FILENAME, i18n.choose_language(choice) + "\n")


def remembered_language() -> str:
    """The language chosen in Settings, or ``system`` when none (or an unreadable one) is saved."""
    try:
        text = (data_home() / FILENAME).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return i18n.SYSTEM
    try:
        return i18n.choose_language(text)
    except InvalidInput:
        return i18n.SYSTEM


def language_for_run(typed: str | None) -> str:
    """The language of this run: ``--language``, else ``$CIRCLEKEEPER_LANGUAGE``, else the setting.

    An unknown language typed on the command line or in the variable raises
    :class:`InvalidInput` naming the choices.
    """
    if typed:
        return i18n.choose_language(typed)
    from_env = os.environ.get(i18n.LANGUAGE_ENV, "").strip()
    if from_env:
        return i18n.choose_language(from_env)
    return remembered_language()
