"""The case list as a lazy table model: pages are fetched as the view scrolls."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.list_filter import ListFilter
from circlekeeper.core.cases.rows import CaseRow
from circlekeeper.core.domain.enums import Diversion
from circlekeeper.ui.cases.common import (
    closure_label,
    day_text,
    diversion_label,
    parties_text,
    status_label,
)
from circlekeeper.ui.lists import RecordTableModel


class CaseTableModel(RecordTableModel[CaseRow]):
    """Rows of :class:`CaseRow`, newest referral first."""

    REFERRED, INCIDENT, PEOPLE, STATUS, DIVERSION, SCHOOL = range(6)
    TRANSLATION_CONTEXT = "CaseTableModel"
    HEADERS = (
        QT_TRANSLATE_NOOP("CaseTableModel", "Referred"),
        QT_TRANSLATE_NOOP("CaseTableModel", "Incident"),
        QT_TRANSLATE_NOOP("CaseTableModel", "People involved"),
        QT_TRANSLATE_NOOP("CaseTableModel", "Status"),
        QT_TRANSLATE_NOOP("CaseTableModel", "Diverted from"),
        QT_TRANSLATE_NOOP("CaseTableModel", "School"),
    )

    def __init__(self, service: CaseService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._status: str | None = None
        self._open_only = True
        self._filters = ListFilter()

    def set_filter(
        self, status: str | None, *, open_only: bool, filters: ListFilter | None = None
    ) -> None:
        self._status = status
        self._open_only = open_only
        self._filters = filters or ListFilter()
        self.reload()

    def read(self, limit: int, offset: int) -> Sequence[CaseRow]:
        return self._service.list_cases(
            status=self._status,
            open_only=self._open_only,
            limit=limit,
            offset=offset,
            filters=self._filters,
        )

    def count(self, loaded: int) -> int:
        return self._service.count_cases(
            status=self._status, open_only=self._open_only, filters=self._filters
        )

    def case_at(self, row: int) -> CaseRow | None:
        return self.record_at(row)

    def sort_value(self, row: CaseRow, column: int) -> Any:
        return (row.referred_on, row.incident_category, parties_text(row.parties), row.status,
                row.diverted_from, row.school or "")[column]  # fmt: skip

    def display(self, row: CaseRow, column: int) -> str:
        if column == self.REFERRED:
            return day_text(row.referred_on)
        if column == self.INCIDENT:
            return row.incident_category
        if column == self.PEOPLE:
            return parties_text(row.parties)
        if column == self.STATUS:
            if row.closure_reason:
                return QCoreApplication.translate("CaseTableModel", "Closed: {reason}").format(
                    reason=closure_label(row.closure_reason)
                )
            return status_label(row.status)
        if column == self.DIVERSION:
            return "" if row.diverted_from == Diversion.NONE else diversion_label(row.diverted_from)
        if column == self.SCHOOL:
            return row.school or ""
        return ""

    def extra(self, row: CaseRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.display(row, column)
        return None
