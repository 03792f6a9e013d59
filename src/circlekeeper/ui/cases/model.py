"""The case list as a lazy table model: pages are fetched as the view scrolls."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.rows import CaseRow
from circlekeeper.core.domain.enums import Diversion
from circlekeeper.ui.cases.common import closure_label, day_text, diversion_label, status_label

Index = QModelIndex | QPersistentModelIndex


class CaseTableModel(QAbstractTableModel):
    """Rows of :class:`CaseRow`, newest referral first."""

    REFERRED, INCIDENT, PEOPLE, STATUS, DIVERSION = range(5)
    COLUMN_COUNT = 5
    ObjectRole = Qt.ItemDataRole.UserRole + 1
    SortRole = Qt.ItemDataRole.UserRole + 2
    PAGE_SIZE = 200

    def __init__(self, service: CaseService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._rows: list[CaseRow] = []
        self._status: str | None = None
        self._open_only = True
        self._exhausted = True
        self.total = 0

    def set_filter(self, status: str | None, *, open_only: bool) -> None:
        self._status = status
        self._open_only = open_only
        self._reload(self.PAGE_SIZE)

    def refresh(self) -> None:
        self._reload(max(self.PAGE_SIZE, len(self._rows)))

    def _reload(self, limit: int) -> None:
        rows = self._service.list_cases(status=self._status, open_only=self._open_only, limit=limit)
        total = self._service.count_cases(status=self._status, open_only=self._open_only)
        self.beginResetModel()
        self._rows = rows
        self._exhausted = len(rows) < limit
        self.total = max(total, len(rows))
        self.endResetModel()

    def case_at(self, row: int) -> CaseRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, case_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == case_id), -1)

    # -- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        more = self._service.list_cases(
            status=self._status,
            open_only=self._open_only,
            limit=self.PAGE_SIZE,
            offset=len(self._rows),
        )
        self._exhausted = len(more) < self.PAGE_SIZE
        if more:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (
            QCoreApplication.translate("CaseTableModel", "Referred"),
            QCoreApplication.translate("CaseTableModel", "Incident"),
            QCoreApplication.translate("CaseTableModel", "People involved"),
            QCoreApplication.translate("CaseTableModel", "Status"),
            QCoreApplication.translate("CaseTableModel", "Diverted from"),
        )
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.case_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role == self.ObjectRole:
            return row
        column = index.column()
        if role == self.SortRole:
            return (row.referred_on, row.incident_category, row.parties, row.status,
                    row.diverted_from)[column]  # fmt: skip
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.REFERRED:
                return day_text(row.referred_on)
            if column == self.INCIDENT:
                return row.incident_category
            if column == self.PEOPLE:
                return row.parties
            if column == self.STATUS:
                if row.closure_reason:
                    return QCoreApplication.translate("CaseTableModel", "Closed: {reason}").format(
                        reason=closure_label(row.closure_reason)
                    )
                return status_label(row.status)
            if column == self.DIVERSION:
                return (
                    ""
                    if row.diverted_from == Diversion.NONE
                    else diversion_label(row.diverted_from)
                )
        return None
