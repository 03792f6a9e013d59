"""Search everywhere: people, cases, circles, agreements and note text, as you type.

The index is SQLite FTS5 (``search_index``), built and kept in sync by triggers made in migration
``0002_search_index``; on a district's PostgreSQL server it is a ``tsvector`` table made by the
same migration (see :mod:`circlekeeper.core.search.server`). Both fold case and accents, so
"nunez" finds "Núñez". Whatever a person types is turned into quoted prefix terms, so FTS
syntax (quotes, ``*``, ``-``, ``NEAR``, ``AND``, parentheses, ``:``) is searched for as plain
words and never reaches the query parser.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.domain.enums import NotePrivacy
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.search.server import server_matches, snippet
from circlekeeper.core.store.models import Agreement, Case, Circle, Note, Person, School
from circlekeeper.core.text import fold

KINDS = ("person", "case", "circle", "agreement", "agreement_item", "note")

# The tokenizer's word characters are letters and digits; anything else separates words.
_WORD = re.compile(r"[^\W_]+")

_KIND_ORDER = {
    "person": 0,
    "case": 1,
    "circle": 2,
    "agreement": 3,
    "agreement_item": 4,
    "note": 5,
    "private_note": 5,
}


@dataclass(frozen=True)
class PersonTag:
    """What tells two people with the same name apart on a search line (none of it is a
    demographic field, so every viewer gets it)."""

    kind: str
    grade: str | None
    external_id: str | None
    school: str | None


@dataclass(frozen=True)
class SearchHit:
    """One search result.

    ``kind`` is one of :data:`KINDS`; ``id`` is that record's id. ``parent_id`` leads to the
    record that holds it: the case of a circle or agreement, the agreement of an item, the circle
    of a note. ``snippet`` is the matching text with the words found between ``marks``.
    """

    kind: str
    id: int
    title: str
    snippet: str
    parent_id: int | None = None
    private: bool = False
    person: PersonTag | None = None  # for a person: kind, grade, ID and school


def match_expression(user_text: str) -> str | None:
    """The FTS5 query for what a person typed: every word must match, the last as a prefix.

    Each word becomes a quoted phrase, so nothing typed is read as FTS syntax. Every word is a
    prefix term: people type "mar gon" for "María González".
    """
    words = _WORD.findall(user_text)
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


# Each indexed row also holds one token naming its kind (migration 0012_search_by_kind), so a
# query can keep to one kind inside the index instead of walking every match of a prefix.
_TAGS = {
    "person": "kperson",
    "case": "kcase",
    "circle": "kcircle",
    "agreement": "kagreement",
    "agreement_item": "kagreementitem",
    "note": "knote",
    "private_note": "kprivatenote",
}


class SearchCancelled(Exception):
    """The person typed on before the query finished; its results are no longer wanted."""


def _match(expression: str, index_kinds: Iterable[str], *, titles_only: bool = False) -> str:
    """The full MATCH text: the typed words in the titles (or anywhere) and one of the kinds."""
    tags = sorted(_TAGS[k] for k in index_kinds)
    words = f"{{title}} : ({expression})" if titles_only else f"{{title body}} : ({expression})"
    if len(tags) == len(_TAGS):
        return words
    return f"tag : ({' OR '.join(tags)}) AND {words}"


def _index_kinds(wanted: Iterable[str], viewer: Viewer | None, include_private: bool) -> set[str]:
    kinds = set(wanted)
    if "note" in kinds and (
        include_private or (viewer is not None and viewer.private_notes_author is not None)
    ):
        kinds.add("private_note")
    return kinds


def search(
    context: Context | sessionmaker[Session],
    user_text: str,
    limit: int = 50,
    *,
    include_private_notes: bool = False,
    kinds: Iterable[str] | None = None,
    marks: tuple[str, str] = ("", ""),
    per_kind: int | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[SearchHit]:
    """Records matching the text, best first (see below); empty text finds nothing.

    Private notes (a facilitator's memory aid, often about minors) are found only by the
    context's viewer when they may see them (:meth:`Viewer.can_see_note`: their author, never
    an SRO); a context without a named viewer finds none. ``include_private_notes`` finds
    every private note, for the program's own checks (retention proving a purge left
    nothing); never for a person's screen.

    With ``per_kind``, up to that many of each kind (in :data:`KINDS` order), from one
    statement, so a common name cannot crowd out the cases and notes (Ctrl+K). ``cancelled``
    is asked while the query runs; when it says yes the query stops and
    :class:`SearchCancelled` is raised.
    """
    ctx = as_context(context)
    viewer = ctx.viewer()
    expression = match_expression(user_text)
    if expression is None or limit <= 0 or (per_kind is not None and per_kind <= 0):
        return []
    wanted = _wanted(kinds)
    if not wanted:
        return []
    columns = (
        "rowid, kind, ref_id, parent_id, title, snippet(search_index, -1, :start, :end, '…', 12)"
    )
    params: dict[str, object] = {"start": marks[0], "end": marks[1]}
    # FTS5's bm25 ranking reads every match first: ~0.5 s for "s" on a district's ten years.
    # Instead take the first matches and order that small set here: titles before other text,
    # whole words before prefixes, people before cases before circles..., shorter titles first.
    if per_kind is not None:
        # One statement: for each kind its first matches, found inside the index by its tag.
        parts = []
        for n, kind in enumerate(wanted):
            params[f"m{n}"] = _match(
                expression, _index_kinds([kind], viewer, include_private_notes)
            )
            parts.append(
                f"SELECT * FROM (SELECT {columns} FROM search_index "
                f"WHERE search_index MATCH :m{n} LIMIT :cap)"
            )
        params["cap"] = per_kind * 3
        phases = [(" UNION ALL ".join(parts), params)]
    else:
        index_kinds = _index_kinds(wanted, viewer, include_private_notes)
        statement = f"SELECT {columns} FROM search_index WHERE search_index MATCH :m LIMIT :cap"
        params["cap"] = max(limit * 4, 200)
        phases = [
            (statement, params | {"m": _match(expression, index_kinds, titles_only=True)}),
            (statement, params | {"m": _match(expression, index_kinds)}),
        ]
    words = [fold(w) for w in _WORD.findall(user_text)]
    typed = _WORD.findall(user_text)
    found: dict[int, tuple[tuple[int, int, int, int, int], Sequence[Any]]] = {}
    with ctx.read() as session:
        on_server = session.get_bind().dialect.name == "postgresql"

        def batches() -> Iterator[tuple[int | None, Sequence[Any]]]:
            """(pass, rows): pass 0 the titles, 1 all the text; None: titles rank from rows."""
            if on_server:
                # The server's word lists (search/server.py, bound quoted terms): each kind
                # walked on its own, in one statement, so a kind with many matches never
                # crowds out the others; all the text at once. (A titles pass first, as the
                # file's, walked every match of a prefix in the kinds that have no titles,
                # agreements and notes: 0.2 s for "s" on a district's ten years.)
                groups = [sorted(_index_kinds([k], viewer, include_private_notes)) for k in wanted]
                cap = per_kind * 3 if per_kind is not None else limit  # a kind's share at most
                yield None, server_matches(session, typed, groups, cap)
                return
            for n, (sql, values) in enumerate(phases):
                if per_kind is None and len(found) >= limit:
                    return
                yield (n if per_kind is None else None), _rows(session, sql, values, cancelled)

        for phase, rows_found in batches():
            _rank_into(found, rows_found, phase, words)
        if not include_private_notes:
            _drop_unseen_private_notes(session, found, viewer)
        ordered = [row for _key, row in sorted(found.values(), key=lambda kr: kr[0])]
        if per_kind is None:
            rows = ordered[:limit]
        else:
            taken: dict[str, int] = {}
            rows = []
            for row in ordered:
                kind = "note" if row[1] == "private_note" else str(row[1])
                if taken.get(kind, 0) < per_kind:
                    taken[kind] = taken.get(kind, 0) + 1
                    rows.append(row)
        if on_server:  # the snippets of the rows shown only, cut from their text here
            rows = [
                (*r[:5], snippet(r[4], r[5], typed, marks, title_first=_in_title(r[4], words)))
                for r in rows
            ]
        titles = _display_titles(session, [(str(r[1]), int(r[2]), str(r[4])) for r in rows])
        tags = _person_tags(session, [int(r[2]) for r in rows if r[1] == "person"])
        return [
            SearchHit(
                kind="note" if kind == "private_note" else str(kind),
                id=int(ref_id),
                title=titles[(str(kind), int(ref_id))],
                snippet=str(snip),
                parent_id=None if parent_id is None else int(parent_id),
                private=kind == "private_note",
                person=tags.get(int(ref_id)) if kind == "person" else None,
            )
            for _rowid, kind, ref_id, parent_id, _title, snip in rows
        ]


def _wanted(kinds: Iterable[str] | None) -> list[str]:
    """The kinds asked for, in :data:`KINDS` order (all of them for None)."""
    if kinds is None:
        return list(KINDS)
    asked = set(kinds)
    unknown = asked - set(KINDS)
    if unknown:
        raise ValueError(f"unknown search kinds: {sorted(unknown)}")
    return [k for k in KINDS if k in asked]


def _rank_into(
    found: dict[int, tuple[tuple[int, int, int, int, int], Sequence[Any]]],
    rows: Sequence[Any],
    phase: int | None,
    words: Sequence[str],
) -> None:
    """Key each row not yet found for the order shown: titles first (the pass, or the row's own
    title when ``phase`` is None), whole words before prefixes, people before cases before
    circles..., shorter titles first."""
    for row in rows:
        if row[0] in found:
            continue
        title_words = set(_WORD.findall(fold(str(row[4]))))
        first = phase if phase is not None else (0 if _all_in(title_words, words) else 1)
        whole = 0 if all(w in title_words for w in words) else 1
        key = (first, whole, _KIND_ORDER[str(row[1])], len(str(row[4])), int(row[2]))
        found[row[0]] = (key, row)


def _all_in(title_words: set[str], words: Sequence[str]) -> bool:
    """Whether every (folded) typed word starts one of the title's words."""
    return all(any(t.startswith(w) for t in title_words) for w in words)


def _in_title(title: str, words: Sequence[str]) -> bool:
    return _all_in(set(_WORD.findall(fold(title))), words)


def _rows(
    session: Session,
    sql: str,
    params: dict[str, object],
    cancelled: Callable[[], bool] | None,
) -> Sequence[Any]:
    """Run one search statement; with ``cancelled``, SQLite stops it when that says yes."""
    if cancelled is None:
        return session.execute(text(sql), params).all()
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    if cancelled():
        raise SearchCancelled
    raw.set_progress_handler(lambda: 1 if cancelled() else 0, 2000)
    try:
        return session.execute(text(sql), params).all()
    except DBAPIError as error:
        if "interrupt" in str(error.orig).lower():
            raise SearchCancelled from error
        raise
    finally:
        raw.set_progress_handler(None, 0)


def _drop_unseen_private_notes(
    session: Session, found: dict[int, tuple[Any, Sequence[Any]]], viewer: Viewer
) -> None:
    """Remove the private-note hits this viewer may not see (anyone else's memory aid)."""
    private = {
        int(row[2]): rowid for rowid, (_key, row) in found.items() if row[1] == "private_note"
    }
    if not private:
        return
    authors: dict[int, str | None] = {
        note_id: name
        for note_id, name in session.execute(
            select(Note.id, Note.author).where(Note.id.in_(list(private)))
        )
    }
    for note_id, rowid in private.items():
        if not viewer.can_see_note(NotePrivacy.PRIVATE.value, authors.get(note_id)):
            del found[rowid]


def _person_tags(session: Session, person_ids: list[int]) -> dict[int, PersonTag]:
    """Kind, grade, ID and school of the people found, in one small lookup by key."""
    if not person_ids:
        return {}
    return {
        r.id: PersonTag(r.kind, r.grade, r.external_id, r.school)
        for r in session.execute(
            select(
                Person.id,
                Person.kind,
                Person.grade,
                Person.external_id,
                School.name.label("school"),
            )
            .outerjoin(School, School.id == Person.school_id)
            .where(Person.id.in_(person_ids))
        )
    }


def _display_titles(
    session: Session, rows: list[tuple[str, int, str]]
) -> dict[tuple[str, int], str]:
    """A short heading for each hit; a few small lookups for the kinds whose index title is thin."""
    ids: dict[str, list[int]] = {}
    for kind, ref_id, _title in rows:
        ids.setdefault(kind, []).append(ref_id)
    cases = {
        r.id: f"{r.incident_category} (referred {r.referred_on.isoformat()})"
        for r in session.execute(
            select(Case.id, Case.incident_category, Case.referred_on).where(
                Case.id.in_(ids.get("case", []))
            )
        )
    }
    circles = {
        r.id: r.title or r.kind.replace("_", " ").capitalize()
        for r in session.execute(
            select(Circle.id, Circle.title, Circle.kind).where(Circle.id.in_(ids.get("circle", [])))
        )
    }
    note_ids = ids.get("note", []) + ids.get("private_note", [])
    notes = {
        r.id: f"Note in {r.title or r.kind.replace('_', ' ')}"
        for r in session.execute(
            select(Note.id, Circle.title, Circle.kind)
            .join(Circle, Circle.id == Note.circle_id)
            .where(Note.id.in_(note_ids))
        )
    }
    agreements = {
        r.id: f"Agreement (version {r.version})"
        for r in session.execute(
            select(Agreement.id, Agreement.version).where(
                Agreement.id.in_(ids.get("agreement", []))
            )
        )
    }
    titles: dict[tuple[str, int], str] = {}
    for kind, ref_id, title in rows:
        if kind == "case":
            heading = cases.get(ref_id, title)
        elif kind == "circle":
            heading = circles.get(ref_id, title)
        elif kind in ("note", "private_note"):
            heading = notes.get(ref_id, "Note")
        elif kind == "agreement":
            heading = agreements.get(ref_id, "Agreement")
        elif kind == "agreement_item":
            heading = f"Agreement item: {_shorten(title)}"
        else:
            heading = title
        titles[(kind, ref_id)] = heading
    return titles


def _shorten(value: str, width: int = 60) -> str:
    value = " ".join(value.split())
    return value if len(value) <= width else value[: width - 1].rstrip() + "…"


def everywhere(
    context: Context | sessionmaker[Session],
    user_text: str,
    *,
    per_kind: int = 8,
    marks: tuple[str, str] = ("", ""),
) -> list[SearchHit]:
    """What Ctrl+K shows: up to ``per_kind`` hits of each kind, in :data:`KINDS` order.

    One statement finds a few of each kind, so a common name cannot crowd out the cases and
    notes. Private notes are found only by the context's viewer when they may see them, never
    by an SRO (:func:`search` decides).
    """
    return search(context, user_text, per_kind=per_kind, marks=marks)


def rebuild_index(context: Context | sessionmaker[Session]) -> int:
    """Rebuild FTS5's internal structures (after a crash or a bulk import); returns rows indexed.

    The triggers keep the content right; this only compacts and checks the index itself.
    """
    with as_context(context).write("rebuild the search index") as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("REINDEX INDEX ix_search_index_document"))
            session.execute(text("REINDEX INDEX pk_search_word"))  # the word lists (0022)
            return int(session.scalar(text("SELECT count(*) FROM search_index")) or 0)
        if session.get_bind().dialect.name != "sqlite":
            return 0
        session.execute(text("INSERT INTO search_index(search_index) VALUES ('rebuild')"))
        session.execute(text("INSERT INTO search_index(search_index) VALUES ('optimize')"))
        return int(session.scalar(text("SELECT count(*) FROM search_index")) or 0)
