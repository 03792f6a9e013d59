"""Words the live views show: clock times, role hints, seats in ring order."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from circlekeeper.core.circles.rows import ParticipantRow
from circlekeeper.core.domain.enums import Role
from circlekeeper.core.domain.live import LiveState
from circlekeeper.ui.circles.labels import role_word
from circlekeeper.ui.live.ring import Seat


def _tr(text: str) -> str:
    return QCoreApplication.translate("live", text)


def clock_text(seconds: float) -> str:
    """0:42, 12:05, 1:02:09: short enough to glance at."""
    whole = int(max(0.0, seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


# The roles a conference names under a seat (a supporter or guardian says whom they are with).
HINTED_ROLES = frozenset(
    r.value
    for r in (
        Role.HARMED,
        Role.RESPONSIBLE,
        Role.HARMED_AND_RESPONSIBLE,
        Role.COMMUNITY,
        Role.ADMINISTRATOR,
    )
)


def role_hint(row: ParticipantRow, rows: dict[int, ParticipantRow], *, conference: bool) -> str:
    """A short word under a name: who keeps the circle, and in a conference who is who."""
    role = row.role
    if role == Role.FACILITATOR.value:
        return _tr("keeper")
    if role == Role.CO_FACILITATOR.value:
        return _tr("co-keeper")
    if not conference:
        return ""
    if role in (Role.SUPPORTER.value, Role.GUARDIAN.value) and row.supporter_of_id in rows:
        first = rows[row.supporter_of_id].name.split(" ")[0]
        return _tr("with {name}").format(name=first)
    # The same words as after a name in the case list (ui/circles/labels.role_word).
    return role_word(role) if role in HINTED_ROLES else ""


def seat_list(state: LiveState, rows: dict[int, ParticipantRow], *, conference: bool) -> list[Seat]:
    """The seats of the ring in order, each with its status now."""
    seats = []
    for pid in state.seating:
        row = rows.get(pid)
        name = row.name if row is not None else _tr("Someone")
        hint = role_hint(row, rows, conference=conference) if row is not None else ""
        seats.append(Seat(name, state.seat_status(pid), hint))
    return seats
