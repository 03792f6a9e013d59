"""The incident types dialog: a word typed at intake is mapped to SWIS with the keyboard."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from tests.ui.a11y import unnamed_controls

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.incidents import IncidentVocabulary
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.incident_types import IncidentTypesDialog


def test_a_flagged_type_is_listed_first_and_mapped(qtbot, db: Database) -> None:
    # Given a referral whose words matched no incident type
    CaseService(db.sessions).intake(CaseIntake(date(2026, 3, 2), "Locker prank"))
    vocabulary = IncidentVocabulary(db.sessions)
    dialog = IncidentTypesDialog(vocabulary)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not unnamed_controls(dialog)
    # Then it is listed first, marked as waiting
    assert dialog.table.item(0, 0).text() == "Locker prank"
    assert dialog.table.item(0, 4).text() == "To map"
    # When the counselor says what it counts as and saves
    dialog.behavior.setFocus()
    dialog.behavior.lineEdit().clear()
    qtbot.keyClicks(dialog.behavior, "Disruption")
    dialog.level.setCurrentIndex(dialog.level.findData("minor"))
    qtbot.keyClicks(dialog.spanish, "Broma en los casilleros")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    # Then nothing waits any more and the reports will count it as a SWIS minor
    assert vocabulary.unmapped() == []
    saved = next(t for t in vocabulary.types() if t.label == "Locker prank")
    assert (saved.swis_behavior, saved.swis_level, saved.label_es) == (
        "Disruption",
        "minor",
        "Broma en los casilleros",
    )
    assert "Disruption" in dialog.message.text()


def test_an_empty_behaviour_is_refused_in_words(qtbot, db: Database) -> None:
    dialog = IncidentTypesDialog(IncidentVocabulary(db.sessions))
    qtbot.addWidget(dialog)
    dialog.behavior.lineEdit().clear()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "SWIS problem behaviour" in dialog.message.text()
