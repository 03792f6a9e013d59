"""Hand-offs on the case page, driven by the keyboard: hand a case to BTAM and bring it back,
and find a hand-off and an exported copy for sharing in the student's record of disclosures."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from sqlalchemy import func, select
from tests.core.conftest import build_conference, draft_with_items
from tests.ui.a11y import unnamed_controls

from circlekeeper.core.agreements.commands import AgreementService
from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.handoffs import HandOffService
from circlekeeper.core.domain.eligibility import Eligibility
from circlekeeper.core.operations import Context
from circlekeeper.core.profiles.viewer import ProfileRole, Viewer
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Circle, Disclosure, HandOff
from circlekeeper.ui.agreements.exporting import ExportBar
from circlekeeper.ui.cases.handoffs import BringBackDialog, HandOffDialog
from circlekeeper.ui.cases.page import CasePage
from circlekeeper.ui.disclosures import DisclosuresDialog
from circlekeeper.ui.operations import register

ZONE = ZoneInfo("America/Chicago")
NOW = datetime(2025, 3, 5, 9, 30, tzinfo=ZONE)
COUNSELOR = Viewer("Dana Whitfield", ProfileRole.COUNSELOR.value)


def clock() -> datetime:
    return NOW


def _count(db: Database, table: type) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def _type(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def _choose(qtbot, combo, value: str) -> None:  # type: ignore[no-untyped-def]
    """Pick a combo's entry with the arrow keys, as a keyboard user would."""
    combo.setFocus()
    while combo.currentData() != value:
        before = combo.currentIndex()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert combo.currentIndex() != before, f"{value} is not offered"


@pytest.fixture
def page(qtbot, db: Database, monkeypatch: pytest.MonkeyPatch) -> CasePage:  # type: ignore[no-untyped-def]
    register(db, lambda: COUNSELOR.name, lambda: COUNSELOR)
    conference = build_conference(db)
    CaseService(db.sessions).record_eligibility(
        conference.case_id, Eligibility(credible_threat=True)
    )
    case_page = CasePage(db, clock=clock)
    qtbot.addWidget(case_page)
    case_page.resize(1366, 768)
    case_page.show()
    assert case_page.load(conference.case_id)
    case_page.conference = conference  # type: ignore[attr-defined]
    return case_page


def test_hand_a_case_to_btam_and_bring_it_back_for_a_re_entry_circle(
    qtbot, page: CasePage, db: Database
) -> None:  # type: ignore[no-untyped-def]
    section = page.hand_offs
    assert not unnamed_controls(section)

    # When the counselor presses Hand off… and saves with no recipient
    section.hand_off_button.setFocus()
    qtbot.keyClick(section.hand_off_button, Qt.Key.Key_Space)
    dialog = section.dialog
    assert isinstance(dialog, HandOffDialog) and dialog.isVisible()
    assert not unnamed_controls(dialog)
    _type(qtbot, dialog.shared, "The referral and what was said in the hallway.")
    _choose(qtbot, dialog.basis, "health_safety_emergency")
    _type(qtbot, dialog.threat, "He said he would bring a knife on Friday.")
    qtbot.keyClick(dialog.basis, Qt.Key.Key_Return)

    # Then it is refused in words, the dialog stays open and nothing is saved
    assert dialog.isVisible()
    assert "who received it" in dialog.problem.text()
    assert _count(db, HandOff) == 0 and _count(db, Disclosure) == 0

    # When the recipient is given
    _type(qtbot, dialog.recipient, "Ms. Patel, BTAM lead")
    qtbot.keyClick(dialog.recipient, Qt.Key.Key_Return)

    # Then the case shows the hand-off, open, and both students' records have a line
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert section.table.rowCount() == 1
    assert section.table.item(0, 1).text() == "Threat assessment team (BTAM)"
    assert section.table.item(0, 2).text() == "Ms. Patel, BTAM lead"
    assert section.table.item(0, 4).text() == "Not yet"
    assert _count(db, Disclosure) == 2

    # When it is brought back with the keyboard, re-entry circle left checked
    section.table.setFocus()
    section.back_button.setFocus()
    qtbot.keyClick(section.back_button, Qt.Key.Key_Space)
    back = section.dialog_back
    assert isinstance(back, BringBackDialog) and back.reentry.isChecked()
    assert not unnamed_controls(back)
    _type(qtbot, back.note, "Assessment done; safety plan in place.")
    qtbot.keyClick(back.reentry, Qt.Key.Key_Return)

    # Then the hand-off is back and a re-entry circle is planned for the case
    qtbot.waitUntil(lambda: not back.isVisible())
    assert "re-entry circle planned" in section.table.item(0, 4).text()
    assert not section.back_button.isEnabled()
    with db.sessions() as session:
        kinds = set(session.scalars(select(Circle.kind).where(Circle.case_id == page.detail.id)))
    assert "reentry" in kinds
    assert "re-entry circle" in page.circles.item(0, 1).text().lower() or any(
        "re-entry" in page.circles.item(r, 1).text().lower() for r in range(page.circles.rowCount())
    )


def test_a_sharing_copy_exported_is_found_in_the_record_of_disclosures_and_printed_in_spanish(
    qtbot, page: CasePage, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    conference = page.conference  # type: ignore[attr-defined]
    agreement_id = draft_with_items(conference, 1)

    # Given the copy for sharing saved from the export bar
    bar = ExportBar(AgreementService(Context(db.sessions, viewer=COUNSELOR)), agreement_id)
    qtbot.addWidget(bar)
    bar.show()
    bar.audience.setCurrentIndex(bar.audience.findData("sharing"))
    target = tmp_path / "sharing.html"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    bar.html_button.setFocus()
    qtbot.keyClick(bar.html_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bar.last_saved == target, timeout=30000)
    assert "record of disclosures" in bar.info.text()

    # When the record of disclosures is opened from the case page
    page.reload()
    section = page.hand_offs
    section.disclosures_button.setFocus()
    qtbot.keyClick(section.disclosures_button, Qt.Key.Key_Space)
    dialog = section.disclosures
    assert isinstance(dialog, DisclosuresDialog)
    assert not unnamed_controls(dialog)

    # Then each student of the case has the copy for sharing in it
    names = [dialog.student.itemText(i) for i in range(dialog.student.count())]
    assert names == ["José Núñez", "Amara Okafor"]
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "Copy for sharing"
    assert dialog.table.item(0, 2).text() == "not stated"
    _choose(qtbot, dialog.student, conference.amara)
    assert dialog.table.rowCount() == 1

    # And it prints in Spanish for the family, read back from the PDF
    _choose(qtbot, dialog.language, "es")
    pdf = tmp_path / "registro.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    dialog.pdf_button.setFocus()
    qtbot.keyClick(dialog.pdf_button, Qt.Key.Key_Space)
    assert dialog.last_saved == pdf
    text = " ".join((p.extract_text() or "") for p in PdfReader(str(pdf)).pages)
    text = " ".join(text.split())
    assert "Registro de divulgaciones" in text
    assert "Amara Okafor" in text and "Copia para compartir" in text
    assert "usted tiene derecho a verlo" in text
    assert "José" not in text  # another student's record is not in hers


def test_an_officer_cannot_open_the_record_of_disclosures(
    qtbot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    officer = Viewer("Sam Reyes", ProfileRole.SRO.value)
    register(db, lambda: officer.name, lambda: officer)
    conference = build_conference(db)
    HandOffService(Context(db.sessions, viewer=COUNSELOR)).record_sharing_copy(
        draft_with_items(conference, 1), on=date(2025, 3, 5)
    )
    case_page = CasePage(db, clock=clock)
    qtbot.addWidget(case_page)
    assert case_page.load(conference.case_id)
    assert not case_page.hand_offs.disclosures_button.isEnabled()
    # Even opened directly, the dialog shows the refusal, not the lines
    dialog = DisclosuresDialog(
        HandOffService(Context(db.sessions, viewer=officer)), [(conference.jose, "José Núñez")]
    )
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    assert "cannot read" in dialog.message.text()
    QApplication.processEvents()
