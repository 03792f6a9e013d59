"""The builder with a typical item's blanks ([amount], [hours]) and its Spanish wording.

Driven like a counselor would: the blanks show highlighted in the item form and the list,
Activate waits (and the core refuses) until they are filled, printing offers only a copy
marked DRAFT, and a Spanish copy says first which items have no Spanish wording.
"""

from __future__ import annotations

import importlib.util
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from tests.ui.a11y import unnamed_controls

from circlekeeper.core.store.models import Circle
from circlekeeper.ui.agreements.blanks import BLANK_BACKGROUND
from circlekeeper.ui.agreements.builder import AgreementBuilder
from circlekeeper.ui.agreements.item_dialog import select_data

_spec = importlib.util.spec_from_file_location(
    "core_conference_fixtures_blanks", Path(__file__).parents[1] / "core" / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_fixtures = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _fixtures
_spec.loader.exec_module(_fixtures)

SIGNED = date(2025, 3, 4)
SHOTS = Path("/tmp/circlekeeper-shots")


@pytest.fixture
def builder(qtbot, db):  # type: ignore[no-untyped-def]
    c = _fixtures.build_conference(db)
    with db.sessions.begin() as session:
        session.get(Circle, c.circle_id).status = "completed"
    agreement_id = _fixtures.draft_with_items(c, 2)
    for person in (c.jose, c.amara, c.dana, c.sam):
        c.agreements.record_signature(agreement_id, person, SIGNED)
    window = AgreementBuilder(db, agreement_id)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.conference = c
    return window


def _pdf_text(path: Path) -> str:
    return " ".join(
        " ".join(unicodedata.normalize("NFKC", page.extract_text()).split())
        for page in PdfReader(path).pages
    )


def _highlighted(edit) -> list[str]:  # type: ignore[no-untyped-def]
    """The words the text box paints on the blank colour."""
    words = []
    block = edit.document().firstBlock()
    while block.isValid():
        for fmt in block.layout().formats():
            if fmt.format.background().color().name() == BLANK_BACKGROUND:
                words.append(block.text()[fmt.start : fmt.start + fmt.length])
        block = block.next()
    return words


def _save(qtbot, monkeypatch, bar, path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(bar.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not bar.rendering)


def test_blanks_are_highlighted_and_block_activation_and_printing(
    qtbot, builder, monkeypatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    c = builder.conference
    assert builder.activate_button.isEnabled()  # two filled items, signed: ready
    # Given the typical restitution item, added from the catalogue
    builder.catalogue.setCurrentIndex(
        next(n for n, t in enumerate(builder.templates) if t.kind == "restitution")
    )
    qtbot.mouseClick(builder.add_from_catalogue_button, Qt.MouseButton.LeftButton)
    dialog = builder.item_dialog
    assert dialog is not None and dialog.isVisible()
    # Its blanks are highlighted in both languages and named above the form
    assert "[amount]" in _highlighted(dialog.action) and "[hours]" in _highlighted(dialog.action)
    assert "[cantidad]" in _highlighted(dialog.action_es)
    assert dialog.blanks_left.isVisible() and "[amount]" in dialog.blanks_left.text()
    assert unnamed_controls(dialog) == []
    SHOTS.mkdir(exist_ok=True)
    qtbot.wait(20)
    dialog.grab().save(str(SHOTS / "item-dialog-blanks.png"))
    select_data(dialog.responsible, c.jose)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    # The list marks the item, Activate waits and the reasons say which item and why
    cell = builder.items.item(2, 1)
    assert "Still to fill in: [amount]" in cell.text()
    assert cell.background().color().name() == BLANK_BACKGROUND
    assert not builder.activate_button.isEnabled()
    assert "[words] highlighted in item 3" in builder.reasons.text()
    builder.items.clearSelection()
    builder.grab().save(str(SHOTS / "builder-blanks.png"))
    # The core refuses too, whatever calls it, and nothing changes
    builder.activate()
    assert builder.problem.isVisible() and "Item 3" in builder.problem.text()
    assert builder.service.get(builder.agreement_id).summary.status == "draft"

    # Printing for signing is refused in place; the draft copy prints, marked on every page
    target = tmp_path / "agreement.pdf"
    _save(qtbot, monkeypatch, builder.export, target)
    assert builder.export.problem.isVisible()
    assert "cannot be printed" in builder.export.problem.text() and not target.exists()
    builder.export.draft_copy.setChecked(True)
    _save(qtbot, monkeypatch, builder.export, target)
    assert not builder.export.problem.isVisible(), builder.export.problem.text()
    text = _pdf_text(target)
    assert "DRAFT, not for signing" in text and "[amount]" in text
    builder.export.draft_copy.setChecked(False)

    # Filled in, the item is plain again and the agreement activates
    builder.items.selectRow(2)
    builder.edit_selected()
    dialog = builder.item_dialog
    dialog.action.setPlainText("Pay back $60 for the headphones in three instalments of $20.")
    dialog.action_es.setPlainText("Reponer 60 dólares por los audífonos en tres pagos de 20.")
    dialog.verification_es.setText("La oficina guarda un recibo de cada pago.")
    assert _highlighted(dialog.action) == [] and not dialog.blanks_left.isVisible()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert "Still to fill in" not in builder.items.item(2, 1).text()
    assert builder.activate_button.isEnabled()
    qtbot.mouseClick(builder.activate_button, Qt.MouseButton.LeftButton)
    assert not builder.problem.isVisible(), builder.problem.text()
    assert builder.details.summary.status == "active"


def test_a_spanish_copy_asks_first_about_items_with_no_spanish_wording(
    qtbot, builder, monkeypatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    bar = builder.export
    bar.language.setCurrentIndex(bar.language.findData("es"))
    target = tmp_path / "acuerdo.pdf"
    # When the Spanish copy is asked for, the two items with no Spanish wording are named
    _save(qtbot, monkeypatch, bar, target)
    box = bar.spanish_warning
    assert box is not None and box.isVisible()
    assert "Item 1, 2" in box.text()
    # Answering no makes nothing
    box.button(QMessageBox.StandardButton.No).click()
    qtbot.waitUntil(lambda: bar.spanish_warning is None)
    assert not target.exists()
    # Answering yes makes the copy, which says the same
    _save(qtbot, monkeypatch, bar, target)
    bar.spanish_warning.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not bar.rendering and target.exists())
    text = _pdf_text(target)
    assert "Compromisos sin redacción en español: 1, 2." in text
