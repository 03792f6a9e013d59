"""``circlekeeper export letter|summary`` as a subprocess, as a counselor's and an SRO's profile."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from .conftest import PRIVATE_NOTE


def _text(path: Path) -> str:
    if path.suffix == ".pdf":
        return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)
    return path.read_text(encoding="utf-8")


def _circle_of(db_path: Path, agreement_id: int) -> int:
    from circlekeeper.core.store.database import open_database
    from circlekeeper.core.store.models import Agreement

    db = open_database(db_path)
    try:
        with db.sessions() as session:
            agreement = session.get(Agreement, agreement_id)
            assert agreement is not None and agreement.circle_id is not None
            return agreement.circle_id
    finally:
        db.close()


def test_the_family_letter_is_written_for_the_student_asked(run_cli, school, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db_path, agreement_id = school
    out = tmp_path / "letter.pdf"
    common = ("--database", str(db_path), "--profile", "Dana Whitfield")
    # With two students in the agreement, the command asks which one, naming them
    result = run_cli(
        "export", "letter", str(agreement_id), "-o", str(out), *common, CIRCLEKEEPER_PIN="1111"
    )
    assert result.returncode == 2 and "--student" in result.stderr
    assert "José Núñez" in result.stderr and "Amara Okafor" in result.stderr and not out.exists()
    student = int(result.stderr.split(": José Núñez")[0].rsplit(" ", 1)[-1])
    # Given the student, the letter is written, in Spanish, to José's guardian
    result = run_cli(
        "export",
        "letter",
        str(agreement_id),
        "--student",
        str(student),
        "--lang",
        "es",
        "-o",
        str(out),
        *common,
        CIRCLEKEEPER_PIN="1111",
    )
    assert result.returncode == 0, result.stderr
    text = _text(out)
    assert "Estimada familia" in text and "Lucía Núñez" in text and "José Núñez" in text
    # An officer's profile may not write a letter to a family
    sro = tmp_path / "sro-letter.pdf"
    result = run_cli(
        "export",
        "letter",
        str(agreement_id),
        "--student",
        str(student),
        "-o",
        str(sro),
        "--database",
        str(db_path),
        "--profile",
        "Sam Reyes",
        CIRCLEKEEPER_PIN="2222",
    )
    assert result.returncode == 2 and "counseling office" in result.stderr and not sro.exists()
    # A student who is not in the agreement is refused in plain words
    result = run_cli(
        "export",
        "letter",
        str(agreement_id),
        "--student",
        "99999",
        "-o",
        str(out),
        *common,
        CIRCLEKEEPER_PIN="1111",
    )
    assert result.returncode == 2 and "no person with id 99999" in result.stderr


def test_the_circle_summary_shows_a_private_note_only_to_its_author(
    run_cli, school, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    db_path, agreement_id = school
    circle = _circle_of(db_path, agreement_id)
    dana, sam = tmp_path / "dana.html", tmp_path / "sam.pdf"
    result = run_cli(
        "export",
        "summary",
        str(circle),
        "--format",
        "html",
        "-o",
        str(dana),
        "--database",
        str(db_path),
        "--profile",
        "Dana Whitfield",
        CIRCLEKEEPER_PIN="1111",
    )
    assert result.returncode == 0, result.stderr
    assert PRIVATE_NOTE in _text(dana) and "Cafeteria headphones" in _text(dana)
    result = run_cli(
        "export",
        "summary",
        str(circle),
        "-o",
        str(sam),
        "--database",
        str(db_path),
        "--profile",
        "Sam Reyes",
        CIRCLEKEEPER_PIN="2222",
    )
    assert result.returncode == 0, result.stderr
    text = _text(sam)
    assert PRIVATE_NOTE not in text and "FERPA" in text
    missing = run_cli(
        "export",
        "summary",
        "99999",
        "-o",
        str(tmp_path / "x.pdf"),
        "--database",
        str(db_path),
        "--profile",
        "Dana Whitfield",
        CIRCLEKEEPER_PIN="1111",
    )
    assert missing.returncode == 2 and "no circle with id 99999" in missing.stderr


def _person_named(db_target: Path | str, first: str) -> int:
    from sqlalchemy import select

    from circlekeeper.core.store.database import open_database
    from circlekeeper.core.store.models import Person

    db = open_database(db_target)
    try:
        with db.sessions() as session:
            return int(session.scalars(select(Person.id).where(Person.first_name == first)).one())
    finally:
        db.close()


def test_the_consent_form_is_written_with_a_guardian_line_for_the_minor(  # type: ignore[no-untyped-def]
    run_cli, school, tmp_path
) -> None:
    db_target, agreement_id = school
    circle = _circle_of(db_target, agreement_id)
    jose = _person_named(db_target, "José")
    common = ("--database", str(db_target), "--profile", "Dana Whitfield")
    out = tmp_path / "consent.pdf"
    result = run_cli(
        "export", "consent", str(circle), "--person", str(jose), "--language", "es",
        "-o", str(out), *common, CIRCLEKEEPER_PIN="1111",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = _text(out)
    assert "Consentimiento para participar" in text and "José Núñez" in text
    assert "Padre, madre o tutor de José Núñez" in text and "Lucía Núñez" in text
    # Everyone taking part, both languages side by side: a page each, the adults without a
    # guardian's line of their own
    both = tmp_path / "consent-both.pdf"
    result = run_cli(
        "export", "consent", str(circle), "--language", "both", "-o", str(both), *common,
        CIRCLEKEEPER_PIN="1111",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "page(s)" in result.stdout
    text = _text(both)
    assert "Taking part is voluntary" in text and "La participación es voluntaria" in text
    assert "Parent or guardian of José Núñez" in text and "Amara Okafor" in text
    assert "Parent or guardian of Lucía Núñez" not in text
    # An officer's profile may not print one, as it may not write a letter home
    sro = tmp_path / "sro-consent.pdf"
    result = run_cli(
        "export", "consent", str(circle), "-o", str(sro), "--database", str(db_target),
        "--profile", "Sam Reyes", CIRCLEKEEPER_PIN="2222",
    )  # fmt: skip
    assert result.returncode == 2 and "counseling office" in result.stderr and not sro.exists()
