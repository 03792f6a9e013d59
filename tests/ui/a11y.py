"""Checks that every control a person can reach has a name assistive technology can read."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (
    QAbstractButton,  # push, tool, check and radio buttons
    QLineEdit,
    QTextEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractSpinBox,  # spin boxes and QDateEdit
    QAbstractItemView,
    QSlider,
)


def _describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    name = widget.objectName()
    return f"{type(widget).__name__}({text or name or hex(id(widget))!r})"


def _internal(widget: QWidget) -> bool:
    """Parts Qt builds inside composite controls (a combo's line edit, a scroll area's
    buttons, a date edit's line edit), named through their owner."""
    name = widget.objectName()
    if name.startswith("qt_"):
        return True
    parent = widget.parentWidget()
    if isinstance(widget, QHeaderView) and isinstance(parent, QAbstractItemView):
        return True  # a table's header: read as column titles of the named table
    return isinstance(parent, (QComboBox, QAbstractSpinBox)) and isinstance(widget, QLineEdit)


def unnamed_controls(root: QWidget) -> list[str]:
    """Visible, interactive controls under ``root`` (and ``root`` itself) that have no
    accessible name, either set on the widget or reported by its QAccessible interface."""
    problems: list[str] = []
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not isinstance(widget, INTERACTIVE) or _internal(widget):
            continue
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if not widget.isVisible():
            continue
        if not widget.accessibleName().strip():
            problems.append(f"{_describe(widget)}: no accessibleName")
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        if (
            interface is not None
            and interface.isValid()
            and not (interface.text(QAccessible.Text.Name) or "").strip()
        ):
            problems.append(f"{_describe(widget)}: QAccessible name is empty")
    return problems
