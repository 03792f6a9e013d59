"""What every list screen shares: reloading without losing the person's place."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea


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
