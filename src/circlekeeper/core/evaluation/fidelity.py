"""The fidelity checklist of a held circle or conference: prefilled, then completed by the keeper.

:meth:`FidelityService.draft` reads the live record (stages reached, turns, preparation) and
answers what it can; :meth:`FidelityService.complete` saves the keeper's answers to every item
in one transaction with its audit line. The checklist holds no names, so every viewer reads the
same thing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.circles.rows import KEEPER_ROLES
from circlekeeper.core.domain.enums import Attendance, CircleKind, CircleStatus, Role
from circlekeeper.core.domain.fidelity import (
    FidelityItem,
    HeldRecord,
    Prefill,
    check_answers,
    items_for,
    prefill,
)
from circlekeeper.core.domain.script_snapshot import script_from_json
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.models import Circle, FidelityCheck, Participant, StageRecord, Turn

MAX_NOTE = 2000
PRESENT = frozenset(
    {Attendance.PRESENT.value, Attendance.JOINED_LATE.value, Attendance.LEFT_EARLY.value}
)


def takes_part(role: str) -> bool:
    """Whether a participant in this role is one the keeper prepares, invites to speak and asks
    to answer the survey: not the keepers themselves, not observers."""
    return role not in KEEPER_ROLES and role != Role.OBSERVER.value


@dataclass(frozen=True)
class ItemRow:
    item: str
    prefilled: bool | None
    reason: str
    answer: str | None  # the keeper's saved answer, or None before completion


@dataclass(frozen=True)
class FidelityDraft:
    circle_id: int
    kind: str
    title: str
    items: tuple[ItemRow, ...]
    completed_by: str | None
    completed_on: date | None
    note: str

    @property
    def completed(self) -> bool:
        return self.completed_on is not None


def held_record(session: Session, circle: Circle) -> HeldRecord:
    """The facts of a held circle that the checklist's prefill reads."""
    script = script_from_json(circle.script_snapshot) if circle.script_snapshot else None
    visited = frozenset(
        session.scalars(
            select(StageRecord.stage_index).where(StageRecord.circle_id == circle.id)
        ).all()
    )
    rows = session.execute(
        select(
            Participant.id, Participant.role, Participant.attendance, Participant.pre_meeting_held
        ).where(Participant.circle_id == circle.id)
    ).all()
    taking_part = [r for r in rows if takes_part(r.role)]
    present = {r.id for r in taking_part if r.attendance in PRESENT}
    turned = set(
        session.scalars(
            select(Turn.participant_id).where(Turn.circle_id == circle.id).distinct()
        ).all()
    )
    return HeldRecord(
        kind=circle.kind,
        stage_types=[s.type.value for s in script.stages] if script else [],
        visited=visited,
        present=len(present),
        took_turn=len(present & turned),
        prepared=[bool(r.pre_meeting_held) for r in taking_part]
        if circle.kind == CircleKind.CONFERENCE.value
        else [],
    )


class FidelityService:
    """Reads and completes the fidelity checklist of one circle at a time."""

    def __init__(self, context: Context | sessionmaker[Session]) -> None:
        self.ctx = as_context(context)

    def draft(self, circle_id: int) -> FidelityDraft:
        """The checklist as the keeper sees it: prefilled, with their answers once saved."""
        with self.ctx.read() as session:
            circle = _held_circle(session, circle_id)
            return _draft(session, circle)

    def complete(
        self,
        circle_id: int,
        answers: Mapping[str, str],
        *,
        note: str = "",
        on: date | None = None,
    ) -> FidelityDraft:
        """Save the keeper's answer to every item (completing again replaces the answers)."""
        note = note.strip()
        if len(note) > MAX_NOTE:
            raise InvalidInput(
                _(
                    "The note is {note_count:,} characters; keep it under {max_note:,}. "
                    "Nothing was saved.",
                    note_count=len(note),
                    max_note=MAX_NOTE,
                )
            )
        with self.ctx.write("complete") as session:
            circle = _held_circle(session, circle_id)
            try:
                checked = check_answers(circle.kind, answers)
            except ValueError as exc:
                raise InvalidInput(
                    _(
                        "{exc} Nothing was saved.",
                        exc=exc,
                    )
                ) from None
            found = prefill(held_record(session, circle))
            row = session.scalar(select(FidelityCheck).where(FidelityCheck.circle_id == circle.id))
            first = row is None
            if row is None:
                row = FidelityCheck(circle_id=circle.id)
                session.add(row)
            row.answers = json.dumps(checked, sort_keys=True)
            row.prefilled = json.dumps({k.value: p.value for k, p in found.items()}, sort_keys=True)
            row.completed_by = self.ctx.actor()
            row.completed_on = on or date.today()
            row.note = note
            session.flush()
            audit.record(
                session,
                "complete_fidelity" if first else "revise_fidelity",
                "fidelity_check",
                row.uuid,
                circle=circle.uuid,
            )
            return _draft(session, circle)


def _held_circle(session: Session, circle_id: int) -> Circle:
    circle = session.get(Circle, circle_id)
    if circle is None:
        raise NotFound(
            _(
                "There is no circle with id {circle_id} in this database.",
                circle_id=circle_id,
            )
        )
    if circle.status != CircleStatus.COMPLETED.value:
        raise InvalidInput(
            _(
                "The fidelity checklist is completed after the circle has been held; this one is "
                "{status}.",
                status=circle.status.replace("_", " "),
            )
        )
    return circle


def _draft(session: Session, circle: Circle) -> FidelityDraft:
    found: dict[FidelityItem, Prefill] = prefill(held_record(session, circle))
    row = session.scalar(select(FidelityCheck).where(FidelityCheck.circle_id == circle.id))
    saved: dict[str, str] = json.loads(row.answers) if row is not None else {}
    return FidelityDraft(
        circle_id=circle.id,
        kind=circle.kind,
        title=circle.title,
        items=tuple(
            ItemRow(item.value, found[item].value, found[item].reason, saved.get(item.value))
            for item in items_for(circle.kind)
        ),
        completed_by=row.completed_by if row is not None else None,
        completed_on=row.completed_on if row is not None else None,
        note=row.note if row is not None else "",
    )
