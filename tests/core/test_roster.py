"""Reading and importing rosters exported from a student information system."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from circlekeeper.core.operations import Context
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.roster.commands import import_roster
from circlekeeper.core.roster.queries import compare
from circlekeeper.core.roster.reading import read_roster
from circlekeeper.core.roster.rows import ImportCancelled, RosterError
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import AuditEvent, GuardianLink, Person

GOOD = (
    "Student ID,Legal First Name,Last Name,Preferred Name,Grade Level,School Name,DOB,"
    "Parent/Guardian,Guardian Phone,Race/Ethnicity\n"
    '1001,José,Núñez,Pepe,07,Cedar Ridge,2012-03-04,"Núñez, María",(555) 555-0101,'
    "Hispanic or Latino\n"
    "1002,Zoë,O'Brien-Okafor,,K,Cedar Ridge,3/4/2019,Ada Okafor,555-0102,\n"
    "1003,Thảo,Nguyễn,,12,Cedar Ridge,03/14/2007,,,Asian\n"
    '1004,Luis,Núñez,,9,Cedar Ridge,,"Núñez, María",(555) 555-0101,\n'
)


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def count(db: Database, model: type) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_good_roster_is_read_with_its_columns_understood(tmp_path: Path) -> None:
    preview = read_roster(write(tmp_path, GOOD))
    assert preview.errors == []
    assert preview.encoding == "UTF-8"
    assert preview.mapping["Legal First Name"] == "first_name"
    assert preview.mapping["DOB"] == "birth_date"
    assert preview.mapping["Parent/Guardian"] == "guardian_name"
    assert [r.line_number for r in preview.rows] == [2, 3, 4, 5]
    first = preview.rows[0]
    assert (first.data.first_name, first.data.last_name, first.data.grade) == ("José", "Núñez", "7")
    assert first.guardian is not None and first.guardian.first_name == "María"
    assert preview.rows[1].data.birth_date.isoformat() == "2019-03-04"
    assert preview.rows[1].data.grade == "K"


def test_good_roster_is_imported_with_accents_and_shared_guardian(
    tmp_path: Path, db: Database
) -> None:
    preview = read_roster(write(tmp_path, GOOD))
    result = import_roster(Context(db.sessions, actor="test"), preview)
    assert (result.created, result.updated, result.skipped) == (4, 0, 0)
    assert result.guardians_linked == 3
    with db.sessions() as session:
        jose = session.scalars(select(Person).where(Person.external_id == "1001")).one()
        assert (jose.first_name, jose.last_name, jose.preferred_name) == ("José", "Núñez", "Pepe")
        assert "nunez" in jose.search_text and jose.uuid and jose.created_at.tzinfo
        # Siblings with the same guardian share one guardian record.
        marias = session.scalars(select(Person).where(Person.first_name == "María")).all()
        assert len(marias) == 1
        assert (
            session.scalar(select(func.count()).where(GuardianLink.guardian_id == marias[0].id))
            == 2
        )
        events = session.scalars(select(AuditEvent).where(AuditEvent.entity == "roster")).all()
    assert len(events) == 1 and '"created": 4' in events[0].detail


def test_latin1_and_windows_files_are_read_correctly(tmp_path: Path) -> None:
    text = "Student ID;First Name;Last Name\r\n2001;José;Núñez\r\n2002;Chloé;Peña\r\n"
    preview = read_roster(write(tmp_path, text, "cp1252"))
    assert preview.encoding == "Windows-1252"
    assert preview.delimiter == ";"
    assert [(r.data.first_name, r.data.last_name) for r in preview.rows] == [
        ("José", "Núñez"),
        ("Chloé", "Peña"),
    ]
    bom = read_roster(write(tmp_path, "\ufeffID\tGiven Name\tSurname\n1\tZoë\tKim\n", name="b.txt"))
    assert bom.encoding == "UTF-8 (with BOM)" and bom.columns[0] == "ID"
    assert bom.rows[0].data.first_name == "Zoë"


def test_missing_columns_are_named_with_the_columns_found(tmp_path: Path) -> None:
    path = write(tmp_path, "Pupil,Grade\nJosé Núñez,7\n")
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    message = str(caught.value)
    assert "student ID" in message and "first name" in message and "last name" in message
    assert "'Pupil', 'Grade'" in message


def test_duplicate_ids_name_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "ID,First Name,Last Name\n7,Ana,Ruiz\n8,Ben,Cole\n7,Ana,Ruiz\n")
    preview = read_roster(path)
    assert [r.data.external_id for r in preview.rows] == ["8"]
    messages = {e.line_number: e.message for e in preview.errors}
    assert set(messages) == {2, 4}
    assert "line 2" in messages[4] and "line 4" in messages[2]


def test_bad_values_are_reported_on_their_physical_line(tmp_path: Path) -> None:
    text = (
        "ID,First Name,Last Name,Birth Date,Grade,Notes\n"
        '1,Ana,Ruiz,2011-02-30,6,"a note\nover two lines"\n'
        "2,,Cole,03/04/2010,7,\n"
        "3,Eve,Lam,40/40/2010,14,\n"
        f"4,{'A' * 101},Long,,8,\n"
    )
    preview = read_roster(write(tmp_path, text))
    by_line: dict[int, list[str]] = {}
    for error in preview.errors:
        by_line.setdefault(error.line_number, []).append(error.message)
    assert set(by_line) == {2, 4, 5, 6}  # line 3 is the second line of a quoted note
    assert any("'2011-02-30'" in m for m in by_line[2])
    assert any("first name is empty" in m for m in by_line[4])
    assert any("'40/40/2010'" in m for m in by_line[5]) and any("'14'" in m for m in by_line[5])
    assert any("101 characters" in m for m in by_line[6])
    assert preview.unmapped == ["Notes"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"  \r\n\r\n", "is empty"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
        (b"\x00\x01\x02\x03binary\x00\xff", "not a text file"),
    ],
)
def test_unusable_files_get_a_clear_message(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(content)
    with pytest.raises(RosterError, match=expected):
        read_roster(path)


def test_missing_file_and_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="does not exist"):
        read_roster(tmp_path / "nope.csv")
    with pytest.raises(RosterError, match="is a folder"):
        read_roster(tmp_path)


def test_rows_with_problems_stop_the_whole_import(tmp_path: Path, db: Database) -> None:
    preview = read_roster(write(tmp_path, "ID,First Name,Last Name\n1,Ana,Ruiz\n2,,Cole\n"))
    before = count(db, Person)
    with pytest.raises(InvalidInput) as caught:
        import_roster(db.sessions, preview)
    assert "1 row with a problem; nothing was imported" in str(caught.value)
    assert "line 3" in str(caught.value)
    assert count(db, Person) == before
    assert count(db, AuditEvent) == 0


def test_skip_bad_rows_imports_the_good_ones(tmp_path: Path, db: Database) -> None:
    preview = read_roster(write(tmp_path, "ID,First Name,Last Name\n1,Ana,Ruiz\n2,,Cole\n"))
    result = import_roster(db.sessions, preview, skip_bad_rows=True)
    assert (result.created, result.skipped) == (1, 1)
    assert count(db, Person) == 1


def test_reimport_updates_instead_of_duplicating(tmp_path: Path, db: Database) -> None:
    import_roster(db.sessions, read_roster(write(tmp_path, GOOD)))
    with db.sessions.begin() as session:
        jose = session.scalars(select(Person).where(Person.external_id == "1001")).one()
        jose.pronouns = "he/him"  # recorded by a counselor, not in the SIS
    changed = GOOD.replace("1003,Thảo,Nguyễn,,12", "1003,Thảo,Nguyễn-Lê,,12")
    preview = read_roster(write(tmp_path, changed, name="again.csv"))
    plan = compare(db.sessions, preview)
    assert (plan.new, plan.updated, plan.unchanged) == (0, 1, 3)
    result = import_roster(db.sessions, preview)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    assert result.guardians_linked == 0
    assert count(db, Person) == 4 + 2  # students and two guardians, nobody twice
    with db.sessions() as session:
        thao = session.scalars(select(Person).where(Person.external_id == "1003")).one()
        jose = session.scalars(select(Person).where(Person.external_id == "1001")).one()
    assert thao.last_name == "Nguyễn-Lê" and "nguyen-le" in thao.search_text
    assert jose.pronouns == "he/him"


def test_cancel_rolls_everything_back(tmp_path: Path, db: Database) -> None:
    preview = read_roster(write(tmp_path, GOOD))
    with pytest.raises(ImportCancelled):
        import_roster(db.sessions, preview, cancelled=lambda: True)
    assert count(db, Person) == 0
    assert count(db, AuditEvent) == 0
