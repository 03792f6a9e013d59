"""The GUI's side of the operation pipeline: one context per open database, and its changes.

The main window registers the :class:`Context` of the database it shows (its actor and viewer
are the window's active profile). Screens build their services with :func:`context_for` and
listen to :func:`hub_for` ``.changed``: every committed operation, from any screen, thread or
window, reaches them on the UI thread as a :class:`Changes` value, and each refreshes what it
shows of the records that changed.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from circlekeeper.core.operations import Changes, Context
from circlekeeper.core.profiles.viewer import NOBODY, Viewer, viewer_before_sign_in
from circlekeeper.core.store.database import Database

log = logging.getLogger(__name__)


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
_registered: set[int] = set()  # databases a window registered (its profile is the viewer)


def _forget(key: int) -> None:
    _contexts.pop(key, None)
    _registered.discard(key)
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
    """The context of ``database`` for the window showing it: its actor and viewer are asked
    at each operation, so a change of profile in that window takes effect at once.

    Screens that already listen keep listening: the new context shares the listeners (and
    the hub) of the one it replaces.
    """

    def looking() -> Viewer:
        found = viewer()
        return found if found is not None else NOBODY

    key = id(database)
    old = _contexts.get(key)
    if old is not None and key in _hubs:
        context = old.acting_as(actor, looking)
        _contexts[key] = context
        _hubs[key].context = context
    else:
        context = Context(database.sessions, actor=actor, viewer=looking)
        _keep(database, context)
    _registered.add(key)
    return context


def unregistered_viewer(sessions: object) -> Viewer:
    """Who looks where no window said who is using it: the facilitator named in Settings
    when there are no profiles, else only what may be shared (never more, even on an error)."""
    try:
        return viewer_before_sign_in(sessions)  # type: ignore[arg-type]
    except Exception:  # fail closed: an unreadable profile table shows the least
        log.exception("Reading profiles failed")
        return NOBODY


def context_for(database: Database) -> Context:
    """The operation context of an open database.

    If no window registered one, a context whose viewer (and so actor) is
    :func:`unregistered_viewer`: a screen opened on its own never sees more than it should.
    """
    found = _contexts.get(id(database))
    if found is None:
        sessions = database.sessions
        found = Context(sessions, viewer=lambda: unregistered_viewer(sessions))
        _keep(database, found)
    return found


def window_context(database: object = None, *, sessions: object = None) -> Context | None:
    """The context a window registered for ``database`` (or for the database whose sessions
    these are), or None when no window shows it."""
    for key in list(_registered):
        context = _contexts.get(key)
        if context is None:
            continue
        if key == id(database) or (sessions is not None and context.sessions is sessions):
            return context
    return None


def hub_for(database: Database) -> ChangeHub:
    """Where a screen showing ``database`` listens for changes."""
    context_for(database)
    return _hubs[id(database)]


class _Listener(QObject):
    """One screen's ear on the hub: passes on the changes it shows, once per burst.

    A child of the screen, so the connection ends when the screen goes. While the screen is
    hidden (another area is on show), what changed is kept and passed on when it shows again;
    changes arriving together (a facilitator's key presses) are merged into one refresh.
    """

    def __init__(
        self,
        widget: QWidget,
        hub: ChangeHub,
        kinds: tuple[str, ...],
        on_changes: Callable[[Changes], None],
        not_for: tuple[str, ...] = (),
    ) -> None:
        super().__init__(widget)
        self.widget = widget
        self.kinds = kinds
        self.not_for = not_for
        self.on_changes = on_changes
        self.pending: Changes | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(REFRESH_DELAY_MS)
        self.timer.timeout.connect(self.deliver)
        hub.changed.connect(self.heard)
        widget.installEventFilter(self)

    def heard(self, changes: object) -> None:
        if not isinstance(changes, Changes) or not changes.touches(*self.kinds):
            return
        if self.not_for and changes.touches(*self.not_for):
            return
        self.pending = changes if self.pending is None else self.pending | changes
        if self.widget.isVisible():
            self.timer.start()

    def deliver(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            self.on_changes(pending)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Show and self.pending:
            self.timer.start()
        return False


REFRESH_DELAY_MS = 50
# A talking-piece move (next speaker, pass, back) writes a turn and the circle's live state and
# changes nothing a list shows; a circle makes hundreds, so lists skip them.
TALKING_PIECE = ("turn",)


def listen(
    widget: QWidget,
    database: Database,
    kinds: tuple[str, ...],
    on_changes: Callable[[Changes], None],
    *,
    not_for: tuple[str, ...] = TALKING_PIECE,
) -> None:
    """Call ``on_changes(changes)`` when an operation on ``database`` touches any of ``kinds``
    and none of ``not_for`` (connected once, for as long as ``widget`` lives; see
    :class:`_Listener`)."""
    _Listener(widget, hub_for(database), kinds, on_changes, not_for)


__all__ = [
    "Changes",
    "ChangeHub",
    "context_for",
    "window_context",
    "hub_for",
    "listen",
    "register",
]
