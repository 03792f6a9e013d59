"""One section of a report on screen: its chart (when it has one) and its table of numbers.

The table is the chart's numbers, so a person who cannot see the chart reads the same figures;
a hidden figure shows the same mark as the printed report and says "hidden" to a screen reader.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.charts import CHART_HEIGHT_PT, CHART_WIDTH_PT, paint_chart
from circlekeeper.core.export.report_format import (
    cell_text,
    chart_summary,
    has_chart,
    label,
    prose,
    reads_down,
)
from circlekeeper.core.reports.model import Cell, Row, Section
from circlekeeper.ui.style import heading, note

CELL_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class SectionModel(QAbstractTableModel):
    """A section's rows as a table: the group's name, then one column per measure.

    A single row of many figures (key figures) reads down instead: one measure per line.
    """

    def __init__(self, section: Section, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self.lang = lang
        self.down = reads_down(section)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self.section.columns) if self.down else len(self.section.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return 2 if self.down else 1 + len(self.section.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if self.down:
            row = self.section.rows[0]
            return label("measure", self.lang) if section == 0 else row.label.in_lang(self.lang)
        if section == 0:
            return label("group", self.lang)
        return self.section.columns[section - 1].label.in_lang(self.lang)

    def _place(self, index: Index) -> tuple[str, Row, Cell | None]:
        """The line's name, its row, and the cell at ``index`` (None in the name column)."""
        if self.down:
            row = self.section.rows[0]
            name = self.section.columns[index.row()].label.in_lang(self.lang)
            return name, row, row.cells[index.row()] if index.column() else None
        row = self.section.rows[index.row()]
        cell = row.cells[index.column() - 1] if index.column() else None
        return row.label.in_lang(self.lang), row, cell

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        name, row, cell = self._place(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return name if cell is None else cell_text(cell, self.lang)
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            if cell is None:
                return name
            if cell.suppressed:
                return self.tr("hidden to protect students' privacy")
            if cell.value is None:
                return self.tr("no figure")
            return cell_text(cell, self.lang)
        if role == Qt.ItemDataRole.TextAlignmentRole and cell is not None:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row.group == "all" and not self.down:
            font = QFont()
            font.setBold(True)
            return font
        if role == CELL_ROLE:
            return cell
        return None


class ChartView(QWidget):
    """The section's chart, painted by the same code as the PDF's; named with its numbers."""

    def __init__(self, section: Section, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self.lang = lang
        chart = section.chart
        title = chart.title.in_lang(lang) if chart is not None else ""
        self.setAccessibleName(self.tr("Chart: {title}").format(title=title))
        self.setAccessibleDescription(chart_summary(section, lang))
        self.setToolTip(self.tr("The numbers of this chart are in the table under it."))
        # Taller than the printed chart, so its words are as large as the screen's own.
        self.setMinimumSize(round(CHART_WIDTH_PT), round(CHART_HEIGHT_PT * 1.2))
        self.setMaximumSize(round(CHART_WIDTH_PT * 2), round(CHART_HEIGHT_PT * 1.2))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), Qt.GlobalColor.white)
            area = QRectF(self.rect()).adjusted(6, 4, -6, -4)
            paint_chart(painter, area, self.section, self.lang, text_scale=1.3)
        finally:
            painter.end()


class SectionTable(QTableView):
    """A table as tall as its rows (the page scrolls, not each table)."""

    def __init__(self, model: SectionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName(model.section.title.in_lang(model.lang))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
        self.verticalHeader().hide()
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Long measure names wrap onto a second line instead of being cut off.
        header.setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
        )
        words = header.fontMetrics()
        lines = 3 if "+" in model.lang else 2  # both languages need a line more
        tallest = 1
        for column in range(1, model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            text = str(model.headerData(column, Qt.Orientation.Horizontal))
            advance = words.horizontalAdvance(text)
            width = max(130, min(300, advance // lines + 4 * words.averageCharWidth()))
            self.setColumnWidth(column, width)
            # Words wrap whole, so a line holds less than its width: leave room for one more.
            usable = width - 3 * words.averageCharWidth()
            tallest = max(tallest, math.ceil(advance / usable) + (1 if advance > usable else 0))
        header.setMinimumHeight(round(words.height() * (min(tallest, lines + 1) + 0.6)))
        # One line per row: sized from the font, not from a wrap at a width not yet known.
        self.verticalHeader().setDefaultSectionSize(round(self.fontMetrics().height() * 1.7))
        self.setWordWrap(False)
        self._fit_height()

    def _fit_height(self) -> None:
        header = self.horizontalHeader()
        height = max(header.sizeHint().height(), header.minimumHeight())
        height += 2 * self.frameWidth() + 4
        height += sum(self.rowHeight(row) for row in range(self.model().rowCount()))
        self.setFixedHeight(height + self.horizontalScrollBar().sizeHint().height() // 2)


class SectionView(QWidget):
    """Title, note, chart and table of one section."""

    def __init__(self, section: Section, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        self.title = heading(section.title.in_lang(lang), self, level=2)
        layout.addWidget(self.title)
        self.note: QLabel | None = None
        if section.note is not None:
            self.note = note(prose(section.note, lang), self)
            layout.addWidget(self.note)
        self.chart: ChartView | None = None
        if has_chart(section):
            self.chart = ChartView(section, lang, self)
            layout.addWidget(self.chart)
        self.model = SectionModel(section, lang, self)
        self.table = SectionTable(self.model, self)
        layout.addWidget(self.table)
