"""Search on a district's PostgreSQL server: the same rows as SQLite's FTS5 index.

Migration ``0002_search_index`` keeps ``search_index.document`` (a ``tsvector``, titles weighted
A, the rest B, folded by ``unaccent`` and the ``simple`` configuration) in sync by triggers. A
person's words are letters and digits only (``search._WORD``); each becomes a quoted prefix
lexeme (``'word':*``) passed as a bound parameter, so nothing typed is read as query syntax.
The snippet is cut here, around the first word found, with the same marks as SQLite's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from circlekeeper.core.text import fold

_TOKEN = re.compile(r"[^\W_]+")
SNIPPET_WORDS = 12


def tsquery(words: Sequence[str], *, titles_only: bool) -> str:
    """``'mar':*A & 'gon':*A`` for the words typed (letters and digits only, already split)."""
    weight = "A" if titles_only else ""
    return " & ".join(f"'{word}':*{weight}" for word in words)


def snippet(
    title: str, body: str, words: Sequence[str], marks: tuple[str, str], *, title_first: bool
) -> str:
    """About twelve words of the text that matched, the words found between ``marks``."""
    folded = [fold(w) for w in words]
    for source in (title, body) if title_first else (body, title):
        tokens = list(_TOKEN.finditer(source or ""))
        hits = [
            i
            for i, token in enumerate(tokens)
            if any(fold(token.group()).startswith(word) for word in folded)
        ]
        if not hits:
            continue
        start = max(0, min(hits[0] - 2, len(tokens) - SNIPPET_WORDS))
        window = tokens[start : start + SNIPPET_WORDS]
        pieces: list[str] = []
        cursor = window[0].start()
        for i, token in enumerate(window, start):
            pieces.append(source[cursor : token.start()])
            word = token.group()
            pieces.append(f"{marks[0]}{word}{marks[1]}" if i in hits else word)
            cursor = token.end()
        prefix = "…" if start > 0 else ""
        suffix = "…" if start + SNIPPET_WORDS < len(tokens) else ""
        return prefix + "".join(pieces) + suffix
    return (body or title or "")[:80]


def server_matches(
    session: Session,
    words: Sequence[str],
    kinds: Sequence[str],
    cap: int,
    marks: tuple[str, str],
    *,
    titles_only: bool,
) -> list[Sequence[Any]]:
    """Rows shaped as the SQLite query's: (rowid, kind, ref_id, parent_id, title, snippet)."""
    query = text(
        "SELECT rowid, kind, ref_id, parent_id, title, body FROM search_index "
        "WHERE document @@ to_tsquery('simple', unaccent(:query)) AND kind = ANY(:kinds) "
        "LIMIT :cap"
    )
    params = {"query": tsquery(words, titles_only=titles_only), "kinds": list(kinds), "cap": cap}
    return [
        (
            row[0],
            row[1],
            row[2],
            row[3],
            row[4] or "",
            snippet(row[4], row[5], words, marks, title_first=titles_only),
        )
        for row in session.execute(query, params)
    ]
