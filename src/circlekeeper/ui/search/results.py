"""Every result of a search, in one list: what Ctrl+K's "Show all results" opens."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.search.search import SearchHit, search
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.cases.common import PROBLEMS, problem_text
from circlekeeper.ui.looking import screen_context
from circlekeeper.ui.people.labels import count_text
from circlekeeper.ui.search.popup import HIT_ROLE, add_grouped_hits

#: The most a full list shows; a search that finds more asks for a few more letters.
SHOW_ALL_LIMIT = 500


class SearchResultsDialog(QDialog):
    """All matches for one search, grouped by kind; ``chosen`` when one is opened."""

    chosen = Signal(str, int, object)  # kind, id, parent id

    def __init__(self, database: Database, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = text
        self.setWindowTitle(self.tr("All results for “{text}”").format(text=text))
        self.resize(720, 600)
        self.results = QListWidget(self)
        self.results.setAccessibleName(self.tr("All search results"))
        self.results.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("How many were found"))
        self.open_button = QPushButton(self.tr("&Open"), self)
        self.open_button.setAccessibleName(self.tr("Open the highlighted result"))
        self.open_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setAccessibleName(self.tr("Close the list of results"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.results, 1)
        layout.addLayout(buttons)
        self.results.itemActivated.connect(lambda _item: self.open_current())
        self.open_button.clicked.connect(self.open_current)
        self.close_button.clicked.connect(self.reject)
        try:
            # Private notes only for their author, never for an SRO (decided in core).
            hits = search(screen_context(database), text, limit=SHOW_ALL_LIMIT)
        except (*PROBLEMS, DatabaseProblem) as problem:
            self.status.setText("⚠ " + problem_text(problem))
            hits = []
        self.hits = hits
        self._fill(hits)

    def _fill(self, hits: list[SearchHit]) -> None:
        first = add_grouped_hits(self, self.results, hits)
        if first is not None:
            self.results.setCurrentItem(first)
        if not self.status.text():
            if len(hits) >= SHOW_ALL_LIMIT:
                self.status.setText(
                    self.tr("The first {n} results; type more letters to narrow them.").format(
                        n=SHOW_ALL_LIMIT
                    )
                )
            else:
                self.status.setText(
                    count_text(len(hits), self.tr("1 result"), self.tr("{count} results"))
                )
        self.open_button.setEnabled(first is not None)

    def open_current(self) -> None:
        item = self.results.currentItem()
        hit = item.data(HIT_ROLE) if item is not None else None
        if isinstance(hit, SearchHit):
            self.accept()
            self.chosen.emit(hit.kind, hit.id, hit.parent_id)
