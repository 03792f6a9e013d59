"""Search on a district's PostgreSQL server: the same rows as SQLite's FTS5 index.

Migration ``0002_search_index`` keeps ``search_index.document`` (a ``tsvector``, titles weighted
A, the rest B, folded by ``unaccent`` and the ``simple`` configuration) in sync by triggers. A
person's words are letters and digits only (``search._WORD``); each becomes a quoted prefix
lexeme (``'word':*``) passed as a bound parameter, so nothing typed is read as query syntax.

The documents are found through ``search_word`` (migration ``0022_search_words``): each kind's
words in order, keyed ``(kind, word, rowid)``. For each group of kinds one typed word leads (the
only one, or the one fewest of the group's words start with, counted up to
``LEAD_COUNT_CAP``): its range of the list is walked in order, each entry's document read by key
and tested against the whole query, until the group has ``cap`` documents. Every group is one
branch of one statement, each with its own LIMIT, so a key costs a few rows of each kind
however many documents the server holds (GIN, which can neither keep to a kind nor stop at a
LIMIT, built a bitmap of most documents for a one-letter prefix: up to 0.2 s a key on a
district's ten years). The snippet is cut here, around the first word found, with the same
marks as SQLite's, for the rows shown only.
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
# With several words typed, each one's entries in a kind are counted up to this many, and the
# rarest leads the walk ("s mar": "mar" in the circles, where "s" starts most of their words).
LEAD_COUNT_CAP = 1000
# Past every word that starts with a prefix, in the "C" collation: the prefix and U+10FFFF.
_PAST = "chr(1114111)"


def tsquery(words: Sequence[str]) -> str:
    """``'mar':* & 'gon':*`` for the words typed (letters and digits only, already split)."""
    return " & ".join(f"'{word}':*" for word in words)


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


def _lead(n: int, several: bool) -> str:
    """The typed word that leads group ``n``'s walk: with several, the one fewest rows start."""
    if not several:
        return f"lead{n} AS (SELECT word FROM typed LIMIT 1)"
    few = (
        f"SELECT 1 FROM search_word c WHERE c.kind = ANY(:k{n}) AND c.word >= t.word "
        f"AND c.word < t.word || {_PAST} LIMIT {LEAD_COUNT_CAP}"
    )
    return (
        f"lead{n} AS (SELECT t.word FROM typed t ORDER BY (SELECT count(*) FROM ({few}) AS few), "
        "length(t.word) DESC, t.word LIMIT 1)"
    )


def _walk(n: int) -> str:
    """Group ``n``'s first ``cap`` documents: its lead's range of the word list, in order.

    A document with several words in the range is taken at its first one only, so the LIMIT
    counts documents. That word is the least of the document's words in the range, and no
    word of the range is less than it: the test is written ``>=`` because the planner guesses
    an equality with a subquery true for one row in 200, and so costs a walk of the whole
    range (enough, on a district's ten years, for PostgreSQL to compile the statement first,
    up to 3 s a key), where a ``>=`` is guessed true for one in three. Each entry's document
    is read by its key in a subquery the planner keeps apart (``OFFSET 0``): left to itself,
    for several typed words it read every document matching them through GIN first and
    joined (7 ms a kind on the large demo, where the walk takes a fraction of one). The lead
    is one value (a subquery's, computed once) and never a row to join: joined, the planner
    took forty typed words for forty leads and walked the kind's whole list (5 s a key).
    """
    lead = f"(SELECT word FROM lead{n})"
    first_of_document = (
        '(SELECT min(x.lexeme COLLATE "C") FROM unnest(s.document) AS x '
        f'WHERE x.lexeme COLLATE "C" >= {lead} AND x.lexeme COLLATE "C" < {lead} || {_PAST})'
    )
    return (
        "(SELECT s.rowid, s.kind, s.ref_id, s.parent_id, s.title, s.body "
        "FROM search_word w CROSS JOIN LATERAL (SELECT d.rowid, d.kind, d.ref_id, d.parent_id, "
        "d.title, d.body, d.document FROM search_index d WHERE d.rowid = w.rowid "
        "AND d.document @@ to_tsquery('simple', unaccent(:query)) OFFSET 0) AS s "
        f"WHERE w.kind = ANY(:k{n}) AND w.word >= {lead} AND w.word < {lead} || {_PAST} "
        f"AND w.word >= {first_of_document} LIMIT :cap)"
    )


def server_matches(
    session: Session,
    words: Sequence[str],
    groups: Sequence[Sequence[str]],
    cap: int,
) -> list[Sequence[Any]]:
    """Up to ``cap`` documents of each group of kinds, in one statement (see the module notes).

    Rows are shaped as the SQLite query's, with the text in place of the snippet: (rowid,
    kind, ref_id, parent_id, title, body). :func:`snippet` cuts the snippets of the rows shown,
    and of those only.
    """
    words = list({fold(w): w for w in words}.values())  # "s s s" is "s"
    several = len(words) > 1
    typed = (
        "typed AS (SELECT DISTINCT lower(unaccent(w)) AS word "
        "FROM unnest(CAST(:words AS TEXT[])) AS w)"
    )
    leads = ", ".join(_lead(n, several) for n in range(len(groups)))
    walks = " UNION ALL ".join(_walk(n) for n in range(len(groups)))
    query = text(f"WITH {typed}, {leads} {walks}")
    params: dict[str, object] = {
        "words": list(words),
        "query": tsquery(words),
        "cap": cap,
    }
    params |= {f"k{n}": list(kinds) for n, kinds in enumerate(groups)}
    return [(*row[:4], row[4] or "", row[5]) for row in session.execute(query, params)]
