"""The people directory service: search as you type, paging and archiving."""

from __future__ import annotations

from circlekeeper.core.people.people import PeopleService, PersonData


def test_search_is_accent_free_in_directory_order_and_pages(db) -> None:
    people = PeopleService(db.sessions)
    for first, last in [("José", "Núñez"), ("Ana", "Nunes"), ("Zoë", "Abbott"), ("Joe", "Núñez")]:
        people.create(PersonData(first, last))
    archived = people.create(PersonData("Nuno", "Archer"))
    people.set_archived(archived.id, True)

    # Typing without accents finds the accented names, family name first
    assert [p.display_name for p in people.search("nun")] == [
        "Ana Nunes",
        "Joe Núñez",
        "José Núñez",
    ]
    assert [p.display_name for p in people.search("jo nu")] == ["Joe Núñez", "José Núñez"]
    # Pages follow the same order, and archived people only when asked
    assert [p.first_name for p in people.search("", limit=2, offset=1)] == ["Ana", "Joe"]
    assert "Nuno" not in [p.first_name for p in people.search("nu")]
    assert "Nuno" in [p.first_name for p in people.search("nu", include_archived=True)]
    # Wildcards typed by a person are plain text
    assert people.search("%") == [] and people.search("_") == []
