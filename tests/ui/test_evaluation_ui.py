"""The fidelity checklist and the survey window, driven from the keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from tests.core.held import WHEN, held_circle

from circlekeeper.core.evaluation.fidelity import FidelityService
from circlekeeper.core.evaluation.surveys import SurveyService
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import SurveyResponse, SurveySitting
from circlekeeper.ui.circles.plan import PlanDialog
from circlekeeper.ui.evaluation.fidelity_dialog import FidelityDialog
from circlekeeper.ui.evaluation.survey_window import SurveyWindow

from .a11y import unnamed_controls
from .conftest import activate


def _keys(qtbot: QtBot, *keys: Qt.Key, modifier: Qt.KeyboardModifier | None = None) -> None:
    for key in keys:
        target = QApplication.focusWidget()
        assert target is not None
        qtbot.keyClick(target, key, modifier or Qt.KeyboardModifier.NoModifier)


def test_the_keeper_completes_the_checklist_from_the_keyboard(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    # Given a circle ended after its check-in round
    held = held_circle(db, tmp_path, stages_run=4)
    dialog = FidelityDialog(db, held.circle_id)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    assert unnamed_controls(dialog) == []
    assert dialog.reasons["closing"].text() == "From the record: The stage was not reached."
    assert dialog.reasons["confidentiality_limits"].text() == "Only you know: answer from memory."

    # When the keeper saves at once, the item only they can answer is pointed out
    _keys(qtbot, Qt.Key.Key_S, modifier=Qt.KeyboardModifier.ControlModifier)
    assert "1 item(s) of the checklist are not answered yet" in dialog.status.text()
    assert dialog.isVisible()
    assert QApplication.focusWidget() is dialog.answers["confidentiality_limits"]
    assert not FidelityService(db.sessions).draft(held.circle_id).completed

    # When they answer it with Y, mark the closing not applicable (A), and save
    _keys(qtbot, Qt.Key.Key_Y)
    for _ in range(5):
        _keys(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.answers["closing"]
    _keys(qtbot, Qt.Key.Key_A)
    _keys(qtbot, Qt.Key.Key_S, modifier=Qt.KeyboardModifier.ControlModifier)

    # Then the checklist is saved with the record's answers and theirs
    assert not dialog.isVisible()
    saved = {r.item: r.answer for r in FidelityService(db.sessions).draft(held.circle_id).items}
    assert saved == {
        "opening": "yes",
        "confidentiality_limits": "yes",
        "guidelines": "yes",
        "talking_piece": "yes",
        "everyone_invited": "yes",
        "every_stage": "no",
        "closing": "n/a",
    }


def test_the_survey_goes_round_without_names_and_counts_each_person_once(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    # Given a circle held with three members present
    held = held_circle(db, tmp_path, members=3, absent=0)
    window = SurveyWindow(db, held.circle_id)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    activate(qtbot, window)
    assert unnamed_controls(window) == []

    # Then no name of anyone in the circle is anywhere on it
    texts = " ".join(
        w.text() for w in window.findChildren(QLabel) + window.findChildren(QAbstractButton)
    )
    assert "Member" not in texts and "Kim" not in texts and "Test" not in texts
    assert window.count.text() == "0 of 3 have answered"

    # When the first person answers 1, 1, 2, 1 and presses Enter
    _keys(qtbot, Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_1, Qt.Key.Key_Return)
    assert window.pages.currentIndex() == 1 and window.count.text() == "1 of 3 have answered"

    # And the hand-in is pressed again on the thank-you page (a double press)
    window.hand_in.click()
    assert "already answered, so it was not saved again" in window.message.text()

    # And the next person gets a blank form, presses Enter with nothing chosen, then answers
    _keys(qtbot, Qt.Key.Key_Return)
    assert window.pages.currentIndex() == 0 and window.chosen() == dict.fromkeys(window.groups)
    _keys(qtbot, Qt.Key.Key_Return)
    assert "No question was answered" in window.message.text()
    _keys(qtbot, Qt.Key.Key_3, Qt.Key.Key_Return, Qt.Key.Key_Return)
    _keys(qtbot, Qt.Key.Key_2, Qt.Key.Key_2, Qt.Key.Key_2, Qt.Key.Key_2, Qt.Key.Key_Return)

    # Then after the third the laptop goes back to the keeper, who finishes the round
    assert "Everyone present has answered" in window.thanks_text.text()
    assert not window.next_button.isEnabled()
    _keys(qtbot, Qt.Key.Key_W, modifier=Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    tally = SurveyService(db.sessions).tally(held.circle_id)
    assert tally.responses == 3
    assert tally.counts["heard"] == {"yes": 1, "somewhat": 1, "no": 1, "skipped": 0}
    assert tally.counts["safe"] == {"yes": 1, "somewhat": 1, "no": 0, "skipped": 1}
    with db.sessions() as session:
        assert session.scalars(select(SurveySitting.closed_at)).one() is not None
        assert session.scalar(select(func.count()).select_from(SurveyResponse)) == 3


def test_a_held_circle_offers_the_checklist_and_surveys_and_a_planned_one_does_not(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    held = held_circle(db, tmp_path)
    from circlekeeper.core.circles.rows import CirclePlan

    planned = held.planner.plan(CirclePlan(kind="staff", scheduled_at=WHEN)).id
    done = PlanDialog(db, held.circle_id)
    later = PlanDialog(db, planned)
    qtbot.addWidget(done)
    qtbot.addWidget(later)
    assert [b.isVisibleTo(done) for b in done.evaluation] == [True, True, True, True]
    # Before the circle is held, only the forms to print are offered
    assert [b.isVisibleTo(later) for b in later.evaluation] == [False, False, True, False]
    done.evaluation[3].click()  # enter printed surveys
    window = done.__dict__["evaluation_window"]
    assert isinstance(window, SurveyWindow) and window.sitting.source == "paper"
    window.finish()


def test_the_forms_to_print_are_saved_as_a_pdf_with_one_page_per_person(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog

    held = held_circle(db, tmp_path, members=4, absent=2)
    target = tmp_path / "forms.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    dialog = PlanDialog(db, held.circle_id)
    qtbot.addWidget(dialog)
    dialog.evaluation[2].click()
    reader = PdfReader(target)
    assert len(reader.pages) == 2
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    assert "Member" not in text and "heard" in text


def test_at_the_end_of_a_circle_the_summary_leads_to_the_checklist(
    qtbot: QtBot, db: Database
) -> None:
    from circlekeeper.ui.live.dialogs import ConfirmEndDialog

    from .test_facilitator_helpers import harm_circle, open_window, press

    # Given a harm circle run straight to its end from the keyboard
    cid, _ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    press(qtbot, window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    confirm = window.dialog
    assert isinstance(confirm, ConfirmEndDialog)
    qtbot.mouseClick(confirm.end_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.summary_view is not None)
    view = window.summary_view

    # When the keeper presses Alt+K on the summary
    activate(qtbot, view)
    qtbot.keyClick(view, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)

    # Then the fidelity checklist opens, prefilled: only the opening stage was reached
    qtbot.waitUntil(lambda: isinstance(view.__dict__.get("evaluation_window"), FidelityDialog))
    dialog = view.__dict__["evaluation_window"]
    assert dialog.answers["opening"].currentData() == "yes"
    assert dialog.answers["closing"].currentData() == "no"
    dialog.reject()
