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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.domain.enums import NotePrivacy
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.search.server import server_matches
from circlekeeper.core.store.models import Agreement, Case, Circle, Note
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


def match_expression(user_text: str) -> str | None:
    """The FTS5 query for what a person typed: every word must match, the last as a prefix.

    Each word becomes a quoted phrase, so nothing typed is read as FTS syntax. Every word is a
    prefix term: people type "mar gon" for "María González".
    """
    words = _WORD.findall(user_text)
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


def search(
    sessions: sessionmaker[Session],
    user_text: str,
    limit: int = 50,
    *,
    viewer: Viewer | None = None,
    include_private_notes: bool = False,
    kinds: Iterable[str] | None = None,
    marks: tuple[str, str] = ("", ""),
) -> list[SearchHit]:
    """Records matching the text, best first (see below); empty text finds nothing.

    Private notes (a facilitator's memory aid, often about minors) are found only by a
    ``viewer`` who may see them (:meth:`Viewer.can_see_note`: their author, never an SRO);
    without a viewer, none are. ``include_private_notes`` finds every private note, for the
    program's own checks (retention proving a purge left nothing); never for a person's screen.
    """
    expression = match_expression(user_text)
    if expression is None or limit <= 0:
        return []
    wanted = set(KINDS if kinds is None else kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown search kinds: {sorted(unknown)}")
    index_kinds = {k for k in wanted if k != "note"}
    if "note" in wanted:
        index_kinds.add("note")
        if include_private_notes or (viewer is not None and not viewer.is_sro):
            index_kinds.add("private_note")
    kind_list = ", ".join(f"'{k}'" for k in sorted(index_kinds))  # fixed names, not user text
    # FTS5's bm25 ranking reads every match first: ~0.5 s for "s" on a district's ten years.
    # Instead take the first matches in the titles (names, categories, circle titles), then in
    # the rest of the text, and order that small set here: whole words before prefixes, people
    # before cases before circles..., shorter titles first.
    query = text(
        "SELECT rowid, kind, ref_id, parent_id, title, "
        "snippet(search_index, -1, :start, :end, '…', 12) "
        f"FROM search_index WHERE search_index MATCH :match AND kind IN ({kind_list}) "
        "LIMIT :cap"
    )
    cap = max(limit * 4, 200)
    words = [fold(w) for w in _WORD.findall(user_text)]
    with sessions() as session:
        on_server = session.get_bind().dialect.name == "postgresql"
        found: dict[int, tuple[tuple[int, int, int, int, int], Sequence[Any]]] = {}
        for phase, match in enumerate((f"{{title}} : ({expression})", expression)):
            if len(found) >= limit:
                break
            if on_server:
                matches = server_matches(
                    session, _WORD.findall(user_text), sorted(index_kinds), cap, marks,
                    titles_only=phase == 0,
                )  # fmt: skip
            else:
                params = {"match": match, "start": marks[0], "end": marks[1], "cap": cap}
                matches = list(session.execute(query, params))
            for row in matches:
                if row[0] in found:
                    continue
                title_words = set(_WORD.findall(fold(str(row[4]))))
                whole = 0 if all(w in title_words for w in words) else 1
                key = (phase, whole, _KIND_ORDER[str(row[1])], len(str(row[4])), int(row[2]))
                found[row[0]] = (key, row)
        if viewer is not None and not include_private_notes:
            _drop_unseen_private_notes(session, found, viewer)
        rows = [row for _key, row in sorted(found.values(), key=lambda kr: kr[0])][:limit]
        titles = _display_titles(session, [(str(r[1]), int(r[2]), str(r[4])) for r in rows])
        return [
            SearchHit(
                kind="note" if kind == "private_note" else str(kind),
                id=int(ref_id),
                title=titles[(str(kind), int(ref_id))],
                snippet=str(snip),
                parent_id=None if parent_id is None else int(parent_id),
                private=kind == "private_note",
            )
            for _rowid, kind, ref_id, parent_id, _title, snip in rows
        ]


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
    sessions: sessionmaker[Session],
    user_text: str,
    *,
    viewer: Viewer | None,
    per_kind: int = 8,
    marks: tuple[str, str] = ("", ""),
) -> list[SearchHit]:
    """What Ctrl+K shows: up to ``per_kind`` hits of each kind, in :data:`KINDS` order.

    One short query per kind, so a common name cannot crowd out the cases and notes. Private
    notes are found only by their author, never by an SRO (:func:`search` decides).
    """
    hits: list[SearchHit] = []
    for kind in KINDS:
        hits.extend(
            search(sessions, user_text, limit=per_kind, kinds=(kind,), viewer=viewer, marks=marks)
        )
    return hits


def rebuild_index(sessions: sessionmaker[Session]) -> int:
    """Rebuild FTS5's internal structures (after a crash or a bulk import); returns rows indexed.

    The triggers keep the content right; this only compacts and checks the index itself.
    """
    with sessions.begin() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("REINDEX INDEX ix_search_index_document"))
            return int(session.scalar(text("SELECT count(*) FROM search_index")) or 0)
        if session.get_bind().dialect.name != "sqlite":
            return 0
        session.execute(text("INSERT INTO search_index(search_index) VALUES ('rebuild')"))
        session.execute(text("INSERT INTO search_index(search_index) VALUES ('optimize')"))
        return int(session.scalar(text("SELECT count(*) FROM search_index")) or 0)
