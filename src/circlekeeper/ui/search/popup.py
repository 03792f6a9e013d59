"""Search everywhere: type, see people, cases, circles, agreements and notes, press Enter."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.search.search import PersonTag, SearchCancelled, SearchHit, search
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.background import BackgroundTask
from circlekeeper.ui.cases.common import PROBLEMS, clearable, inert_item_flags, problem_text
from circlekeeper.ui.geometry import default_size
from circlekeeper.ui.looking import screen_context
from circlekeeper.ui.people.labels import kind_short_label

SEARCH_DELAY_MS = 120
HIT_ROLE = Qt.ItemDataRole.UserRole + 1
SHOW_ALL_ROLE = Qt.ItemDataRole.UserRole + 2
PER_KIND = 8


def person_details(widget: QWidget, tag: PersonTag) -> str:
    """'Student · Grade 7 · ID S004512 · Lincoln Middle': what tells two Marías apart."""
    parts = [kind_short_label(tag.kind)]
    if tag.grade:
        parts.append(widget.tr("Grade {grade}").format(grade=tag.grade))
    if tag.external_id:
        parts.append(widget.tr("ID {id}").format(id=tag.external_id))
    if tag.school:
        parts.append(tag.school)
    return " · ".join(parts)


def hit_text(widget: QWidget, hit: SearchHit, kind_title: str) -> str:
    """A result's line: its heading, then who they are (a person) or the matching words."""
    text_lines = hit.title or kind_title
    if hit.person is not None:
        text_lines += "\n    " + person_details(widget, hit.person)
    snippet = " ".join(hit.snippet.split())
    if snippet and snippet != hit.title:
        text_lines += "\n    " + snippet
    return text_lines


def kind_titles(widget: QWidget) -> dict[str, str]:
    return {
        "person": widget.tr("People"),
        "case": widget.tr("Cases"),
        "circle": widget.tr("Circles"),
        "agreement": widget.tr("Agreements"),
        "agreement_item": widget.tr("Agreement items"),
        "note": widget.tr("Notes"),
    }


def add_grouped_hits(
    widget: QWidget, results: QListWidget, hits: list[SearchHit]
) -> QListWidgetItem | None:
    """Add ``hits`` to ``results`` under a bold heading per kind (private notes with the
    notes), in the kinds' order; the first hit's line, to select, or None."""
    titles = kind_titles(widget)
    groups: dict[str, list[SearchHit]] = {}
    for hit in hits:
        groups.setdefault("note" if hit.kind == "private_note" else hit.kind, []).append(hit)
    first: QListWidgetItem | None = None
    for kind, title in titles.items():
        found = groups.get(kind)
        if not found:
            continue
        header = QListWidgetItem(f"{title} ({len(found)})", results)
        header.setFlags(inert_item_flags())
        font = QFont(header.font())
        font.setBold(True)
        header.setFont(font)
        for hit in found:
            item = QListWidgetItem("  " + hit_text(widget, hit, title), results)
            item.setData(HIT_ROLE, hit)
            item.setToolTip(" ".join(hit.snippet.split()))
            first = first or item
    return first


class SearchPopup(QDialog):
    """A field and the results as you type, grouped by kind; ``chosen`` on Enter."""

    chosen = Signal(str, int, object)  # kind, id, parent id

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.hits: list[SearchHit] = []
        self.results_dialog: QDialog | None = None
        self.setWindowTitle(self.tr("Search everywhere"))
        self.setAccessibleName(self.windowTitle())
        default_size(self, 640, 520)
        self.field = QLineEdit(self)
        clearable(self.field)
        self.field.setPlaceholderText(
            self.tr("People, cases, circles, agreements and notes — type a few letters")
        )
        self.field.setAccessibleName(self.tr("Search everywhere"))
        font = QFont(self.field.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.field.setFont(font)
        self.results = QListWidget(self)
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Search status"))
        self.status.setText(self.tr("Enter opens the highlighted result; Esc closes."))
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_in_background)
        self.field.textChanged.connect(self._typed)
        # Each search is numbered; results of an older one (the person typed on) are dropped.
        self._generation = 0
        self._task: BackgroundTask | None = None
        self.field.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.itemActivated.connect(lambda _item: self.open_current())

    def popup(self, text: str = "") -> None:
        """Show (or bring back) the popup with the field ready for typing."""
        if text:
            self.field.setText(text)
        self.field.selectAll()
        self.show()
        self.activateWindow()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _typed(self) -> None:
        self._drop_running()
        self._timer.start()

    def _drop_running(self) -> None:
        """Forget the search under way: SQLite stops it, and its results will be dropped."""
        self._generation += 1
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def search_in_background(self) -> None:
        """Search for the field's text off the UI thread (after the typing pause)."""
        self._timer.stop()
        self._drop_running()
        text = self.field.text()
        if not text.strip():
            self._show(text, [])
            return
        # Private notes are found only by their author, never by an SRO (decided in core).
        context = screen_context(self.database)
        generation = self._generation

        def job(_progress: object, cancelled: Callable[[], bool]) -> list[SearchHit]:
            return search(context, text, per_kind=PER_KIND, cancelled=cancelled)

        task = BackgroundTask(job, self)
        task.succeeded.connect(lambda hits: self._arrived(generation, text, hits))
        task.failed.connect(lambda error: self._arrived(generation, text, error))
        task.finished.connect(task.deleteLater)
        self._task = task
        task.start()

    def _arrived(self, generation: int, text: str, outcome: object) -> None:
        if generation != self._generation or isinstance(outcome, SearchCancelled):
            return  # a stale search: the person has typed since
        self._task = None
        if isinstance(outcome, PROBLEMS):
            self.status.setText("⚠ " + problem_text(outcome))
        elif isinstance(outcome, list):
            self._show(text, outcome)

    def run_search(self) -> None:
        """Search now, on this thread (Enter or an arrow key pressed before results came)."""
        self._timer.stop()
        self._drop_running()
        text = self.field.text()
        if not text.strip():
            self._show(text, [])
            return
        try:
            # One statement finds a few of each kind, so a common name cannot crowd out the
            # cases and notes. Private notes are found only by their author (decided in core,
            # for this window's viewer).
            hits = search(screen_context(self.database), text, per_kind=PER_KIND)
        except (*PROBLEMS, DatabaseProblem) as problem:
            self.status.setText("⚠ " + problem_text(problem))
            return
        self._show(text, hits)

    @property
    def searching(self) -> bool:
        """Whether a search is waiting for the typing pause or running."""
        return self._timer.isActive() or self._task is not None

    def _show(self, text: str, hits: list[SearchHit]) -> None:
        self.results.clear()
        self.hits = hits
        if not text.strip():
            self.status.setText(self.tr("Enter opens the highlighted result; Esc closes."))
            return
        first_hit = add_grouped_hits(self, self.results, self.hits)
        if first_hit is not None:
            # The popup holds a few of each kind; every match is one row away.
            show_all = QListWidgetItem(
                self.tr("Show all results for “{text}”…").format(text=text.strip()), self.results
            )
            show_all.setData(SHOW_ALL_ROLE, text.strip())
            font = QFont(show_all.font())
            font.setItalic(True)
            show_all.setFont(font)
            self.results.setCurrentItem(first_hit)
            count = len(self.hits)
            self.status.setText(
                self.tr("1 result. Enter opens it.")
                if count == 1
                else self.tr("{n} results. Arrows move, Enter opens.").format(n=count)
            )
        else:
            self.status.setText(self.tr("Nothing found for “{text}”.").format(text=text.strip()))
        self.status.setAccessibleDescription(self.status.text())

    def current_hit(self) -> SearchHit | None:
        if self.searching:
            self.run_search()
        item = self.results.currentItem()
        hit = item.data(HIT_ROLE) if item is not None else None
        return hit if isinstance(hit, SearchHit) else None

    def open_current(self) -> None:
        item = self.results.currentItem()
        if not self.searching and item is not None and item.data(SHOW_ALL_ROLE):
            self.show_all(str(item.data(SHOW_ALL_ROLE)))
            return
        hit = self.current_hit()
        if hit is None:
            return
        self.hide()
        self.chosen.emit(hit.kind, hit.id, hit.parent_id)

    def show_all(self, text: str) -> None:
        """Every match for ``text`` in one list (what the popup's few per kind left out)."""
        from circlekeeper.ui.search.results import SearchResultsDialog

        self.hide()
        dialog = SearchResultsDialog(self.database, text, self.parentWidget())
        dialog.chosen.connect(self.chosen)
        self.results_dialog = dialog
        dialog.show()

    def _step(self, delta: int) -> None:
        row = self.results.currentRow()
        count = self.results.count()
        row += delta
        while 0 <= row < count:
            item = self.results.item(row)
            if item is not None and (
                item.data(HIT_ROLE) is not None or item.data(SHOW_ALL_ROLE) is not None
            ):
                self.results.setCurrentRow(row)
                return
            row += delta

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                if self.searching:
                    self.run_search()
                self._step(1 if key == Qt.Key.Key_Down else -1)
                return True
        return super().eventFilter(watched, event)
