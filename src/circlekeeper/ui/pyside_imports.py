"""Imports after Qt at the price of a plain import.

Once PySide6 is imported it looks at every module imported after it, to learn whether that
module might switch on one of PySide's optional spellings (``from __feature__ import
snake_case, true_property``): it reads the module's whole source as text and looks for the
word "PySide6". Everything the app imports after the window paints (SQLAlchemy, the models,
the areas: about 300 modules) was read that way, about 100 ms of every start on a school
laptop, for an answer circlekeeper never uses: it switches on no PySide feature anywhere
(``tests/ui/test_pyside_imports.py`` keeps it so).

``import_plainly()`` gives PySide that answer without the reading: a module imported later is
marked "ignore this module" (-1), which is what PySide's own check says of a module that does
not mention PySide6, and for a program that selects no feature the same as "no feature" (0):
neither ever changes a Qt class's names. A PySide without this check is left as it is.
"""

from __future__ import annotations

import sys


def _selects_no_feature(_module: object) -> bool:
    return False


def import_plainly() -> None:
    """Spare every later import PySide's reading of its source (imports PySide6 if not yet)."""
    import PySide6.QtCore  # noqa: F401  (what installs the check)

    feature = sys.modules.get("PySide6.support.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _selects_no_feature  # type: ignore[attr-defined]
