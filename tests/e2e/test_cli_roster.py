"""``people import`` with SIS exports, --map, --sheet, --archive-missing and ``end-of-year``.

Every bad choice exits 2 with a plain message and leaves the database file byte for byte as
it was.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

ROSTERS = Path(__file__).resolve().parents[1] / "data" / "rosters"
POWERSCHOOL = ROSTERS / "powerschool_students.csv"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def grades(path: Path) -> dict[str, tuple[str | None, bool]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT external_id, grade, archived_at IS NOT NULL FROM person "
            "WHERE external_id IS NOT NULL"
        ).fetchall()
    finally:
        conn.close()
    return {r[0]: (r[1], bool(r[2])) for r in rows}


def test_powerschool_reimport_is_reviewed_field_by_field_then_archives_the_missing(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    first = run_cli("people", "import", str(POWERSCHOOL), "--database", str(db_path))
    assert first.returncode == 0, first.stderr
    assert "a PowerSchool export" in first.stderr and "Grade_Level → grade" in first.stderr
    assert grades(db_path)["100201"] == ("PK", False)
    second = tmp_path / "fall.csv"
    lines = POWERSCHOOL.read_text(encoding="utf-8").splitlines()
    second.write_text("\n".join([lines[0], lines[1].replace(",-1,", ",0,"), lines[2]]) + "\n")
    before = digest(db_path)
    review = run_cli(
        "people", "import", str(second), "--dry-run", "--archive-missing",
        "--database", str(db_path),
    )  # fmt: skip
    assert review.returncode == 0, review.stderr
    assert "changed (line 2): Lucía Ortega (100201): grade PK → K" in review.stdout
    assert "would be archived: Ada Okafor (100203)" in review.stdout
    assert "0 new, 1 updated, 1 unchanged" in review.stdout
    assert digest(db_path) == before
    done = run_cli("people", "import", str(second), "--archive-missing", "--database", str(db_path))
    assert done.returncode == 0, done.stderr
    assert "1 archived (not on the roster)" in done.stdout
    assert grades(db_path) == {
        "100201": ("K", False), "100202": ("K", False), "100203": ("12", True),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--map", "Homeroom=school"], "There is no column 'Homeroom'"),
        (["--map", "SchoolID=shoe size"], "'shoe size' is not a field"),
        (["--map", "SchoolID=grade", "--map", "Grade_Level=grade"], "both chosen for the grade"),
        (["--map", "SchoolID"], "is not COLUMN=FIELD"),
    ],
)
def test_bad_column_choices_exit_2_and_change_nothing(
    run_cli, db_path: Path, options: list[str], expected: str
) -> None:
    before = digest(db_path)
    result = run_cli("people", "import", str(POWERSCHOOL), *options, "--database", str(db_path))
    assert result.returncode == 2
    assert expected in result.stderr
    assert digest(db_path) == before


def test_a_saved_choice_is_reused_and_a_stale_one_refused_until_forgotten(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    roster = tmp_path / "ps.csv"
    roster.write_text(
        "Student_Number,First_Name,Last_Name,Grade_Level,Homeroom\n9,Ana,Ruiz,3,Room 4\n"
    )
    made = run_cli(
        "people", "import", str(roster), "--map", "Homeroom=school", "--database", str(db_path)
    )
    assert made.returncode == 0, made.stderr
    again = run_cli("people", "import", str(roster), "--dry-run", "--database", str(db_path))
    assert "Homeroom → school" in again.stderr
    roster.write_text(roster.read_text().replace("Homeroom", "Advisory"))
    before = digest(db_path)
    stale = run_cli("people", "import", str(roster), "--database", str(db_path))
    assert stale.returncode == 2
    assert "saved for PowerSchool files name the column 'Homeroom'" in stale.stderr
    assert digest(db_path) == before
    fresh = run_cli("people", "import", str(roster), "--forget-map", "--database", str(db_path))
    assert fresh.returncode == 0, fresh.stderr
    after = run_cli("people", "import", str(roster), "--dry-run", "--database", str(db_path))
    assert after.returncode == 0, after.stderr


def test_a_workbook_with_several_sheets_asks_which(run_cli, db_path: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    students = book.active
    assert students is not None
    students.title = "Students"
    students.append(["Student ID", "First Name", "Last Name", "Grade"])
    students.append([1001, "Ana", "Ruiz", "KG"])
    staff = book.create_sheet("Staff")
    staff.append(["Staff ID", "First Name", "Last Name"])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    before = digest(db_path)
    asked = run_cli("people", "import", str(path), "--database", str(db_path))
    assert asked.returncode == 2
    assert "several sheets" in asked.stderr and "--sheet 'Students'" in asked.stderr
    assert digest(db_path) == before
    done = run_cli("people", "import", str(path), "--sheet", "Students", "--database", str(db_path))
    assert done.returncode == 0, done.stderr
    assert grades(db_path) == {"1001": ("K", False)}


def test_a_date_read_two_ways_is_reported_with_its_line(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    roster = tmp_path / "dates.csv"
    roster.write_text(
        "Student ID,First Name,Last Name,DOB\n1,Ana,Ruiz,14/03/2012\n2,Bo,Lee,3/14/2012\n"
        "3,Cy,Ng,04/03/2012\n"
    )
    before = digest(db_path)
    result = run_cli("people", "import", str(roster), "--database", str(db_path))
    assert result.returncode == 2
    assert f"{roster}:4: birth date '04/03/2012' could be April 3, 2012 or March 4" in result.stderr
    assert digest(db_path) == before


def test_end_of_year_is_reviewed_then_applied_once(run_cli, db_path: Path) -> None:
    assert run_cli("people", "import", str(POWERSCHOOL), "--database", str(db_path)).returncode == 0
    review = run_cli("people", "end-of-year", "--dry-run", "--database", str(db_path))
    assert review.returncode == 0, review.stderr
    assert "Lucía Ortega: grade PK → K" in review.stdout
    assert "Ada Okafor: grade 12, leaves" in review.stdout
    done = run_cli("people", "end-of-year", "--database", str(db_path))
    assert done.returncode == 0, done.stderr
    assert "2 students moved up a grade, 1 archived" in done.stdout
    before = digest(db_path)
    twice = run_cli("people", "end-of-year", "--database", str(db_path))
    assert twice.returncode == 2 and "already closed" in twice.stderr
    assert digest(db_path) == before
    assert grades(db_path) == {
        "100201": ("K", False), "100202": ("1", False), "100203": ("12", True),
    }  # fmt: skip
