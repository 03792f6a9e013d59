"""What the SRO vocabularies are called on screen (translatable; values stay the stable ids)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from circlekeeper.core.domain.sro import ActivityType, TrainingCategory, TriadRole


def _tr(text: str) -> str:
    return QCoreApplication.translate("SroLabels", text)


def role_choices() -> list[tuple[str, str]]:
    return [
        (TriadRole.LAW_ENFORCEMENT.value, _tr("Law enforcement")),
        (TriadRole.COUNSELING.value, _tr("Informal counseling and mentoring")),
        (TriadRole.OUTREACH.value, _tr("Education and outreach")),
    ]


def type_choices() -> list[tuple[str, str]]:
    return [
        (ActivityType.CLASS_TAUGHT.value, _tr("Class taught")),
        (ActivityType.MENTORING_SESSION.value, _tr("Mentoring session")),
        (ActivityType.FAMILY_CONTACT.value, _tr("Family contact")),
        (ActivityType.SCHOOL_EVENT.value, _tr("School event")),
        (ActivityType.COMMUNITY_FORUM.value, _tr("Community forum")),
        (ActivityType.PARENT_NIGHT.value, _tr("Parent night")),
        (ActivityType.STUDENT_PANEL.value, _tr("Student panel")),
        (ActivityType.SAFETY_DRILL.value, _tr("Safety drill")),
        (ActivityType.INCIDENT_RESPONSE.value, _tr("Incident response")),
        (ActivityType.CITATION.value, _tr("Citation")),
        (ActivityType.ARREST.value, _tr("Arrest")),
    ]


def category_choices() -> list[tuple[str, str]]:
    return [
        (TrainingCategory.MENTAL_HEALTH_FIRST_AID.value, _tr("Youth mental health first aid")),
        (TrainingCategory.DE_ESCALATION.value, _tr("De-escalation")),
        (TrainingCategory.TRAUMA_INFORMED.value, _tr("Trauma-informed care")),
        (TrainingCategory.RESTORATIVE_PRACTICE.value, _tr("Restorative practice")),
        (TrainingCategory.CULTURAL_COMPETENCY.value, _tr("Cultural competency")),
        (TrainingCategory.OTHER.value, _tr("Other")),
    ]


def label_of(choices: list[tuple[str, str]], value: str) -> str:
    return dict(choices).get(value, value)


def hours_text(minutes_or_tenths: int, *, tenths: bool = False) -> str:
    hours = minutes_or_tenths / (10 if tenths else 60)
    return _tr("{hours} h").format(hours=f"{hours:.1f}".rstrip("0").rstrip("."))
