"""The search box and filters the Cases and Agreements lists share, with the list's stated order.

A district keeps ten years of records: a list is only useful when a counselor can type a name,
a case number or an incident and narrow it by school year, incident type and school. The words
and filters become one :class:`~circlekeeper.core.cases.list_filter.ListFilter`, which the core
queries apply; this bar only gathers them.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.cases.list_filter import ListFilter
from circlekeeper.core.cases.rows import ListChoices
from circlekeeper.core.schools.years import school_year_name
from circlekeeper.ui.style import compact_combo

SEARCH_DELAY_MS = 200


class ListFilterBar(QWidget):
    """Search words, school year, incident type and school; ``changed`` when any changes."""

    changed = Signal()

    def __init__(self, search_hint: str, order_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(search_hint)
        self.search.setAccessibleName(self.tr("Search"))
        self.search.setAccessibleDescription(search_hint)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self.year = compact_combo(QComboBox(self), 12)
        self.year.setAccessibleName(self.tr("School year"))
        self.incident = compact_combo(QComboBox(self), 14)
        self.incident.setAccessibleName(self.tr("Incident type"))
        self.school = compact_combo(QComboBox(self), 14)
        self.school.setAccessibleName(self.tr("School"))
        self.order = QLabel(order_text, self)
        self.order.setAccessibleName(self.tr("Order of the list"))
        self.order.setAccessibleDescription(order_text)
        # The stated order may take two lines rather than push the window past the screen.
        self.order.setWordWrap(True)
        self.load_choices(ListChoices([], [], []))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # The screen may add its own choices (step, status, open only) to either row.
        self.words_row = QHBoxLayout()
        search_label = QLabel(self.tr("Sea&rch:"), self)
        search_label.setBuddy(self.search)
        self.words_row.addWidget(search_label)
        self.words_row.addWidget(self.search, 1)
        self.words_row.addSpacing(12)
        self.words_row.addWidget(self.order)
        layout.addLayout(self.words_row)
        self.choices_row = QHBoxLayout()
        self.choices_row.addStretch(1)
        for text, combo in (
            (self.tr("School &year:"), self.year),
            (self.tr("Inci&dent type:"), self.incident),
            (self.tr("Schoo&l:"), self.school),
        ):
            self.add_choice(text, combo)
        layout.addLayout(self.choices_row)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.changed)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self.apply_now)
        for combo in (self.year, self.incident, self.school):
            combo.currentIndexChanged.connect(lambda _index: self.changed.emit())

    def add_choice(self, text: str | None, widget: QWidget, *, beside_search: bool = False) -> None:
        """Put a choice (with its label, when ``text`` is given) at the end of the row of
        filters, or just after the search box; what is added after the filters' stretch (a
        count) sits at the row's right end."""
        row = self.words_row if beside_search else self.choices_row
        at = self._end_of(row)
        if text is not None:
            label = QLabel(text, self)
            label.setBuddy(widget)
            row.insertWidget(at, label)
            at += 1
        row.insertWidget(at, widget)

    @staticmethod
    def _end_of(row: QHBoxLayout) -> int:
        """Where a choice goes: before the spacing ahead of the stated order (search row), or
        before the stretch (row of filters)."""
        for index in range(row.count()):
            item = row.itemAt(index)
            if item is not None and item.spacerItem() is not None:
                return index
        return row.count()

    def apply_now(self) -> None:
        """Apply the typed words at once (Enter), without waiting for typing to pause."""
        if self._timer.isActive():
            self._timer.stop()
            self.changed.emit()

    def load_choices(self, choices: ListChoices) -> None:
        """Offer the school years, incident types and schools there are, keeping each choice."""
        offered = (
            (self.year, self.tr("Every school year"),
             [(y, school_year_name(y)) for y in choices.school_years]),
            (self.incident, self.tr("Every incident type"), choices.incident_types),
            (self.school, self.tr("Every school"), choices.schools),
        )  # fmt: skip
        for combo, every, items in offered:
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(every, None)
            for value, text in items:
                combo.addItem(text, value)
            index = combo.findData(chosen) if chosen is not None else 0
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)
        # One school only (a laptop's own records): nothing to choose between.
        self.school.setEnabled(len(choices.schools) > 1)

    def filters(self, status: str | None = None) -> ListFilter:
        """The words and filters chosen now."""
        return ListFilter(
            text=self.search.text(),
            status=status,
            school_year=self.year.currentData(),
            incident_type_id=self.incident.currentData(),
            school_id=self.school.currentData(),
        )
