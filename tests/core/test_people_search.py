"""The people search as you type, on both engines: the one rule, read from the lists in
directory order that migration 0020's triggers keep (``core/people/matching.py``)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import select, text
from tests import query_plans

from circlekeeper.core.people.matching import COUNT_LIMIT, Lookup, matching, pieces
from circlekeeper.core.people.people import PeopleCount, PeopleService, PersonData, search_text
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Person
from circlekeeper.core.store.types import utcnow
from circlekeeper.core.text import fold


def _add_many(db: Database, count: int, first: str, last: str) -> None:
    """``count`` people in one transaction, as a roster import or the demo writes them."""
    with db.sessions.begin() as session:
        for n in range(count):
            data = PersonData(first_name=f"{first}{n:04d}", last_name=last)
            fields = {k: v for k, v in vars(data).items() if k != "school"}
            session.add(Person(**fields, search_text=search_text(data)))


def _found_in(session: Any, typed: str, *, include_archived: bool = False) -> list[int]:
    """What the search finds, read on ``session`` (so inside its transaction)."""
    words = fold(typed).split()
    lookup = Lookup.of(session, words)
    query = matching(len(lookup.tested), include_archived=include_archived)
    return list(session.execute(query, lookup.params()).scalars())


def test_accents_and_case_are_ignored_in_names_and_ids(db: Database) -> None:
    people = PeopleService(db.sessions)
    jose = people.create(PersonData("José", "Núñez", external_id="s-1001")).id
    zoe = people.create(PersonData("ZOË", "Ångström", preferred_name="Zo")).id
    people.create(PersonData("Liam", "Smith", external_id="S2002"))

    def ids(typed: str) -> list[int]:
        return [p.id for p in people.search(typed)]

    for typed in ("nunez", "NÚÑEZ", "Núñez", "ÑU", "jose nu", "u", "é"):
        assert jose in ids(typed), typed
    for typed in ("zoe", "ZOË", "angstrom", "ÅNGST", "zo ang", "ström"):
        assert ids(typed) == [zoe], typed
    # An ID is found by any part of it, whatever case or spacing it was typed in
    assert ids("1001") == [jose] and ids("S-10") == [jose] and ids("s-1001 jo") == [jose]
    assert ids("2002") != [] and ids("nunez smith") == []
    assert people.count("NUNEZ") == PeopleCount(1)


def test_found_at_once_in_the_writers_own_transaction(db: Database) -> None:
    # Given a person added in a transaction that has not committed yet
    with db.sessions.begin() as session:
        data = PersonData("Amara", "Okafor", external_id="S7788")
        ana = Person(**{k: v for k, v in vars(data).items() if k != "school"},
                     search_text=search_text(data))  # fmt: skip
        session.add(ana)
        session.flush()
        # Then the same transaction finds her by any part of a name or the ID
        for typed in ("okafor", "ama", "o", "77", "s7788 ok"):
            assert _found_in(session, typed) == [ana.id], typed

        # When she is renamed, the old name stops finding her and the new one does
        ana.last_name = "Mensah"
        ana.search_text = search_text(PersonData("Amara", "Mensah", external_id="S7788"))
        session.flush()
        assert _found_in(session, "okafor") == [] and _found_in(session, "kaf") == []
        assert _found_in(session, "mensah") == [ana.id] and _found_in(session, "ens") == [ana.id]

        # When she is archived, she is found only when archived people are asked for
        ana.archived_at = utcnow()
        session.flush()
        assert _found_in(session, "mensah") == []
        assert _found_in(session, "mensah", include_archived=True) == [ana.id]

        # When she is deleted, nothing finds her, archived or not
        session.delete(ana)
        session.flush()
        assert _found_in(session, "amara", include_archived=True) == []


def test_the_service_sees_each_change_as_soon_as_it_is_saved(db: Database) -> None:
    people = PeopleService(db.sessions)
    row = people.create(PersonData("Rosa", "Quintero"))
    assert [p.id for p in people.search("quin")] == [row.id]
    people.update(row.id, PersonData("Rosa", "Delgado"))
    assert people.search("quin") == [] and [p.id for p in people.search("delg")] == [row.id]
    people.set_archived(row.id, True)
    assert people.search("delg") == [] and people.count("delg") == PeopleCount(0)
    assert [p.id for p in people.search("delg", include_archived=True)] == [row.id]
    assert people.count("delg", include_archived=True) == PeopleCount(1)
    people.set_archived(row.id, False)
    assert [p.id for p in people.search("rosa d")] == [row.id]

    # The sizes of lists the service counted to choose one are remembered; people added since
    # change which list is quickest, never who is found
    assert [p.id for p in people.search("delgado")] == [row.id]
    _add_many(db, 40, "Delia", "Gado")
    found = people.search("delgado")
    assert [p.id for p in found] == [row.id]
    assert len(people.search("gado")) == 41 and people.count("delia gado") == PeopleCount(40)


def test_the_count_is_exact_to_its_cap_and_says_more_beyond(db: Database) -> None:
    people = PeopleService(db.sessions)
    _add_many(db, COUNT_LIMIT, "Student", "Family")
    _add_many(db, 3, "Other", "Person")

    # Exactly at the cap the count is still whole
    assert people.count("student") == PeopleCount(COUNT_LIMIT)
    assert people.count("student0") == PeopleCount(COUNT_LIMIT)  # 0000-0999: all of them
    assert people.count("student09") == PeopleCount(100)
    assert people.count("other") == PeopleCount(3)

    assert people.page("student", limit=50).count == PeopleCount(COUNT_LIMIT)

    # One more and it says "more than", for a word, a letter and nothing typed alike
    _add_many(db, 1, "Student", "Zed")
    for typed in ("student", "s", "t", ""):
        assert people.count(typed) == PeopleCount(COUNT_LIMIT, more=True), typed
        assert people.page(typed, limit=50).count == PeopleCount(COUNT_LIMIT, more=True), typed
    assert people.count("zed") == PeopleCount(1)

    # The search itself is not capped: pages go on past the count's cap, in directory order
    last_page = people.search("student", limit=200, offset=COUNT_LIMIT - 199)
    assert len(last_page) == 200
    assert [p.last_name for p in last_page[-2:]] == ["Family", "Zed"]


def _alphabet_name(rng: random.Random) -> str:
    letters = "aeinorsmlt" + "áéñöç" + "-'"
    size = rng.randint(1, 7)
    return "".join(rng.choice(letters) for _ in range(size)).strip("-'") or "a"


def test_every_search_finds_exactly_what_the_rule_says_in_directory_order(db: Database) -> None:
    # Given people with short, accented, hyphenated names, some archived, some with an ID
    rng = random.Random(20)
    people = PeopleService(db.sessions)
    for n in range(150):
        first, last = _alphabet_name(rng).title(), _alphabet_name(rng).title()
        preferred = _alphabet_name(rng) if n % 7 == 0 else None
        external = f"S{rng.randint(0, 999):03d}{n}" if n % 3 else None
        row = people.create(PersonData(first, last, preferred_name=preferred, external_id=external))
        if n % 11 == 0:
            people.set_archived(row.id, True)
    with db.sessions() as session:
        ordered = session.execute(
            select(Person.id, Person.search_text, Person.archived_at).order_by(
                Person.last_name, Person.first_name, Person.id
            )
        ).all()
    texts = [t for _, t, _ in ordered]

    def expected(typed: str, include_archived: bool) -> list[int]:
        words = fold(typed).split()
        return [
            person_id
            for person_id, text_, archived_at in ordered
            if all(w in text_ for w in words) and (include_archived or archived_at is None)
        ]

    # When the directory is searched for pieces of what it holds, and for what it does not
    typed: list[str] = ["", "zz", "%", "_", "a_", "s1", "S 1"]
    for _ in range(60):
        source = rng.choice(texts)
        start = rng.randrange(len(source))
        typed.append(source[start : start + rng.randint(1, 6)].upper())
    for _ in range(20):
        typed.append(" ".join(rng.choice(texts).split()[:1] + [rng.choice("aeio")]))
    # Then each finds exactly the people the rule names, in the directory's order
    for each in typed:
        for include_archived in (False, True):
            want = expected(each, include_archived)
            found = people.search(each, limit=1000, include_archived=include_archived)
            assert [p.id for p in found] == want, (each, include_archived)
            counted = people.count(each, include_archived=include_archived)
            assert counted == PeopleCount(len(want)), each
            # The page with its count, in one statement: the same rows and the same count
            page = people.page(each, limit=7, include_archived=include_archived)
            assert [p.id for p in page.rows] == want[:7], (each, include_archived)
            assert page.count == PeopleCount(len(want)), each
    # And the lists hold exactly each person's pieces, as the Python statement of the rule says
    with db.sessions() as session:
        stored: dict[int, set[str]] = {}
        for gram, person_id in session.execute(text("SELECT gram, person_id FROM person_gram")):
            stored.setdefault(person_id, set()).add(gram)
    assert stored == {person_id: pieces(t) for person_id, t, _ in ordered if pieces(t)}


@pytest.mark.parametrize("typed", ["m", "ma", "mar", "maria", "maria g", "nu ez", "S10"])
def test_every_typed_search_and_count_reads_the_lists_never_the_directory(
    db: Database, typed: str
) -> None:
    people = PeopleService(db.sessions)
    for n, (first, last) in enumerate([("María", "García"), ("José", "Núñez"), ("Mark", "Smith")]):
        people.create(PersonData(first, last, external_id=f"S10{n}"))

    def run() -> None:
        people.search(typed)
        people.search(typed, include_archived=True, offset=1)
        people.search(typed, kind="student")
        people.count(typed)
        people.count(typed, include_archived=True)
        people.page(typed, limit=2)

    statements = [
        (s, p)
        for s, p in query_plans.statements(db, run)
        if s.lstrip().upper().startswith("SELECT")
    ]
    assert len(statements) >= 5
    for statement, parameters in statements:
        plan = query_plans.plan(db, statement, parameters)
        if db.engine.dialect.name == "sqlite":
            # No walk through the directory or the lists; each list is entered at its piece
            assert "SCAN person" not in plan, plan
            assert "SEARCH person_gram USING PRIMARY KEY (gram=?)" in plan, plan
        else:
            assert "Seq Scan on person" not in plan, plan
            assert "pk_person_gram" in plan, plan
