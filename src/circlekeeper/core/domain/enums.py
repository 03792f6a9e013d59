"""The field's vocabularies, stored as their string values.

Values are stable identifiers written to the database and to exports; labels shown to people
live in the user interface where they can be translated. The circle kinds' plain English labels
live here too, because exports made without the interface (the calendar) print them; the
interface translates these same words.
"""

from __future__ import annotations

from enum import StrEnum

from circlekeeper.core.i18n import N_


class PersonKind(StrEnum):
    """Who a person is to the school: student, staff, guardian, SRO, community member."""

    STUDENT = "student"
    STAFF = "staff"
    GUARDIAN = "guardian"
    SRO = "sro"
    COMMUNITY = "community"


class CircleKind(StrEnum):
    """The kinds of circle schools run, from community building to the formal conference."""

    COMMUNITY_BUILDING = "community_building"
    CHECK_IN = "check_in"
    ACADEMIC = "academic"
    NORM_SETTING = "norm_setting"
    PROBLEM_SOLVING = "problem_solving"
    HARM_REPAIR = "harm_repair"
    REENTRY = "reentry"
    INDIVIDUAL_SUPPORT = "individual_support"
    GRIEF = "grief"
    CELEBRATION = "celebration"
    STAFF = "staff"
    FAMILY = "family"
    CONFERENCE = "conference"
    PRE_MEETING = "pre_meeting"
    COMPLETION_MEETING = "completion_meeting"


CIRCLE_KIND_LABELS: dict[CircleKind, str] = {
    CircleKind.COMMUNITY_BUILDING: N_("Community-building circle"),
    CircleKind.CHECK_IN: N_("Check-in / check-out circle"),
    CircleKind.ACADEMIC: N_("Academic circle"),
    CircleKind.NORM_SETTING: N_("Norm-setting circle"),
    CircleKind.PROBLEM_SOLVING: N_("Problem-solving circle"),
    CircleKind.HARM_REPAIR: N_("Harm / repair circle"),
    CircleKind.REENTRY: N_("Re-entry circle"),
    CircleKind.INDIVIDUAL_SUPPORT: N_("Individual support circle"),
    CircleKind.GRIEF: N_("Grief circle"),
    CircleKind.CELEBRATION: N_("Celebration circle"),
    CircleKind.STAFF: N_("Staff circle"),
    CircleKind.FAMILY: N_("Family / community circle"),
    CircleKind.CONFERENCE: N_("Restorative conference"),
    CircleKind.PRE_MEETING: N_("Preparation meeting"),
    CircleKind.COMPLETION_MEETING: N_("Agreement completion meeting"),
}


def circle_kind_label(kind: str) -> str:
    """The plain English label of a circle kind ("Restorative conference"); "Circle" if unknown."""
    try:
        return CIRCLE_KIND_LABELS[CircleKind(kind)]
    except ValueError:
        return "Circle"


class CircleStatus(StrEnum):
    """Where a circle is in its life: planned, running, held or cancelled."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Role(StrEnum):
    """A person's part in a circle or conference (keeper, harmed, responsible, supporter, ...)."""

    FACILITATOR = "facilitator"
    CO_FACILITATOR = "co_facilitator"
    HARMED = "harmed"
    RESPONSIBLE = "responsible"
    HARMED_AND_RESPONSIBLE = "harmed_and_responsible"
    SUPPORTER = "supporter"
    GUARDIAN = "guardian"
    COMMUNITY = "community"
    ADMINISTRATOR = "administrator"
    OBSERVER = "observer"
    MEMBER = "member"


class Attendance(StrEnum):
    """Whether an invited person came, stayed away, or joined late / left early."""

    INVITED = "invited"
    PRESENT = "present"
    ABSENT = "absent"
    JOINED_LATE = "joined_late"
    LEFT_EARLY = "left_early"


class NotePrivacy(StrEnum):
    """A private memory aid stays with its author; a record note is part of the file."""

    PRIVATE = "private"
    RECORD = "record"


class CaseStatus(StrEnum):
    """The pipeline of a referral: referred, screened, preparing, held, monitoring, closed."""

    REFERRED = "referred"
    SCREENED = "screened"
    PREPARING = "preparing"
    HELD = "held"
    MONITORING = "monitoring"
    CLOSED = "closed"


class ClosureReason(StrEnum):
    """Why a case closed: completed, partly completed, declined, not completed, ..."""

    COMPLETED = "completed"
    PARTIALLY_COMPLETED = "partially_completed"
    DECLINED = "declined"
    NOT_RESTORABLE = "not_restorable"
    NOT_COMPLETED = "not_completed"
    # Handed to the threat assessment team, Title IX, child protection, mental-health services
    # or the police, and not coming back to a restorative process (needs a recorded hand-off).
    HANDED_OFF = "handed_off"


class ReferralSource(StrEnum):
    """Who referred the case (a teacher, an administrator, an SRO, a parent, ...)."""

    TEACHER = "teacher"
    ADMINISTRATOR = "administrator"
    SRO = "sro"
    COUNSELOR = "counselor"
    PARENT = "parent"
    STUDENT = "student"
    OTHER = "other"


class Diversion(StrEnum):
    """The consequence a restorative route stands in place of."""

    NONE = "none"
    SUSPENSION = "suspension"
    EXPULSION = "expulsion"
    CITATION = "citation"
    ARREST = "arrest"


class AgreementStatus(StrEnum):
    """A repair agreement's life: draft, active (signed), then kept, partly kept or not, or
    replaced by a renegotiated version."""

    DRAFT = "draft"
    ACTIVE = "active"
    COMPLETED = "completed"
    PARTIALLY_COMPLETED = "partially_completed"
    NOT_COMPLETED = "not_completed"
    SUPERSEDED = "superseded"


class AgreementItemKind(StrEnum):
    """What an agreement item asks: an apology, restitution, service, ..."""

    APOLOGY = "apology"
    RESTITUTION = "restitution"
    SERVICE = "service"
    COUNSELLING = "counselling"
    BEHAVIOUR = "behaviour"
    SCHOOL_SUPPORT = "school_support"
    OTHER = "other"


class FollowUpStatus(StrEnum):
    """Whether a follow-up is still open, was done, or was missed."""

    OPEN = "open"
    DONE = "done"
    MISSED = "missed"
    CANCELLED = "cancelled"


class ContactMethod(StrEnum):
    """How a family was contacted: phone, meeting, letter, ..."""

    PHONE = "phone"
    MEETING = "meeting"
    LETTER = "letter"
    EMAIL = "email"
    OTHER = "other"
