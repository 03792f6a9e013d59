"""The circle list as a table model, in the order the core reads it: today's circles in time
order, then the coming ones, then the past ones (see ``CircleQueries.in_order``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CircleRow
from circlekeeper.ui.circles.labels import kind_label, status_label
from circlekeeper.ui.lists import RecordTableModel
from circlekeeper.ui.locale import date_text, time_text

LIST_LIMIT = 1000


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
        return self._planner.in_order(datetime.now().astimezone(), status=self.status, limit=limit)

    def circle_at(self, row: int) -> CircleRow | None:
        return self.record_at(row)

    def extra(self, circle: CircleRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.PEOPLE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def display(self, circle: CircleRow, column: int) -> str:
        return self._display(circle, column)

    @staticmethod
    def when_text(when: datetime) -> str:
        """A circle's day and time as the list shows them, in the reader's time zone."""
        moment = when.astimezone()
        return f"{date_text(moment.date())}  {time_text(moment)}"

    @staticmethod
    def _display(circle: CircleRow, column: int) -> str:
        if column == CirclesTableModel.WHEN:
            # A held circle shows when it was held, not when it was planned.
            if circle.when is None:
                return QCoreApplication.translate("CirclesTableModel", "Not decided")
            return CirclesTableModel.when_text(circle.when)
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
