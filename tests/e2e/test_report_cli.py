"""``circlekeeper report`` as a subprocess: the files it writes, and bad input refused."""

from __future__ import annotations

import csv
import hashlib
import os
import stat
from pathlib import Path

import pytest
from tests.core.reports.report_seed import NORTH, seed_programme

from circlekeeper.core.store.database import open_database

PERIOD = ("--from", "2025-09-01", "--to", "2025-12-19")


@pytest.fixture
def programme(db_target: Path | str) -> Path | str:
    db = open_database(db_target)
    try:
        seed_programme(db)
    finally:
        db.close()
    return db_target


def _digest(path: Path | str) -> str:
    """The file's bytes; for a server, its schema version and the newest audit line."""
    if isinstance(path, Path):
        return hashlib.sha256(path.read_bytes()).hexdigest()
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            found = conn.exec_driver_sql(
                "SELECT (SELECT version_num FROM alembic_version), count(*), max(id) "
                "FROM audit_event"
            ).one()
    finally:
        db.close()
    return repr(tuple(found))


def test_list_names_every_report(run_cli) -> None:
    result = run_cli("report", "--list")
    assert result.returncode == 0, result.stderr
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names == [
        "referrals",
        "restorative",
        "diversion",
        "equity",
        "board",
        "monthly",
        "fidelity",
        "surveys",
        "sro",
        "disclosures",
    ]


def test_csv_is_tidy_and_holds_the_suppressed_figures(
    run_cli, programme: Path, tmp_path: Path
) -> None:
    out = tmp_path / "referrals.csv"
    result = run_cli("report", "referrals", *PERIOD, "--database", str(programme), "-o", str(out))
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["report", "section", "group", "measure", "value", "suppressed"]
    assert {r["suppressed"] for r in rows} == {"yes", "no"}
    assert all(r["value"] == "" for r in rows if r["suppressed"] == "yes")
    shown = [
        float(r["value"]) for r in rows if r["suppressed"] == "no" and r["measure"] == "referrals"
    ]
    assert shown and all(v == 0 or v >= 10 for v in shown)
    total = next(
        r
        for r in rows
        if (r["section"], r["group"], r["measure"]) == ("per_month", "all", "referrals")
    )
    assert total["value"] == "66"


def test_school_and_min_cell_change_the_figures(run_cli, programme: Path, tmp_path: Path) -> None:
    out = tmp_path / "north.csv"
    result = run_cli(
        "report",
        "referrals",
        *PERIOD,
        "--school",
        NORTH.lower(),
        "--min-cell",
        "1",
        "--database",
        str(programme),
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert not any(r["suppressed"] == "yes" for r in rows)
    total = next(
        r
        for r in rows
        if (r["section"], r["group"], r["measure"]) == ("per_month", "all", "referrals")
    )
    assert total["value"] == "60"  # the six South Lake referrals are left out


def test_an_empty_period_writes_a_report_that_says_so(
    run_cli, programme: Path, tmp_path: Path
) -> None:
    out = tmp_path / "empty.html"
    result = run_cli(
        "report",
        "board",
        "--from",
        "2019-01-01",
        "--to",
        "2019-02-01",
        "--database",
        str(programme),
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert "Nothing was recorded" in result.stdout
    assert "Nothing was recorded" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("nonsense",), "no report called 'nonsense'"),
        (("referrals", "--from", "2025-12-01", "--to", "2025-09-01"), "after it ends"),
        (("referrals", "--from", "2025-13-01"), "is not a date"),
        (("referrals", "--school", "Hogwarts"), "no school called 'Hogwarts'"),
        (("referrals", "--min-cell", "0"), "at least 1"),
    ],
)
def test_bad_input_exits_2_with_plain_words_and_writes_nothing(
    run_cli, programme: Path, tmp_path: Path, args: tuple[str, ...], words: str
) -> None:
    before = _digest(programme)
    out = tmp_path / "out.csv"
    result = run_cli("report", *args, "--database", str(programme), "-o", str(out))
    assert result.returncode == 2, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert list(tmp_path.glob("*.csv")) == []
    assert _digest(programme) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_output_is_refused(run_cli, programme: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = run_cli(
            "report", "referrals", "--database", str(programme), "-o", str(locked / "r.csv")
        )
    finally:
        locked.chmod(stat.S_IRWXU)
    assert result.returncode == 2 and "Nothing was saved" in result.stderr
    assert list(locked.iterdir()) == []


def test_a_missing_folder_or_a_folder_as_output_is_refused(
    run_cli, programme: Path, tmp_path: Path
) -> None:
    for target in (tmp_path / "nowhere" / "r.csv", tmp_path):
        result = run_cli("report", "referrals", "--database", str(programme), "-o", str(target))
        assert result.returncode == 2, result.stderr
        assert "Nothing was" in result.stderr or "is a folder" in result.stderr
    assert not (tmp_path / "nowhere").exists()


def test_a_missing_database_is_not_created(run_cli, tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    result = run_cli(
        "report", "referrals", "--database", str(missing), "-o", str(tmp_path / "r.csv")
    )
    assert result.returncode == 2 and "no database" in result.stderr
    assert not missing.exists()


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs a folder no one can write")
def test_a_folder_no_one_can_write_is_refused_even_for_root(run_cli, programme: Path) -> None:
    result = run_cli("report", "referrals", "--database", str(programme), "-o", "/proc/r.csv")
    assert result.returncode == 2, result.stderr
    assert "Nothing was saved" in result.stderr and "Traceback" not in result.stderr


def test_without_min_cell_the_school_setting_is_used(
    run_cli, programme: Path, tmp_path: Path
) -> None:
    from circlekeeper.core.reports.engine import set_min_cell

    db = open_database(programme)
    try:
        set_min_cell(db.sessions, 1)
    finally:
        db.close()
    out = tmp_path / "r.csv"
    result = run_cli("report", "referrals", *PERIOD, "--database", str(programme), "-o", str(out))
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        assert not any(r["suppressed"] == "yes" for r in csv.DictReader(handle))


def test_the_surveys_report_from_the_command_line_matches_the_answers(
    run_cli, programme: Path, tmp_path: Path
) -> None:
    out = tmp_path / "surveys.csv"
    result = run_cli("report", "surveys", *PERIOD, "--database", str(programme), "-o", str(out))
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        rows = {(r["section"], r["group"], r["measure"]): r for r in csv.DictReader(handle)}
    db = open_database(programme)
    try:
        with db.engine.connect() as conn:
            # A moment is ISO text on SQLite and a timestamptz on a server.
            day = "date(c.started_at)" if db.path else "(c.started_at AT TIME ZONE 'UTC')::date"
            heard_yes, answered = conn.exec_driver_sql(
                "SELECT sum(CASE WHEN r.heard = 'yes' THEN 1 ELSE 0 END), count(r.heard) "
                "FROM survey_response r JOIN survey_sitting s ON s.id = r.sitting_id "
                f"JOIN circle c ON c.id = s.circle_id WHERE {day} "
                "BETWEEN '2025-09-01' AND '2025-12-19' "
                "AND c.kind NOT IN ('pre_meeting', 'completion_meeting')"
            ).one()
    finally:
        db.close()
    assert float(rows[("surveys_by_question", "heard", "answered")]["value"]) == answered
    assert float(rows[("surveys_by_question", "heard", "yes")]["value"]) == heard_yes
    assert rows[("surveys_by_kind", "reentry", "answered")]["suppressed"] == "yes"


def test_html_from_the_command_line_carries_its_charts_like_the_reports_area(
    run_cli, programme: Path, tmp_path: Path
) -> None:
    # Given a period with referrals, when the referrals report is saved as HTML from the CLI
    out = tmp_path / "referrals.html"
    result = run_cli("report", "referrals", *PERIOD, "--database", str(programme), "-o", str(out))
    assert result.returncode == 0, result.stderr
    # Then the page is self-contained: its charts are drawn into it, not left out
    html = out.read_text(encoding="utf-8")
    assert "data:image/png;base64," in html
