"""The context a screen runs its services in: the open database's, seen by the window's viewer.

:func:`circlekeeper.ui.operations.context_for` gives the open database's context (its changes
reach every screen). A screen that opens before the main window names its viewer, or a dialog
built without one, still must obey who is looking; so the viewer (and, when the context names
no actor, the actor) is asked of the window showing the database each time an operation starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from circlekeeper.core.operations import Context
    from circlekeeper.core.store.database import Database


def screen_context(database: Database) -> Context:
    """The open database's context, with the viewer of the window that shows it.

    That is :func:`~circlekeeper.ui.operations.context_for` itself: the window registers its
    viewer there, and an unregistered database's context already asks who may look.
    """
    from circlekeeper.ui.operations import context_for

    return context_for(database)


def sessions_context(given: object) -> Context:
    """The same for a screen given a context or only the database's sessions: the context as
    it is when it names its viewer, else with the viewer of the window showing that database."""
    from circlekeeper.core.operations import Context, as_context
    from circlekeeper.ui.profiles import current_viewer

    base = given if isinstance(given, Context) else as_context(given)  # type: ignore[arg-type]
    if base.viewer_or_none() is not None:
        return base
    return base.acting_as(base.actor, viewer=lambda: current_viewer(sessions=base.sessions))
