"""``export agreement --sharing`` as a subprocess writes the copy into each student's record of
disclosures; a wrong FERPA basis exits 2 with nothing written."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from tests.core.conftest import build_conference, draft_with_items

from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.models import Disclosure


def _agreement(db_path: Path) -> tuple[int, int, int]:
    db = open_database(db_path)
    try:
        conference = build_conference(db)
        return draft_with_items(conference, 1), conference.jose, conference.amara
    finally:
        db.close()


def _lines(db_path: Path) -> list[tuple[int, str, str, str | None]]:
    db = open_database(db_path)
    try:
        with db.sessions() as session:
            rows = session.execute(
                select(
                    Disclosure.person_id, Disclosure.kind, Disclosure.recipient, Disclosure.basis
                ).order_by(Disclosure.person_id)
            ).all()
            return [tuple(r) for r in rows]  # type: ignore[misc]
    finally:
        db.close()


def test_a_sharing_copy_from_the_command_line_is_in_each_students_record(
    run_cli, db_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    agreement_id, jose, amara = _agreement(db_path)
    out = tmp_path / "sharing.html"

    result = run_cli(
        "export", "agreement", str(agreement_id), "--sharing", "--format", "html",
        "--to", "Officer Sam Reyes", "--basis", "law_enforcement_unit",
        "-o", str(out), "--database", str(db_path),
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert out.is_file()
    assert "record of disclosures of 2 student(s)" in result.stdout
    assert _lines(db_path) == sorted(
        [
            (jose, "sharing_copy", "Officer Sam Reyes", "law_enforcement_unit"),
            (amara, "sharing_copy", "Officer Sam Reyes", "law_enforcement_unit"),
        ]
    )


def test_a_wrong_basis_is_refused_with_nothing_written(
    run_cli, db_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    agreement_id, _jose, _amara = _agreement(db_path)
    out = tmp_path / "sharing.html"

    result = run_cli(
        "export", "agreement", str(agreement_id), "--sharing", "--format", "html",
        "--basis", "because", "-o", str(out), "--database", str(db_path),
    )  # fmt: skip

    assert result.returncode == 2
    assert "is not a FERPA basis" in result.stderr and "Nothing was written" in result.stderr
    assert not out.exists()
    assert _lines(db_path) == []
    # --to without --sharing is a plain usage problem too
    result = run_cli(
        "export", "agreement", str(agreement_id), "--to", "Someone",
        "-o", str(out), "--database", str(db_path),
    )  # fmt: skip
    assert result.returncode == 2 and "add --sharing" in result.stderr
