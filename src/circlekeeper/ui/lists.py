"""What every list screen shares: one table model over pages of records, and the small habits
of a list (Enter opens, selecting by id, reloading without losing the person's place).

The model follows Vorta's table models: column constants on the class, an ``ObjectRole`` that
gives the record of a row and a ``SortRole`` for a proxy. A screen's model says only which
records to read and how each column reads; paging, headers and roles live here once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea

Index = QModelIndex | QPersistentModelIndex


class _Record(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=_Record)


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Rows of plain records (each with an ``id``), read a page at a time as the view scrolls.

    A subclass sets ``HEADERS`` (column titles, translated in ``TRANSLATION_CONTEXT``) and
    column constants in the same order, and implements :meth:`read` (one page of records) and
    :meth:`display` (a column's text). Optional: :meth:`count` (how many match in all),
    :meth:`sort_value`, :meth:`extra` (any other role). ``PAGED = False`` reads one page of
    ``PAGE_SIZE`` only (a list that is sorted after reading).
    """

    ObjectRole = Qt.ItemDataRole.UserRole + 1
    SortRole = Qt.ItemDataRole.UserRole + 2
    PAGE_SIZE = 200
    PAGED = True
    HEADERS: tuple[object, ...] = ()  # QT_TRANSLATE_NOOP(context, title) each
    TRANSLATION_CONTEXT = "RecordTableModel"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []
        self._exhausted = True
        self.total = 0  # how many records match, loaded or not

    # -- what a screen's model provides ---------------------------------------------------

    def read(self, limit: int, offset: int) -> Sequence[R]:
        """One page of the records to show, in order."""
        raise NotImplementedError

    def count(self, loaded: int) -> int:
        """How many records match in all (``loaded`` when the list cannot say more)."""
        return loaded

    def display(self, record: R, column: int) -> str:
        raise NotImplementedError

    def sort_value(self, record: R, column: int) -> Any:
        """What a proxy sorts the column by; None keeps the order read (the row number)."""
        return None

    def extra(self, record: R, column: int, role: int) -> Any:
        """Any other role (tool tips, fonts, colours); None by default."""
        return None

    # -- reading --------------------------------------------------------------------------

    def reload(self, limit: int | None = None) -> None:
        """Read from the first record again (``limit`` records, a page by default)."""
        limit = limit or self.PAGE_SIZE
        rows = list(self.read(limit, 0))
        # Fewer came than were asked for: they are every match, so they are the count (a
        # count statement per keystroke saved, a round trip on a server).
        total = len(rows) if len(rows) < limit else self.count(len(rows))
        self.beginResetModel()
        self._rows = rows
        self._exhausted = not self.PAGED or len(rows) < limit
        self.total = max(total, len(rows))
        self.endResetModel()

    def refresh(self) -> None:
        """Read again after a change, as many records as were loaded (so scrolling stays)."""
        self.reload(max(self.PAGE_SIZE, len(self._rows)))

    def record_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, record_id: int) -> int:
        """Where a record is among the loaded rows, or -1."""
        return next((n for n, r in enumerate(self._rows) if r.id == record_id), -1)

    # -- the Qt model ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        page = list(self.read(self.PAGE_SIZE, len(self._rows)))
        self._exhausted = len(page) < self.PAGE_SIZE
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(self.HEADERS):
            return None
        return QCoreApplication.translate(self.TRANSLATION_CONTEXT, str(self.HEADERS[section]))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = self.record_at(index.row()) if index.isValid() else None
        if record is None:
            return None
        if role == self.ObjectRole:
            return record
        if role == self.SortRole:
            value = self.sort_value(record, index.column())
            return index.row() if value is None else value
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.display(record, index.column())
        return self.extra(record, index.column(), role)


# -- list screens -------------------------------------------------------------------------


def select_row(view: QAbstractItemView, row: int) -> None:
    """Make ``row`` the current, only selected row of a list, and bring it into sight."""
    model = view.model()
    if model is None or not 0 <= row < model.rowCount():
        return
    index = model.index(row, 0)
    view.selectionModel().setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    view.scrollTo(index)


def selected_row(view: QAbstractItemView) -> int | None:
    """The selected row of a one-row-at-a-time list, or None."""
    rows = view.selectionModel().selectedRows()
    return rows[0].row() if rows else None


class _OpenOnEnter(QObject):
    def __init__(self, view: QAbstractItemView, action: Callable[[], object]) -> None:
        super().__init__(view)
        self.action = action
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.action()
            return True
        return False


def open_on_enter(view: QAbstractItemView, action: Callable[[], object]) -> None:
    """Enter (or Return) on the list runs ``action`` (open or edit the selected record)."""
    _OpenOnEnter(view, action)


def keep_place(
    view: QAbstractItemView | QAbstractScrollArea,
    reload: Callable[[], object],
    selected_id: Callable[[], int | None] | None = None,
    select_id: Callable[[int], object] | None = None,
) -> None:
    """Run ``reload`` and put back the selected record (by id) and the scroll position.

    Used when a list refreshes because something changed elsewhere: the person reading it
    keeps their row and their place, as if nothing had moved under them.
    """
    chosen = selected_id() if selected_id is not None else None
    vertical = view.verticalScrollBar().value()
    horizontal = view.horizontalScrollBar().value()
    reload()
    if chosen is not None and select_id is not None:
        select_id(chosen)
    view.verticalScrollBar().setValue(vertical)
    view.horizontalScrollBar().setValue(horizontal)
