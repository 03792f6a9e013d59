"""Rosters exported from the systems schools use, made from their published column names.

Each file in tests/data/rosters is imported into a real database and every field is read back:
pre-K and TK are not grade 1, guardians come with their phone and email, and the district-wide
ID is the one kept when a file has two.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from circlekeeper.core.operations import Context
from circlekeeper.core.roster.commands import import_roster
from circlekeeper.core.roster.dates import read_date
from circlekeeper.core.roster.grades import canonical_grade, grade_order, next_grade
from circlekeeper.core.roster.reading import read_roster, split_name
from circlekeeper.core.roster.rows import RosterError
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import GuardianLink, Person

ROSTERS = Path(__file__).resolve().parents[1] / "data" / "rosters"

PERSON = (
    "first_name", "last_name", "kind", "grade", "school", "birth_date", "email", "phone",
    "gender", "race_ethnicity",
)  # fmt: skip


def stored(db: Database) -> dict[str, dict[str, object]]:
    """Everyone with an ID, by ID: their fields and their guardians' names and contacts."""
    with db.sessions() as session:
        people = {p.id: p for p in session.scalars(select(Person))}
        link = GuardianLink
        links = session.execute(
            select(link.student_id, link.guardian_id, link.relationship_label)
        ).all()
        out: dict[str, dict[str, object]] = {}
        for person in people.values():
            if person.external_id is None:
                continue
            fields: dict[str, object] = {n: getattr(person, n) for n in PERSON}
            fields["guardians"] = sorted(
                (g.first_name, g.last_name, g.phone, g.email, label)
                for student, guardian, label in links
                if student == person.id and (g := people[guardian])
            )
            out[person.external_id] = fields
        return out


def imported(db: Database, name: str) -> dict[str, dict[str, object]]:
    preview = read_roster(ROSTERS / name)
    assert preview.errors == []
    import_roster(Context(db.sessions, actor="test"), preview)
    return stored(db)


def student(grade: str | None, born: date | None, **more: object) -> dict[str, object]:
    values: dict[str, object] = dict.fromkeys(PERSON)
    values.update(kind="student", grade=grade, birth_date=born, guardians=[])
    values.update(more)
    return values


def test_powerschool_export_keeps_pre_k_and_the_home_phone_and_guardian_email(
    db: Database,
) -> None:
    people = imported(db, "powerschool_students.csv")
    assert read_roster(ROSTERS / "powerschool_students.csv").source == "powerschool"
    assert people == {
        # Grade_Level -1 is pre-K, never grade 1; 20210914 and 3/14/19 are dates.
        "100201": student(
            "PK", date(2021, 9, 14), first_name="Lucía", last_name="Ortega", gender="F",
            race_ethnicity="H",
            guardians=[("Rosa", "Ortega", "(555) 555-0141", "rosa.ortega@example.org", None)],
        ),
        "100202": student(
            "K", date(2019, 3, 14), first_name="Sam", last_name="Baker", gender="M",
            race_ethnicity="W",
            guardians=[("Dana", "Baker", "555-0142", "dana.baker@example.org", None)],
        ),
        "100203": student(
            "12", date(2008, 1, 30), first_name="Ada", last_name="Okafor", gender="F",
            race_ethnicity="B",
        ),
    }  # fmt: skip


def test_infinite_campus_ad_hoc_headers_and_contacts_are_understood(db: Database) -> None:
    people = imported(db, "infinite_campus_adhoc.csv")
    school = "Cedar Ridge Elementary"
    assert people == {
        "200301": student(
            "K", date(2020, 3, 14), first_name="Karim", last_name="Haddad", gender="M",
            school=school,
            guardians=[("Layla", "Haddad", "555-0151", "layla.haddad@example.org", "Mother")],
        ),
        "200302": student(
            "TK", date(2021, 9, 1), first_name="Greta", last_name="Schmidt", gender="F",
            school=school,
        ),
        "200303": student(
            "5", date(2014, 11, 30), first_name="Mateo", last_name="Ruiz", gender="M",
            school=school, guardians=[("Ana", "Ruiz", "555-0153", None, "Grandmother")],
        ),
    }  # fmt: skip


def test_skyward_combined_names_are_split_and_other_id_is_kept(db: Database) -> None:
    people = imported(db, "skyward_students.csv")
    assert people == {
        "400401": student(
            "12", date(2007, 3, 14), first_name="Thao", last_name="Nguyen", gender="F",
            school="Lakeview High", race_ethnicity="Asian",
            guardians=[("Linh", "Nguyen", "555-0161", "linh.nguyen@example.org", None)],
        ),
        "400402": student(
            "K", date(2019, 8, 2), first_name="Marcus", last_name="Johnson", gender="M",
            school="Lakeview Elementary", race_ethnicity="Black or African American",
            guardians=[("Tanya", "Johnson", "555-0162", None, None)],
        ),
        "400403": student(
            "PK", date(2021, 5, 6), first_name="Isabel", last_name="Walker-Reyes", gender="F",
            school="Lakeview Elementary", race_ethnicity="Hispanic or Latino",
        ),
    }  # fmt: skip


def test_aeries_field_codes_keep_the_perm_id_not_the_school_number(db: Database) -> None:
    people = imported(db, "aeries_fields.csv")
    assert people == {
        "300501": student(
            "PK", date(2022, 2, 9), first_name="Yuki", last_name="Tanaka", gender="F",
            guardians=[("Emi", "Tanaka", "555-0171", "emi.tanaka@example.org", None)],
        ),
        "300502": student(
            "TK", date(2020, 10, 21), first_name="Diego", last_name="Moreno", gender="M",
            guardians=[("Luis", "Moreno", "555-0172", None, None)],
        ),
        "300503": student(
            "9", date(2011, 7, 4), first_name="Hanna", last_name="Fischer", gender="F",
            email="hanna.fischer@students.example.org",
        ),
    }  # fmt: skip


def test_aeries_labelled_export_prefers_the_perm_id(tmp_path: Path) -> None:
    path = tmp_path / "aeries.csv"
    path.write_text("Student Number,Perm ID,Last Name,First Name,Grade\n12,300777,Li,Wei,3\n")
    preview = read_roster(path)
    assert preview.source == "aeries"
    assert preview.rows[0].data.external_id == "300777"
    assert "Student Number" in preview.unmapped


def test_oneroster_users_file_makes_staff_and_links_guardian_rows(db: Database) -> None:
    people = imported(db, "oneroster_users.csv")
    assert people == {
        "500601": student(
            "K", None, first_name="Ama", last_name="Boateng",
            email="ama.boateng@students.example.org",
            guardians=[("Kofi", "Boateng", "555-0182", "kofi.boateng@example.org", None)],
        ),
        "500602": student("9", None, first_name="Leo", last_name="Park"),
        "T-7001": student(
            None, None, kind="staff", first_name="Jordan", last_name="Adams",
            email="j.adams@example.org", phone="555-0181",
        ),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("-1", "PK"), ("-2", "PK"), ("PK", "PK"), ("Pre-K", "PK"), ("TK", "TK"),
        ("KG", "K"), ("Kindergarten", "K"), ("0", "K"), ("00", "K"), ("K", "K"),
        ("01", "1"), ("1st", "1"), ("Grade 7", "7"), ("7.0", "7"), ("12th", "12"),
        ("13", None), ("Senior", "12"), ("adult", None),
    ],
)  # fmt: skip
def test_grades_have_one_canonical_form(written: str, canonical: str | None) -> None:
    assert canonical_grade(written) == canonical


def test_grades_sort_and_move_up_in_school_order() -> None:
    assert sorted(["3", "K", "12", "TK", "PK", "1"], key=grade_order) == [
        "PK", "TK", "K", "1", "3", "12",
    ]  # fmt: skip
    assert [next_grade(g) for g in ("PK", "TK", "K", "8", "12")] == ["K", "K", "1", "9", None]


@pytest.mark.parametrize(
    "written",
    ["2013-03-14", "3/14/2013", "3/14/13", "03-14-2013", "20130314", "March 14, 2013",
     "14 Mar 2013", "3/14/2013 12:00:00 AM"],
)  # fmt: skip
def test_dates_in_every_common_us_spelling(written: str) -> None:
    assert read_date(written).only == date(2013, 3, 14)


def test_ambiguous_dates_follow_the_file_or_are_reported(tmp_path: Path) -> None:
    header = "Student ID,First Name,Last Name,Birth Date\n"
    us = tmp_path / "us.csv"
    us.write_text(header + "1,Ana,Ruiz,04/03/2012\n2,Bo,Lee,3/14/2012\n")
    assert read_roster(us).rows[0].data.birth_date == date(2012, 4, 3)
    day_first = tmp_path / "day_first.csv"
    day_first.write_text(header + "1,Ana,Ruiz,04/03/2012\n2,Bo,Lee,14/03/2012\n")
    preview = read_roster(day_first)
    assert preview.rows[0].data.birth_date == date(2012, 3, 4)
    assert any("day first" in n for n in preview.notes)
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(header + "1,Ana,Ruiz,04/03/2012\n2,Bo,Lee,14/03/2012\n3,Cy,Ng,3/14/2012\n")
    preview = read_roster(mixed)
    assert [e.line_number for e in preview.errors] == [2]
    assert "April 3, 2012 or March 4, 2012" in preview.errors[0].message
    assert [r.line_number for r in preview.rows] == [3, 4]


def test_combined_names_split_with_or_without_a_comma() -> None:
    assert split_name("Lopez, Maria J") == ("Maria", "Lopez")
    assert split_name("Lopez, Mary Ann") == ("Mary Ann", "Lopez")
    assert split_name("Maria Lopez") == ("Maria", "Lopez")
    assert split_name("Cher") is None


def test_an_excel_workbook_is_read_and_several_sheets_ask_which(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from circlekeeper.core.roster.sources import SheetChoiceNeeded

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Students"
    sheet.append(["Student ID", "First Name", "Last Name", "Grade", "DOB"])
    sheet.append([1001, "Ana", "Ruiz", -1, date(2021, 9, 14)])
    one = tmp_path / "one.xlsx"
    book.save(one)
    preview = read_roster(one)
    row = preview.rows[0]
    assert (row.data.external_id, row.data.grade, row.data.birth_date) == (
        "1001", "PK", date(2021, 9, 14),
    )  # fmt: skip
    other = book.create_sheet("Staff")
    other.append(["Staff ID", "First Name", "Last Name"])
    several = tmp_path / "several.xlsx"
    book.save(several)
    with pytest.raises(SheetChoiceNeeded) as caught:
        read_roster(several)
    assert caught.value.sheets == ["Students", "Staff"]
    assert read_roster(several, sheet="students").rows[0].data.first_name == "Ana"
    with pytest.raises(RosterError, match="no sheet named 'Teachers'"):
        read_roster(several, sheet="Teachers")
