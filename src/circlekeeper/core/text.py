"""Small text helpers shared by services: folding for search, and cleaning what people type.

Cleaning lives here once, so the people directory, the roster import and the script reader
keep the same rule: control characters are dropped (a multi-line text keeps its line breaks
and tabs), and so are the invisible characters that make a name look like another: bidi
overrides and isolates (U+202A-202E, U+2066-2069) and zero-width characters (U+200B-200D,
U+2060, U+FEFF).
"""

from __future__ import annotations

import re
import unicodedata

INVISIBLE = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
)
_KEEP_IN_MULTILINE = frozenset("\n\t")


def fold(text: str) -> str:
    """Lower-case, accent-free form of a text, so "nunez" finds "Núñez"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def like_pattern(word: str) -> str:
    """A LIKE pattern (escape character ``\\``) matching any text that contains ``word``."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _dropped(char: str, multiline: bool) -> bool:
    if char in INVISIBLE:
        return True
    if multiline and char in _KEEP_IN_MULTILINE:
        return False
    # Cc: C0 and C1 controls (NUL, BEL, ESC, DEL, ...); a line break in a one-line text is
    # turned into a space before this, so only invisible controls reach here.
    return unicodedata.category(char) == "Cc"


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Text with control and invisible characters removed, trimmed at both ends.

    A one-line text also has its runs of spaces, tabs and line breaks made one space; a
    multi-line text keeps its line breaks and tabs (``\\r\\n`` becomes ``\\n``).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n") if multiline else " ".join(text.split())
    if text.isascii() and text.isprintable():
        return text.strip()
    return "".join(c for c in text if not _dropped(c, multiline)).strip()


def clean_name(text: str) -> str:
    """A person's name (or any one-line field about them) as it is saved and shown."""
    return " ".join(clean_text(text).split())


_ID_SPACE = re.compile(r"\s+")


def normalise_id(text: str) -> str:
    """A student or staff ID in the one form it is saved, matched and searched in.

    SIS exports and people typing IDs differ in case and in spaces (" s 1234", "S1234"):
    those are one person, so spaces are removed and letters made upper-case.
    """
    return _ID_SPACE.sub("", clean_text(text)).upper()
