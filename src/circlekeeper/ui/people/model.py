"""The people list as a lazy table model: pages of 200 are fetched as the view scrolls."""

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
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from circlekeeper.core.people.names import display_name
from circlekeeper.core.people.people import PeopleService, PersonRow
from circlekeeper.ui.people.labels import kind_label, kind_short_label

Index = QModelIndex | QPersistentModelIndex


class PeopleTableModel(QAbstractTableModel):
    """Rows of :class:`PersonRow` for one search, in directory order (family name first)."""

    NAME, EXTERNAL_ID, KIND, GRADE, SCHOOL, PRONOUNS = range(6)
    COLUMN_COUNT = 6
    ObjectRole = Qt.ItemDataRole.UserRole + 1
    PAGE_SIZE = 200

    def __init__(self, service: PeopleService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._rows: list[PersonRow] = []
        self._text = ""
        self._include_archived = False
        self._kind: str | None = None
        self._exhausted = True
        self.total = 0  # how many people match, loaded or not

    # -- queries ---------------------------------------------------------------------------

    def set_query(
        self, text: str = "", *, include_archived: bool = False, kind: str | None = None
    ) -> None:
        """Show the first page of people matching ``text``."""
        self._text = text
        self._include_archived = include_archived
        self._kind = kind
        self._reload(self.PAGE_SIZE)

    def refresh(self) -> None:
        """Reload after a change, keeping as many rows loaded as before (so scrolling stays)."""
        self._reload(max(self.PAGE_SIZE, len(self._rows)))

    def _reload(self, limit: int) -> None:
        rows = self._service.search(
            self._text, limit=limit, include_archived=self._include_archived, kind=self._kind
        )
        total = (
            self._service.count(self._text, include_archived=self._include_archived)
            if self._kind is None
            else len(rows)
        )
        self.beginResetModel()
        self._rows = rows
        self._exhausted = len(rows) < limit
        self.total = max(total, len(rows))
        self.endResetModel()

    @property
    def text(self) -> str:
        return self._text

    def person_at(self, row: int) -> PersonRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, person_id: int) -> int:
        """Where a person is among the loaded rows, or -1."""
        for row, person in enumerate(self._rows):
            if person.id == person_id:
                return row
        return -1

    # -- lazy loading ----------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        page = self._service.search(
            self._text,
            limit=self.PAGE_SIZE,
            offset=len(self._rows),
            include_archived=self._include_archived,
            kind=self._kind,
        )
        self._exhausted = len(page) < self.PAGE_SIZE
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    # -- the model interface ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = {
            self.NAME: QCoreApplication.translate("PeopleTableModel", "Name"),
            self.EXTERNAL_ID: QCoreApplication.translate("PeopleTableModel", "ID"),
            self.KIND: QCoreApplication.translate("PeopleTableModel", "Kind"),
            self.GRADE: QCoreApplication.translate("PeopleTableModel", "Grade"),
            self.SCHOOL: QCoreApplication.translate("PeopleTableModel", "School"),
            self.PRONOUNS: QCoreApplication.translate("PeopleTableModel", "Pronouns"),
        }
        return titles.get(section)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        person = self.person_at(index.row())
        if person is None:
            return None
        column = index.column()
        if role == self.ObjectRole:
            return person
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = self._display(person, column)
            if (
                role == Qt.ItemDataRole.AccessibleTextRole
                and column == self.NAME
                and person.archived
            ):
                text = QCoreApplication.translate("PeopleTableModel", "{name}, archived")
                text = text.format(name=self._display(person, column))
            return text
        if role == Qt.ItemDataRole.ToolTipRole and column == self.KIND:
            return kind_label(person.kind)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NAME:
            legal = display_name(person.first_name, None, person.last_name)
            if person.preferred_name and person.preferred_name != person.first_name:
                return QCoreApplication.translate(
                    "PeopleTableModel", "Preferred name; legal name {legal}"
                ).format(legal=legal)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and person.archived:
            return QApplication.palette().brush(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.FontRole and person.archived and column == self.NAME:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def _display(self, person: PersonRow, column: int) -> str:
        if column == self.NAME:
            name = person.display_name
            if person.archived:
                suffix = QCoreApplication.translate("PeopleTableModel", "(archived)")
                name = f"{name} {suffix}"
            return name
        if column == self.EXTERNAL_ID:
            return person.external_id or ""
        if column == self.KIND:
            return kind_short_label(person.kind)
        if column == self.GRADE:
            return person.grade or ""
        if column == self.SCHOOL:
            return person.school or ""
        if column == self.PRONOUNS:
            return person.pronouns or ""
        return ""
