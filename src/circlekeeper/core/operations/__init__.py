"""The one operation pipeline: every write in circlekeeper runs through :class:`Context`.

An operation is one short transaction opened with :meth:`Context.write`. The pipeline:

- stamps the acting person (the active profile, or the facilitator named in Settings) on every
  audit line the operation writes, so the audit trail always says who did it;
- turns storage errors into the project's plain-words problems (:class:`DatabaseProblem`);
- collects which kinds of record changed and their ids into a :class:`Changes` value, hands it
  to the caller (``Context.last_changes``) and to every subscriber (the GUI refreshes its open
  screens from it; see ``circlekeeper.ui.operations``).

Reads take the viewer (:meth:`Context.viewer`) and filter in core; see
``circlekeeper.core.profiles.viewer``.

Learned from Anki's ``OpChanges`` (``qt/aqt/operations``), with the viewer's rights in the core.
"""

from circlekeeper.core.operations.changes import Changes
from circlekeeper.core.operations.context import Context, as_context

__all__ = ["Changes", "Context", "as_context"]
