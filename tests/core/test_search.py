"""Search everywhere: accents, case, prefixes, FTS syntax, private notes, and staying in sync."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select

from circlekeeper.core.operations import Context
from circlekeeper.core.paths import migrations_dir
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.search.search import match_expression, rebuild_index, search
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    Case,
    Circle,
    Note,
    Person,
)


def _fill(db: Database) -> dict[str, int]:
    people = PeopleService(db.sessions)
    ids = {
        "nunez": people.create(PersonData("José", "Núñez", external_id="S-20391")).id,
        "nguyen": people.create(PersonData("Thảo", "Nguyễn", preferred_name="Tina")).id,
    }
    with db.sessions.begin() as session:
        case = Case(
            referred_on=date(2026, 3, 1),
            incident_category="Vandalism",
            location="Gymnasium",
            description="Graffiti sprayed on the bleachers.",
        )
        session.add(case)
        session.flush()
        circle = Circle(kind="conference", title="Bleacher repair conference", case_id=case.id)
        session.add(circle)
        session.flush()
        agreement = Agreement(case_id=case.id, circle_id=circle.id, harm_summary="Paint damage")
        session.add(agreement)
        session.flush()
        item = AgreementItem(agreement_id=agreement.id, action="Scrub the bleachers on Saturday")
        private = Note(circle_id=circle.id, text="Seemed anxious about his stepfather")
        record = Note(circle_id=circle.id, text="Agreed to a weekly check-in", privacy="record")
        session.add_all([item, private, record])
        session.flush()
        ids |= {
            "case": case.id,
            "circle": circle.id,
            "agreement": agreement.id,
            "item": item.id,
            "private": private.id,
            "record": record.id,
        }
    return ids


def _found(db: Database, text: str, **kwargs: object) -> list[tuple[str, int]]:
    return [(h.kind, h.id) for h in search(db.sessions, text, **kwargs)]  # type: ignore[arg-type]


def test_accents_and_case_do_not_matter(db: Database) -> None:
    ids = _fill(db)
    for typed in ("nunez", "NÚÑEZ", "Nunez jose", "nguyen", "thao", "tina"):
        assert _found(db, typed)[0][0] == "person", typed
    assert _found(db, "nunez") == [("person", ids["nunez"])]
    assert _found(db, "s-20391") == [("person", ids["nunez"])]


def test_prefixes_match_as_you_type(db: Database) -> None:
    ids = _fill(db)
    assert _found(db, "n") != []
    assert ("person", ids["nunez"]) in _found(db, "nu")
    assert _found(db, "jo nu") == [("person", ids["nunez"])]
    kinds = {kind for kind, _ in _found(db, "bleach")}
    assert kinds == {"case", "circle", "agreement_item"}
    assert _found(db, "gym") == [("case", ids["case"])]
    assert _found(db, "paint") == [("agreement", ids["agreement"])]


def test_hits_say_what_they_are_and_where_they_belong(db: Database) -> None:
    ids = _fill(db)
    hits = {h.kind: h for h in search(db.sessions, "bleach", marks=("[", "]"))}
    assert hits["case"].title == "Vandalism (referred 2026-03-01)"
    assert "[bleachers]" in hits["case"].snippet
    assert hits["circle"].parent_id == ids["case"]
    assert hits["agreement_item"].parent_id == ids["agreement"]
    assert hits["agreement_item"].title.startswith("Agreement item: Scrub")
    note = search(db.sessions, "weekly")[0]
    assert (note.kind, note.id, note.parent_id, note.private) == (
        "note",
        ids["record"],
        ids["circle"],
        False,
    )
    assert note.title == "Note in Bleacher repair conference"
    assert _found(db, "bleach", kinds=["circle"]) == [("circle", ids["circle"])]
    with pytest.raises(ValueError):
        search(db.sessions, "x", kinds=["secret"])


@pytest.mark.parametrize(
    "typed",
    [
        '"',
        '"unbalanced',
        "*",
        "-",
        "nunez -jose",
        "NEAR",
        "NEAR(a b)",
        "a AND OR NOT b",
        "(((",
        "title:nunez",
        "^start",
        "'; DROP TABLE person; --",
        "{title body}: x",
        "   ",
        "",
        "ﬁ ß İ",
        "_",
    ],
)
def test_fts_syntax_characters_never_error(db: Database, typed: str) -> None:
    _fill(db)
    search(db.sessions, typed)


def test_words_with_syntax_are_still_found(db: Database) -> None:
    ids = _fill(db)
    assert ("person", ids["nunez"]) in _found(db, '"núñez"')
    assert ("person", ids["nunez"]) in _found(db, "(núñez):")
    assert match_expression('a"b NEAR c*') == '"a"* "b"* "NEAR"* "c"*'
    assert match_expression(" -*- ") is None


def test_a_search_in_no_kind_finds_nothing(db: Database) -> None:
    _fill(db)
    assert _found(db, "bleach", kinds=[]) == []
    assert _found(db, "bleach", kinds=[], per_kind=3) == []


def test_private_notes_are_left_out_unless_asked_for(db: Database) -> None:
    ids = _fill(db)
    assert _found(db, "anxious") == []
    assert _found(db, "stepfather", kinds=["note"]) == []
    hits = search(Context(db.sessions, viewer=Viewer("Dana", sees_unattributed=True)), "anxious")
    assert [(h.kind, h.id, h.private) for h in hits] == [("note", ids["private"], True)]
    sam = Viewer("Sam", "sro", sees_unattributed=True)
    assert search(Context(db.sessions, viewer=sam), "anxious") == []
    assert search(db.sessions, "anxious", include_private_notes=True) == hits  # the program's own
    # Making a note part of the record makes it findable; making it private hides it again
    with db.sessions.begin() as session:
        session.get(Note, ids["private"]).privacy = "record"  # type: ignore[union-attr]
        session.get(Note, ids["record"]).privacy = "private"  # type: ignore[union-attr]
    assert _found(db, "anxious") == [("note", ids["private"])]
    assert _found(db, "weekly") == []


def test_the_index_follows_updates_and_deletes(db: Database) -> None:
    ids = _fill(db)
    people = PeopleService(db.sessions)
    data = people.details(ids["nunez"]).data
    data.last_name = "Ibáñez"
    people.update(ids["nunez"], data)
    assert _found(db, "nunez") == []
    assert _found(db, "ibanez") == [("person", ids["nunez"])]
    with db.sessions.begin() as session:
        session.get(Circle, ids["circle"]).title = "Gym wall conference"  # type: ignore[union-attr]
        session.delete(session.get(Case, ids["case"]))
        # Writing a circle's live state does not touch the index (and must not break it)
        session.get(Circle, ids["circle"]).live_state = "{}"  # type: ignore[union-attr]
    assert _found(db, "graffiti") == []
    assert _found(db, "wall") == [("circle", ids["circle"])]
    with db.sessions.begin() as session:
        session.delete(session.get(Circle, ids["circle"]))  # notes go with it (cascade)
    assert _found(db, "weekly") == []
    assert _found(db, "wall") == []
    assert rebuild_index(db.sessions) > 0
    assert _found(db, "ibanez") == [("person", ids["nunez"])]


def test_the_migration_indexes_rows_that_existed_before_it(tmp_path: Path) -> None:
    # Given a database at the first schema with a person in it
    path = tmp_path / "old.sqlite3"
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    command.upgrade(config, "0001_initial")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO person (uuid, created_at, updated_at, kind, first_name, last_name,"
            " search_text) VALUES ('u1', '2026-01-01T00:00:00+00:00',"
            " '2026-01-01T00:00:00+00:00', 'student', 'Zoë', 'Müller', 'zoe muller')"
        )
    conn.close()
    # When it is upgraded
    command.upgrade(config, "head")
    # Then the old row is searchable
    with sqlite3.connect(path) as conn:
        found = conn.execute(
            "SELECT kind, ref_id FROM search_index WHERE search_index MATCH '\"muller\"*'"
        ).fetchall()
    conn.close()
    assert found == [("person", 1)]
    # And going down removes the index and its triggers, leaving the data
    command.downgrade(config, "0001_initial")
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert conn.execute("SELECT count(*) FROM person").fetchone() == (1,)
    conn.close()
    assert not any(n.startswith("search_") for n in names)
    assert Person.__tablename__ in names


def test_ctrl_k_reads_each_kind_once_and_ranks_titles_first(db: Database) -> None:
    # Ctrl+K shows a few of each kind, titles first: the file reads every kind in one
    # statement and ranks the rows it got; a server read every kind twice (titles, then all
    # the text), twelve statements a key where six find the same rows, at up to 0.5 s a key
    # on a district's ten years.
    from tests.query_plans import statements

    from circlekeeper.core.search.search import KINDS, everywhere

    ids = _fill(db)
    with db.sessions.begin() as session:
        session.add(Case(referred_on=date(2026, 3, 2), incident_category="Bleachers"))
    hits: list[object] = []
    asked = statements(db, lambda: hits.extend(everywhere(db.sessions, "bleach")))
    found = [(h.kind, h.id) for h in hits]  # type: ignore[attr-defined]
    # Titles first within each kind: the case named "Bleachers" before the case whose
    # description mentions them; then the circle, the agreement's item.
    cases = [hit_id for kind, hit_id in found if kind == "case"]
    assert len(cases) == 2 and cases[-1] == ids["case"], found
    assert ("circle", ids["circle"]) in found and ("agreement_item", ids["item"]) in found
    reads = [s for s, _ in asked if "search_index" in s]
    assert len(reads) <= len(KINDS), reads


# Words for the rows below: common and rare prefixes, accents and case, so that a prefix is
# common in one kind and rare in another (what made the server's index walk far).
_VOCABULARY = (
    "sam",
    "sánchez",
    "señal",
    "sala",
    "soccer",
    "stairs",
    "march",
    "maría",
    "marco",
    "mara",
    "repair",
    "report",
    "repeat",
    "bleachers",
    "núñez",
    "NGUYỄN",
    "okafor",
    "rhee",
    "zoë",
    "20391",
    "gym",
    "hallway",
    "cafeteria",
    "walk",
    "wall",
)


def _independent_words(*texts: str | None) -> set[str]:
    """The words of the texts as the rule reads them, folded here without the app's code."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", " ".join(t or "" for t in texts))
    plain = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return set(re.findall(r"[^\W_]+", plain))


def _seed_mixed(db: Database, seed: int) -> dict[tuple[str, int], set[str]]:
    """Rows of every kind with words drawn from the vocabulary; each row's words, by hit."""
    import random

    pick = random.Random(seed)

    def words(n: int) -> str:
        return " ".join(pick.choice(_VOCABULARY) for _ in range(n))

    rows: dict[tuple[str, int], set[str]] = {}
    with db.sessions.begin() as session:
        for n in range(60):
            first, last = pick.choice(_VOCABULARY), pick.choice(_VOCABULARY)
            person = Person(
                first_name=first.capitalize(),
                last_name=last.capitalize(),
                external_id=f"S-{n}",
                search_text=f"{first} {last}",
            )
            session.add(person)
            session.flush()
            rows[("person", person.id)] = _independent_words(first, last, f"S-{n}")
        for _ in range(40):
            case = Case(
                referred_on=date(2026, 3, 1),
                incident_category=words(1),
                location=words(1),
                description=words(4),
            )
            session.add(case)
            session.flush()
            rows[("case", case.id)] = _independent_words(
                case.incident_category, case.location, case.description
            )
            circle = Circle(kind="conference", title=words(2), purpose=words(3), case_id=case.id)
            session.add(circle)
            session.flush()
            rows[("circle", circle.id)] = _independent_words(circle.title, circle.purpose)
            agreement = Agreement(case_id=case.id, circle_id=circle.id, harm_summary=words(3))
            session.add(agreement)
            session.flush()
            rows[("agreement", agreement.id)] = _independent_words(agreement.harm_summary)
            item = AgreementItem(agreement_id=agreement.id, action=words(3))
            note = Note(circle_id=circle.id, text=words(4), privacy="record")
            session.add_all([item, note])
            session.flush()
            rows[("agreement_item", item.id)] = _independent_words(item.action)
            rows[("note", note.id)] = _independent_words(note.text)
    return rows


def _matching(rows: dict[tuple[str, int], set[str]], typed: str) -> dict[str, set[int]]:
    wanted = _independent_words(typed)
    found: dict[str, set[int]] = {}
    for (kind, row_id), row_words in rows.items():
        if all(any(w.startswith(t) for w in row_words) for t in wanted):
            found.setdefault(kind, set()).add(row_id)
    return found


TYPED = ("s", "sa", "ma", "Mar", "r", "rep", "s mar", "mar s", "nu", "NÚÑ", "nguy", "señ",
         "zoe", "2039", "zzq", "repair bleach", "walk wall", "w")  # fmt: skip


def test_ctrl_k_finds_a_few_of_each_kind_and_each_one_matches(db: Database) -> None:
    # Ctrl+K shows up to eight of each kind: as many as match when fewer do, and every one
    # shown holds every typed word as the start of one of its words (accents and case
    # aside), counted here from the rows themselves.
    from circlekeeper.core.search.search import everywhere

    rows = _seed_mixed(db, seed=15)
    for typed in TYPED:
        expected = _matching(rows, typed)
        hits = everywhere(db.sessions, typed)
        for kind in ("person", "case", "circle", "agreement", "agreement_item", "note"):
            shown = {h.id for h in hits if h.kind == kind}
            matching = expected.get(kind, set())
            assert shown <= matching, (typed, kind, shown - matching)
            assert len(shown) == min(8, len(matching)), (typed, kind, len(shown), len(matching))
    # The lists follow every change: a renamed person, a deleted circle, a note made private
    with db.sessions.begin() as session:
        person_id = next(i for k, i in rows if k == "person")
        person = session.get(Person, person_id)
        assert person is not None
        person.first_name, person.preferred_name = "Quetzalli", None
        rows[("person", person_id)] = _independent_words(
            "Quetzalli", person.last_name, person.external_id
        )
        circle_id = next(i for k, i in rows if k == "circle")
        circle = session.get(Circle, circle_id)
        assert circle is not None
        gone = {n.id for n in session.scalars(select(Note).where(Note.circle_id == circle_id))}
        session.delete(circle)
        del rows[("circle", circle_id)]
        for note_id in gone:
            del rows[("note", note_id)]
        note = session.scalars(select(Note).order_by(Note.id.desc())).first()
        assert note is not None
        note.privacy = "private"
        del rows[("note", note.id)]
    for typed in ("quetz", *TYPED):
        expected = _matching(rows, typed)
        hits = everywhere(db.sessions, typed)
        for kind in ("person", "circle", "note"):
            shown = {h.id for h in hits if h.kind == kind}
            assert shown <= expected.get(kind, set()), (typed, kind)
            assert len(shown) == min(8, len(expected.get(kind, set()))), (typed, kind)


def test_a_search_with_a_limit_finds_exactly_the_matches_up_to_it(db: Database) -> None:
    # "Show all" lists up to its limit: every match when fewer, every one a match.
    rows = _seed_mixed(db, seed=7)
    for typed in ("s", "mar s", "rep", "zoe", "zzq", "nguy"):
        expected = {(k, i) for k, ids in _matching(rows, typed).items() for i in ids}
        found = set(_found(db, typed, limit=500))
        assert found == expected, (typed, sorted(found ^ expected))
        few = _found(db, typed, limit=5)
        assert set(few) <= expected and len(few) == min(5, len(expected)), typed


def test_a_server_reads_each_kind_from_its_word_list_in_order(pg_url: str) -> None:
    # GIN can neither keep to one kind nor stop at the LIMIT: a one-letter prefix built a
    # bitmap of most documents, up to 0.2 s a key on a district's ten years. A server reads
    # each kind's words in order from the word list (migration 0022) and stops after a few
    # rows, in one statement a key, whatever the prefix and however large the data.
    from tests.query_plans import plan, statements

    from circlekeeper.core.search.search import everywhere
    from circlekeeper.core.store.database import open_database

    db = open_database(pg_url)
    try:
        _seed_mixed(db, seed=3)
        pasted = "the student said that the others had been teasing him for days " * 3
        for typed in ("s", "mar s", "zzq", "núñ", "s " * 40, pasted):
            asked = statements(db, lambda typed=typed: everywhere(db.sessions, typed))
            reads = [(s, p) for s, p in asked if "search_index" in s]
            assert len(reads) == 1, (typed, reads)
            shown = plan(db, *reads[0])
            assert "pk_search_word" in shown, shown
            assert "ix_search_index_document" not in shown, shown
            # Each read of a list is a range of its words, never the whole kind (forty words
            # typed once made the planner walk every word of each kind: 5 s a key)
            walks = [line for line in shown.splitlines() if "Index Cond: ((kind = ANY" in line]
            assert walks and all("word >=" in line for line in walks), shown
    finally:
        db.close()
