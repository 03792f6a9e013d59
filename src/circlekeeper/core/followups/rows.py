"""The plain records of follow-ups that screens and other areas show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass
class FollowUpData:
    """A follow-up to create: when, who, why, and what it belongs to."""

    due_on: date
    responsible_id: int
    purpose: str = ""
    case_id: int | None = None
    circle_id: int | None = None
    agreement_id: int | None = None
    agreement_item_id: int | None = None


@dataclass(frozen=True)
class FollowUpRow:
    """One follow-up as lists show it; ``days_overdue`` is counted from the ``today`` asked for."""

    id: int
    uuid: str
    due_on: date
    status: str
    purpose: str
    responsible_id: int | None
    responsible_name: str | None
    case_id: int | None
    circle_id: int | None
    agreement_id: int | None
    agreement_item_id: int | None
    done_on: date | None
    outcome: str | None
    days_overdue: int = 0
    row_version: int = 1  # the version read: handed back with an edit (audit/conflicts.py)

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


@dataclass(frozen=True)
class CompletionMeeting:
    circle_id: int
    follow_up_id: int
