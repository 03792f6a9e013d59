"""The family letter from the case page and the circle summary from the circle plan, as PDFs.

Both go through ``core/export/documents.py`` (the command line's functions), so the PDFs read
back here hold what the viewer may see: a private note only on its author's copy, never a
demographic field, and no letter at all from an officer's profile.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from tests.core.conftest import build_conference, draft_with_items
from tests.ui.a11y import unnamed_controls

from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.profiles.viewer import ProfileRole, Viewer
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.store.models import Circle, Note
from circlekeeper.ui.cases.page import CasePage
from circlekeeper.ui.circles.plan import PlanDialog
from circlekeeper.ui.operations import register

COUNSELOR = Viewer("Dana Whitfield", ProfileRole.COUNSELOR.value)
OFFICER = Viewer("Sam Reyes", ProfileRole.SRO.value)
PRIVATE_NOTE = "Mentioned trouble at home with the stepfather"
RECORD_NOTE = "Both students spoke openly in the main round"
DEMOGRAPHICS = ("Zapotec-Mixtec heritage", "Genderfluid-kestrel")
SHOTS = Path("/tmp/circlekeeper-shots")


@pytest.fixture
def school(db):  # type: ignore[no-untyped-def]
    c = build_conference(db)
    c.agreement_id = draft_with_items(c, 2)
    people = PeopleService(db.sessions)
    jose = people.details(c.jose).data
    people.update(c.jose, replace(jose, race_ethnicity=DEMOGRAPHICS[0], gender=DEMOGRAPHICS[1]))
    with db.sessions.begin() as session:
        session.get(Circle, c.circle_id).status = "completed"
        session.add(
            Note(circle_id=c.circle_id, text=PRIVATE_NOTE, privacy="private", author=COUNSELOR.name)
        )
        session.add(Note(circle_id=c.circle_id, text=RECORD_NOTE, privacy="record"))
    return c


def _text(path: Path) -> str:
    pages = PdfReader(path).pages
    return " ".join(
        " ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in pages
    )


def _save(qtbot, monkeypatch, dialog, path: Path) -> str:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.problem.isVisible(), dialog.problem.text()
    assert dialog.last_saved == path and path.exists()
    return _text(path)


def _page(qtbot, db, viewer: Viewer, case_id: int) -> CasePage:  # type: ignore[no-untyped-def]
    register(db, lambda: viewer.name, lambda: viewer)
    page = CasePage(db)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    assert page.load(case_id)
    return page


def test_the_case_page_saves_the_family_letter(qtbot, db, school, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Given a counselor on the case page of a case with an agreement
    page = _page(qtbot, db, COUNSELOR, school.case_id)
    assert page.letter_button.isVisible() and page.letter_button.isEnabled()
    SHOTS.mkdir(exist_ok=True)
    page.ensureWidgetVisible(page.letter_button)
    page.grab().save(str(SHOTS / "case-page-letter-button.png"))
    # When they ask for the family letter, in Spanish, about José
    qtbot.mouseClick(page.letter_button, Qt.MouseButton.LeftButton)
    dialog = page.letter
    assert dialog is not None and dialog.isVisible()
    assert unnamed_controls(dialog) == []
    students = [dialog.student.itemText(i) for i in range(dialog.student.count())]
    assert "José Núñez" in students and "Amara Okafor" in students
    dialog.student.setCurrentIndex(dialog.student.findData(school.jose))
    dialog.language.setCurrentIndex(dialog.language.findData("es"))
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "family-letter-dialog.png"))
    text = _save(qtbot, monkeypatch, dialog, tmp_path / "carta.pdf")
    # Then the letter reads back to José's guardian, with his items, and nothing private
    assert "Estimada familia" in text or "Lucía Núñez" in text
    assert "José Núñez" in text and "Item number 1" in text
    for secret in (PRIVATE_NOTE, *DEMOGRAPHICS):
        assert secret not in text
    assert "Saved" in dialog.notice.text()


def test_an_officer_gets_no_family_letter(qtbot, db, school, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, db, OFFICER, school.case_id)
    assert not page.letter_button.isVisible()
    # Even asked directly, the core refuses and says why
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: said.append(text))
    assert page.family_letter() is None
    assert said and "counseling office" in said[0]


@pytest.mark.parametrize("viewer", [COUNSELOR, OFFICER], ids=["author", "officer"])
def test_the_circle_plan_saves_the_summary(
    qtbot, db, school, monkeypatch, tmp_path, viewer
) -> None:  # type: ignore[no-untyped-def]
    register(db, lambda: viewer.name, lambda: viewer)
    plan = PlanDialog(db, school.circle_id, library=ScriptLibrary())
    qtbot.addWidget(plan)
    plan.resize(1366, 768)
    plan.show()
    assert plan.summary_button.isVisible()
    qtbot.mouseClick(plan.summary_button, Qt.MouseButton.LeftButton)
    dialog = plan.summary_window
    assert dialog.isVisible() and not dialog.student.isVisible()
    dialog.language.setCurrentIndex(dialog.language.findData("en+es"))
    text = _save(qtbot, monkeypatch, dialog, tmp_path / "summary.pdf")
    assert RECORD_NOTE in text and "Cafeteria headphones" in text
    assert "Resumen" in text
    for secret in DEMOGRAPHICS:
        assert secret not in text
    if viewer is OFFICER:
        assert PRIVATE_NOTE not in text and "FERPA" in text
    else:
        assert PRIVATE_NOTE in text
        plan.grab().save(str(SHOTS / "circle-plan-summary-button.png"))
