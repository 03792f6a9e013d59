"""The MOU summary prints on one page, in English and Spanish, with what the school recorded."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from circlekeeper.core.operations import Context
from circlekeeper.core.profiles.viewer import ProfileRole, Viewer
from circlekeeper.core.sro import mou
from circlekeeper.core.store.database import Database
from circlekeeper.ui.mou_print import write_mou_summary


def test_the_summary_is_one_page_in_both_languages(db: Database, tmp_path: Path, qapp) -> None:
    mou.save(
        Context(db.sessions, viewer=Viewer("Dana", ProfileRole.COUNSELOR.value)),
        mou.Mou(
            law_enforcement_types=("weapons", "arson"),
            admissions_en="Admissions here are never used for a charge.",
            admissions_es="Lo que se admita aquí nunca se usará para un cargo.",
        ),
    )
    out = tmp_path / "mou.pdf"
    pages = write_mou_summary(db, out)
    reader = PdfReader(str(out))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert pages == len(reader.pages) == 1
    for expected in (
        "Admissions here are never used for a charge.",
        "Lo que se admita aquí nunca se usará para un cargo.",
        "weapons, arson",
        "co-facilitate",
        "cofacilitar",
        "For the police department",
    ):
        assert expected in text, expected
