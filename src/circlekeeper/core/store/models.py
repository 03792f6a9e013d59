"""The database tables, as SQLAlchemy 2 typed models.

Every table has an integer key for fast joins on an old laptop and a stable ``uuid`` so records
from several facilitators' databases can be merged without collisions. Enumerated values are
stored as the strings in :mod:`circlekeeper.core.domain.enums`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from circlekeeper.core.store.types import UTCDateTime, new_uuid, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The base of every table, with one naming convention for constraints."""

    metadata = MetaData(naming_convention=NAMING)


class Record:
    """Columns every table carries."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Setting(Base):
    """One setting of this installation (school name, facilitator, ...), as text."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class School(Record, Base):
    """A school of the district: people, cases and circles refer to it (core/schools decides
    which one a new record belongs to)."""

    __tablename__ = "school"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    district_code: Mapped[str | None] = mapped_column(String(40))


class Person(Record, Base):
    """Anyone who can take part: students, staff, guardians, SROs, community members."""

    __tablename__ = "person"
    # Counts saved changes: a save made from an older copy is refused (core/audit/conflicts.py).
    row_version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}

    kind: Mapped[str] = mapped_column(String(16), default="student")
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    pronouns: Mapped[str | None] = mapped_column(String(40))
    grade: Mapped[str | None] = mapped_column(String(8))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"), index=True)
    school_ref: Mapped[School | None] = relationship()
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    birth_date: Mapped[date | None] = mapped_column(Date)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(String(100))
    # Used only for equity reports; never printed on agreements or shared copies.
    gender: Mapped[str | None] = mapped_column(String(40))
    race_ethnicity: Mapped[str | None] = mapped_column(String(80))
    disability: Mapped[bool | None] = mapped_column(Boolean)
    english_learner: Mapped[bool | None] = mapped_column(Boolean)
    low_income: Mapped[bool | None] = mapped_column(Boolean)
    # Lower-case, accent-free copy of the names for search as you type.
    search_text: Mapped[str] = mapped_column(String(400), default="", index=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Covers search as you type: the directory-order scan never reads the table itself.
    __table_args__ = (
        Index(
            "ix_person_directory",
            "last_name",
            "first_name",
            "id",
            "archived_at",
            "kind",
            "search_text",
        ),
    )

    @property
    def school(self) -> str | None:
        """The school's name; a person's school is chosen by ``core.schools``."""
        return self.school_ref.name if self.school_ref is not None else None


class GuardianLink(Record, Base):
    """A guardian (or other caring adult) of a student."""

    __tablename__ = "guardian_link"

    student_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    guardian_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    relationship_label: Mapped[str | None] = mapped_column(String(60))
    can_consent: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (UniqueConstraint("student_id", "guardian_id", name="uq_guardian_pair"),)


class IncidentType(Record, Base):
    """One entry of the school's incident vocabulary, mapped to SWIS and the state's categories."""

    __tablename__ = "incident_type"

    key: Mapped[str] = mapped_column(String(60), unique=True)
    label: Mapped[str] = mapped_column(String(60))
    label_es: Mapped[str | None] = mapped_column(String(60))
    swis_behavior: Mapped[str | None] = mapped_column(String(80))  # SWIS problem behaviour
    swis_level: Mapped[str | None] = mapped_column(String(8))  # "major" or "minor"
    state_category: Mapped[str | None] = mapped_column(String(120))
    # Words found in old referrals that no one has mapped to a SWIS code yet.
    needs_mapping: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Case(Record, Base):
    """A referral and everything that follows from it until it closes."""

    __tablename__ = "case_file"
    # Counts saved changes: a save made from an older copy is refused (core/audit/conflicts.py).
    row_version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}

    referred_on: Mapped[date] = mapped_column(Date, index=True)
    referral_source: Mapped[str] = mapped_column(String(20), default="teacher")
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    incident_category: Mapped[str] = mapped_column(String(60))
    # The controlled vocabulary entry (SWIS code); incident_category keeps its label as written.
    incident_type_id: Mapped[int | None] = mapped_column(ForeignKey("incident_type.id"), index=True)
    incident_on: Mapped[date | None] = mapped_column(Date)
    incident_time: Mapped[str | None] = mapped_column(String(5))  # "HH:MM", the time of day
    location: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="referred", index=True)
    closure_reason: Mapped[str | None] = mapped_column(String(24))
    closed_on: Mapped[date | None] = mapped_column(Date)
    eligibility: Mapped[str | None] = mapped_column(Text)  # JSON answers of the screen
    diverted_from: Mapped[str] = mapped_column(String(16), default="none")
    diversion_amount: Mapped[int | None] = mapped_column(Integer)  # e.g. suspension days
    consequence_reinstated: Mapped[bool] = mapped_column(Boolean, default=False)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"), index=True)
    school_ref: Mapped[School | None] = relationship()

    parties: Mapped[list[CaseParty]] = relationship(back_populates="case")

    @property
    def school(self) -> str | None:
        """The school's name; a case's school is chosen by ``core.schools``."""
        return self.school_ref.name if self.school_ref is not None else None


class CaseParty(Record, Base):
    """A person involved in a case, with their role in it."""

    __tablename__ = "case_party"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(String(24))

    case: Mapped[Case] = relationship(back_populates="parties")


class FamilyContact(Record, Base):
    """One contact with a family about a case."""

    __tablename__ = "family_contact"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    contacted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    method: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(Text, default="")
    staff_name: Mapped[str | None] = mapped_column(String(200))


class Circle(Record, Base):
    """A circle or a conference: planned, run, and kept as a record."""

    __tablename__ = "circle"
    # Today's "Start the next circle": the first planned one from today on.
    __table_args__ = (Index("ix_circle_status_scheduled_at", "status", "scheduled_at"),)

    kind: Mapped[str] = mapped_column(String(24), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    script_key: Mapped[str | None] = mapped_column(String(80))
    script_snapshot: Mapped[str | None] = mapped_column(Text)  # JSON of the script as run
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    planned_minutes: Mapped[int | None] = mapped_column(Integer)
    location: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default="planned", index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_file.id", ondelete="SET NULL"), index=True
    )
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    co_facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"), index=True)
    # Live state, written on every facilitation action so a crash resumes exactly here.
    live_state: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)  # JSON written when the circle ends

    participants: Mapped[list[Participant]] = relationship(
        back_populates="circle", order_by="Participant.seat_position"
    )


class Participant(Record, Base):
    """A person's place in one circle: role, seat, consent and attendance."""

    __tablename__ = "participant"

    circle_id: Mapped[int] = mapped_column(ForeignKey("circle.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(String(24), default="member")
    # Indexed (as are the other references to a participant): removing participants, as
    # retention does by the thousand, looks up every row pointing at each one.
    supporter_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), index=True
    )
    seat_position: Mapped[int] = mapped_column(Integer, default=0)
    pre_meeting_held: Mapped[bool] = mapped_column(Boolean, default=False)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    guardian_consent: Mapped[bool | None] = mapped_column(Boolean)
    # Consent is dated: when it was (last) given, and when it was withdrawn and by whom (the
    # person or their guardian; None when the keeper did not say). A withdrawal counts as no
    # consent until consent is recorded again (migration 0019).
    consent_given_on: Mapped[date | None] = mapped_column(Date)
    consent_withdrawn_on: Mapped[date | None] = mapped_column(Date)
    consent_withdrawn_by: Mapped[str | None] = mapped_column(String(16))
    attendance: Mapped[str] = mapped_column(String(16), default="invited")
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    circle: Mapped[Circle] = relationship(back_populates="participants")

    # Reports count who was present per circle from this index alone, never reading the rows.
    __table_args__ = (
        UniqueConstraint("circle_id", "person_id", name="uq_participant_person"),
        Index("ix_participant_attendance", "circle_id", "attendance"),
    )


class StageRecord(Record, Base):
    """When one stage of a circle's script began and ended."""

    __tablename__ = "stage_record"

    circle_id: Mapped[int] = mapped_column(ForeignKey("circle.id", ondelete="CASCADE"), index=True)
    stage_index: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Turn(Record, Base):
    """One turn of the talking piece: who held it, whether they passed, for how long."""

    __tablename__ = "turn"

    circle_id: Mapped[int] = mapped_column(ForeignKey("circle.id", ondelete="CASCADE"), index=True)
    stage_index: Mapped[int] = mapped_column(Integer)
    round_number: Mapped[int] = mapped_column(Integer, default=1)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), index=True
    )
    passed: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int | None] = mapped_column(Integer)


class Note(Record, Base):
    """A note taken during a circle, attached to a stage and perhaps to a participant."""

    __tablename__ = "note"

    circle_id: Mapped[int] = mapped_column(ForeignKey("circle.id", ondelete="CASCADE"), index=True)
    stage_index: Mapped[int | None] = mapped_column(Integer)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), index=True
    )
    privacy: Mapped[str] = mapped_column(String(12), default="private")
    author: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)


class Agreement(Record, Base):
    """A repair agreement; renegotiating makes a new version linked to the previous one."""

    __tablename__ = "agreement"
    # Counts saved changes: a save made from an older copy is refused (core/audit/conflicts.py).
    row_version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}

    # Today's "agreements at risk" walks the active ones and their follow-up dates in the index.
    __table_args__ = (Index("ix_agreement_status_follow_up_on", "status", "follow_up_on"),)

    circle_id: Mapped[int | None] = mapped_column(
        ForeignKey("circle.id", ondelete="SET NULL"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_file.id", ondelete="SET NULL"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"), index=True)
    status: Mapped[str] = mapped_column(String(24), default="draft", index=True)
    harm_summary: Mapped[str] = mapped_column(Text, default="")
    if_not_kept: Mapped[str] = mapped_column(Text, default="")
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    follow_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    agreed_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)

    items: Mapped[list[AgreementItem]] = relationship(
        back_populates="agreement", order_by="AgreementItem.position"
    )


class AgreementItem(Record, Base):
    """One thing someone will do to make things right."""

    __tablename__ = "agreement_item"
    # Counts saved changes: a save made from an older copy is refused (core/audit/conflicts.py).
    row_version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}

    # An agreement's open items past due, read inside the index (Today, agreements at risk);
    # and every open item in due-date order, so Today meets the most overdue first
    # (core/today/at_risk.py; completed_on is in the key so SQLite reads the index alone).
    # Migration 0021 makes the second one partial on both engines; here it names SQLite's
    # form alone, because a PostgreSQL keyword would load that dialect and its four drivers
    # into every laptop's start (tests/e2e/test_start_light.py).
    __table_args__ = (
        Index("ix_agreement_item_agreement_due", "agreement_id", "completed_on", "due_on"),
        Index(
            "ix_agreement_item_open_due",
            "due_on",
            "agreement_id",
            "completed_on",
            sqlite_where=text("completed_on IS NULL"),
        ),
    )

    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreement.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(24), default="other")
    action: Mapped[str] = mapped_column(Text)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    verification: Mapped[str] = mapped_column(Text, default="")
    verifier_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    supporter_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    completed_on: Mapped[date | None] = mapped_column(Date)
    completion_note: Mapped[str | None] = mapped_column(Text)
    # The item's words in Spanish, for the Spanish and side-by-side copies ("" when not written).
    action_es: Mapped[str] = mapped_column(Text, default="", server_default="")
    verification_es: Mapped[str] = mapped_column(Text, default="", server_default="")

    agreement: Mapped[Agreement] = relationship(back_populates="items")


class Signature(Record, Base):
    """Who signed an agreement on paper, and when; a guardian signs for a minor."""

    __tablename__ = "signature"

    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreement.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    signed_on: Mapped[date] = mapped_column(Date)
    as_guardian_of_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)


class FollowUp(Record, Base):
    """A check-in a named adult owes by a date, and what came of it."""

    __tablename__ = "follow_up"
    # Counts saved changes: a save made from an older copy is refused (core/audit/conflicts.py).
    row_version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}

    # Today lists the open follow-ups due by a date, oldest first, and counts them.
    __table_args__ = (Index("ix_follow_up_status_due_on", "status", "due_on"),)

    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    purpose: Mapped[str] = mapped_column(Text, default="")
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), index=True
    )
    circle_id: Mapped[int | None] = mapped_column(
        ForeignKey("circle.id", ondelete="SET NULL"), index=True
    )
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreement.id", ondelete="CASCADE"), index=True
    )
    agreement_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreement_item.id", ondelete="SET NULL"), index=True
    )
    done_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(Text)


class AuditEvent(Base):
    """An append-only line of who did what to which record; the database refuses edits."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_uuid: Mapped[str | None] = mapped_column(String(36), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class Profile(Record, Base):
    """Someone who uses circlekeeper on this laptop: a counselor, an SRO or an administrator."""

    __tablename__ = "profile"

    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default="counselor")
    # "scrypt$<salt hex>$<hash hex>"; Text so the audit trail never copies it.
    pin_hash: Mapped[str | None] = mapped_column(Text)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FidelityCheck(Record, Base):
    """The keeper's fidelity checklist for one held circle or conference."""

    __tablename__ = "fidelity_check"

    circle_id: Mapped[int] = mapped_column(ForeignKey("circle.id", ondelete="CASCADE"), unique=True)
    answers: Mapped[str] = mapped_column(String(400))  # JSON: item -> yes / no / n/a
    prefilled: Mapped[str] = mapped_column(String(400))  # JSON: item -> what the record said
    completed_by: Mapped[str] = mapped_column(String(200), default="")
    completed_on: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str] = mapped_column(Text, default="")


class SurveySitting(Record, Base):
    """One round of participant surveys after a circle: handed round, or typed from paper."""

    __tablename__ = "survey_sitting"

    circle_id: Mapped[int] = mapped_column(ForeignKey("circle.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(12), default="window")
    expected: Mapped[int] = mapped_column(Integer)  # people present who may answer
    held_on: Mapped[date] = mapped_column(Date, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SurveyResponse(Base):
    """One person's anonymous answers. No person, no time: nothing links it to who answered.

    The key is drawn at random rather than counted up, and there are no created/updated times,
    so neither the order of the rows nor a clock can be matched to the order of seats.
    """

    __tablename__ = "survey_response"

    # Random keys need 64 bits on PostgreSQL; SQLite's INTEGER already has them.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    uuid: Mapped[str] = mapped_column(String(36), unique=True)  # the form's one-time token
    sitting_id: Mapped[int] = mapped_column(
        ForeignKey("survey_sitting.id", ondelete="CASCADE"), index=True
    )
    heard: Mapped[str | None] = mapped_column(String(12))
    safe: Mapped[str | None] = mapped_column(String(12))
    fair: Mapped[str | None] = mapped_column(String(12))
    again: Mapped[str | None] = mapped_column(String(12))


class SroActivity(Record, Base):
    """One activity of a school resource officer, by triad role: the officer's own log.

    ``officer`` is the name of the profile that logged it: an SRO sees and edits only entries
    under their own name. ``student_id`` is set only when the activity is about one student.
    """

    __tablename__ = "sro_activity"

    officer: Mapped[str] = mapped_column(String(200), index=True)
    role: Mapped[str] = mapped_column(String(20))
    activity_type: Mapped[str] = mapped_column(String(30))
    on_date: Mapped[date] = mapped_column(Date, index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    place: Mapped[str | None] = mapped_column(String(200))
    attendance: Mapped[int | None] = mapped_column(Integer)
    student_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    incident_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("incident_type.id", ondelete="SET NULL"), index=True
    )


class TrainingRecord(Record, Base):
    """A course an SRO or circle keeper completed, counted against the school's required hours."""

    __tablename__ = "training_record"

    trainee: Mapped[str] = mapped_column(String(200), index=True)
    course: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(30))
    # Tenths of an hour, so a 7.5-hour course adds up exactly.
    tenths: Mapped[int] = mapped_column(Integer)
    completed_on: Mapped[date] = mapped_column(Date, index=True)
    provider: Mapped[str | None] = mapped_column(String(200))


class HandOff(Record, Base):
    """A case or a circle's concern handed to BTAM, Title IX, child protection, mental health or
    the police: who received it, when, what was shared and under which FERPA basis."""

    __tablename__ = "hand_off"

    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), index=True
    )
    circle_id: Mapped[int | None] = mapped_column(
        ForeignKey("circle.id", ondelete="SET NULL"), index=True
    )
    handed_to: Mapped[str] = mapped_column(String(24))
    recipient: Mapped[str] = mapped_column(String(200))
    handed_on: Mapped[date] = mapped_column(Date, index=True)
    shared: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[str] = mapped_column(String(32))
    # For a health-or-safety emergency, the threat that justified sharing (34 CFR § 99.32).
    threat: Mapped[str | None] = mapped_column(Text)
    returned_on: Mapped[date | None] = mapped_column(Date)
    return_note: Mapped[str | None] = mapped_column(Text)
    reentry_circle_id: Mapped[int | None] = mapped_column(
        ForeignKey("circle.id", ondelete="SET NULL"), index=True
    )


class Disclosure(Record, Base):
    """One line of a student's record of disclosures (34 CFR § 99.32): a hand-off or a copy
    for sharing that left the school, with who received it, when, what and why."""

    __tablename__ = "disclosure"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    disclosed_on: Mapped[date] = mapped_column(Date, index=True)
    recipient: Mapped[str] = mapped_column(String(200), default="")
    shared: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    disclosed_by: Mapped[str] = mapped_column(String(200), default="")
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_file.id", ondelete="SET NULL"), index=True
    )
    hand_off_id: Mapped[int | None] = mapped_column(
        ForeignKey("hand_off.id", ondelete="SET NULL"), index=True
    )
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreement.id", ondelete="SET NULL"), index=True
    )


class MergeRun(Record, Base):
    """One merge of another laptop's database into this one: which file, by whom, what it did."""

    __tablename__ = "merge_run"

    source: Mapped[str] = mapped_column(String(400))
    # The newest change the source held when it was merged: "up to what".
    source_newest: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")  # JSON counts of the merge


class MergeBase(Base):
    """When a merged record was last changed on each side, right after the merge that took it.

    The next merge tells from it what changed since on either side: both means a conflict.
    """

    __tablename__ = "merge_base"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    target_uuid: Mapped[str] = mapped_column(String(36), index=True)
    table_name: Mapped[str] = mapped_column(String(40))
    source_seen: Mapped[datetime | None] = mapped_column(UTCDateTime)
    target_seen: Mapped[datetime | None] = mapped_column(UTCDateTime)
