"""Anonymous participant surveys after a circle or conference.

A *sitting* is one round of surveys for a held circle, on the laptop handed round or typed in
from printed forms. It knows how many people present may answer; each blank form carries a
one-time token, so a form sent twice (a double press, the laptop handed back) is refused, and
no sitting takes more answers than people present.

Anonymity is kept in the file, not only on screen: a response has no person and no times, its
key is drawn at random, and no audit line is written per response (the line's time and order
would match the order of seats). Opening and closing a sitting are audited with their counts.
"""

from __future__ import annotations

import secrets
import uuid as uuid_module
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.domain.enums import CircleStatus
from circlekeeper.core.domain.surveys import (
    SurveyAnswer,
    SurveyQuestion,
    SurveySource,
    check_sheet,
)
from circlekeeper.core.evaluation.fidelity import PRESENT, takes_part
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.models import Circle, Participant, SurveyResponse, SurveySitting
from circlekeeper.core.store.types import utcnow

_MAX_KEY = 2**53 - 1  # exact in every client that reads the file as JSON


@dataclass(frozen=True)
class SittingRow:
    id: int
    uuid: str
    circle_id: int
    source: str
    expected: int
    answered: int
    closed: bool

    @property
    def remaining(self) -> int:
        return max(0, self.expected - self.answered)


@dataclass(frozen=True)
class SurveyTally:
    """How many answered each question each way, for one circle (or any set of sittings)."""

    responses: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # question -> answer -> n


def new_sheet() -> str:
    """A one-time token for one blank survey form."""
    return str(uuid_module.uuid4())


class SurveyService:
    """Opens sittings, takes anonymous answers, and tallies them."""

    def __init__(self, context: Context | sessionmaker[Session]) -> None:
        self.ctx = as_context(context)

    def open_sitting(
        self, circle_id: int, source: str = SurveySource.WINDOW.value, *, on: date | None = None
    ) -> SittingRow:
        """Start a round of surveys for a held circle, for the people present in it."""
        if source not in {s.value for s in SurveySource}:
            raise InvalidInput(
                _(
                    "A survey comes in on the laptop or on paper, not {source}.",
                    source=repr(source),
                )
            )
        with self.ctx.write("open sitting") as session:
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
                        "Surveys are answered after the circle has been held; this one is "
                        "{status}. Nothing was saved.",
                        status=circle.status.replace("_", " "),
                    )
                )
            expected = sum(
                1
                for role, attendance in session.execute(
                    select(Participant.role, Participant.attendance).where(
                        Participant.circle_id == circle.id
                    )
                )
                if takes_part(role) and attendance in PRESENT
            )
            if expected == 0:
                raise InvalidInput(
                    _(
                        "No one is marked present in this circle, so there is no one to answer a "
                        "survey. Nothing was saved.",
                    )
                )
            sitting = SurveySitting(
                circle_id=circle.id,
                source=source,
                expected=expected,
                held_on=on or date.today(),
            )
            session.add(sitting)
            session.flush()
            audit.record(
                session,
                "open_survey",
                "survey_sitting",
                sitting.uuid,
                circle=circle.uuid,
                source=source,
                expected=expected,
            )
            return _row(session, sitting)

    def sitting(self, sitting_id: int) -> SittingRow:
        with self.ctx.read() as session:
            return _row(session, _sitting(session, sitting_id))

    def answer(self, sitting_id: int, sheet: str, answers: Mapping[str, str | None]) -> SittingRow:
        """Save one person's answers from one form; the same form twice is refused."""
        try:
            checked = check_sheet(answers)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        with self.ctx.write("answer") as session:
            sitting = _sitting(session, sitting_id)
            if sitting.closed_at is not None:
                raise InvalidInput(
                    _(
                        "This round of surveys is closed, so this answer was not saved. Start a "
                        "new "
                        "round from the circle if more people want to answer.",
                    )
                )
            if session.scalar(select(SurveyResponse.id).where(SurveyResponse.uuid == sheet)):
                raise InvalidInput(_TWICE)
            row = _row(session, sitting)
            if row.remaining == 0:
                raise InvalidInput(
                    _(
                        "All {expected} people present have already answered, so this one was "
                        "not saved: a survey is answered once by each person.",
                        expected=row.expected,
                    )
                )
            key = secrets.randbelow(_MAX_KEY) + 1
            while session.get(SurveyResponse, key) is not None:
                key = secrets.randbelow(_MAX_KEY) + 1
            session.add(
                SurveyResponse(
                    id=key,
                    uuid=sheet,
                    sitting_id=sitting.id,
                    **checked,
                )
            )
            try:
                session.flush()
            except IntegrityError:
                # The same form saved at the same moment from a second window.
                raise InvalidInput(_TWICE) from None
            return _row(session, sitting)

    def close_sitting(self, sitting_id: int) -> SittingRow:
        """End a round of surveys; its answers stay, no more are taken."""
        with self.ctx.write("close sitting") as session:
            sitting = _sitting(session, sitting_id)
            if sitting.closed_at is None:
                sitting.closed_at = utcnow()
                row = _row(session, sitting)
                audit.record(
                    session,
                    "close_survey",
                    "survey_sitting",
                    sitting.uuid,
                    answered=row.answered,
                )
            return _row(session, sitting)

    def tally(self, circle_id: int) -> SurveyTally:
        """The answers of every sitting of one circle, counted per question."""
        with self.ctx.read() as session:
            query = (
                select(SurveyResponse)
                .join(SurveySitting, SurveySitting.id == SurveyResponse.sitting_id)
                .where(SurveySitting.circle_id == circle_id)
            )
            return tally_of(session.scalars(query).all())


def tally_of(responses: Iterable[SurveyResponse]) -> SurveyTally:
    """Count answers per question (``None`` is counted as ``skipped``)."""
    counts = {
        q.value: dict.fromkeys([*(a.value for a in SurveyAnswer), "skipped"], 0)
        for q in SurveyQuestion
    }
    total = 0
    for response in responses:
        total += 1
        for q in SurveyQuestion:
            value = getattr(response, q.value)
            counts[q.value][value if value is not None else "skipped"] += 1
    return SurveyTally(total, counts)


_TWICE = (
    "This survey form was already answered, so it was not saved again. Each person answers "
    "once; pass the laptop on to the next person."
)


def _sitting(session: Session, sitting_id: int) -> SurveySitting:
    sitting = session.get(SurveySitting, sitting_id)
    if sitting is None:
        raise NotFound(
            _(
                "There is no survey round with id {sitting_id} in this database.",
                sitting_id=sitting_id,
            )
        )
    return sitting


def _row(session: Session, sitting: SurveySitting) -> SittingRow:
    answered = session.scalar(
        select(func.count())
        .select_from(SurveyResponse)
        .where(SurveyResponse.sitting_id == sitting.id)
    )
    return SittingRow(
        id=sitting.id,
        uuid=sitting.uuid,
        circle_id=sitting.circle_id,
        source=sitting.source,
        expected=sitting.expected,
        answered=int(answered or 0),
        closed=sitting.closed_at is not None,
    )
