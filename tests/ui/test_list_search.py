"""The Cases and Agreements lists: a search box and filters that narrow ten years of records.

What each test expects is worked out from the seeded records (tests/core/list_seed.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from tests.core.list_seed import CASES, HILLSIDE, PEOPLE, school_year, seed_lists
from tests.ui.a11y import unnamed_controls
from tests.ui.conftest import activate

from circlekeeper.core.store.database import Database
from circlekeeper.ui.agreements.area import AgreementsArea
from circlekeeper.ui.cases.area import CasesArea
from circlekeeper.ui.cases.model import CaseTableModel


def _choose(combo, text: str) -> None:  # type: ignore[no-untyped-def]
    index = combo.findText(text)
    assert index >= 0, f"{text!r} is not offered"
    combo.setCurrentIndex(index)


def _listed_dates(area: CasesArea) -> list[str]:
    model = area.model
    return [
        str(model.data(model.index(r, CaseTableModel.REFERRED), CaseTableModel.SortRole))
        for r in range(model.rowCount())
    ]


def test_cases_search_narrows_filters_combine_and_the_stated_order_holds(
    qtbot, db: Database
) -> None:
    # Given five referrals at two schools over two school years
    seed_lists(db)
    area = CasesArea(db)
    qtbot.addWidget(area)
    area.resize(1366, 768)
    activate(qtbot, area)
    area.open_only.setChecked(False)
    bar = area.filter_bar
    # The order is stated on screen, and the rows keep it (newest referral first)
    assert bar.order.text() == "Newest referral first"
    assert area.model.rowCount() == len(CASES)
    assert _listed_dates(area) == sorted(_listed_dates(area), reverse=True)
    # Every control can be read by a screen reader, and the search is reached from the keyboard
    assert unnamed_controls(area) == []
    # Tab walks from the search box through the year, type and school choices
    bar.search.setFocus()
    assert bar.search.hasFocus()
    reached = []
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert bar.year in reached and bar.incident in reached
    # ...and Alt+R comes back to the search box from anywhere on the list
    area.table.setFocus()
    qtbot.keyClick(area.table, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert bar.search.hasFocus()

    # When a name is typed (without its accent) and Enter pressed
    bar.search.setFocus()
    qtbot.keyClicks(bar.search, "nunez")
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    # Then only that person's cases are listed
    chloe = sum(1 for s in CASES if "Chloé" in (s.responsible, s.harmed))
    assert area.model.rowCount() == chloe
    assert "Chloé Núñez" in [name for name, _role in area.model.case_at(0).parties]  # type: ignore[union-attr]
    assert area.count.text() == ("1 case" if chloe == 1 else f"{chloe} cases")

    # When the words are cleared and a school year and a school chosen, the filters combine
    bar.search.clear()
    qtbot.waitUntil(lambda: area.model.rowCount() == len(CASES))
    year = school_year(CASES[-1].referred_on)
    _choose(bar.year, f"{year}-{(year + 1) % 100:02d}")
    _choose(bar.school, HILLSIDE)
    expected = [s for s in CASES if school_year(s.referred_on) == year and s.school == HILLSIDE]
    assert area.model.rowCount() == len(expected)
    _choose(bar.incident, "Theft")
    theft = [s for s in expected if s.incident == "Theft"]
    assert area.model.rowCount() == len(theft)
    row = area.model.case_at(0)
    assert row is not None and row.school == HILLSIDE and row.incident_category == "Theft"
    assert _listed_dates(area) == sorted(_listed_dates(area), reverse=True)
    area.grab().save("/tmp/schools-cases-list.png")


def test_agreements_search_narrows_and_the_stated_order_holds(qtbot, db: Database) -> None:
    # Given an agreement started for each of five referrals
    made = seed_lists(db)
    area = AgreementsArea(db)
    qtbot.addWidget(area)
    area.resize(1366, 768)
    area.show()
    bar = area.filter_bar
    assert bar.order.text() == "Newest agreement first"
    listed = [line.summary.id for line in area.lines]
    assert listed == sorted(made["agreements"], reverse=True)  # type: ignore[arg-type]
    assert unnamed_controls(area) == []

    # When a family name is typed
    bar.search.setFocus()
    qtbot.keyClicks(bar.search, PEOPLE["Dev"][0].lower())
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    # Then only the agreements of that person's cases are listed
    devs = [n for n, s in enumerate(CASES) if s.responsible == "Dev"]
    assert area.table.rowCount() == len(devs)
    assert "Dev Patel" in area.table.item(0, 3).text()

    # When the words are cleared and a status with no agreement is chosen, nothing is listed
    bar.search.clear()
    qtbot.waitUntil(lambda: area.table.rowCount() == len(CASES))
    _choose(area.status_filter, "Active (signed)")
    assert area.table.rowCount() == 0
    _choose(area.status_filter, "Draft")
    _choose(bar.school, HILLSIDE)
    assert area.table.rowCount() == sum(1 for s in CASES if s.school == HILLSIDE)
    area.grab().save("/tmp/schools-agreements-list.png")
