"""`circlekeeper report NAME --by-school`: the district roll-up from the command line."""

from __future__ import annotations

import csv
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


def test_by_school_writes_a_row_per_school_with_small_ones_hidden(
    run_cli, programme: Path | str, tmp_path: Path
) -> None:
    out = tmp_path / "district.csv"
    result = run_cli(
        "report", "referrals", *PERIOD, "--by-school", "--database", str(programme), "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["section"] == "by_school"]
    referrals = {r["group"]: r for r in rows if r["measure"] == "referrals"}
    assert len(referrals) == 3  # two schools and the district
    # South Lake's six referrals are under the default smallest group (10): hidden, and so is
    # a second figure of the column, so the total gives nothing away
    hidden = [g for g, r in referrals.items() if r["suppressed"] == "yes"]
    assert len(hidden) >= 2
    assert all(r["value"] == "" for r in referrals.values() if r["suppressed"] == "yes")


def test_by_school_for_one_school_is_refused_in_plain_words(
    run_cli, programme: Path | str, tmp_path: Path
) -> None:
    out = tmp_path / "one.csv"
    result = run_cli(
        "report", "referrals", *PERIOD, "--by-school", "--school", NORTH,
        "--database", str(programme), "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 2
    assert "whole district" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
