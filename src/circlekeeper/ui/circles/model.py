"""The circle list as a table model: upcoming circles first (soonest at the top), then the
rest, most recent first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CircleRow
from circlekeeper.core.domain.enums import CircleStatus
from circlekeeper.ui.circles.labels import kind_label, status_label
from circlekeeper.ui.locale import date_text, time_text

Index = QModelIndex | QPersistentModelIndex
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


class CirclesTableModel(QAbstractTableModel):
    """Rows of :class:`CircleRow` for one status filter."""

    WHEN, TITLE, KIND, STATUS, PLACE, PEOPLE = range(6)
    COLUMN_COUNT = 6
    ObjectRole = Qt.ItemDataRole.UserRole + 1
    SortRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, planner: CirclePlanner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._planner = planner
        self._rows: list[CircleRow] = []
        self.status: str | None = None

    def set_status(self, status: str | None) -> None:
        self.status = status
        self.refresh()

    def refresh(self) -> None:
        rows = self._planner.circles(status=self.status, limit=LIST_LIMIT)
        self.beginResetModel()
        self._rows = upcoming_first(rows, datetime.now().astimezone())
        self.endResetModel()

    def circle_at(self, row: int) -> CircleRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, circle_id: int) -> int:
        return next((n for n, r in enumerate(self._rows) if r.id == circle_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (
            QCoreApplication.translate("CirclesTableModel", "When"),
            QCoreApplication.translate("CirclesTableModel", "Title"),
            QCoreApplication.translate("CirclesTableModel", "Kind"),
            QCoreApplication.translate("CirclesTableModel", "Status"),
            QCoreApplication.translate("CirclesTableModel", "Place"),
            QCoreApplication.translate("CirclesTableModel", "People"),
        )
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        circle = self.circle_at(index.row())
        if circle is None:
            return None
        column = index.column()
        if role == self.ObjectRole:
            return circle
        if role == self.SortRole:
            return index.row()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(circle, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.PEOPLE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

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
