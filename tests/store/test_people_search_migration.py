"""Migration 0020: the people search's lists, built from the people already saved, kept by
triggers, and gone again on the way down, on both engines."""

from __future__ import annotations

from sqlalchemy import inspect, text
from tests.store.migrating import migrate

from circlekeeper.core.people.matching import pieces
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.store.database import Database


def _lists(db: Database) -> dict[str, set[str]]:
    with db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT p.uuid, g.gram FROM person_gram g JOIN person p ON p.id = g.person_id")
        ).all()
    found: dict[str, set[str]] = {}
    for uuid, gram in rows:
        found.setdefault(uuid, set()).add(gram)
    return found


def _wanted(db: Database) -> dict[str, set[str]]:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT uuid, search_text FROM person")).all()
    return {uuid: pieces(search_text) for uuid, search_text in rows}


def test_lists_are_built_from_saved_people_and_removed_on_the_way_down(db: Database) -> None:
    people = PeopleService(db.sessions)
    people.create(PersonData("José", "Núñez", external_id="S1001"))
    archived = people.create(PersonData("Ana", "Ruiz-Pérez", preferred_name="Annie"))
    people.set_archived(archived.id, True)

    # Given a database from before 0020 holding people
    migrate(db, "0019_consent_withdrawn", down=True)
    assert "person_gram" not in inspect(db.engine).get_table_names()
    people.create(PersonData("Kim", "Osei"))  # saved while no trigger kept any list

    # When it is upgraded, every person's pieces are listed, the archive mark with them
    migrate(db, "head")
    assert _lists(db) == _wanted(db) and len(_wanted(db)) == 3
    with db.engine.connect() as conn:
        marks = dict(
            conn.execute(
                text("SELECT DISTINCT person_id, archived FROM person_gram WHERE gram = 'a'")
            ).all()
        )
    assert marks == {archived.id: True}
    assert [p.display_name for p in people.search("osei")] == ["Kim Osei"]

    # And from then on the triggers keep them, on both engines
    people.update(archived.id, PersonData("Ana", "Ruiz"))
    assert _lists(db) == _wanted(db)

    # When it is downgraded again, the lists and their triggers go and the people stay
    migrate(db, "0019_consent_withdrawn", down=True)
    assert "person_gram" not in inspect(db.engine).get_table_names()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM person")).scalar() == 3
        conn.execute(
            text(
                "UPDATE person SET last_name = 'Mensah', search_text = 'kim mensah' "
                "WHERE last_name = 'Osei'"
            )
        )  # no trigger left reaching for the table that went
    migrate(db, "head")
    assert _lists(db) == _wanted(db)
