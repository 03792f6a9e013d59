"""The plain records of cases that screens show, and the steps of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from circlekeeper.core.cases.eligibility import Screen
from circlekeeper.core.domain.eligibility import Eligibility
from circlekeeper.core.domain.enums import CaseStatus, ReferralSource, Role
from circlekeeper.core.followups.rows import FollowUpRow

PIPELINE: tuple[CaseStatus, ...] = (
    CaseStatus.REFERRED,
    CaseStatus.SCREENED,
    CaseStatus.PREPARING,
    CaseStatus.HELD,
    CaseStatus.MONITORING,
    CaseStatus.CLOSED,
)

# Roles a person can have in a case (the facilitators belong to circles, not to the referral).
CASE_ROLES = frozenset(
    {
        Role.HARMED,
        Role.RESPONSIBLE,
        Role.HARMED_AND_RESPONSIBLE,
        Role.SUPPORTER,
        Role.GUARDIAN,
        Role.COMMUNITY,
        Role.ADMINISTRATOR,
        Role.OBSERVER,
    }
)

OpenFollowUpChoice = Literal["cancel", "keep"]


class CaseAction(StrEnum):
    """What a person may do with a case from its page (see ``CaseDetail.allowed_actions``)."""

    MOVE = "move"  # one step forward or back along the open pipeline
    CLOSE = "close"  # close with a reason
    REOPEN = "reopen"  # a closed case back to monitoring
    DIVERT = "divert"  # record which consequence the restorative route replaced


@dataclass(frozen=True)
class FollowUpSummary:
    id: int
    due_on: date
    purpose: str
    responsible_name: str | None


@dataclass
class CaseIntake:
    """A referral as it comes in."""

    referred_on: date
    incident_category: str
    referral_source: str = ReferralSource.TEACHER.value
    referred_by_id: int | None = None
    incident_on: date | None = None
    location: str | None = None
    description: str = ""
    school: str | None = None
    parties: list[tuple[int, str]] = field(default_factory=list)  # (person id, role)
    incident_time: str | None = None  # "HH:MM", the time of day it happened


@dataclass(frozen=True)
class PartyRow:
    id: int
    person_id: int
    name: str  # preferred or first name, then family name
    first_name: str
    role: str


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list."""

    id: int
    uuid: str
    referred_on: date
    referral_source: str
    incident_category: str
    status: str
    closure_reason: str | None
    closed_on: date | None
    diverted_from: str
    parties: tuple[tuple[str, str], ...]  # (name, stored role), in the order they were added
    school: str | None = None


@dataclass(frozen=True)
class ListChoices:
    """What the case and agreement lists' filters offer."""

    school_years: list[int]  # newest first, as the year each starts in
    incident_types: list[tuple[int, str]]  # (id, label), in the school's order
    schools: list[tuple[int, str]]  # (id, name), by name


@dataclass(frozen=True)
class CaseCircleRow:
    """A circle of the case, as the case page lists it."""

    id: int
    uuid: str
    kind: str
    title: str
    status: str
    scheduled_at: datetime | None


@dataclass(frozen=True)
class CaseAgreementRow:
    """An agreement of the case, with how many of its items are done."""

    id: int
    uuid: str
    version: int
    status: str
    agreed_on: date | None
    follow_up_on: date | None
    items: int
    items_done: int


@dataclass(frozen=True)
class ContactRow:
    id: int
    contacted_at: datetime
    person_id: int | None
    person_name: str | None
    method: str
    outcome: str
    staff_name: str | None


@dataclass(frozen=True)
class CaseDetail:
    """A case with everything its page shows."""

    id: int
    uuid: str
    referred_on: date
    referral_source: str
    referred_by_id: int | None
    referred_by_name: str | None
    incident_category: str
    incident_on: date | None
    location: str | None
    description: str
    school: str | None
    status: str
    closure_reason: str | None
    closed_on: date | None
    eligibility: Eligibility | None
    eligibility_problems: list[str]
    screen: Screen
    diverted_from: str
    diversion_amount: int | None
    consequence_reinstated: bool
    parties: list[PartyRow]
    circles: list[CaseCircleRow]
    agreements: list[CaseAgreementRow]
    follow_ups: list[FollowUpRow]
    contacts: list[ContactRow]
    next_status: str | None  # one step forward, if any (closing goes through ``close``)
    previous_status: str | None  # one step back, if any (needs a reason)
    incident_time: str | None = None  # "HH:MM"
    # What the person looking may do with it: the core refuses the rest (the MOU keeps an SRO
    # out of discipline), so a page offers only these.
    allowed_actions: frozenset[CaseAction] = frozenset()
    # The version this copy was read at: the page hands it back with an edit, and a save made
    # after someone else's is refused (``core/audit/conflicts.py``).
    row_version: int = 1
