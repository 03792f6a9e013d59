"""The record lists' columns show their titles whole, in each language.

A column sized by a count of letters fits its English title; Spanish titles run longer
("Personas" was clipped on the Circles list at 1366x768).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView, QWidget
from pytestqt.qtbot import QtBot

from circlekeeper.core.store.database import Database
from circlekeeper.ui.agreements.area import AgreementsArea
from circlekeeper.ui.cases.area import CasesArea
from circlekeeper.ui.circles.area import CirclesArea
from circlekeeper.ui.i18n import install_language
from circlekeeper.ui.people.area import PeopleArea

from .conftest import activate

AREAS = (CirclesArea, CasesArea, PeopleArea, AgreementsArea)


@pytest.fixture(params=["en", "es"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    install_language(request.param, qapp)
    yield request.param
    install_language("en", qapp)


def _clipped_titles(area: QWidget) -> list[str]:
    clipped = []
    for table in area.findChildren(QTableView):
        if not table.isVisibleTo(area):
            continue  # another page of the area (a case page): its own screen
        header = table.horizontalHeader()
        model = table.model()
        for column in range(model.columnCount()):
            if header.sectionResizeMode(column) is QHeaderView.ResizeMode.Stretch:
                continue  # takes the room left: not sized by letters
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            room = header.sectionSize(column)
            if header.fontMetrics().horizontalAdvance(title) + 12 > room:
                clipped.append(f"{type(area).__name__}: {title!r} in {room} px")
    return clipped


@pytest.mark.parametrize("area_type", AREAS, ids=lambda kind: kind.__name__)
def test_every_column_title_is_shown_whole(
    qtbot: QtBot, db: Database, language: str, area_type: type[QWidget]
) -> None:
    area = area_type(db)  # type: ignore[call-arg]
    qtbot.addWidget(area)
    area.resize(1366 - 220, 700)
    activate(qtbot, area)
    assert _clipped_titles(area) == []
