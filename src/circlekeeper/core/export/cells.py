"""The one guard against formula injection in files opened by spreadsheets (CSV and XLSX).

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some also after a
tab or carriage return) as a formula, so a name or label typed as ``=HYPERLINK(...)`` could run
when an administrator opens the export. Such text gets a leading apostrophe, which spreadsheets
show as plain text. Numbers are written as numbers and never pass through here.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet will show it, never run it: a leading ``'`` when it could."""
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
