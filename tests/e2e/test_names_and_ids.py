"""Names and IDs as people type them and SIS exports write them, through every saving path.

IDs that differ only in case or spaces are one person (roster import, the people form and
search agree); bidi overrides, zero-width and control characters never reach a saved name.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.store.database import Database, open_database
from circlekeeper.core.text import clean_name, clean_text, normalise_id

# "Ana" + RIGHT-TO-LEFT OVERRIDE + "ziuR", a zero-width space, a BOM, a BEL and an isolate.
SPOOFED_FIRST = "A\u200bna\u202e"
SPOOFED_LAST = "\u2066Ru\ufeffiz\u2069\x07"


def _people(path: Path) -> list[tuple[str | None, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT external_id, first_name, last_name FROM person ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_rules_in_one_place() -> None:
    assert normalise_id("  s 12 34\t") == normalise_id("S1234") == "S1234"
    assert clean_name(SPOOFED_FIRST) == "Ana" and clean_name(SPOOFED_LAST) == "Ruiz"
    assert clean_name("Mary\x00-Kate\u200d  Miller\n") == "Mary-Kate Miller"
    assert clean_text("line one\x1b\n\tline two\x7f", multiline=True) == "line one\n\tline two"


def test_roster_ids_differing_in_case_or_spaces_are_one_person(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("Student ID,First Name,Last Name\ns 1234,Ana,Ruiz\n", encoding="utf-8")
    first = run_cli("people", "import", str(roster), "--database", str(db_path))
    assert first.returncode == 0, first.stderr
    # When the next export writes the same ID in upper case without the space
    roster.write_text("Student ID,First Name,Last Name\nS1234,Ana,Ruiz\n", encoding="utf-8")
    second = run_cli("people", "import", str(roster), "--database", str(db_path))
    # Then it is the same person, not a second one
    assert second.returncode == 0, second.stderr
    assert "0 new" in second.stdout and "1 unchanged" in second.stdout
    assert _people(db_path) == [("S1234", "Ana", "Ruiz")]


def test_one_roster_with_one_id_written_twice_is_refused(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Student ID,First Name,Last Name\nS1234,Ana,Ruiz\ns 1234,Ana,Ruiz\n", encoding="utf-8"
    )
    before = _digest(db_path)
    result = run_cli("people", "import", str(roster), "--database", str(db_path))
    assert result.returncode == 2
    assert f"{roster}:2: student ID S1234 appears again on line 3" in result.stderr
    assert "nothing was imported" in result.stderr
    assert _digest(db_path) == before


def test_an_id_saved_by_an_older_release_still_matches(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    # Given a person saved before IDs were normalised
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO person (uuid, kind, first_name, last_name, external_id, search_text, "
        "created_at, updated_at) VALUES ('legacy-1', 'student', 'Ana', 'Ruiz', 's 1234', "
        "'ana ruiz s 1234', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00')"
    )
    conn.commit()
    conn.close()
    roster = tmp_path / "roster.csv"
    roster.write_text("Student ID,First Name,Last Name,Grade\nS1234,Ana,Ruiz,7\n", "utf-8")
    result = run_cli("people", "import", str(roster), "--database", str(db_path))
    assert result.returncode == 0, result.stderr
    assert "0 new, 1 updated" in result.stdout
    # And the ID now has its normal form, so search finds it however it is typed
    assert _people(db_path) == [("S1234", "Ana", "Ruiz")]
    db = open_database(db_path)
    try:
        assert [r.last_name for r in PeopleService(db.sessions).search("s1234")] == ["Ruiz"]
    finally:
        db.close()


def test_people_form_and_search_treat_id_spellings_as_one(db: Database) -> None:
    people = PeopleService(db.sessions)
    saved = people.create(PersonData("Ana", "Ruiz", external_id=" s 12 34 "))
    assert saved.external_id == "S1234"
    for typed in ("s1234", "S 1234", "S1234"):
        assert [r.id for r in people.search(typed)] == [saved.id], typed
    found = people.find_by_external_id("s 1234")
    assert found is not None and found.id == saved.id


def test_roster_import_strips_bidi_and_zero_width_from_names(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        f"Student ID,First Name,Last Name,Parent/Guardian\n"
        f"77,{SPOOFED_FIRST},{SPOOFED_LAST},Mar\u200bía \u202eRuiz\n",
        encoding="utf-8",
    )
    result = run_cli("people", "import", str(roster), "--database", str(db_path))
    assert result.returncode == 0, result.stderr
    assert sorted(_people(db_path), key=str) == sorted(
        [("77", "Ana", "Ruiz"), (None, "María", "Ruiz")], key=str
    )


def test_people_form_strips_bidi_and_zero_width_from_names(db: Database) -> None:
    people = PeopleService(db.sessions)
    saved = people.create(PersonData(SPOOFED_FIRST, SPOOFED_LAST, preferred_name="\u200dAni"))
    assert (saved.first_name, saved.last_name, saved.preferred_name) == ("Ana", "Ruiz", "Ani")
    edited = people.update(saved.id, PersonData("Ana\u202d", "Ru\u2060iz"))
    assert (edited.first_name, edited.last_name) == ("Ana", "Ruiz")
    assert [r.id for r in people.search("ruiz")] == [saved.id]
