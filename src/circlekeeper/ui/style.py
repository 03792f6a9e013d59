"""The calm look shared by every screen: readable type and quiet headings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QHeaderView,
    QLabel,
    QTableView,
    QWidget,
)

BASE_POINT_SIZE = 11  # readable from the back of a room and on old, low-DPI laptop screens


class _EveryField(QObject):
    """Every drop-down list is compact and every date or time field writes dates the one way.

    A list left at Qt's default (as wide as its longest choice) made the agreement windows and
    the circle plan wider than a laptop's screen in Spanish, and date fields showed
    "12/3/2026" beside "Nov 23, 2026" elsewhere; one rule here for every field, applied when
    Qt first prepares it, so no window has to remember it. A list that chose its own width
    policy keeps it.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.Polish:
            return False
        if isinstance(watched, QComboBox):
            first_show = QComboBox.SizeAdjustPolicy.AdjustToContentsOnFirstShow
            if watched.sizeAdjustPolicy() == first_show and not watched.isEditable():
                compact_combo(watched)
        elif isinstance(watched, QDateTimeEdit):
            from circlekeeper.ui.locale import format_edit

            format_edit(watched)
        return False


def apply_calm_style(app: QApplication) -> None:
    """Raise the application font to a readable size (never shrink a larger system font)."""
    font = app.font()
    if font.pointSizeF() < BASE_POINT_SIZE:
        font.setPointSizeF(BASE_POINT_SIZE)
        app.setFont(font)


_WATCHING = "circlekeeperEveryField"


def watch_every_field(app: QApplication) -> None:
    """Keep every drop-down list compact and every date field in one format (``_EveryField``).

    Installed once, before the first screen with fields is built, but not before the first
    paint: an application-wide Python event filter makes PySide6 create a Python type for
    every object an event reaches, and the first one of a private Qt class (the model inside
    a list widget) makes it create them all, about 60 ms. (A dynamic property marks it as
    installed: ``findChild`` would cost as much.)
    """
    if not app.property(_WATCHING):
        app.setProperty(_WATCHING, True)
        app.installEventFilter(_EveryField(app))


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


def size_columns(
    table: QTableView,
    letters: Iterable[tuple[int, int]],
    *,
    whole: Mapping[int, Iterable[str]] | None = None,
) -> None:
    """Give each listed column room for a number of letters, and never less than its title
    or (``whole``) any text it must show uncut, in the language on screen.

    A width counted in letters fits the English titles; Spanish runs about a third longer
    ("Personas" was clipped on the Circles list, "Madre, padre o tutor" on People).
    """
    char = table.fontMetrics().horizontalAdvance("M")
    header = table.horizontalHeader()
    model = table.model()
    for column, count in letters:
        # The header's own orientation: this module is imported before the first paint,
        # and naming ``Qt`` there made PySide build its whole namespace first (~15 ms).
        title = str(model.headerData(column, header.orientation()) or "")
        needed = [count * char, header.fontMetrics().horizontalAdvance(title) + 24]
        needed += [
            table.fontMetrics().horizontalAdvance(t) + 16 for t in (whole or {}).get(column, ())
        ]
        table.setColumnWidth(column, max(needed))


def compact_combo(combo: QComboBox, characters: int = 16) -> QComboBox:
    """Let a choice list be as narrow as ``characters`` letters instead of its longest item.

    Without this a combo box is as wide as its longest choice, and a longer language (Spanish
    runs about a third longer than English) pushes the whole window past a laptop's screen.
    The open list still shows every item in full.
    """
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    return combo
