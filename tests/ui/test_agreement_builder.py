"""The agreement builder, driven like a counselor would: from a finished conference to a PDF."""

from __future__ import annotations

import importlib.util
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from tests.ui.a11y import unnamed_controls

from circlekeeper.core.store.models import Circle
from circlekeeper.ui.agreements import open_agreement_for_circle
from circlekeeper.ui.agreements.area import AgreementsArea
from circlekeeper.ui.agreements.builder import AgreementBuilder
from circlekeeper.ui.agreements.item_dialog import select_data
from circlekeeper.ui.agreements.monitor import AgreementMonitor

_spec = importlib.util.spec_from_file_location(
    "core_conference_fixtures", Path(__file__).parents[1] / "core" / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_fixtures = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _fixtures
_spec.loader.exec_module(_fixtures)
build_conference = _fixtures.build_conference
draft_with_items = _fixtures.draft_with_items

SIGNED = date(2025, 3, 4)


@pytest.fixture
def conference(db):  # type: ignore[no-untyped-def]
    c = build_conference(db)
    with db.sessions.begin() as session:
        session.get(Circle, c.circle_id).status = "completed"
    return c


def _pdf_text(path: Path) -> str:
    # NFKC turns the PDF's "fi" ligatures back into letters.
    return unicodedata.normalize(
        "NFKC", "\n".join(page.extract_text() for page in PdfReader(path).pages)
    )


def _save_pdf(qtbot, monkeypatch, bar, path: Path) -> str:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(bar.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not bar.rendering)  # the template renders off the UI thread
    assert not bar.problem.isVisible(), bar.problem.text()
    assert bar.last_saved is not None and bar.last_saved.exists()
    return _pdf_text(bar.last_saved)


def _fill_item(qtbot, dialog, who: int, due: date) -> None:  # type: ignore[no-untyped-def]
    select_data(dialog.responsible, who)
    dialog.has_due.setChecked(True)
    dialog.due_on.setDate(QDate(due.year, due.month, due.day))


def _sign(qtbot, builder, person_id: int, *, guardian: bool = False) -> None:  # type: ignore[no-untyped-def]
    before = len(builder.service.get(builder.agreement_id).signatures)
    builder.signatures.sign(person_id, SIGNED, guardian=guardian)
    qtbot.waitUntil(lambda: len(builder.service.get(builder.agreement_id).signatures) == before + 1)
    qtbot.wait(5)  # the panel rebuilds its lines on the next turn of the event loop


def test_builder_from_finished_conference_to_printed_pdf(
    qtbot, conference, monkeypatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    c = conference
    # Given a finished conference, when the counselor starts its agreement
    builder = open_agreement_for_circle(c.db, c.circle_id, None)
    qtbot.addWidget(builder)
    assert isinstance(builder, AgreementBuilder)
    assert builder.is_draft

    # Activating an empty draft explains why, in place, without a modal box
    qtbot.mouseClick(builder.activate_button, Qt.MouseButton.LeftButton)
    assert builder.problem.isVisible()
    assert "no items" in builder.problem.text()
    assert "Add at least one item" in builder.reasons.text()

    # The header is typed
    qtbot.keyClicks(builder.harm_summary, "J. took Amara's headphones <&> and they broke.")
    qtbot.keyClicks(builder.if_not_kept, "We meet again with the dean.")
    builder.has_follow_up.setChecked(True)
    builder.follow_up_on.setDate(QDate(2025, 4, 15))
    select_data(builder.follow_up_by, c.dana)

    # A typical item from the Spanish catalogue, edited to fit
    builder.catalogue_language.setCurrentIndex(builder.catalogue_language.findData("es"))
    assert any("Disculpa" in t.title for t in builder.templates)
    builder.catalogue_language.setCurrentIndex(builder.catalogue_language.findData("en"))
    builder.catalogue.setCurrentIndex(0)  # apology
    qtbot.mouseClick(builder.add_from_catalogue_button, Qt.MouseButton.LeftButton)
    dialog = builder.item_dialog
    assert dialog is not None and dialog.isVisible()
    assert unnamed_controls(dialog) == []
    dialog.action.selectAll()
    qtbot.keyClicks(dialog.action, "Apologise to Amara in a letter, read together.")
    # The typical item's other blanks are filled too, in English and Spanish
    dialog.verification.setText("Amara tells Dana the apology was made.")
    dialog.action_es.setPlainText("Pedir disculpas a Amara en una carta, leída juntos.")
    dialog.verification_es.setText("Amara le confirma a Dana que recibió la disculpa.")
    _fill_item(qtbot, dialog, c.jose, date(2025, 3, 11))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    # A blank item: saving it empty says why and keeps the dialog and what was chosen
    qtbot.mouseClick(builder.add_blank_button, Qt.MouseButton.LeftButton)
    dialog = builder.item_dialog
    _fill_item(qtbot, dialog, c.jose, date(2025, 3, 28))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error.isVisible() and "required" in dialog.error.text()
    assert dialog.responsible.currentData() == c.jose
    qtbot.keyClicks(dialog.action, "Replace the headphones: pay $60 in three instalments")
    qtbot.keyClick(dialog.action, Qt.Key.Key_Tab)  # Tab leaves the text, it is not typed
    assert "\t" not in dialog.action.toPlainText()
    qtbot.keyClicks(dialog.verification, "Office keeps the receipts")
    select_data(dialog.verifier, c.dana)
    select_data(dialog.supporter, c.lucia)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert builder.items.rowCount() == 2
    assert "Replace the headphones" in builder.items.item(1, 1).text()
    assert builder.items.item(1, 2).text() == "José Núñez\nsupported by Lucía Núñez"

    # Move the second item up with the keyboard-reachable button
    builder.items.selectRow(1)
    qtbot.mouseClick(builder.up_button, Qt.MouseButton.LeftButton)
    assert "Replace the headphones" in builder.items.item(0, 1).text()

    # Signatures: participants sign; the minors' missing guardians are flagged
    for person in (c.jose, c.amara, c.dana, c.sam):
        _sign(qtbot, builder, person)
    assert builder.signatures.flag.isVisible()
    assert "José Núñez" in builder.signatures.flag.text()
    assert "Amara Okafor" in builder.signatures.flag.text()
    _sign(qtbot, builder, c.lucia, guardian=True)
    assert "José Núñez" not in builder.signatures.flag.text()
    assert "Amara Okafor" in builder.signatures.flag.text()
    assert unnamed_controls(builder) == []

    # Activate: the text is fixed, and the missing guardian signature is said again
    assert "Everything needed" in builder.reasons.text()
    qtbot.mouseClick(builder.activate_button, Qt.MouseButton.LeftButton)
    assert not builder.problem.isVisible(), builder.problem.text()
    assert builder.details.summary.status == "active"
    assert "Amara Okafor" in builder.notice.text()
    assert not builder.add_blank_button.isEnabled()

    # Save PDF, school copy in English, and read it back
    text = _save_pdf(qtbot, monkeypatch, builder.export, tmp_path / "agreement.pdf")
    flat = " ".join(text.split())
    for expected in (
        "Apologise to Amara in a letter",
        "Replace the headphones",
        "José Núñez",
        "Amara Okafor",
        "Lucía Núñez",
        "Grace Okafor",
        "Dana Whitfield",
        "Sam Reyes",
        "<&>",
        "March 28, 2025",
        "Parent or guardian of Amara Okafor",
    ):
        assert expected in flat, (expected, flat)
    assert flat.count("______________________________") >= 6  # a signature line per signer

    # The bilingual copy for sharing outside the counseling office
    builder.export.language.setCurrentIndex(builder.export.language.findData("en+es"))
    builder.export.audience.setCurrentIndex(builder.export.audience.findData("sharing"))
    # The item with no Spanish wording is named first; the copy is made once confirmed
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "shared"), "")
    )
    qtbot.mouseClick(builder.export.pdf_button, Qt.MouseButton.LeftButton)
    warning = builder.export.spanish_warning
    assert warning is not None and "Item 1 has no Spanish wording" in warning.text()  # moved up
    warning.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not builder.export.rendering)
    shared = _pdf_text(tmp_path / "shared.pdf")
    assert "Pedir disculpas a Amara en una carta" in " ".join(shared.split())
    assert (tmp_path / "shared.pdf").exists()
    assert "Acuerdo" in shared or "acuerdo" in shared
    builder.close()

    # Life after the circle: tick an item off with a date and a note
    monitor = AgreementMonitor(c.db, builder.agreement_id)
    qtbot.addWidget(monitor)
    monitor.show()
    assert unnamed_controls(monitor) == []
    monitor.items.selectRow(0)
    monitor.done_on.setDate(QDate(2025, 3, 20))
    qtbot.keyClicks(monitor.done_note, "First instalment paid")
    qtbot.keyClick(monitor.done_note, Qt.Key.Key_Return)
    assert not monitor.problem.isVisible(), monitor.problem.text()
    assert monitor.items.item(0, 5).text().startswith("✓ Mar 20, 2025")
    assert "1 of 2 items done" in monitor.state.text()

    # Renegotiate: version 2 is a new draft, and the history lists both versions
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(monitor.renegotiated) as signal:
        qtbot.mouseClick(monitor.renegotiate_button, Qt.MouseButton.LeftButton)
    new_id = signal.args[0]
    assert monitor.versions.count() == 2
    events = [monitor.events.item(r, 2).text() for r in range(monitor.events.rowCount())]
    assert "Made active (signed)" in events
    assert "Ticked an item off" in events
    assert "Renegotiated: new version started" in events
    second = AgreementMonitor(c.db, new_id)
    qtbot.addWidget(second)
    assert second.details.summary.version == 2
    assert second.details.items[0].completed_on == date(2025, 3, 20)


def test_closing_asks_first_and_explains_a_wrong_outcome(qtbot, conference, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    c = conference
    agreement_id = draft_with_items(c, 2)
    c.agreements.record_signature(agreement_id, c.jose, SIGNED)
    c.agreements.activate(agreement_id)
    monitor = AgreementMonitor(c.db, agreement_id)
    qtbot.addWidget(monitor)
    monitor.show()
    # Saying No to the question leaves it active
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    qtbot.mouseClick(monitor.close_button, Qt.MouseButton.LeftButton)
    assert monitor.details.summary.status == "active"
    # "Completed" with nothing ticked is explained in place
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monitor.outcome.setCurrentIndex(monitor.outcome.findData("completed"))
    qtbot.mouseClick(monitor.close_button, Qt.MouseButton.LeftButton)
    assert monitor.problem.isVisible() and "0 of 2" in monitor.problem.text()
    monitor.outcome.setCurrentIndex(monitor.outcome.findData("not_completed"))
    qtbot.mouseClick(monitor.close_button, Qt.MouseButton.LeftButton)
    assert monitor.details.summary.status == "not_completed"
    assert not monitor.tick_button.isEnabled()
    assert monitor.renegotiate_button.isEnabled()


def test_area_lists_agreements_and_starts_one_for_a_circle(qtbot, conference) -> None:  # type: ignore[no-untyped-def]
    c = conference
    area = AgreementsArea(c.db)
    qtbot.addWidget(area)
    area.show()
    assert area.table.rowCount() == 0
    assert unnamed_controls(area) == []
    # Given a held conference, when "New agreement for circle…" is chosen
    qtbot.mouseClick(area.new_button, Qt.MouseButton.LeftButton)
    picker = area.picker
    assert picker is not None and picker.list.count() == 1
    assert unnamed_controls(picker) == []
    qtbot.mouseClick(picker.ok_button, Qt.MouseButton.LeftButton)
    # then a draft is listed and its builder is open
    assert area.table.rowCount() == 1
    assert area.table.item(0, 2).text() == "Draft"
    assert "José Núñez" in area.table.item(0, 3).text()
    builder = area.windows[-1]
    assert isinstance(builder, AgreementBuilder)
    builder.close()
    # An active agreement with an overdue item opens in the follow-up view
    agreement_id = draft_with_items(c, 2)
    c.agreements.record_signature(agreement_id, c.jose, SIGNED)
    c.agreements.activate(agreement_id)
    area.reload()
    row = next(r for r, line in enumerate(area.lines) if line.summary.id == agreement_id)
    assert area.table.item(row, 5).text() == "2 overdue"
    area.table.selectRow(row)
    area.table.setFocus()
    qtbot.keyClick(area.table, Qt.Key.Key_Return)
    assert isinstance(area.windows[-1], AgreementMonitor)
    area.windows[-1].close()


def test_print_preview_opens_and_the_same_circle_reopens_its_draft(qtbot, conference) -> None:  # type: ignore[no-untyped-def]
    c = conference
    first = open_agreement_for_circle(c.db, c.circle_id, None)
    qtbot.addWidget(first)
    again = open_agreement_for_circle(c.db, c.circle_id, None)
    qtbot.addWidget(again)
    assert again.agreement_id == first.agreement_id
    qtbot.mouseClick(first.export.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: hasattr(first.export, "preview"))
    preview = first.export.preview
    assert preview.isVisible()
    preview.reject()


def test_the_window_keeps_answering_while_a_template_renders(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch, conference, tmp_path: Path
) -> None:
    import threading

    from PySide6.QtCore import QTimer

    from circlekeeper.core.export import templates

    # Given a render that can only finish once the UI thread has handled a timer event
    # (if rendering blocked the UI thread, the timer could not fire and it would give up)
    turned = threading.Event()
    real_render = templates.render_agreement
    outcome: list[str] = []

    def slow_render(*args, **kwargs):  # type: ignore[no-untyped-def]
        outcome.append("kept answering" if turned.wait(10) else "blocked")
        return real_render(*args, **kwargs)

    monkeypatch.setattr(templates, "render_agreement", slow_render)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "a.html"), "")
    )
    builder = open_agreement_for_circle(conference.db, conference.circle_id, None)
    qtbot.addWidget(builder)
    builder.show()
    bar = builder.export
    writers: list[threading.Thread] = []
    real_write = bar._write_html

    def write(html: str, title: str) -> None:
        writers.append(threading.current_thread())
        real_write(html, title)

    monkeypatch.setattr(bar, "_write_html", write)

    # When HTML is asked for from the keyboard
    builder.activateWindow()
    bar.html_button.setFocus()
    qtbot.waitUntil(bar.html_button.hasFocus)
    qtbot.keyClick(bar.html_button, Qt.Key.Key_Space)

    # Then the window shows that it is working, keeps its buttons from a second click...
    assert bar.rendering and bar.busy.isVisible() and bar.busy_bar.isVisible()
    assert not bar.html_button.isEnabled()
    QTimer.singleShot(50, turned.set)
    # ...its event loop keeps turning, and the file is saved once the render is done
    qtbot.waitUntil(lambda: not bar.rendering, timeout=15000)
    assert outcome == ["kept answering"]
    assert bar.last_saved == tmp_path / "a.html" and "Repair Agreement" in bar.last_saved.read_text(
        encoding="utf-8"
    )
    assert not bar.busy.isVisible() and bar.html_button.isEnabled()
    assert writers == [threading.main_thread()]  # the result came back to the UI thread
    assert bar.html_button.hasFocus()  # the keyboard is where it was


def test_a_costly_school_template_falls_back_in_the_export_window(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch, conference, home: Path, tmp_path: Path
) -> None:
    from circlekeeper.core.export.templates import user_templates_dir

    user = user_templates_dir()
    user.mkdir(parents=True, exist_ok=True)
    (user / "agreement.html").write_text("District\n{{ 'x' * 10**9 }}\n", encoding="utf-8")
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "b.html"), "")
    )
    builder = open_agreement_for_circle(conference.db, conference.circle_id, None)
    qtbot.addWidget(builder)
    qtbot.mouseClick(builder.export.html_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not builder.export.rendering, timeout=15000)
    assert "Repair Agreement" in (tmp_path / "b.html").read_text(encoding="utf-8")
    assert "agreement.html, line 2" in builder.export.info.text()
    assert "built-in template was used instead" in builder.export.info.text()
