"""The plain records the circle screens show, and the roles that shape a circle."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from circlekeeper.core.cases.eligibility import Screen
from circlekeeper.core.domain.eligibility import HARM_KINDS
from circlekeeper.core.domain.enums import Role
from circlekeeper.core.domain.script import Script

KEEPER_ROLES = frozenset({Role.FACILITATOR.value, Role.CO_FACILITATOR.value})


SUPPORT_ROLES = frozenset({Role.SUPPORTER.value, Role.GUARDIAN.value})


PRINCIPAL_ROLES = frozenset(
    {Role.RESPONSIBLE.value, Role.HARMED.value, Role.HARMED_AND_RESPONSIBLE.value}
)


# Kinds that get the preparation checklist and the eligibility screen: every circle that deals
# with harm (the one list is ``domain/eligibility.HARM_KINDS``).
PREPARED_KINDS = HARM_KINDS


@dataclass
class CirclePlan:
    """The plannable facts about a circle, as plain values (what the planning form edits)."""

    kind: str
    script_key: str | None = None
    title: str = ""
    purpose: str = ""
    scheduled_at: datetime | None = None  # must carry a time zone
    planned_minutes: int | None = None
    location: str | None = None
    case_id: int | None = None
    facilitator_id: int | None = None  # person ids; added to the ring as participants
    co_facilitator_id: int | None = None


@dataclass(frozen=True)
class ParticipantRow:
    """One person in one circle, with what the planner and the facilitator view show."""

    id: int
    person_id: int
    name: str  # preferred name first, then family name
    pronouns: str | None
    person_kind: str
    role: str
    supporter_of_id: int | None  # a participant id
    seat_position: int
    pre_meeting_held: bool
    consent: bool
    guardian_consent: bool | None
    minor: bool
    attendance: str
    consent_given_on: date | None = None  # when consent was last recorded (None: not known)
    consent_withdrawn_on: date | None = None  # set while consent stands withdrawn
    consent_withdrawn_by: str | None = None  # "participant", "guardian" or None (not said)

    @property
    def withdrawn(self) -> bool:
        """Whether this person's consent (or their guardian's) stands withdrawn: no consent."""
        return self.consent_withdrawn_on is not None


@dataclass(frozen=True)
class CircleRow:
    """One line of the circle list."""

    id: int
    uuid: str
    kind: str
    title: str
    status: str
    scheduled_at: datetime | None
    started_at: datetime | None
    location: str | None
    case_id: int | None
    participant_count: int

    @property
    def held(self) -> bool:
        """Whether the circle has been run (started), so it is dated by when it was held."""
        return self.started_at is not None

    @property
    def when(self) -> datetime | None:
        """When it was held (its real start), else when it is planned."""
        return self.started_at or self.scheduled_at


@dataclass(frozen=True)
class NotReady:
    """One reason a circle is not ready yet, in plain words."""

    code: str
    message: str
    participant_id: int | None = None
    blocking: bool = False  # True: the conference may not be held (the eligibility rule)


@dataclass(frozen=True)
class SeatingSuggestion:
    """A ring order (participant ids, clockwise) and who sits in an outer ring."""

    ring: list[int]
    outer_ring: list[int]


@dataclass
class CircleDetail:
    """A circle with everything the planning screen shows."""

    id: int
    uuid: str
    plan: CirclePlan
    status: str
    started_at: datetime | None
    ended_at: datetime | None
    script: Script | None  # the snapshot kept with the circle
    eligibility: Screen  # the case's screen, or the conference's own when it has no case
    participants: list[ParticipantRow] = field(default_factory=list)
    summary: dict[str, Any] | None = None
