"""The Reports area builds the district roll-up: a row for each school and the district total."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot
from tests.core.reports.report_seed import NORTH, SOUTH, seed_programme
from tests.ui.a11y import unnamed_controls

from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.common import to_qdate
from circlekeeper.ui.reports.area import ReportsArea


def test_a_row_per_school_is_built_for_all_schools_with_small_ones_hidden(
    qtbot: QtBot, db: Database, home
) -> None:
    # Given a programme at two schools, South Lake's referrals too few to show
    seed_programme(db)
    area = ReportsArea(db, today=date(2025, 12, 19))
    qtbot.addWidget(area)
    area.resize(1366, 768)
    area.show()
    area.report_choice.setCurrentIndex(area.report_choice.findData("referrals"))
    area.start_date.setDate(to_qdate(date(2025, 9, 1)))
    area.end_date.setDate(to_qdate(date(2025, 12, 19)))
    area.min_cell.setValue(10)
    # A row per school is for all schools: choosing one school turns it off
    area.school.setCurrentIndex(area.school.findData(NORTH))
    assert not area.by_school.isEnabled()
    area.school.setCurrentIndex(0)
    assert area.by_school.isEnabled()
    assert unnamed_controls(area) == []
    # When it is ticked and the report built
    area.by_school.setChecked(True)
    with qtbot.waitSignal(area.built, timeout=30_000):
        area.build_button.click()
    # Then the table shows each school and the district, South Lake's referrals hidden
    shown = next(s for s in area.view.sections if s.section.key == "by_school")
    labels = [row.label.en for row in shown.section.rows]
    assert labels == sorted([NORTH, SOUTH]) + ["District total"]
    column = [c.measure for c in shown.section.columns].index("referrals")
    south = labels.index(SOUTH)
    assert shown.model.data(shown.model.index(south, column + 1)) == "*"
    area.grab().save("/tmp/schools-reports-by-school.png")
