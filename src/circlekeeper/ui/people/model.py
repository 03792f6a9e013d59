"""The people list as a lazy table model: pages of 50 are fetched as the view scrolls."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from circlekeeper.core.people.names import display_name
from circlekeeper.core.people.people import PeopleCount, PeopleService, PersonRow
from circlekeeper.ui.lists import RecordTableModel
from circlekeeper.ui.people.labels import kind_label, kind_short_label


class PeopleTableModel(RecordTableModel[PersonRow]):
    """Rows of :class:`PersonRow` for one search, in directory order (family name first)."""

    NAME, EXTERNAL_ID, KIND, GRADE, SCHOOL, PRONOUNS = range(6)
    # Read again at every key typed into the search, so a page is what a screen shows and a
    # little more (about 20 rows at 1366x768, 35 on a tall monitor): reading and building a
    # row is most of a keystroke's cost once the lists find the matches in order, and 200
    # rows made it ~1.5 ms of the 2 ms goal. The view asks for the next page as it scrolls
    # (and at once when the last row read is still on screen).
    PAGE_SIZE = 50
    TRANSLATION_CONTEXT = "PeopleTableModel"
    HEADERS = (
        QT_TRANSLATE_NOOP("PeopleTableModel", "Name"),
        QT_TRANSLATE_NOOP("PeopleTableModel", "ID"),
        QT_TRANSLATE_NOOP("PeopleTableModel", "Kind"),
        QT_TRANSLATE_NOOP("PeopleTableModel", "Grade"),
        QT_TRANSLATE_NOOP("PeopleTableModel", "School"),
        QT_TRANSLATE_NOOP("PeopleTableModel", "Pronouns"),
    )

    def __init__(self, service: PeopleService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._text = ""
        self._include_archived = False
        self._kind: str | None = None
        # Set when the count stopped at its cap: more people than this match (core PeopleCount).
        self.more_than: int | None = None
        self._counted: PeopleCount | None = None  # the count read with the first page

    def set_query(
        self, text: str = "", *, include_archived: bool = False, kind: str | None = None
    ) -> None:
        """Show the first page of people matching ``text``."""
        self._text = text
        self._include_archived = include_archived
        self._kind = kind
        self.reload()

    def reload(self, limit: int | None = None) -> None:
        super().reload(limit)
        if self.more_than is not None and not self.canFetchMore():
            # Every match was read (fewer came than were asked for): the rows are the count,
            # and the last search's "more than" no longer holds.
            self.more_than = None
            self.total = self.rowCount()

    def read(self, limit: int, offset: int) -> Sequence[PersonRow]:
        self._counted = None
        if offset == 0 and self._kind is None:
            # The first page comes with the search's count, in the same statement.
            page = self._service.page(
                self._text, limit=limit, include_archived=self._include_archived
            )
            self._counted = page.count
            return page.rows
        return self._service.search(
            self._text,
            limit=limit,
            offset=offset,
            include_archived=self._include_archived,
            kind=self._kind,
        )

    def count(self, loaded: int) -> int:
        # Asked only after a full first page, whose statement counted (a list of one kind
        # read no count: it says what it read).
        self.more_than = None
        found = self._counted
        if found is None:
            return loaded
        if found.more:
            self.more_than = found.number
        return found.number

    @property
    def text(self) -> str:
        return self._text

    def person_at(self, row: int) -> PersonRow | None:
        return self.record_at(row)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        person = self.record_at(index.row()) if index.isValid() else None
        if (
            person is not None
            and role == Qt.ItemDataRole.AccessibleTextRole
            and index.column() == self.NAME
            and person.archived
        ):
            text = QCoreApplication.translate("PeopleTableModel", "{name}, archived")
            return text.format(name=self.display(person, self.NAME))
        return super().data(index, role)

    def extra(self, person: PersonRow, column: int, role: int) -> Any:
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

    def display(self, person: PersonRow, column: int) -> str:
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
