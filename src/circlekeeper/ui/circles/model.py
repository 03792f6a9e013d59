"""The circle list as a table model: upcoming circles first (soonest at the top), then the
rest, most recent first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CircleRow
from circlekeeper.core.domain.enums import CircleStatus
from circlekeeper.ui.circles.labels import kind_label, status_label
from circlekeeper.ui.lists import RecordTableModel
from circlekeeper.ui.locale import date_text, time_text

LIST_LIMIT = 1000


def upcoming_first(rows: list[CircleRow], now: datetime) -> list[CircleRow]:
    """Planned and running circles from now on, soonest first; then everything else, newest
    first (a planned circle with no date counts as upcoming, after the dated ones)."""

    def upcoming(row: CircleRow) -> bool:
        if row.status == CircleStatus.IN_PROGRESS.value:
            return True
        return row.status == CircleStatus.PLANNED.value and (
            row.scheduled_at is None or row.scheduled_at >= now
        )

    soon = [r for r in rows if upcoming(r)]
    soon.sort(key=lambda r: (r.scheduled_at is None, r.scheduled_at or now, r.id))
    rest = [r for r in rows if not upcoming(r)]
    rest.sort(key=lambda r: (r.scheduled_at or r.started_at or now, r.id), reverse=True)
    return soon + rest


class CirclesTableModel(RecordTableModel[CircleRow]):
    """Rows of :class:`CircleRow` for one status filter (read whole, then put in order)."""

    WHEN, TITLE, KIND, STATUS, PLACE, PEOPLE = range(6)
    PAGED = False
    PAGE_SIZE = LIST_LIMIT
    TRANSLATION_CONTEXT = "CirclesTableModel"
    HEADERS = (
        QT_TRANSLATE_NOOP("CirclesTableModel", "When"),
        QT_TRANSLATE_NOOP("CirclesTableModel", "Title"),
        QT_TRANSLATE_NOOP("CirclesTableModel", "Kind"),
        QT_TRANSLATE_NOOP("CirclesTableModel", "Status"),
        QT_TRANSLATE_NOOP("CirclesTableModel", "Place"),
        QT_TRANSLATE_NOOP("CirclesTableModel", "People"),
    )

    def __init__(self, planner: CirclePlanner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._planner = planner
        self.status: str | None = None

    def set_status(self, status: str | None) -> None:
        self.status = status
        self.refresh()

    def refresh(self) -> None:
        self.reload(LIST_LIMIT)

    def read(self, limit: int, offset: int) -> Sequence[CircleRow]:
        rows = self._planner.circles(status=self.status, limit=limit)
        return upcoming_first(rows, datetime.now().astimezone())

    def circle_at(self, row: int) -> CircleRow | None:
        return self.record_at(row)

    def extra(self, circle: CircleRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.PEOPLE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def display(self, circle: CircleRow, column: int) -> str:
        return self._display(circle, column)

    @staticmethod
    def _display(circle: CircleRow, column: int) -> str:
        if column == CirclesTableModel.WHEN:
            if circle.scheduled_at is None:
                return QCoreApplication.translate("CirclesTableModel", "Not decided")
            moment = circle.scheduled_at.astimezone()
            return f"{date_text(moment.date())}  {time_text(moment)}"
        if column == CirclesTableModel.TITLE:
            return circle.title
        if column == CirclesTableModel.KIND:
            return kind_label(circle.kind)
        if column == CirclesTableModel.STATUS:
            return status_label(circle.status)
        if column == CirclesTableModel.PLACE:
            return circle.location or ""
        if column == CirclesTableModel.PEOPLE:
            return str(circle.participant_count)
        return ""
