"""Real PDFs from agreements built through the services, read back with pypdf.

Uses Qt (QtGui) through circlekeeper.pdf; the ``qapp`` fixture makes the application first so
the UI tests in the same run get a full QApplication.
"""

from __future__ import annotations

import os
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from circlekeeper.core.export.templates import format_date, render_agreement
from circlekeeper.pdf import PdfProblem, html_to_pdf


def _text(path: Path) -> str:
    # NFKC undoes the ligatures (fi, fl) the PDF text layer uses.
    pages = PdfReader(path).pages
    return unicodedata.normalize(
        "NFKC", " ".join(" ".join((p.extract_text() or "").split()) for p in pages)
    )


def _active(conference, draft_id: int) -> None:
    svc = conference.agreements
    for pid in (conference.jose, conference.amara, conference.dana):
        svc.record_signature(draft_id, pid, date(2025, 3, 4))
    svc.record_signature(
        draft_id, conference.lucia, date(2025, 3, 4), as_guardian_of_id=conference.jose
    )
    svc.activate(draft_id)


@pytest.mark.parametrize("lang", ["en", "es", "en+es"])
def test_pdf_has_every_item_name_date_and_signature_line(
    qapp, conference, draft_id, tmp_path: Path, lang: str
) -> None:
    _active(conference, draft_id)
    view = conference.agreements.view(draft_id)
    out = tmp_path / f"agreement-{lang}.pdf"
    html_to_pdf(render_agreement(view, lang).html, out, title="Repair agreement")
    text = _text(out)
    first = lang.split("+")[0]
    for item in view.items:
        assert item.action in text
        assert format_date(item.due_on, first) in text
    for party in view.parties:
        assert party.name in text
    for line in view.signature_lines:
        assert line.name in text
    assert format_date(view.agreed_on, first) in text
    assert text.count("______________") >= 2 * len(view.signature_lines)
    assert ("Parent or guardian of José Núñez" in text) == (first == "en")
    if "es" in lang:
        assert "Padre, madre o tutor de José Núñez" in text and "Firmas" in text
    assert "Riverside Middle School" in text


def test_sixty_items_flow_across_pages_with_headers(qapp, conference, make_draft, tmp_path) -> None:
    aid = make_draft(60)
    view = conference.agreements.view(aid)
    out = tmp_path / "long.pdf"
    pages = html_to_pdf(render_agreement(view, "en").html, out, title="Long agreement")
    reader = PdfReader(out)
    assert pages == len(reader.pages) >= 4
    text = _text(out)
    for n in range(1, 61):
        assert f"Item number {n}: do the agreed thing" in text
    # The items table's header row repeats on the pages it continues on.
    repeated = sum(
        "What will be done" in " ".join((p.extract_text() or "").split()) for p in reader.pages
    )
    assert repeated >= 3
    assert f"{pages} / {pages}" in " ".join((reader.pages[-1].extract_text() or "").split())


def test_missing_logo_does_not_stop_the_pdf(qapp, conference, draft_id, tmp_path) -> None:
    from circlekeeper.core.settings.settings import SettingsService

    settings = SettingsService(conference.db.sessions)
    school = settings.load()
    school.logo_path = str(tmp_path / "no-such-logo.png")
    settings.save(school)
    result = render_agreement(conference.agreements.view(draft_id))
    assert result.warnings and "no-such-logo.png" in result.warnings[0]
    out = tmp_path / "a.pdf"
    html_to_pdf(result.html, out, title="t")
    assert "Repair Agreement" in _text(out)


def test_logo_that_exists_is_drawn(qapp, tmp_path) -> None:
    from PySide6.QtGui import QColor, QImage

    from circlekeeper.core.export import sample

    logo = tmp_path / "logo.png"
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(QColor("navy"))
    image.save(str(logo))
    html = render_agreement(sample.sample_agreement(logo_path=str(logo))).html
    out = tmp_path / "logo.pdf"
    html_to_pdf(html, out, title="t")
    resources = PdfReader(out).pages[0]["/Resources"]
    xobjects = resources["/XObject"].get_object()  # type: ignore[index]
    assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())


def test_unwritable_targets_are_reported(qapp, tmp_path: Path) -> None:
    with pytest.raises(PdfProblem, match="does not exist"):
        html_to_pdf("<p>x</p>", tmp_path / "missing" / "a.pdf", title="t")
    with pytest.raises(PdfProblem, match="is a folder"):
        html_to_pdf("<p>x</p>", tmp_path, title="t")
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            with pytest.raises(PdfProblem, match="Cannot write"):
                html_to_pdf("<p>x</p>", locked / "a.pdf", title="t")
        finally:
            locked.chmod(0o700)
    existing = tmp_path / "keep.pdf"
    existing.write_bytes(b"old")
    existing.chmod(0o400)
    if os.geteuid() != 0:
        with pytest.raises(PdfProblem, match="Cannot write"):
            html_to_pdf("<p>x</p>", existing, title="t")
        assert existing.read_bytes() == b"old"


def test_print_html_paints_on_any_paged_device(qapp, tmp_path: Path) -> None:
    from PySide6.QtGui import QPdfWriter

    from circlekeeper.pdf import print_html

    target = tmp_path / "printed.pdf"
    writer = QPdfWriter(str(target))
    assert print_html("<h1>Hello</h1><p>José</p>", writer, title="x") == 1
    del writer
    assert "José" in _text(target)


def _pages(path: Path) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(str(path)).pages]


@pytest.mark.parametrize("filler", range(20, 32))
def test_a_table_never_leaves_its_header_and_one_row_at_the_foot_of_a_page(
    qapp, tmp_path: Path, filler: int
) -> None:
    # Given a document whose signature table starts somewhere near the foot of page 1
    rows = "".join(
        f"<tr><td><b>Signer {i}</b><br>role</td><td><br><br>______</td><td>date</td></tr>"
        for i in range(6)
    )
    html = (
        "<h1>Agreement</h1>"
        + "".join(f"<p>Line {n} of what was agreed.</p>" for n in range(filler))
        + "<h2>Signatures</h2><p>By signing, each of us says we helped write this.</p>"
        + "<table><thead><tr><th>Name</th><th>Signature</th><th>Date</th></tr></thead>"
        + rows
        + "</table>"
    )
    path = tmp_path / "sign.pdf"
    html_to_pdf(html, path, title="Agreement")
    # Then the heading and the first three signers are on one page, whatever the filler
    pages = _pages(path)
    where = {
        f"Signer {i}": next(n for n, text in enumerate(pages) if f"Signer {i}" in text)
        for i in range(6)
    }
    heading = next(n for n, text in enumerate(pages) if "Signatures" in text)
    assert where["Signer 0"] == where["Signer 1"] == where["Signer 2"] == heading, where
    assert "By signing" in pages[heading]
