"""Who may see and change the entries of the SRO activity log and the training records.

One place for the rule, so the screens, the command line and the reports obey the same one: a
school resource officer sees and edits only the entries logged under their own name; counselors
and administrators see everyone's (the programme answers for them), and only the author or an
administrator may change an entry.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.problems import InvalidInput, NotPermitted
from circlekeeper.core.profiles.viewer import ProfileRole, Viewer, same_name


def may_see(viewer: Viewer, owner: str) -> bool:
    """Whether ``viewer`` may see an entry logged under ``owner``'s name."""
    return not viewer.is_sro or (bool(viewer.name.strip()) and same_name(viewer.name, owner))


def may_edit(viewer: Viewer, owner: str) -> bool:
    """Whether ``viewer`` may change or remove an entry logged under ``owner``'s name."""
    if not viewer.name.strip():
        return False
    return same_name(viewer.name, owner) or viewer.role == ProfileRole.ADMINISTRATOR.value


def author_name(viewer: Viewer) -> str:
    """The name new entries are logged under: the viewer's own (refused when there is none)."""
    name = " ".join(viewer.name.split())
    if not name:
        raise InvalidInput(
            _(
                "Nothing was saved: an entry needs the name of whoever logs it. Choose your "
                "profile "
                "(or enter the facilitator's name in Settings), then try again.",
            )
        )
    return name


def refuse_edit(
    context: Context | sessionmaker[Session], entity: str, uuid: str, what: str
) -> NotPermitted:
    """Record who tried to change someone else's entry, and the plain words to show them."""
    ctx = as_context(context)
    with ctx.write("refuse an edit") as session:
        audit.record(session, "refused", entity, uuid, actor=ctx.viewer().name, tried="edit")
    return NotPermitted(
        _(
            "This {what} was logged by someone else, so you cannot change or remove it; nothing "
            "was changed. Ask its author or an administrator to correct it.",
            what=what,
        )
    )
