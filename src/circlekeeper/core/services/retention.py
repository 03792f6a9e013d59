"""Retention: closed cases older than a set number of years are purged or anonymised.

The person looking after the records first sees a preview (which cases, and how many circles,
agreements and notes hang on each), then confirms; :func:`apply_retention` acts only on the cases
that were previewed and still qualify. The purge itself is written to the audit trail: when, who,
the rule, the counts and the removed records' ids, never their content.

- ``purge`` deletes the case and everything linked to it: its circles (participants, turns,
  stages, notes), agreements (items, signatures), follow-ups, family contacts and parties.
- ``anonymise`` keeps the records for counting (kinds, dates, outcomes) but replaces every free
  text with ``[removed]`` and unlinks every person.

Rows are changed with bulk statements, so the field-by-field audit does not write (and keep for
ever) one line per removed row.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.domain.enums import CaseStatus
from circlekeeper.core.services import InvalidInput, audit
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    Case,
    CaseParty,
    Circle,
    FamilyContact,
    FollowUp,
    Note,
    Participant,
    Setting,
    Signature,
)

REMOVED = "[removed]"
YEARS_SETTING = "retention_years"
Mode = Literal["purge", "anonymise"]


@dataclass(frozen=True)
class RetentionCandidate:
    """A closed case old enough to go, with what hangs on it."""

    case_id: int
    case_uuid: str
    incident_category: str
    referred_on: date
    closed_on: date
    circles: int
    agreements: int
    notes: int
    follow_ups: int


@dataclass(frozen=True)
class RetentionResult:
    mode: str
    cases: int
    circles: int
    agreements: int
    notes: int
    follow_ups: int


def cutoff(years: int, today: date) -> date:
    """The day before which a case must have closed to be due (29 February -> 28)."""
    if years < 1:
        raise InvalidInput("Keep records for at least one year.")
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def retention_years(sessions: sessionmaker[Session]) -> int | None:
    """The retention setting in years, or None when no rule is set."""
    with sessions() as session:
        value = session.scalar(select(Setting.value).where(Setting.key == YEARS_SETTING))
    return int(value) if value and value.isdigit() and int(value) > 0 else None


def set_retention_years(
    sessions: sessionmaker[Session], years: int | None, *, actor: str = ""
) -> None:
    if years is not None and years < 1:
        raise InvalidInput("Keep records for at least one year.")
    with sessions.begin() as session:
        row = session.get(Setting, YEARS_SETTING)
        value = "" if years is None else str(years)
        if row is None:
            session.add(Setting(key=YEARS_SETTING, value=value))
        else:
            row.value = value
        audit.record(session, "update", "settings", None, actor=actor, keys=[YEARS_SETTING])


def _due_cases(session: Session, years: int, today: date) -> list[Case]:
    limit = cutoff(years, today)
    return list(
        session.scalars(
            select(Case)
            .where(
                Case.status == CaseStatus.CLOSED.value,
                Case.closed_on.is_not(None),
                Case.closed_on < limit,
            )
            .order_by(Case.closed_on, Case.id)
        )
    )


def _linked(session: Session, case_ids: list[int]) -> dict[str, list[int]]:
    circles = list(session.scalars(select(Circle.id).where(Circle.case_id.in_(case_ids))))
    agreements = list(
        session.scalars(
            select(Agreement.id).where(
                or_(Agreement.case_id.in_(case_ids), Agreement.circle_id.in_(circles))
            )
        )
    )
    follow_ups = list(
        session.scalars(
            select(FollowUp.id).where(
                or_(
                    FollowUp.case_id.in_(case_ids),
                    FollowUp.circle_id.in_(circles),
                    FollowUp.agreement_id.in_(agreements),
                )
            )
        )
    )
    return {"circles": circles, "agreements": agreements, "follow_ups": follow_ups}


def _count(session: Session, column: Any, ids: list[int]) -> int:
    if not ids:
        return 0
    return int(session.scalar(select(func.count()).where(column.in_(ids))) or 0)


def preview_retention(
    sessions: sessionmaker[Session], years: int, today: date
) -> list[RetentionCandidate]:
    """The closed cases the rule would remove, oldest first, with their linked records."""
    with sessions() as session:
        found = []
        for case in _due_cases(session, years, today):
            linked = _linked(session, [case.id])
            assert case.closed_on is not None
            found.append(
                RetentionCandidate(
                    case_id=case.id,
                    case_uuid=case.uuid,
                    incident_category=case.incident_category,
                    referred_on=case.referred_on,
                    closed_on=case.closed_on,
                    circles=len(linked["circles"]),
                    agreements=len(linked["agreements"]),
                    notes=_count(session, Note.circle_id, linked["circles"]),
                    follow_ups=len(linked["follow_ups"]),
                )
            )
        return found


def apply_retention(
    sessions: sessionmaker[Session],
    years: int,
    today: date,
    *,
    mode: Mode = "purge",
    actor: str = "",
    case_ids: Collection[int] | None = None,
) -> RetentionResult:
    """Purge or anonymise the due cases (only ``case_ids``, if given: those previewed)."""
    if mode not in ("purge", "anonymise"):
        raise InvalidInput("Choose whether to purge or to anonymise the old cases.")
    with sessions.begin() as session:
        cases = _due_cases(session, years, today)
        if case_ids is not None:
            wanted = set(case_ids)
            cases = [c for c in cases if c.id in wanted]
        ids = [c.id for c in cases]
        uuids = [c.uuid for c in cases]
        empty: dict[str, list[int]] = {"circles": [], "agreements": [], "follow_ups": []}
        linked = _linked(session, ids) if ids else empty
        circles, agreements, follow_ups = (
            linked["circles"],
            linked["agreements"],
            linked["follow_ups"],
        )
        notes = _count(session, Note.circle_id, circles)
        if ids:
            session.expunge_all()  # the rows are changed below with bulk statements
            if mode == "purge":
                _purge(session, ids, circles, agreements, follow_ups)
            else:
                _anonymise(session, ids, circles, agreements, follow_ups)
        result = RetentionResult(
            mode, len(ids), len(circles), len(agreements), notes, len(follow_ups)
        )
        audit.record(
            session,
            f"retention_{mode}",
            "case",
            None,
            actor=actor,
            years=years,
            closed_before=cutoff(years, today).isoformat(),
            cases=len(ids),
            circles=len(circles),
            agreements=len(agreements),
            notes=notes,
            follow_ups=len(follow_ups),
            case_uuids=uuids,
        )
    return result


def _purge(
    session: Session,
    case_ids: list[int],
    circles: list[int],
    agreements: list[int],
    follow_ups: list[int],
) -> None:
    if agreements:
        # A later version outside the purge must not point at a purged one.
        session.execute(
            update(Agreement)
            .where(Agreement.previous_id.in_(agreements), Agreement.id.not_in(agreements))
            .values(previous_id=None)
        )
    if follow_ups:
        session.execute(delete(FollowUp).where(FollowUp.id.in_(follow_ups)))
    if agreements:
        session.execute(delete(Signature).where(Signature.agreement_id.in_(agreements)))
        session.execute(delete(AgreementItem).where(AgreementItem.agreement_id.in_(agreements)))
        # Newest versions first, so a version is never deleted while another points at it.
        session.execute(
            update(Agreement).where(Agreement.id.in_(agreements)).values(previous_id=None)
        )
        session.execute(delete(Agreement).where(Agreement.id.in_(agreements)))
    if circles:
        session.execute(delete(Note).where(Note.circle_id.in_(circles)))
        session.execute(delete(Circle).where(Circle.id.in_(circles)))  # cascades to the rest
    session.execute(delete(FamilyContact).where(FamilyContact.case_id.in_(case_ids)))
    session.execute(delete(CaseParty).where(CaseParty.case_id.in_(case_ids)))
    session.execute(delete(Case).where(Case.id.in_(case_ids)))


def _anonymise(
    session: Session,
    case_ids: list[int],
    circles: list[int],
    agreements: list[int],
    follow_ups: list[int],
) -> None:
    session.execute(
        update(Case)
        .where(Case.id.in_(case_ids))
        .values(description=REMOVED, location=None, eligibility=None, referred_by_id=None)
    )
    session.execute(delete(CaseParty).where(CaseParty.case_id.in_(case_ids)))
    session.execute(
        update(FamilyContact)
        .where(FamilyContact.case_id.in_(case_ids))
        .values(outcome=REMOVED, staff_name=None, person_id=None)
    )
    if circles:
        session.execute(
            update(Circle)
            .where(Circle.id.in_(circles))
            .values(
                title=REMOVED,
                purpose=REMOVED,
                location=None,
                live_state=None,
                summary=None,
                facilitator_id=None,
                co_facilitator_id=None,
            )
        )
        session.execute(
            update(Note).where(Note.circle_id.in_(circles)).values(text=REMOVED, author=None)
        )
        session.execute(delete(Participant).where(Participant.circle_id.in_(circles)))
    if agreements:
        session.execute(
            update(Agreement)
            .where(Agreement.id.in_(agreements))
            .values(harm_summary=REMOVED, if_not_kept=REMOVED, follow_up_by_id=None)
        )
        session.execute(
            update(AgreementItem)
            .where(AgreementItem.agreement_id.in_(agreements))
            .values(
                action=REMOVED,
                verification=REMOVED,
                completion_note=None,
                responsible_id=None,
                verifier_id=None,
                supporter_id=None,
            )
        )
        session.execute(delete(Signature).where(Signature.agreement_id.in_(agreements)))
    if follow_ups:
        session.execute(
            update(FollowUp)
            .where(FollowUp.id.in_(follow_ups))
            .values(purpose=REMOVED, outcome=None, responsible_id=None)
        )
