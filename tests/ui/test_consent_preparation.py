"""The Preparation tab records a withdrawn consent with its date, Start then refuses naming the
person and the date, consent ticked again ends it; and "Consent form…" saves the form."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from circlekeeper.core.domain.enums import Role
from circlekeeper.core.i18n import say_date
from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.store.database import Database
from circlekeeper.ui.circles.plan import PlanDialog
from circlekeeper.ui.circles.withdrawal import WithdrawConsentDialog
from circlekeeper.ui.documents import DocumentDialog

from .a11y import unnamed_controls
from .conftest import activate, add_person
from .test_circles import choose, invite
from .test_eligibility_across import when_modal

MINOR = dt.date(2011, 5, 1)


@pytest.fixture
def plan(qtbot: QtBot, db: Database, people: PeopleService, home) -> PlanDialog:  # type: ignore[no-untyped-def]
    return _fixture_plan(qtbot, db, people)


def _fixture_plan(qtbot: QtBot, db: Database, people: PeopleService) -> PlanDialog:
    keeper = add_person(people, "Dana", "Whitfield", kind="staff")
    jose = add_person(people, "José", "Núñez", birth_date=MINOR)
    add_person(people, "Amara", "Okafor", kind="staff")
    guardian = add_person(people, "Lucía", "Núñez", kind="guardian")
    people.link_guardian(jose, guardian, "aunt")
    dialog = PlanDialog(db, library=ScriptLibrary())
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    activate(qtbot, dialog)
    choose(dialog.kind, "harm_repair")
    choose(dialog.facilitator, keeper)
    dialog.save_details()
    invite(qtbot, dialog, "nunez", Role.RESPONSIBLE.value)
    invite(qtbot, dialog, "okafor", Role.HARMED.value)
    dialog.tabs.setCurrentIndex(2)
    return dialog


def _row_of(dialog: PlanDialog, name: str) -> int:
    return next(r.id for r in dialog.detail.participants if r.name == name)  # type: ignore[union-attr]


def _readiness(dialog: PlanDialog) -> list[str]:
    return [dialog.readiness.item(r).text() for r in range(dialog.readiness.count())]


def _answer_withdrawal(on: dt.date, by: str) -> None:
    def run() -> None:
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, WithdrawConsentDialog):
            QTimer.singleShot(10, run)
            return
        widget.when.setDate(QDate(on.year, on.month, on.day))
        widget.who.setCurrentIndex(widget.who.findData(by))
        widget.accept()

    QTimer.singleShot(0, run)


def test_withdrawing_consent_blocks_start_and_consent_again_unblocks(
    qtbot: QtBot, plan: PlanDialog
) -> None:
    panel = plan.preparation
    jose = _row_of(plan, "José Núñez")
    panel.boxes[(jose, "consent")].setChecked(True)
    panel.boxes[(jose, "guardian_consent")].setChecked(True)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    # When the keeper records that José's guardian withdrew consent yesterday
    _answer_withdrawal(yesterday, "guardian")
    panel.withdraw_buttons[jose].click()
    qtbot.waitUntil(lambda: jose in panel.withdrawn_labels)
    assert jose not in panel.withdraw_buttons
    assert not panel.boxes[(jose, "guardian_consent")].isChecked()
    assert "guardian" in panel.withdrawn_labels[jose].text()
    assert unnamed_controls(plan) == []
    # Then the readiness list blocks, naming José and the date
    when = say_date(yesterday)
    blocked = f"⚠ A guardian of José Núñez withdrew consent on {when}"
    assert any(line.startswith(blocked) for line in _readiness(plan))
    # and Start refuses in plain words; nothing starts
    seen: list[str] = []
    when_modal(seen)
    plan.start()
    assert (
        seen and "cannot be held" in seen[0] and f"José Núñez withdrew consent on {when}" in seen[0]
    )
    assert "Consent to this circle was withdrawn" in seen[0] and "Preparation tab" in seen[0]
    assert plan.started is None
    # When the guardian gives consent again, the withdrawal ends
    panel.boxes[(jose, "guardian_consent")].setChecked(True)
    qtbot.waitUntil(lambda: jose in panel.withdraw_buttons)
    assert jose not in panel.withdrawn_labels
    assert not any("withdrew" in line for line in _readiness(plan))


def test_the_consent_form_button_saves_the_form_for_one_person(
    qtbot: QtBot, plan: PlanDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "consent.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    plan.preparation.form_button.click()
    window = plan.consent_window
    assert isinstance(window, DocumentDialog)
    qtbot.waitUntil(window.isVisible)
    names = [window.student.itemText(i) for i in range(window.student.count())]
    assert names[1:] == ["José Núñez", "Amara Okafor"]
    window.student.setCurrentIndex(1)
    window.language.setCurrentIndex(window.language.findData("es"))
    assert window.save_pdf() == target
    text = unicodedata.normalize(
        "NFKC",
        " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(target).pages),
    )
    assert "Padre, madre o tutor de José Núñez" in text and "Lucía Núñez" in text
    assert "Amara Okafor" not in text
    window.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_preparation_tab_with_a_withdrawal_fits_and_speaks_each_language(  # type: ignore[no-untyped-def]
    qtbot: QtBot, db: Database, people: PeopleService, home, qapp, language: str
) -> None:
    from circlekeeper.ui.i18n import install_language, ts_path

    from .screens import SCREEN_SIZE, clipped_controls
    from .test_mnemonics import repeated_mnemonics
    from .test_spanish import EnglishCatalogue, shown_texts

    install_language(language, qapp)
    try:
        plan = _fixture_plan(qtbot, db, people)
        panel = plan.preparation
        jose = _row_of(plan, "José Núñez")
        panel.ask_withdrawal = lambda row: (dt.date.today(), "participant")
        assert panel.withdraw(jose)
        qtbot.waitUntil(lambda: jose in panel.withdrawn_labels)
        asked = WithdrawConsentDialog(plan.detail.participants[1], dt.date.today(), plan)  # type: ignore[union-attr]
        qtbot.addWidget(asked)
        asked.show()
        windows = [plan, asked]
        for window in windows:
            least = window.minimumSizeHint().expandedTo(window.minimumSize())
            assert least.width() <= SCREEN_SIZE[0] and least.height() <= SCREEN_SIZE[1] - 60
            assert clipped_controls(window) == []
            # No Alt letter twice on the Preparation tab, in either language.
            assert repeated_mnemonics(window) == []
        if language == "es":
            catalogue = EnglishCatalogue(ts_path("es"))
            english = [
                f"{where}: {text!r}"
                for window in windows
                for where, text in shown_texts(window)
                if catalogue.english(text)
            ]
            assert english == []
            assert any("retiró su consentimiento" in plan.readiness.item(r).text()
                       for r in range(plan.readiness.count()))  # fmt: skip
        asked.close()
    finally:
        install_language("en", qapp)
