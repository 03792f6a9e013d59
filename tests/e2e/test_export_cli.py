"""``circlekeeper export agreement`` as a subprocess: files written, exit codes."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from circlekeeper.core.agreements.commands import AgreementService
from circlekeeper.core.agreements.rows import ItemData
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.models import Case


def _agreement(db_path: Path) -> tuple[int, str]:
    db = open_database(db_path)
    try:
        with db.sessions.begin() as session:
            case = Case(referred_on=date(2025, 2, 1), incident_category="property")
            session.add(case)
            session.flush()
            case_id = case.id
        jose = PeopleService(db.sessions).create(PersonData("José", "Núñez")).id
        service = AgreementService(db.sessions)
        draft = service.create_draft(case_id=case_id)
        service.add_item(
            draft.id,
            ItemData(
                "Write a letter <with care> & {{ sincerity }}",
                responsible_id=jose,
                due_on=date(2025, 3, 1),
            ),
        )
        return draft.id, draft.uuid
    finally:
        db.close()


def test_export_pdf_and_html(run_cli, db_path: Path, tmp_path: Path) -> None:
    agreement_id, uuid = _agreement(db_path)
    pdf = tmp_path / "a.pdf"
    result = run_cli(
        "export",
        "agreement",
        str(agreement_id),
        "--lang",
        "en+es",
        "-o",
        str(pdf),
        "--database",
        str(db_path),
    )
    assert result.returncode == 0, result.stderr
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages)
    assert "Write a letter <with care> & {{ sincerity }}" in text and "José Núñez" in text
    html = tmp_path / "a.html"
    result = run_cli(
        "export",
        "agreement",
        uuid,
        "--format",
        "html",
        "--sharing",
        "-o",
        str(html),
        "--database",
        str(db_path),
    )
    assert result.returncode == 0, result.stderr
    page = html.read_text(encoding="utf-8")
    assert "&lt;with care&gt; &amp; {{ sincerity }}" in page and "FERPA" in page


def test_export_exit_codes(run_cli, db_path: Path, tmp_path: Path) -> None:
    agreement_id, _ = _agreement(db_path)
    unknown = run_cli(
        "export", "agreement", "999", "-o", str(tmp_path / "x.pdf"), "--database", str(db_path)
    )
    assert unknown.returncode == 2 and "no agreement" in unknown.stderr
    for target in (tmp_path / "no-folder" / "x.pdf", tmp_path):
        for fmt in ("pdf", "html"):
            bad = run_cli(
                "export",
                "agreement",
                str(agreement_id),
                "--format",
                fmt,
                "-o",
                str(target),
                "--database",
                str(db_path),
            )
            assert bad.returncode == 2, bad.stderr
            assert "Traceback" not in bad.stderr


def test_a_costly_school_template_falls_back_on_the_command_line(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    # Given a school template in the data folder that asks for a 9**99999999 number
    agreement_id, _ = _agreement(db_path)
    templates = run_cli.home / "templates"
    templates.mkdir()
    (templates / "agreement.html").write_text("District\n{{ 9**99999999 }}\n", encoding="utf-8")

    # When the agreement is exported (the timeout only catches a hang)
    html = tmp_path / "a.html"
    result = run_cli("export", "agreement", str(agreement_id), "--format", "html",
                     "-o", str(html), "--database", str(db_path), timeout=120)  # fmt: skip

    # Then the built-in template is used and the warning names the file and line
    assert result.returncode == 0, result.stderr
    assert "Repair Agreement" in html.read_text(encoding="utf-8")
    assert "agreement.html, line 2" in result.stderr
    assert "too large for a document" in result.stderr
    assert "built-in template was used instead" in result.stderr


def test_an_agreement_with_blanks_prints_only_as_a_marked_draft(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    # Given an agreement whose typical item still holds [amount] and [hours]
    agreement_id, _ = _agreement(db_path)
    db = open_database(db_path)
    try:
        service = AgreementService(db.sessions)
        jose = service.get(agreement_id).items[0].data.responsible_id
        service.add_item(
            agreement_id,
            ItemData("Pay back [amount] or work [hours] hours.", responsible_id=jose),
        )
    finally:
        db.close()
    common = ("--database", str(db_path))
    # When it is exported for signing, as PDF, HTML or a copy for sharing, it is refused
    for extra in ((), ("--format", "html"), ("--sharing", "--basis", "school_official")):
        out = tmp_path / "refused.pdf"
        refused = run_cli("export", "agreement", str(agreement_id), "-o", str(out), *extra, *common)
        assert refused.returncode == 2, refused.stderr
        assert "Item 2" in refused.stderr and "[amount]" in refused.stderr
        assert "draft copy" in refused.stderr and "Traceback" not in refused.stderr
        assert not out.exists()
    # Nothing reached the record of disclosures for the refused copy for sharing
    db = open_database(db_path)
    try:
        from circlekeeper.core.store.models import Disclosure

        with db.sessions() as session:
            assert session.query(Disclosure).count() == 0
    finally:
        db.close()
    # A draft copy prints, with the mark on every page
    draft = tmp_path / "draft.pdf"
    result = run_cli(
        "export",
        "agreement",
        str(agreement_id),
        "--draft",
        "--lang",
        "en+es",
        "-o",
        str(draft),
        *common,
    )
    assert result.returncode == 0, result.stderr
    pages = [
        " ".join(unicodedata.normalize("NFKC", p.extract_text() or "").split())
        for p in PdfReader(draft).pages
    ]
    assert all("DRAFT, not for signing / BORRADOR, no es para firmar" in p for p in pages)
