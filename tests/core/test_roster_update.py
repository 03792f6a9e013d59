"""Re-importing a roster is an update: reviewed field by field, with the missing archived on
request; column choices are kept per system; the end of a year moves everyone up a grade."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from circlekeeper.core.operations import Context
from circlekeeper.core.problems import InvalidInput, NotPermitted
from circlekeeper.core.profiles.viewer import ProfileRole, Viewer
from circlekeeper.core.roster.commands import import_roster
from circlekeeper.core.roster.queries import compare, saved_mappings
from circlekeeper.core.roster.reading import read_roster
from circlekeeper.core.roster.rows import FieldChange, RosterError
from circlekeeper.core.roster.year_end import close_school_year, plan_year_end
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Person

HEADER = "Student ID,First Name,Last Name,Grade,School,Gender\n"
FIRST = HEADER + (
    "1,Ana,Ruiz,PK,Cedar,F\n2,Bo,Lee,5,Cedar,M\n3,Cy,Ng,12,Cedar,\n4,Di,Oz,7,Birch,F\n"
)


def write(tmp_path: Path, text: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def people(db: Database) -> dict[str, tuple[str | None, bool]]:
    with db.sessions() as session:
        return {
            p.external_id or "": (p.grade, p.archived_at is not None)
            for p in session.scalars(select(Person))
        }


def test_reimport_preview_lists_new_changed_field_by_field_unchanged_and_missing(
    tmp_path: Path, db: Database
) -> None:
    ctx = Context(db.sessions, actor="test")
    import_roster(ctx, read_roster(write(tmp_path, FIRST)))
    second = read_roster(
        write(tmp_path, HEADER + "1,Ana,Ruiz,TK,Cedar,F\n2,Bo,Lee,5,Cedar,M\n5,Ed,Yu,K,Cedar,\n")
    )
    plan = compare(ctx, second)
    assert (plan.new, plan.updated, plan.unchanged) == (1, 1, 1)
    by_id = {r.data.external_id: r for r in second.rows}
    assert by_id["1"].action == "update"
    assert by_id["1"].changes == (FieldChange("grade", "PK", "TK"),)
    assert by_id["2"].action == "unchanged" and by_id["5"].action == "new"
    # Only Cedar's students can be missing from Cedar's roster: Di at Birch is not.
    assert [(m.name, m.external_id) for m in plan.missing] == [("Cy Ng", "3")]
    assert people(db)["1"] == ("PK", False)  # the preview changed nothing

    result = import_roster(ctx, second, archive_missing=True)
    assert (result.created, result.updated, result.unchanged, result.archived) == (1, 1, 1, 1)
    assert people(db) == {
        "1": ("TK", False), "2": ("5", False), "3": ("12", True), "4": ("7", False),
        "5": ("K", False),
    }  # fmt: skip


def test_a_bad_line_still_counts_as_listing_its_student(tmp_path: Path, db: Database) -> None:
    ctx = Context(db.sessions, actor="test")
    import_roster(ctx, read_roster(write(tmp_path, FIRST)))
    second = read_roster(write(tmp_path, FIRST.replace("3,Cy,Ng,12", "3,Cy,Ng,13")))
    assert second.bad_lines == [4]
    assert compare(ctx, second).missing == ()
    import_roster(ctx, second, skip_bad_rows=True, archive_missing=True)
    assert people(db)["3"] == ("12", False)


def test_an_sro_preview_shows_no_demographic_change(tmp_path: Path, db: Database) -> None:
    admin = Context(db.sessions, actor="test")
    import_roster(admin, read_roster(write(tmp_path, FIRST)))
    changed = read_roster(
        write(tmp_path, FIRST.replace("2,Bo,Lee,5,Cedar,M", "2,Bo,Lee,6,Cedar,X"))
    )
    sro = Context(db.sessions, actor="officer", viewer=Viewer("officer", ProfileRole.SRO.value))
    compare(sro, changed)
    row = next(r for r in changed.rows if r.data.external_id == "2")
    assert row.changes == (FieldChange("grade", "5", "6"),)
    compare(admin, changed)
    assert {c.name for c in row.changes} == {"grade", "gender"}


def test_column_choices_are_saved_per_system_and_a_stale_one_is_refused(
    tmp_path: Path, db: Database
) -> None:
    ctx = Context(db.sessions, actor="test")
    text = "Student_Number,First_Name,Last_Name,Grade_Level,Homeroom\n9,Ana,Ruiz,3,Room 4\n"
    path = write(tmp_path, text)
    preview = read_roster(path, mapping={"Homeroom": "school", "Grade_Level": ""})
    assert preview.source == "powerschool"
    assert preview.mapping["Homeroom"] == "school" and "Grade_Level" not in preview.mapping
    import_roster(ctx, preview)
    saved = saved_mappings(ctx)
    assert saved == {"powerschool": {"Grade_Level": "", "Homeroom": "school"}}
    again = read_roster(path, saved=saved)
    assert again.mapping["Homeroom"] == "school" and "Grade_Level" not in again.mapping
    stale = write(tmp_path, text.replace("Homeroom", "Advisory"), "stale.csv")
    with pytest.raises(RosterError, match="saved for PowerSchool files name the column 'Homeroom'"):
        read_roster(stale, saved=saved)
    # Other systems' files are not touched by PowerSchool's choices.
    generic = write(tmp_path, "Student ID,First Name,Last Name\n1,Bo,Lee\n", "generic.csv")
    assert read_roster(generic, saved=saved).source == "generic"


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        ({"Nope": "grade"}, "no column 'Nope'"),
        ({"Homeroom": "shoe size"}, "'shoe size' is not a field"),
        ({"Homeroom": "grade", "Grade_Level": "grade"}, "both chosen for the grade"),
    ],
)
def test_bad_column_choices_are_refused_plainly(
    tmp_path: Path, mapping: dict[str, str], expected: str
) -> None:
    path = write(tmp_path, "Student_Number,First_Name,Last_Name,Grade_Level,Homeroom\n9,A,B,3,4\n")
    with pytest.raises(RosterError, match=expected):
        read_roster(path, mapping=mapping)


def test_end_of_year_moves_everyone_up_and_archives_leavers_once(
    tmp_path: Path, db: Database
) -> None:
    ctx = Context(db.sessions, actor="test", clock=lambda: datetime(2027, 6, 20, tzinfo=UTC))
    import_roster(ctx, read_roster(write(tmp_path, FIRST)))
    plan = plan_year_end(ctx)
    assert [(m.name, m.old, m.new) for m in plan.moves] == [
        ("Ana Ruiz", "PK", "K"), ("Bo Lee", "5", "6"), ("Di Oz", "7", "8"), ("Cy Ng", "12", None),
    ]  # fmt: skip
    assert people(db)["1"] == ("PK", False)  # planning changed nothing
    assert close_school_year(ctx, plan) == (3, 1)
    assert people(db) == {
        "1": ("K", False), "2": ("6", False), "3": ("12", True), "4": ("8", False),
    }  # fmt: skip
    with pytest.raises(InvalidInput, match="already closed on 2027-06-20"):
        close_school_year(ctx, plan_year_end(ctx))
    assert people(db)["2"] == ("6", False)
    assert close_school_year(ctx, plan_year_end(ctx), again=True) == (3, 0)


def test_a_guardians_new_phone_updates_the_guardian_instead_of_making_another(
    tmp_path: Path, db: Database
) -> None:
    ctx = Context(db.sessions, actor="test")
    header = "Student ID,First Name,Last Name,Guardian Name,Guardian Phone,Guardian Email\n"
    import_roster(ctx, read_roster(write(tmp_path, header + "1,Ana,Ruiz,Rosa Ruiz,555-0101,\n")))
    second = read_roster(
        write(tmp_path, header + "1,Ana,Ruiz,Rosa Ruiz,555-0199,rosa@example.org\n")
    )
    compare(ctx, second)
    assert second.rows[0].changes == (
        FieldChange("guardian_phone", "555-0101", "555-0199"),
        FieldChange("guardian_email", None, "rosa@example.org"),
    )
    result = import_roster(ctx, second)
    assert (result.updated, result.guardians_linked) == (1, 0)
    with db.sessions() as session:
        guardians = session.execute(
            select(Person.first_name, Person.phone, Person.email).where(Person.kind == "guardian")
        ).all()
    assert guardians == [("Rosa", "555-0199", "rosa@example.org")]


def test_an_sro_neither_archives_the_missing_nor_closes_the_year(
    tmp_path: Path, db: Database
) -> None:
    import_roster(Context(db.sessions, actor="test"), read_roster(write(tmp_path, FIRST)))
    sro = Context(db.sessions, actor="officer", viewer=Viewer("officer", ProfileRole.SRO.value))
    shorter = read_roster(write(tmp_path, HEADER + "1,Ana,Ruiz,PK,Cedar,F\n"))
    with pytest.raises(NotPermitted, match="archive the students"):
        import_roster(sro, shorter, archive_missing=True)
    with pytest.raises(NotPermitted, match="close the school year"):
        close_school_year(sro, plan_year_end(sro))
    assert people(db)["3"] == ("12", False) and people(db)["2"] == ("5", False)
