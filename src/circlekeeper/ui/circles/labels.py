"""Human, translatable labels for circle kinds, roles, statuses and script vocabularies."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from circlekeeper.core.domain.enums import (
    CIRCLE_KIND_LABELS,
    Attendance,
    CircleKind,
    CircleStatus,
    Role,
)
from circlekeeper.core.domain.script import AddressedTo, StageType


def _tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def kind_choices() -> list[tuple[str, str]]:
    """(stored value, label) for every kind of circle, in the order forms offer them."""
    # The English words live in core (the calendar prints them); translated here.
    labels = {kind: _tr("CircleKind", text) for kind, text in CIRCLE_KIND_LABELS.items()}
    return [(kind.value, labels[kind]) for kind in CircleKind]


def kind_label(kind: str) -> str:
    return dict(kind_choices()).get(kind, kind.replace("_", " ").capitalize())


def role_choices() -> list[tuple[str, str]]:
    """(stored value, label) for the roles a person can have in a circle."""
    labels = {
        Role.MEMBER: _tr("Role", "Circle member"),
        Role.HARMED: _tr("Role", "Harmed person"),
        Role.RESPONSIBLE: _tr("Role", "Person responsible"),
        Role.HARMED_AND_RESPONSIBLE: _tr("Role", "Both harmed and responsible"),
        Role.SUPPORTER: _tr("Role", "Supporter"),
        Role.GUARDIAN: _tr("Role", "Parent or guardian"),
        Role.COMMUNITY: _tr("Role", "Community member / affected other"),
        Role.ADMINISTRATOR: _tr("Role", "Administrator"),
        Role.OBSERVER: _tr("Role", "Observer (outer ring)"),
        Role.FACILITATOR: _tr("Role", "Facilitator"),
        Role.CO_FACILITATOR: _tr("Role", "Co-facilitator"),
    }
    return [(role.value, text) for role, text in labels.items()]


def role_label(role: str, supporter_of: str | None = None) -> str:
    """A role in words; a supporter or guardian names whom they support."""
    if supporter_of and role == Role.SUPPORTER.value:
        return _tr("Role", "Supporter of {name}").format(name=supporter_of)
    if supporter_of and role == Role.GUARDIAN.value:
        return _tr("Role", "Guardian of {name}").format(name=supporter_of)
    return dict(role_choices()).get(role, role.replace("_", " ").capitalize())


# A role in a word or two after a name; translated one at a time, as a seat's hint is asked
# for at every key press in a circle.
ROLE_WORDS = {
    Role.RESPONSIBLE.value: QT_TRANSLATE_NOOP("RoleWord", "responsible"),
    Role.HARMED.value: QT_TRANSLATE_NOOP("RoleWord", "harmed"),
    Role.HARMED_AND_RESPONSIBLE.value: QT_TRANSLATE_NOOP("RoleWord", "harmed and responsible"),
    Role.SUPPORTER.value: QT_TRANSLATE_NOOP("RoleWord", "supporter"),
    Role.GUARDIAN.value: QT_TRANSLATE_NOOP("RoleWord", "guardian"),
    Role.COMMUNITY.value: QT_TRANSLATE_NOOP("RoleWord", "community"),
    Role.ADMINISTRATOR.value: QT_TRANSLATE_NOOP("RoleWord", "administrator"),
    Role.OBSERVER.value: QT_TRANSLATE_NOOP("RoleWord", "observer"),
}
ATTENDANCE_WORDS = {
    Attendance.INVITED.value: QT_TRANSLATE_NOOP("Attendance", "Invited"),
    Attendance.PRESENT.value: QT_TRANSLATE_NOOP("Attendance", "Present"),
    Attendance.ABSENT.value: QT_TRANSLATE_NOOP("Attendance", "Absent"),
    Attendance.JOINED_LATE.value: QT_TRANSLATE_NOOP("Attendance", "Joined late"),
    Attendance.LEFT_EARLY.value: QT_TRANSLATE_NOOP("Attendance", "Left early"),
}


def role_word(role: str) -> str:
    """A role in a word or two, after a name: "Ana Ruiz (responsible)", a seat's hint."""
    word = ROLE_WORDS.get(role)
    return _tr("RoleWord", str(word)) if word else role.replace("_", " ")


def attendance_label(attendance: str) -> str:
    """Whether someone came, in words: "Present", "Joined late"."""
    word = ATTENDANCE_WORDS.get(attendance)
    return _tr("Attendance", str(word)) if word else attendance.replace("_", " ")


def status_choices() -> list[tuple[str, str]]:
    return [
        (CircleStatus.PLANNED.value, _tr("CircleStatus", "Planned")),
        (CircleStatus.IN_PROGRESS.value, _tr("CircleStatus", "In progress")),
        (CircleStatus.COMPLETED.value, _tr("CircleStatus", "Held")),
        (CircleStatus.CANCELLED.value, _tr("CircleStatus", "Cancelled")),
    ]


def status_label(status: str) -> str:
    return dict(status_choices()).get(status, status)


def stage_type_choices() -> list[tuple[str, str]]:
    labels = {
        StageType.OPENING: _tr("StageType", "Opening"),
        StageType.GUIDELINES: _tr("StageType", "Guidelines"),
        StageType.TALKING_PIECE: _tr("StageType", "Talking piece introduced"),
        StageType.CHECK_IN: _tr("StageType", "Check-in round"),
        StageType.ROUND: _tr("StageType", "Round"),
        StageType.CHECK_OUT: _tr("StageType", "Check-out round"),
        StageType.CLOSING: _tr("StageType", "Closing"),
        StageType.PREAMBLE: _tr("StageType", "Preamble (conference)"),
        StageType.QUESTIONS: _tr("StageType", "Questions to a role (conference)"),
        StageType.AGREEMENT: _tr("StageType", "Agreement (conference)"),
        StageType.INFORMAL: _tr("StageType", "Informal time (conference)"),
    }
    return [(t.value, labels[t]) for t in StageType]


def stage_type_label(value: str) -> str:
    return dict(stage_type_choices()).get(value, value)


def addressed_to_choices() -> list[tuple[str, str]]:
    labels = {
        AddressedTo.ALL: _tr("AddressedTo", "Everyone"),
        AddressedTo.RESPONSIBLE: _tr("AddressedTo", "The person responsible"),
        AddressedTo.HARMED: _tr("AddressedTo", "The harmed person"),
        AddressedTo.SUPPORTERS_OF_RESPONSIBLE: _tr(
            "AddressedTo", "Supporters of the person responsible"
        ),
        AddressedTo.SUPPORTERS_OF_HARMED: _tr("AddressedTo", "Supporters of the harmed person"),
        AddressedTo.OTHERS: _tr("AddressedTo", "Others affected"),
    }
    return [(a.value, labels[a]) for a in AddressedTo]


def minutes_text(minutes: int) -> str:
    if minutes <= 0:
        return _tr("Minutes", "no suggested time")
    if minutes == 1:
        return _tr("Minutes", "about 1 minute")
    return _tr("Minutes", "about {n} minutes").format(n=minutes)
