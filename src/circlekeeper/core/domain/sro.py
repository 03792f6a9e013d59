"""The vocabularies of a school resource officer's work: the triad, activity types, training.

Values are stable identifiers written to the database and to reports; the labels people read
(English and Spanish) live beside them here because the reports print them in both languages
and the screens translate the English one.
"""

from __future__ import annotations

from enum import StrEnum


class TriadRole(StrEnum):
    """The three roles of SRO work that programmes report hours by."""

    LAW_ENFORCEMENT = "law_enforcement"
    COUNSELING = "counseling"  # informal counseling and mentoring
    OUTREACH = "outreach"  # education, school events, family and community engagement


class ActivityType(StrEnum):
    """The kinds of activity an SRO logs, each belonging to one role of the triad."""

    CLASS_TAUGHT = "class_taught"
    MENTORING_SESSION = "mentoring_session"
    FAMILY_CONTACT = "family_contact"
    SCHOOL_EVENT = "school_event"
    COMMUNITY_FORUM = "community_forum"
    PARENT_NIGHT = "parent_night"
    STUDENT_PANEL = "student_panel"
    SAFETY_DRILL = "safety_drill"
    INCIDENT_RESPONSE = "incident_response"
    CITATION = "citation"
    ARREST = "arrest"


class TrainingCategory(StrEnum):
    """The categories of youth-focused training an SRO's hours count in."""

    MENTAL_HEALTH_FIRST_AID = "mental_health_first_aid"
    DE_ESCALATION = "de_escalation"
    TRAUMA_INFORMED = "trauma_informed"
    RESTORATIVE_PRACTICE = "restorative_practice"
    CULTURAL_COMPETENCY = "cultural_competency"
    OTHER = "other"


# The role an activity type is counted under unless the officer says otherwise.
DEFAULT_ROLE: dict[ActivityType, TriadRole] = {
    ActivityType.CLASS_TAUGHT: TriadRole.OUTREACH,
    ActivityType.MENTORING_SESSION: TriadRole.COUNSELING,
    ActivityType.FAMILY_CONTACT: TriadRole.COUNSELING,
    ActivityType.SCHOOL_EVENT: TriadRole.OUTREACH,
    ActivityType.COMMUNITY_FORUM: TriadRole.OUTREACH,
    ActivityType.PARENT_NIGHT: TriadRole.OUTREACH,
    ActivityType.STUDENT_PANEL: TriadRole.OUTREACH,
    ActivityType.SAFETY_DRILL: TriadRole.OUTREACH,
    ActivityType.INCIDENT_RESPONSE: TriadRole.LAW_ENFORCEMENT,
    ActivityType.CITATION: TriadRole.LAW_ENFORCEMENT,
    ActivityType.ARREST: TriadRole.LAW_ENFORCEMENT,
}

# Events many people attend: a head count, never a student link.
EVENT_TYPES = frozenset(
    {
        ActivityType.CLASS_TAUGHT,
        ActivityType.SCHOOL_EVENT,
        ActivityType.COMMUNITY_FORUM,
        ActivityType.PARENT_NIGHT,
        ActivityType.STUDENT_PANEL,
        ActivityType.SAFETY_DRILL,
    }
)
# Community engagement: forums, parent nights and student panels (counted apart in reports).
COMMUNITY_TYPES = frozenset(
    {ActivityType.COMMUNITY_FORUM, ActivityType.PARENT_NIGHT, ActivityType.STUDENT_PANEL}
)
# Law-enforcement actions about one student, counted by incident type in the reports.
ENFORCEMENT_ACTIONS = frozenset({ActivityType.CITATION, ActivityType.ARREST})

ROLE_LABELS: dict[TriadRole, tuple[str, str]] = {
    TriadRole.LAW_ENFORCEMENT: ("Law enforcement", "Aplicación de la ley"),
    TriadRole.COUNSELING: ("Informal counseling and mentoring", "Orientación informal y mentoría"),
    TriadRole.OUTREACH: ("Education and outreach", "Educación y participación comunitaria"),
}
TYPE_LABELS: dict[ActivityType, tuple[str, str]] = {
    ActivityType.CLASS_TAUGHT: ("Class taught", "Clase impartida"),
    ActivityType.MENTORING_SESSION: ("Mentoring session", "Sesión de mentoría"),
    ActivityType.FAMILY_CONTACT: ("Family contact", "Contacto con la familia"),
    ActivityType.SCHOOL_EVENT: ("School event", "Evento escolar"),
    ActivityType.COMMUNITY_FORUM: ("Community forum", "Foro comunitario"),
    ActivityType.PARENT_NIGHT: ("Parent night", "Noche para familias"),
    ActivityType.STUDENT_PANEL: ("Student panel", "Panel estudiantil"),
    ActivityType.SAFETY_DRILL: ("Safety drill", "Simulacro de seguridad"),
    ActivityType.INCIDENT_RESPONSE: ("Incident response", "Respuesta a un incidente"),
    ActivityType.CITATION: ("Citation", "Citación"),
    ActivityType.ARREST: ("Arrest", "Arresto"),
}
CATEGORY_LABELS: dict[TrainingCategory, tuple[str, str]] = {
    TrainingCategory.MENTAL_HEALTH_FIRST_AID: (
        "Youth mental health first aid",
        "Primeros auxilios de salud mental para jóvenes",
    ),
    TrainingCategory.DE_ESCALATION: ("De-escalation", "Desescalada de conflictos"),
    TrainingCategory.TRAUMA_INFORMED: (
        "Trauma-informed care",
        "Atención informada sobre el trauma",
    ),
    TrainingCategory.RESTORATIVE_PRACTICE: ("Restorative practice", "Prácticas restaurativas"),
    TrainingCategory.CULTURAL_COMPETENCY: ("Cultural competency", "Competencia cultural"),
    TrainingCategory.OTHER: ("Other", "Otra"),
}
