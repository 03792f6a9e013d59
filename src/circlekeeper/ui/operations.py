"""The GUI's side of the operation pipeline: one context per open database, and its changes.

The main window registers the :class:`Context` of the database it shows (its actor and viewer
are the window's active profile). Screens build their services with :func:`context_for` and
listen to :func:`hub_for` ``.changed``: every committed operation, from any screen, thread or
window, reaches them on the UI thread as a :class:`Changes` value, and each refreshes what it
shows of the records that changed.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from circlekeeper.core.operations import Changes, Context
from circlekeeper.core.profiles.viewer import NOBODY, Viewer
from circlekeeper.core.store.database import Database


class ChangeHub(QObject):
    """Emits ``changed(Changes)`` on the UI thread after every committed operation."""

    changed = Signal(object)

    def __init__(self, context: Context, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        # Emitted from whichever thread committed; Qt queues it to this object's (UI) thread.
        self._unsubscribe = context.subscribe(self.changed.emit)

    def close(self) -> None:
        self._unsubscribe()


# Keyed by the open database object (a dataclass, so not hashable): forgotten when it goes.
_contexts: dict[int, Context] = {}
_hubs: dict[int, ChangeHub] = {}


def _forget(key: int) -> None:
    _contexts.pop(key, None)
    hub = _hubs.pop(key, None)
    if hub is not None:
        hub.close()


def _keep(database: Database, context: Context) -> None:
    key = id(database)
    if key not in _contexts:
        weakref.finalize(database, _forget, key)
    old = _hubs.pop(key, None)
    if old is not None:
        old.close()
    _contexts[key] = context
    _hubs[key] = ChangeHub(context)


def register(
    database: Database,
    actor: Callable[[], str],
    viewer: Callable[[], Viewer | None],
) -> Context:
    """The context of ``database`` for the window showing it (made once per open database)."""

    def looking() -> Viewer:
        found = viewer()
        return found if found is not None else NOBODY

    context = Context(database.sessions, actor=actor, viewer=looking)
    _keep(database, context)
    return context


def context_for(database: Database) -> Context:
    """The operation context of an open database (a plain one if no window registered it)."""
    found = _contexts.get(id(database))
    if found is None:
        # No window registered it (a screen opened on its own, a test): whoever the open
        # windows say is looking, else what may be shown before anyone signs in.
        found = Context(database.sessions, viewer=lambda: _viewer_of(database))
        _keep(database, found)
    return found


def _viewer_of(database: Database) -> Viewer:
    from circlekeeper.ui.profiles import current_viewer

    return current_viewer(database)


def hub_for(database: Database) -> ChangeHub:
    """Where a screen showing ``database`` listens for changes."""
    context_for(database)
    return _hubs[id(database)]


__all__ = ["Changes", "ChangeHub", "context_for", "hub_for", "register"]
