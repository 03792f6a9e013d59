"""Pages that scroll down, never sideways, and are as wide as what they hold needs.

A plain QScrollArea lets its page be cut at the right edge (or scroll sideways) when the window
is narrow; a school laptop's screen is. ``down_only(page, parent)`` wraps ``page`` in a
scrolling area whose minimum width follows the page's, so the window makes room for it instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QScrollArea, QWidget


class DownOnly(QScrollArea):
    """A scrolling page as wide as what it holds needs: it scrolls down, never sideways."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def setWidget(self, widget: QWidget) -> None:  # noqa: N802
        super().setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # The page's content changed (rows added, a name shown): ask for room again.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        page = self.widget()
        if page is None:
            return hint
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), page.minimumSizeHint().width() + bar), hint.height())


def down_only(page: QWidget, parent: QWidget | None = None) -> DownOnly:
    """``page`` in a scrolling area that scrolls down only and keeps its width."""
    area = DownOnly(parent)
    area.setWidget(page)
    return area
