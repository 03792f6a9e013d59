"""How typed text finds people: the one rule, and the lists in directory order that serve it.

The rule: every word typed, folded like the names (no case, no accents: "nunez" finds
"Núñez"), appears somewhere in the person's folded names or ID (``person.search_text``, made by
``people.search_text``). One letter or a whole name, any part of it.

The lists: ``person_gram`` (migration 0020, kept by triggers in the writer's transaction) holds
every distinct piece of one to :data:`GRAM_LENGTH` characters of each person's search text,
keyed by the piece and then in directory order (family name, first name, id), with the search
text and the archive mark in the row. Every person matching a word is in the list of any piece
of that word, so one list (the shortest one, found by :func:`shortest_list`) is walked from its
start and each entry tested against the rule on the text it carries. For a word of up to three
characters the first page and a count capped at :data:`COUNT_LIMIT` read at most a page and a
count's worth of entries whatever the size of the directory; a longer word reads at most its
shortest list. On SQLite and PostgreSQL alike, and never the ``person`` table itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.orm import Session

from circlekeeper.core.text import fold, like_pattern

GRAM_LENGTH = 3  # the longest piece listed (migration 0020 writes pieces of 1 to 3 characters)
COUNT_LIMIT = 1000  # counts stop here: past it, the directory says "more than 1,000"
PROBE_LIMIT = 1000  # how far a list is counted when choosing the shortest
MOST_PROBED = 12  # pieces compared when choosing; a pasted paragraph stays one quick statement
MEMO_LIMIT = 512  # list sizes a search service remembers before it starts again

PERSON_GRAM = table(
    "person_gram",
    column("gram", String),
    column("last_name", String),
    column("first_name", String),
    column("person_id", Integer),
    column("archived", Boolean),
    column("search_text", String),
)


def typed_words(text: str) -> list[str]:
    """The words of a search, folded as the names are stored."""
    return fold(text).split()


def grams(word: str) -> list[str]:
    """The listed pieces every match of ``word`` has: the word itself when it is short enough,
    else each of its three-character pieces (distinct, in order)."""
    if len(word) <= GRAM_LENGTH:
        return [word]
    return list(dict.fromkeys(word[i : i + GRAM_LENGTH] for i in range(len(word) - 2)))


def pieces(search_text: str) -> set[str]:
    """What the triggers list for one search text: each piece of 1-3 characters without a
    space (the Python statement of migration 0020's SQL, which the tests hold it to)."""
    return {
        search_text[i : i + n]
        for n in range(1, GRAM_LENGTH + 1)
        for i in range(len(search_text) - n + 1)
        if " " not in search_text[i : i + n]
    }


def contains_words(search_text: Any, words: list[str]) -> ColumnElement[bool]:
    """The rule itself, on a column holding a folded search text: every word is in it."""
    if not words:
        return and_(True)
    return and_(*(search_text.like(like_pattern(w), escape="\\") for w in words))


def shortest_list(session: Session, words: list[str], sizes: dict[str, int] | None = None) -> str:
    """The piece whose list is shortest among the pieces of ``words`` (which must not be
    empty): any of them finds every match, the shortest with the fewest entries to test.

    Each list is counted only up to :data:`PROBE_LIMIT`, in one statement; a single word of
    up to three characters is its own list and needs no count. ``sizes`` keeps the lists
    counted before (a caller's memo): typing one more letter then counts one list, not all
    of the word's again. A size grown stale since only slows a search, never changes it.
    """
    longest_first = sorted(dict.fromkeys(words), key=len, reverse=True)
    candidates = list(dict.fromkeys(g for w in longest_first for g in grams(w)))[:MOST_PROBED]
    if len(candidates) == 1:
        return candidates[0]
    known = sizes if sizes is not None else {}
    unknown = [piece for piece in candidates if piece not in known]
    if unknown:
        if len(known) > MEMO_LIMIT:
            known.clear()
        params = {f"piece{n}": piece for n, piece in enumerate(unknown)}
        counted = session.connection().execute(_list_sizes(len(unknown)), params).one()
        known.update(zip(unknown, counted, strict=True))
    return min(candidates, key=lambda piece: known.get(piece, PROBE_LIMIT))


@lru_cache(maxsize=MOST_PROBED)
def _list_sizes(pieces: int) -> Select[Any]:
    g = PERSON_GRAM.c
    listed: list[Select[Any]] = [
        select(literal_column("1")).where(g.gram == bindparam(f"piece{n}")).limit(PROBE_LIMIT)
        for n in range(pieces)
    ]
    return select(*(select(func.count()).select_from(q.subquery()).scalar_subquery()
                    for q in listed))  # fmt: skip


@dataclass(frozen=True)
class Lookup:
    """One search ready to run: the list it walks and the words tested on each entry."""

    words: tuple[str, ...]
    listed: str
    tested: tuple[str, ...]  # a short word is exactly its own list and is not tested again

    @classmethod
    def of(cls, session: Session, words: list[str], sizes: dict[str, int] | None = None) -> Lookup:
        """The lookup for ``words`` (not empty), walking the shortest of their lists (see
        :func:`shortest_list` for ``sizes``)."""
        listed = shortest_list(session, words, sizes)
        return cls(tuple(words), listed, tuple(w for w in dict.fromkeys(words) if w != listed))

    def serves(self, words: list[str]) -> bool:
        """Whether this is the lookup of ``words``."""
        return self.words == tuple(words)

    def params(self) -> dict[str, str]:
        """The values of :func:`matching`'s parameters."""
        values = {"listed": self.listed}
        values.update({f"word{n}": like_pattern(w) for n, w in enumerate(self.tested)})
        return values


@lru_cache(maxsize=64)
def matching(tested: int, *, include_archived: bool = False) -> Select[Any]:
    """The ids of the people a :class:`Lookup` testing ``tested`` words finds, in directory
    order; its parameters are :meth:`Lookup.params`. Made once per shape, so a keystroke
    only binds values to a statement already compiled."""
    g = PERSON_GRAM.c
    words = [g.search_text.like(bindparam(f"word{n}"), escape="\\") for n in range(tested)]
    query = select(g.person_id).where(g.gram == bindparam("listed"), *words)
    if not include_archived:
        query = query.where(g.archived.is_(False))
    return query.order_by(g.last_name, g.first_name, g.person_id)


def people_with(word: str) -> Select[Any]:
    """The ids of everyone (archived too) with ``word`` (folded) in their names or ID, for a
    list that narrows its records to those naming such a person (cases, agreements)."""
    g = PERSON_GRAM.c
    return select(g.person_id).where(
        g.gram == grams(word)[0], contains_words(g.search_text, [word])
    )
