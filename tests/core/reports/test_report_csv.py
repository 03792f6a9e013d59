"""The tidy CSV: one row per figure, suppressed values empty, text that a spreadsheet would run
as a formula neutralised."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.core.reports.report_seed import AS_OF, END, NORTH, START

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.export.cells import neutralise
from circlekeeper.core.export.report_csv import write_csv
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.reports.engine import build_report
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Person


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_get_an_apostrophe(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Cafeteria", "1 referral", "", "a=b", "'quoted"])
def test_plain_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text


def test_a_place_typed_as_a_formula_is_written_as_text(
    programme_db: Database, tmp_path: Path
) -> None:
    # Given a referral whose place someone typed as a spreadsheet formula
    with programme_db.sessions() as session:
        student = session.scalars(select(Person.id).where(Person.kind == "student")).first()
    assert student is not None
    CaseService(programme_db.sessions).intake(
        CaseIntake(
            date(2025, 10, 8),
            "Fighting",
            location='=HYPERLINK("http://x.example","click")',
            school=NORTH,
            parties=[(student, "responsible")],
        )
    )
    report = build_report(
        "referrals", programme_db.sessions, start=START, end=END, min_cell=1, as_of=AS_OF
    )
    out = tmp_path / "r.csv"
    write_csv(report, out)
    with out.open(encoding="utf-8", newline="") as handle:
        groups = {r["group"] for r in csv.DictReader(handle) if r["section"] == "by_location"}
    # Then the CSV holds it as text a spreadsheet shows rather than runs
    assert any(g.startswith("'=hyperlink") for g in groups)
    assert not any(g.startswith("=") for g in groups)


def test_an_unwritable_csv_path_is_refused_and_nothing_is_left(
    programme_db: Database, tmp_path: Path
) -> None:
    report = build_report("diversion", programme_db.sessions, start=START, end=END, as_of=AS_OF)
    exports = tmp_path / "exports"
    exports.mkdir()
    with pytest.raises(InvalidInput, match="does not exist"):
        write_csv(report, exports / "missing" / "d.csv")
    assert list(exports.iterdir()) == []


def test_the_internal_view_is_never_written_to_a_csv(
    programme_db: Database, tmp_path: Path
) -> None:
    from circlekeeper.core.profiles.profiles import Viewer

    report = build_report(
        "referrals",
        programme_db.sessions,
        start=START,
        end=END,
        as_of=AS_OF,
        unsuppressed=True,
        viewer=Viewer("Ana", "counselor"),
    )
    out = tmp_path / "internal.csv"
    with pytest.raises(InvalidInput, match="screen only"):
        write_csv(report, out)
    assert not out.exists()


def test_a_name_typed_as_a_place_never_reaches_a_published_report(
    programme_db: Database, tmp_path: Path
) -> None:
    # Given one referral whose place was typed with a student's name in it
    with programme_db.sessions() as session:
        student = session.scalars(select(Person.id).where(Person.kind == "student")).first()
    assert student is not None
    CaseService(programme_db.sessions).intake(
        CaseIntake(
            date(2025, 10, 8),
            "Whispered rumour about Zebulon",  # an unmapped type named by typed words too
            location="Outside Zebulon Quist's locker",
            school=NORTH,
            parties=[(student, "responsible")],
        )
    )
    published = build_report("referrals", programme_db.sessions, start=START, end=END, as_of=AS_OF)
    out = tmp_path / "r.csv"
    write_csv(published, out)
    # Then neither the CSV nor any label names it: rare typed rows are counted as "other"
    assert "zebulon" not in out.read_text(encoding="utf-8").casefold()
    labels = [row.label.en for s in published.sections for row in s.rows]
    assert not any("Zebulon" in label for label in labels)
    for key in ("by_location", "by_incident_type"):
        groups = {row.group for row in published.section(key).rows}
        assert "other" in groups
    # And the internal view, for a counselor's screen, still names each place
    from circlekeeper.core.profiles.profiles import Viewer

    internal = build_report(
        "referrals",
        programme_db.sessions,
        start=START,
        end=END,
        as_of=AS_OF,
        unsuppressed=True,
        viewer=Viewer("Ana", "counselor"),
    )
    labels = [row.label.en for row in internal.section("by_location").rows]
    assert "Outside Zebulon Quist's locker" in labels
