"""Migration 0022: a server's word list for Ctrl+K, built from the documents already indexed,
kept by a trigger, and gone again on the way down; a file is left as it was."""

from __future__ import annotations

from sqlalchemy import inspect, text
from tests.store.migrating import migrate

from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.search.search import everywhere
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Circle, Note

BEFORE = "0021_open_items_by_due_date"


def _listed(db: Database) -> set[tuple[str, str, int]]:
    with db.engine.connect() as conn:
        return {tuple(r) for r in conn.execute(text("SELECT kind, word, rowid FROM search_word"))}  # type: ignore[misc]


def _wanted(db: Database) -> set[tuple[str, str, int]]:
    """Every distinct word of every indexed document, read from the documents themselves."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT kind, tsvector_to_array(document), rowid FROM search_index")
        ).all()
    return {(kind, word, rowid) for kind, words, rowid in rows for word in words}


def test_the_word_list_is_built_kept_and_removed(db: Database) -> None:
    people = PeopleService(db.sessions)
    nunez = people.create(PersonData("José", "Núñez", external_id="S-20391"))
    server = db.engine.dialect.name == "postgresql"

    # Given a database from before 0022 holding documents of several kinds
    migrate(db, BEFORE, down=True)
    assert "search_word" not in inspect(db.engine).get_table_names()
    people.create(PersonData("Kim", "Osei"))  # indexed while no trigger kept the list
    with db.sessions.begin() as session:
        circle = Circle(kind="check_in", title="Morning check-in", purpose="Soccer stairs")
        session.add(circle)
        session.flush()
        session.add(Note(circle_id=circle.id, text="Quiet week", privacy="record"))
    if server:  # a private note's copy a counselor's delete left behind before 0022
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO search_index (rowid, kind, ref_id, title, body, document) "
                    "VALUES (999 * 8 + 6, 'private_note', 999, '', 'Left behind', "
                    "search_document('', 'Left behind'))"
                )
            )

    # When it is upgraded: on a server every word of every document is listed; a file has none
    migrate(db, "head")
    if not server:
        assert "search_word" not in inspect(db.engine).get_table_names()
        assert [h.title for h in everywhere(db.sessions, "osei")] == ["Kim Osei"]
        return
    assert _listed(db) == _wanted(db) and ("person", "osei", 2 * 8 + 1) in _listed(db)
    with db.engine.connect() as conn:  # the copy whose note was gone went first
        assert (
            conn.execute(text("SELECT count(*) FROM search_index WHERE ref_id = 999")).scalar() == 0
        )
    assert [h.title for h in everywhere(db.sessions, "osei")] == ["Kim Osei"]

    # And from then on the trigger keeps it: a change, a note made private, a deletion
    people.update(nunez.id, PersonData("José", "Ibáñez", external_id="S-20391"))
    with db.sessions.begin() as session:
        note = session.query(Note).one()
        note.privacy = "private"
    assert _listed(db) == _wanted(db)
    assert ("person", "nunez", nunez.id * 8 + 1) not in _listed(db)
    assert any(kind == "private_note" for kind, _w, _r in _listed(db))
    with db.sessions.begin() as session:
        session.delete(session.get(Circle, circle.id))  # its note goes with it
    assert _listed(db) == _wanted(db)
    assert not any(kind.endswith("note") or kind == "circle" for kind, _w, _r in _listed(db))

    # When it is downgraded again, the list and its trigger go and the documents stay
    migrate(db, BEFORE, down=True)
    assert "search_word" not in inspect(db.engine).get_table_names()
    people.create(PersonData("Ana", "Ruiz"))  # no trigger left reaching for the list
    with db.engine.connect() as conn:  # Núñez, Osei and Ruiz
        assert conn.execute(text("SELECT count(*) FROM search_index")).scalar() == 3
    migrate(db, "head")
    assert _listed(db) == _wanted(db)
