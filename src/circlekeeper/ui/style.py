"""The calm look shared by every screen: readable type and quiet headings."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableView,
    QWidget,
)

BASE_POINT_SIZE = 11  # readable from the back of a room and on old, low-DPI laptop screens


def apply_calm_style(app: QApplication) -> None:
    """Raise the application font to a readable size (never shrink a larger system font)."""
    font = app.font()
    if font.pointSizeF() < BASE_POINT_SIZE:
        font.setPointSizeF(BASE_POINT_SIZE)
        app.setFont(font)


def heading(text: str, parent: QWidget | None = None, *, level: int = 1) -> QLabel:
    """A bold title label, larger than body text; level 2 is a section title."""
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * (1.45 if level == 1 else 1.15))
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


def note(text: str, parent: QWidget | None = None) -> QLabel:
    """A wrapped explanatory line in the normal text colour (quiet, but not faint)."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


def list_table(table: QTableView, name: str, *, tall_rows: bool = True) -> QHeaderView:
    """Set up a table as the areas' record lists are: whole rows, one at a time, read-only.

    Tab leaves the list and the arrows move inside it, so the keyboard can reach the buttons
    below. Returns the horizontal header for the caller's column widths.
    """
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    if tall_rows:
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 14)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return header


def compact_combo(combo: QComboBox, characters: int = 16) -> QComboBox:
    """Let a choice list be as narrow as ``characters`` letters instead of its longest item.

    Without this a combo box is as wide as its longest choice, and a longer language (Spanish
    runs about a third longer than English) pushes the whole window past a laptop's screen.
    The open list still shows every item in full.
    """
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    return combo
