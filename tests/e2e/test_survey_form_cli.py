"""``circlekeeper export survey-form``: the printable anonymous survey, read back from the PDF."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pypdf import PdfReader
from tests.core.held import held_circle

from circlekeeper.core.store.database import open_database


def _text(path: Path) -> str:
    pages = PdfReader(path).pages
    return unicodedata.normalize(
        "NFKC", " ".join(" ".join((p.extract_text() or "").split()) for p in pages)
    )


def test_one_form_per_person_present_in_both_languages_and_no_names(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    # Given a circle held with three of its four members present
    db = open_database(db_path)
    try:
        held = held_circle(db, tmp_path, members=4, absent=1)
    finally:
        db.close()
    out = tmp_path / "survey.pdf"

    # When the keeper prints the survey forms
    result = run_cli(
        "export", "survey-form", str(held.circle_id), "--database", str(db_path), "-o", str(out)
    )

    # Then there is one page per person present, in English and Spanish, with no one's name
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out)
    assert len(reader.pages) == 3
    text = _text(out)
    for words in (
        "I felt heard.",
        "Sentí que me escucharon.",
        "Volvería a participar en un círculo.",
        "Más o menos",
        "Esta hoja no lleva ningún nombre.",
    ):
        assert text.count(words) == 3, words
    assert "Member" not in text and "Kim" not in text and "Test" not in text


def test_a_wrong_number_of_copies_is_refused_and_nothing_written(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "survey.pdf"
    db = open_database(db_path)
    try:
        held = held_circle(db, tmp_path)
    finally:
        db.close()
    result = run_cli(
        "export",
        "survey-form",
        str(held.circle_id),
        "--copies",
        "0",
        "--database",
        str(db_path),
        "-o",
        str(out),
    )
    assert result.returncode == 2
    assert "Print between 1 and 200 forms (asked for 0)" in result.stderr
    assert not out.exists()
    missing = run_cli("export", "survey-form", "999", "--database", str(db_path), "-o", str(out))
    assert missing.returncode == 2 and "no circle with id 999" in missing.stderr
