"""The plain records the agreement screens show: a version, its items, signatures, history."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from circlekeeper.core.agreements.catalogue import ItemTemplate
from circlekeeper.core.domain.enums import AgreementItemKind
from circlekeeper.core.store.models import Agreement


@dataclass
class AgreementHeader:
    """The agreement's own words and follow-up arrangement."""

    harm_summary: str = ""
    if_not_kept: str = ""
    follow_up_on: date | None = None
    follow_up_by_id: int | None = None


@dataclass
class ItemData:
    """One item as the builder edits it."""

    action: str
    kind: str = AgreementItemKind.OTHER.value
    responsible_id: int | None = None
    due_on: date | None = None
    verification: str = ""
    verifier_id: int | None = None
    supporter_id: int | None = None
    action_es: str = ""  # the same item in Spanish, for the Spanish and side-by-side copies
    verification_es: str = ""

    @classmethod
    def from_template(cls, template: ItemTemplate) -> ItemData:
        return cls(
            action=template.action,
            kind=template.kind,
            verification=template.verification,
            action_es=template.action_es,
            verification_es=template.verification_es,
        )

    def texts(self) -> list[str | None]:
        """Every wording the item carries (where a blank to fill in may be left)."""
        return [self.action, self.verification, self.action_es, self.verification_es]


ITEM_FIELDS = tuple(f.name for f in fields(ItemData))


HEADER_FIELDS = tuple(f.name for f in fields(AgreementHeader))


@dataclass(frozen=True)
class AgreementSummary:
    """One version of an agreement, as a line in a list."""

    id: int
    uuid: str
    version: int
    status: str
    previous_id: int | None
    circle_id: int | None
    case_id: int | None
    agreed_on: date | None
    closed_on: date | None
    created_at: datetime
    item_count: int
    # The header's saved version as read (not the agreement's renegotiation ``version``): the
    # builder hands it back with an edit, and a save after someone else's is refused.
    row_version: int = 1


@dataclass(frozen=True)
class ItemRow:
    id: int
    uuid: str
    number: int  # 1-based position as printed
    data: ItemData
    completed_on: date | None
    completion_note: str | None
    row_version: int = 1  # handed back with an edit of this item


@dataclass(frozen=True)
class SignatureRow:
    id: int
    person_id: int
    name: str
    signed_on: date
    as_guardian_of_id: int | None
    as_guardian_of: str | None


@dataclass(frozen=True)
class AgreementDetails:
    """Everything the agreement builder shows for one version."""

    summary: AgreementSummary
    header: AgreementHeader
    items: list[ItemRow]
    signatures: list[SignatureRow]


@dataclass(frozen=True)
class MissingGuardianSignature:
    """A minor party whose guardian has not signed yet."""

    student_id: int
    student_name: str
    guardian_names: list[str]  # guardians on file who could sign (may be empty)


@dataclass(frozen=True)
class ScheduledFollowUp:
    """A follow-up an agreement scheduled when it was made active (see ``activate``)."""

    id: int
    due_on: date
    purpose: str
    responsible_id: int | None
    agreement_item_id: int | None
    status: str


@dataclass(frozen=True)
class ActivationResult:
    agreement: AgreementSummary
    follow_ups: list[ScheduledFollowUp]
    missing_guardian_signatures: list[MissingGuardianSignature]


@dataclass(frozen=True)
class HistoryEvent:
    at: datetime
    version: int
    action: str
    actor: str
    detail: str


def summary_of(agreement: Agreement, item_count: int | None = None) -> AgreementSummary:
    """The list line of one agreement; pass ``item_count`` when it was counted in bulk."""
    return AgreementSummary(
        agreement.id,
        agreement.uuid,
        agreement.version,
        agreement.status,
        agreement.previous_id,
        agreement.circle_id,
        agreement.case_id,
        agreement.agreed_on,
        agreement.closed_on,
        agreement.created_at,
        len(agreement.items) if item_count is None else item_count,
        agreement.row_version,
    )
