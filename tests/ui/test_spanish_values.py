"""Stored values a screen shows are words of the interface: a role, an attendance.

The Spanish walk (test_spanish.py) finds English source texts left on a screen; a role or an
attendance shown straight from its stored value ("responsible", "left_early") is not a
source text, so these tests read such places in Spanish.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from tests.core.test_cases import _case, _people

from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.area import CasesArea
from circlekeeper.ui.cases.model import CaseTableModel
from circlekeeper.ui.i18n import install_language
from circlekeeper.ui.live.dialogs import PickPersonDialog

from .conftest import activate
from .test_facilitator import end_circle
from .test_facilitator_helpers import harm_circle, open_window, press, to_first_round

Key = Qt.Key


@pytest.fixture
def spanish(qapp: QApplication) -> Iterator[None]:
    install_language("es", qapp)
    yield
    install_language("en", qapp)


def test_the_case_list_names_each_persons_role_in_spanish(
    qtbot: QtBot, db: Database, spanish: None
) -> None:
    _case(db, _people(db))  # Ana Ruiz responsible, Ben Lee harmed
    area = CasesArea(db)
    qtbot.addWidget(area)
    activate(qtbot, area)
    qtbot.waitUntil(lambda: area.model.rowCount() == 1)
    shown = area.model.index(0, CaseTableModel.PEOPLE).data()
    assert shown == "Ana Ruiz (responsable), Ben Lee (afectado/a)"


def test_the_circle_summary_and_the_late_arrivals_roles_speak_spanish(
    qtbot: QtBot, db: Database, spanish: None
) -> None:
    cid, ids = harm_circle(db)
    window = open_window(qtbot, db, cid, present=[i for n, i in ids.items() if n != "Dee"])
    to_first_round(qtbot, window)
    # Dee arrives late: the roles offered for her are words, not stored values
    press(qtbot, window, Key.Key_J)
    join = window.dialog
    assert isinstance(join, PickPersonDialog) and join.role is not None
    offered = [join.role.itemText(i) for i in range(join.role.count())]
    assert offered[:2] == ["Participante del círculo", "Persona de apoyo"]
    qtbot.keyClick(join.filter, Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None)
    end_circle(qtbot, window)
    view = window.summary_view
    assert view is not None
    page = view.text.toPlainText()  # type: ignore[attr-defined]
    assert "Participante del círculo" in page and "Presente" in page and "Se unió tarde" in page
    for stored in ("member", "present", "joined late", "facilitator"):
        assert stored not in page
