"""The bulk statements behind retention: which rows go, and removing or anonymising them.

Kept apart from :mod:`circlekeeper.core.retention.retention` (the rule, the preview and the
order of the steps) so that each stays one idea. Rows are changed with bulk statements, so the
field-by-field audit does not write (and keep for ever) one line per removed row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, text, update
from sqlalchemy.orm import Session

from circlekeeper.core.domain.enums import CaseStatus, CircleStatus, PersonKind
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    AuditEvent,
    Case,
    CaseParty,
    Circle,
    Disclosure,
    FamilyContact,
    FollowUp,
    GuardianLink,
    HandOff,
    Note,
    Participant,
    Person,
    Signature,
)

REMOVED = "[removed]"
# What an audit line's copied values become when the record they describe is removed.
REDACTED = "(removed by the retention rule)"
# The kinds of people the rule removes once they have left: staff, SROs and community members
# are the school's own and stay named on the records they kept.
LEAVERS = (PersonKind.STUDENT.value, PersonKind.GUARDIAN.value)


@dataclass
class Doomed:
    """The ids of every row one retention run removes or anonymises."""

    cases: list[int] = field(default_factory=list)
    circles: list[int] = field(default_factory=list)
    agreements: list[int] = field(default_factory=list)
    follow_ups: list[int] = field(default_factory=list)
    people: list[int] = field(default_factory=list)


def start_of_day_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), UTC)


def due_cases(session: Session, limit: date) -> list[Case]:
    """Closed cases that closed on or before ``limit``, oldest first."""
    return list(
        session.scalars(
            select(Case)
            .where(
                Case.status == CaseStatus.CLOSED.value,
                Case.closed_on.is_not(None),
                Case.closed_on <= limit,
            )
            .order_by(Case.closed_on, Case.id)
        )
    )


def circle_day(circle: Circle) -> date:
    """The day (in UTC) a circle counts from: when it ended, else when it was planned for,
    started or made."""
    when = circle.ended_at or circle.scheduled_at or circle.started_at or circle.created_at
    return when.date()


def due_circles(session: Session, limit: date) -> list[Circle]:
    """Circles tied to no case whose day is on or before ``limit`` (never one left running)."""
    rows = session.scalars(
        select(Circle)
        .where(
            Circle.case_id.is_(None),
            Circle.status != CircleStatus.IN_PROGRESS.value,
            func.coalesce(
                Circle.ended_at, Circle.scheduled_at, Circle.started_at, Circle.created_at
            )
            < start_of_day_after(limit),
        )
        .order_by(Circle.id)
    )
    return [c for c in rows if circle_day(c) <= limit]


def linked(session: Session, case_ids: list[int], circle_ids: list[int]) -> Doomed:
    """The circles, agreements and follow-ups that go with these cases and loose circles."""
    circles = sorted(
        set(circle_ids)
        | set(session.scalars(select(Circle.id).where(Circle.case_id.in_(case_ids))))
    )
    agreements = list(
        session.scalars(
            select(Agreement.id).where(
                or_(
                    Agreement.case_id.in_(case_ids),
                    # An agreement of a loose circle goes with it, unless a kept case holds it.
                    and_(
                        Agreement.circle_id.in_(circles),
                        or_(Agreement.case_id.is_(None), Agreement.case_id.in_(case_ids)),
                    ),
                )
            )
        )
    )
    follow_ups = list(
        session.scalars(
            select(FollowUp.id).where(
                or_(
                    FollowUp.case_id.in_(case_ids),
                    and_(FollowUp.case_id.is_(None), FollowUp.circle_id.in_(circles)),
                    FollowUp.agreement_id.in_(agreements),
                )
            )
        )
    )
    return Doomed(list(case_ids), circles, agreements, follow_ups)


def _ids(session: Session, *queries: Any) -> set[int]:
    found: set[int] = set()
    for query in queries:
        found.update(i for i in session.scalars(query) if i is not None)
    return found


def _still_referenced(session: Session, gone: Doomed) -> set[int]:
    """People that a record staying after this run still names."""
    cases, circles, agreements = gone.cases, gone.circles, gone.agreements
    return _ids(
        session,
        select(Case.referred_by_id).where(Case.id.not_in(cases)),
        select(CaseParty.person_id).where(CaseParty.case_id.not_in(cases)),
        select(FamilyContact.person_id).where(FamilyContact.case_id.not_in(cases)),
        select(Circle.facilitator_id).where(Circle.id.not_in(circles)),
        select(Circle.co_facilitator_id).where(Circle.id.not_in(circles)),
        select(Participant.person_id).where(Participant.circle_id.not_in(circles)),
        select(Agreement.follow_up_by_id).where(Agreement.id.not_in(agreements)),
        *(
            select(column).where(AgreementItem.agreement_id.not_in(agreements))
            for column in (
                AgreementItem.responsible_id,
                AgreementItem.verifier_id,
                AgreementItem.supporter_id,
            )
        ),
        select(Signature.person_id).where(Signature.agreement_id.not_in(agreements)),
        select(Signature.as_guardian_of_id).where(Signature.agreement_id.not_in(agreements)),
        select(FollowUp.responsible_id).where(FollowUp.id.not_in(gone.follow_ups)),
    )


def due_people(session: Session, limit: date, gone: Doomed) -> list[Person]:
    """Students and guardians who left on or before ``limit`` and whom nothing kept names.

    "Left" is the archive mark. A person a kept record still names (an open case, a recent
    circle, a kept agreement) is still involved, so they stay in full; so does a guardian of a
    student who stays.
    """
    candidates = list(
        session.scalars(
            select(Person)
            .where(
                Person.kind.in_(LEAVERS),
                Person.archived_at.is_not(None),
                Person.archived_at < start_of_day_after(limit),
            )
            .order_by(Person.archived_at, Person.id)
        )
    )
    named = _still_referenced(session, gone)
    leaving = {p.id for p in candidates if p.id not in named}
    kept_students = _ids(
        session,
        select(GuardianLink.guardian_id).where(
            GuardianLink.guardian_id.in_(leaving), GuardianLink.student_id.not_in(leaving)
        ),
    )
    return [p for p in candidates if p.id in leaving and p.id not in kept_students]


def count_notes(session: Session, circle_ids: list[int]) -> int:
    if not circle_ids:
        return 0
    return int(session.scalar(select(func.count()).where(Note.circle_id.in_(circle_ids))) or 0)


def uuids(session: Session, gone: Doomed) -> list[str]:
    """The uuids of every record this run removes or anonymises (for redacting the trail)."""
    found: list[str] = []
    for model, ids in (
        (Case, gone.cases),
        (Circle, gone.circles),
        (Agreement, gone.agreements),
        (FollowUp, gone.follow_ups),
        (Person, gone.people),
    ):
        if ids:
            found.extend(session.scalars(select(model.uuid).where(model.id.in_(ids))))
    found.extend(session.scalars(select(HandOff.uuid).where(_hand_offs(gone))))
    if gone.circles:
        found.extend(session.scalars(select(Note.uuid).where(Note.circle_id.in_(gone.circles))))
    if gone.cases:
        found.extend(
            session.scalars(select(FamilyContact.uuid).where(FamilyContact.case_id.in_(gone.cases)))
        )
    return found


def _hand_offs(gone: Doomed) -> Any:
    """The hand-offs of the cases and circles going (a kept case keeps its own)."""
    return or_(
        HandOff.case_id.in_(gone.cases),
        and_(HandOff.case_id.is_(None), HandOff.circle_id.in_(gone.circles)),
    )


def _drop_disclosures(session: Session, gone: Doomed) -> None:
    """A removed or anonymised record's lines in the students' records of disclosures go with
    it: they name a student and say what was shared."""
    session.execute(
        delete(Disclosure).where(
            or_(
                Disclosure.case_id.in_(gone.cases),
                Disclosure.agreement_id.in_(gone.agreements),
                Disclosure.hand_off_id.in_(select(HandOff.id).where(_hand_offs(gone))),
            )
        )
    )


def purge(session: Session, gone: Doomed) -> None:
    """Delete the records and everything hanging on them."""
    agreements, circles, cases = gone.agreements, gone.circles, gone.cases
    _drop_disclosures(session, gone)
    session.execute(delete(HandOff).where(_hand_offs(gone)))
    if agreements:
        # A later version outside the purge must not point at a purged one.
        session.execute(
            update(Agreement)
            .where(Agreement.previous_id.in_(agreements), Agreement.id.not_in(agreements))
            .values(previous_id=None)
        )
    if gone.follow_ups:
        session.execute(delete(FollowUp).where(FollowUp.id.in_(gone.follow_ups)))
    if agreements:
        session.execute(delete(Signature).where(Signature.agreement_id.in_(agreements)))
        session.execute(delete(AgreementItem).where(AgreementItem.agreement_id.in_(agreements)))
        session.execute(
            update(Agreement).where(Agreement.id.in_(agreements)).values(previous_id=None)
        )
        session.execute(delete(Agreement).where(Agreement.id.in_(agreements)))
    if circles:
        session.execute(delete(Note).where(Note.circle_id.in_(circles)))
        session.execute(delete(Circle).where(Circle.id.in_(circles)))  # cascades to the rest
    if cases:
        session.execute(delete(FamilyContact).where(FamilyContact.case_id.in_(cases)))
        session.execute(delete(CaseParty).where(CaseParty.case_id.in_(cases)))
        session.execute(delete(Case).where(Case.id.in_(cases)))


def anonymise(session: Session, gone: Doomed) -> None:
    """Keep the records for counting (kinds, dates, outcomes); remove every word and person."""
    cases, circles, agreements = gone.cases, gone.circles, gone.agreements
    _drop_disclosures(session, gone)
    session.execute(
        update(HandOff)
        .where(_hand_offs(gone))
        .values(recipient=REMOVED, shared=REMOVED, threat=None, return_note=None)
    )
    if cases:
        session.execute(
            update(Case)
            .where(Case.id.in_(cases))
            .values(description=REMOVED, location=None, eligibility=None, referred_by_id=None)
        )
        session.execute(delete(CaseParty).where(CaseParty.case_id.in_(cases)))
        session.execute(
            update(FamilyContact)
            .where(FamilyContact.case_id.in_(cases))
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
    if gone.follow_ups:
        session.execute(
            update(FollowUp)
            .where(FollowUp.id.in_(gone.follow_ups))
            .values(purpose=REMOVED, outcome=None, responsible_id=None)
        )


def remove_people(session: Session, people: list[int]) -> None:
    """Delete people who left; their guardian links go with them (the foreign keys cascade).

    Only people :func:`due_people` found, whom no record left after the purge names.
    """
    if people:
        session.execute(delete(Person).where(Person.id.in_(people)))


# The audit trail's guard (migration 0001_initial), lifted for one statement and put back in the
# same transaction: SQLite runs DDL inside transactions, so the guard is never off for anyone
# else and comes back even if the redaction fails (the whole transaction rolls back).
_GUARD = (
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END"
)


def redact_audit(session: Session, record_uuids: list[str]) -> int:
    """Blank the values audit lines copied from removed records; return how many lines.

    The trail copies no free text (notes, summaries, descriptions: see ``store/changes.py``),
    but it does copy short fields when they change: a person's old and new name, birth date or
    demographic field, a circle's title. Once the record is gone those values must go too, or
    the trail would keep a name the rule removed. Each line stays (when, who, which action,
    which fields changed); only the copied values become :data:`REDACTED`. This is the one place
    that changes the append-only trail, and the retention line says how many it redacted.
    """
    dialect = session.get_bind().dialect.name
    if not record_uuids or dialect not in ("sqlite", "postgresql"):
        return 0
    lines: list[tuple[int, str]] = []
    for start in range(0, len(record_uuids), 500):
        chunk = record_uuids[start : start + 500]
        lines.extend(
            (row.id, row.detail)
            for row in session.execute(
                select(AuditEvent.id, AuditEvent.detail).where(
                    AuditEvent.entity_uuid.in_(chunk), AuditEvent.detail.contains('"changes"')
                )
            )
        )
    redacted: list[tuple[int, str]] = []
    for line_id, detail in lines:
        try:
            data = json.loads(detail)
        except ValueError:
            continue
        found = data.get("changes") if isinstance(data, dict) else None
        if not isinstance(found, dict) or not found:
            continue
        data["changes"] = {key: [REDACTED, REDACTED] for key in found}
        redacted.append((line_id, json.dumps(data, ensure_ascii=False, sort_keys=True)))
    if not redacted:
        return 0
    # The guard lets exactly this through on a server (migration 0001_initial); on a file it is
    # lifted and put back inside this transaction.
    lift, restore = (
        (
            text("SET LOCAL circlekeeper.redacting = 'on'"),
            text("SET LOCAL circlekeeper.redacting = 'off'"),
        )
        if dialect == "postgresql"
        else (text("DROP TRIGGER audit_event_no_update"), text(_GUARD))
    )
    session.execute(lift)
    for line_id, detail in redacted:
        session.execute(update(AuditEvent).where(AuditEvent.id == line_id).values(detail=detail))
    session.execute(restore)
    return len(redacted)
