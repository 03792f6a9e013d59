"""What an exported document shows, as plain values: no database, no Qt, no Jinja.

Services build these; templates read them. The ``for_sharing`` methods return a reduced copy
for people outside the counseling office (an SRO, for example): the template for that audience
never even receives private notes or demographic fields, so a user's own template cannot print
them by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from circlekeeper.core.agreements.placeholders import unfilled_items


@dataclass(frozen=True)
class SchoolView:
    """The letterhead: who the document comes from."""

    name: str = ""
    address: str = ""
    logo_path: str = ""  # checked at render time; a missing file is left out with a warning
    facilitator_name: str = ""
    facilitator_role: str = ""

    @property
    def address_lines(self) -> list[str]:
        return [
            line.strip() for line in self.address.replace(";", "\n").splitlines() if line.strip()
        ]


@dataclass(frozen=True)
class PartyView:
    """A person taking part, with their role; ``grade`` and ``pronouns`` stay inside the school."""

    person_id: int
    name: str
    role: str  # a value of circlekeeper.core.domain.enums.Role
    kind: str  # a value of PersonKind
    is_minor: bool = False
    grade: str | None = None
    pronouns: str | None = None
    supporter_of: str | None = None  # name of the party this person supports


@dataclass(frozen=True)
class ItemView:
    """One agreement item with people's names filled in."""

    number: int
    kind: str  # a value of AgreementItemKind
    action: str
    responsible: str | None
    due_on: date | None
    verification: str
    verifier: str | None
    supporter: str | None
    completed_on: date | None = None
    completion_note: str | None = None
    responsible_id: int | None = None
    action_es: str = ""  # the Spanish wording ("" when nobody wrote it)
    verification_es: str = ""

    @property
    def texts(self) -> list[str | None]:
        """Every wording the item carries (where a blank to fill in may be left)."""
        return [self.action, self.verification, self.action_es, self.verification_es]

    @property
    def has_spanish(self) -> bool:
        """Whether the item's Spanish wording was written (a Spanish copy prints it)."""
        return bool(self.action_es.strip())


def unfilled(items: list[ItemView]) -> list[int]:
    """The numbers of the items that still hold a blank to fill in (``[amount]``)."""
    return unfilled_items((i.number, i.texts) for i in items)


def without_spanish(items: list[ItemView]) -> list[int]:
    """The numbers of the items with no Spanish wording (a Spanish copy says so)."""
    return [i.number for i in items if not i.has_spanish]


@dataclass(frozen=True)
class SignatureLine:
    """A line to sign on paper; ``signed_on`` is filled once the signature was recorded."""

    name: str
    capacity: str  # "participant" or "guardian"
    role: str | None = None  # the participant's role, for "participant"
    guardian_of: str | None = None  # the student's name, for "guardian"
    signed_on: date | None = None
    person_id: int | None = None  # None for a blank guardian line (no guardian on file)


@dataclass(frozen=True)
class AgreementView:
    """Everything an exported repair agreement needs."""

    id: int
    uuid: str
    version: int
    status: str
    school: SchoolView
    created_on: date
    agreed_on: date | None
    closed_on: date | None
    printed_on: date
    harm_summary: str
    if_not_kept: str
    follow_up_on: date | None
    follow_up_by: str | None
    parties: list[PartyView]
    items: list[ItemView]
    signature_lines: list[SignatureLine]
    missing_guardian_signatures: list[str] = field(default_factory=list)
    previous_version: int | None = None
    circle_title: str | None = None
    circle_kind: str | None = None
    held_on: date | None = None
    location: str | None = None
    referral_source: str | None = None
    referred_on: date | None = None
    incident_on: date | None = None
    case_description: str | None = None  # the referral's own words: school copy only

    def for_sharing(self) -> AgreementView:
        """A copy without demographic fields, the referral's wording or completion notes."""
        return replace(
            self,
            parties=[replace(p, grade=None, pronouns=None) for p in self.parties],
            items=[replace(i, completion_note=None) for i in self.items],
            case_description=None,
        )


@dataclass(frozen=True)
class NoteView:
    """A note from a circle; private notes are the facilitator's memory aid."""

    text: str
    private: bool
    author: str | None = None
    participant: str | None = None


@dataclass(frozen=True)
class CircleSummaryView:
    """A circle or conference, summarised for the student's file."""

    id: int
    uuid: str
    school: SchoolView
    kind: str
    title: str
    purpose: str
    status: str
    held_on: date | None
    started_at: str | None  # local time of day, already formatted (HH:MM)
    ended_at: str | None
    location: str | None
    facilitator: str | None
    co_facilitator: str | None
    printed_on: date
    participants: list[PartyView]
    attendance: dict[int, str]  # person_id -> Attendance value
    notes: list[NoteView]
    agreement: AgreementView | None = None

    def for_sharing(self) -> CircleSummaryView:
        """A copy without private notes or demographic fields."""
        return replace(
            self,
            participants=[replace(p, grade=None, pronouns=None) for p in self.participants],
            notes=[n for n in self.notes if not n.private],
            agreement=self.agreement.for_sharing() if self.agreement else None,
        )


@dataclass(frozen=True)
class FamilyLetterView:
    """A letter to a student's family about the agreement their student made."""

    agreement: AgreementView
    student_name: str
    student_id: int
    guardian_names: list[str]
    items: list[ItemView]  # the items this student is responsible for (all, if none)
    printed_on: date

    @property
    def school(self) -> SchoolView:
        return self.agreement.school

    def for_sharing(self) -> FamilyLetterView:
        return replace(
            self,
            agreement=self.agreement.for_sharing(),
            items=[replace(i, completion_note=None) for i in self.items],
        )


@dataclass(frozen=True)
class ConsentPersonView:
    """One person's consent form: their name and role, and for a minor the guardians who may
    consent for them (a blank line is printed when none is on record)."""

    person_id: int
    name: str
    role: str  # a value of circlekeeper.core.domain.enums.Role
    is_minor: bool
    guardian_names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ConsentFormView:
    """The consent form of a circle that deals with harm: one page per person taking part."""

    circle_id: int
    uuid: str
    school: SchoolView
    kind: str  # harm_repair, reentry or conference
    held_on: date | None
    location: str | None
    facilitator: str | None
    printed_on: date
    people: list[ConsentPersonView]
