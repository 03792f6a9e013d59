"""Reading and recording the eligibility screen, from the case page or a conference's panel.

There is one screen per case. A conference linked to a case shows and edits the case's screen;
a conference without a case keeps its own, in the same format, in the circle's summary. Saving
applies only the answers the person changed on their screen (a three-way merge against what the
screen loaded), so saving one screen never clears an answer set on the other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.domain.eligibility import (
    EXCLUSIONS,
    FORMAT,
    HARM_KINDS,
    STAFF_MATTER,
    STAFF_ONLY,
    Eligibility,
    Verdict,
    Withdrawal,
    assess,
    assess_circle,
    combine,
    decode,
    encode,
    from_stored,
)
from circlekeeper.core.domain.enums import CaseStatus, CircleKind, CircleStatus, Role
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people.names import display_name
from circlekeeper.core.people.people import is_minor
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.store.models import Case, CaseParty, Circle, Participant, Person

# Every circle that deals with harm is screened (``domain/eligibility.HARM_KINDS``); a re-entry
# circle after a threat assessment is judged on consent and the halt, not on the case's
# exclusions (``assess_circle``).
SCREENED_KINDS = HARM_KINDS
# Who is not "taking part" for the consent rules: the keepers and observers.
NOT_TAKING_PART = frozenset(
    {Role.FACILITATOR.value, Role.CO_FACILITATOR.value, Role.OBSERVER.value}
)


class NotEligible(InvalidInput):
    """A case or conference may not go ahead; ``reasons`` says why, one plain sentence each."""

    def __init__(self, what: str, reasons: tuple[str, ...]) -> None:
        self.reasons = reasons
        super().__init__(f"{what} " + " ".join(reasons))


@dataclass(frozen=True)
class Screen:
    """A screen as the case page and the preparation panel show it."""

    answers: Eligibility | None  # None: not screened yet (or unreadable)
    verdict: Verdict
    case_id: int | None  # the case whose screen this is; None for a conference on its own
    unreadable: bool = False
    # True when the notes and the staff-only answers were left out for the viewer (an SRO).
    restricted: bool = False

    @property
    def shown(self) -> Eligibility:
        """The answers to put on a screen (blank when not screened yet)."""
        return self.answers or Eligibility()

    def for_viewer(self, viewer: Viewer | None) -> Screen:
        """The screen as ``viewer`` may see it: for an SRO, no notes and no Title IX or
        child-protection answer, and the verdict says only that staff keep the case from a
        conference (it still may not go ahead). ``None``: the unfiltered screen."""
        if viewer is None or viewer.can_see_screen_details:
            return self
        answers = self.answers
        blocked = self.verdict.blocked
        if answers is not None:
            hidden = {message for name, message in EXCLUSIONS if name in STAFF_ONLY}
            kept = tuple(reason for reason in blocked if reason not in hidden)
            if any(getattr(answers, name) for name in STAFF_ONLY):
                kept = (*kept, STAFF_MATTER)
            blocked = kept
            answers = replace(answers, notes="", **dict.fromkeys(STAFF_ONLY, False))
        verdict = Verdict(blocked, self.verdict.missing, self.verdict.withdrawn)
        return replace(self, answers=answers, verdict=verdict, restricted=True)


def case_screen(
    session: Session, case: Case, on: date | None = None, *, minors: bool | None = None
) -> Screen:
    """The screen of a case, judged with the minors among its parties (``minors`` when the
    caller already worked it out with ``is_minor``; otherwise it is looked up)."""
    answers, unreadable = _read(case.eligibility)
    if minors is None:
        minors = _case_minors(session, case.id, on or date.today())
    verdict = assess(answers, minors=minors, unreadable=unreadable)
    return Screen(answers, verdict, case.id, unreadable)


def circle_screen(
    session: Session, circle: Circle, on: date | None = None, *, minors: bool | None = None
) -> Screen:
    """The screen a conference goes by: its case's, or its own when it has no case.

    ``minors``: whether a minor takes part, when the caller already knows it from the
    participant rows (``ParticipantRow.minor``); otherwise it is looked up.
    """
    on = on or date.today()
    if minors is None:
        minors = _circle_minors(session, circle.id, on)
    case = session.get(Case, circle.case_id) if circle.case_id is not None else None
    if case is not None:
        answers, unreadable = _read(case.eligibility)
        minors = minors or _case_minors(session, case.id, on)
    else:
        answers, unreadable = _read_circle(circle.summary)
    verdict = assess_circle(
        circle.kind,
        answers,
        minors=minors,
        unreadable=unreadable,
        withdrawals=circle_withdrawals(session, circle.id),
    )
    return Screen(answers, verdict, case.id if case else None, unreadable)


def circle_withdrawals(session: Session, circle_id: int) -> list[Withdrawal]:
    """The withdrawn consents of the people taking part in a circle, in seating order."""
    query = (
        select(Person, Participant.consent_withdrawn_on, Participant.consent_withdrawn_by)
        .join(Participant, Participant.person_id == Person.id)
        .where(
            Participant.circle_id == circle_id,
            Participant.role.not_in(NOT_TAKING_PART),
            Participant.consent_withdrawn_on.is_not(None),
        )
        .order_by(Participant.seat_position, Participant.id)
    )
    return [
        Withdrawal(display_name(p.first_name, p.preferred_name, p.last_name), on, by)
        for p, on, by in session.execute(query)
        if on is not None
    ]


def check_conference_may_go_ahead(session: Session, circle: Circle, on: date) -> None:
    """Refuse to start a circle that deals with harm whose screen blocks it (an exclusion, a
    halt, a refusal; for a re-entry circle, a refusal or the halt)."""
    if circle.kind not in SCREENED_KINDS:
        return
    verdict = circle_screen(session, circle, on).verdict
    if verdict.blocked:
        held = (
            _("This conference cannot be held:")
            if circle.kind == CircleKind.CONFERENCE.value
            else _("This circle cannot be held:")
        )
        raise NotEligible(held, verdict.blocked)


def adopt_circle_screen(session: Session, circle: Circle, *, actor: str = "") -> None:
    """A conference just linked to a case brings its own screen along: the two are combined
    on the case (no answer lost) and the circle's copy is dropped, so one screen remains."""
    own, unreadable = _read_circle(circle.summary)
    case = session.get(Case, circle.case_id) if circle.case_id is not None else None
    if case is None or (own is None and not unreadable):
        return
    stored, case_unreadable = _read(case.eligibility)
    if unreadable or case_unreadable:
        raise InvalidInput(
            _(
                "This conference's eligibility screen and its case's cannot be combined because "
                "one of them could not be read. Nothing was changed; redo the screen first.",
            )
        )
    assert own is not None
    merged = own if stored is None else combine(stored, own)
    case.eligibility = encode(merged)
    summary = _summary(circle.summary)
    summary.pop("eligibility", None)
    circle.summary = json.dumps(summary, ensure_ascii=False, sort_keys=True) if summary else None
    _audit(session, "case", case.uuid, actor, merged)


class EligibilityService:
    """Read and record the one eligibility screen of a case or a conference."""

    def __init__(self, context: Context | sessionmaker[Session]) -> None:
        self.ctx = as_context(context)

    def for_case(self, case_id: int, on: date | None = None) -> Screen:
        """The case's screen, as the person looking may see it."""
        with self.ctx.read() as session:
            return case_screen(session, _case(session, case_id), on).for_viewer(self.ctx.viewer())

    def for_circle(self, circle_id: int, on: date | None = None) -> Screen:
        """The screen a conference goes by, as the person looking may see it."""
        with self.ctx.read() as session:
            screen = circle_screen(session, _circle(session, circle_id), on)
            return screen.for_viewer(self.ctx.viewer())

    def record_for_case(
        self, case_id: int, edited: Eligibility, *, loaded: Eligibility | None = None
    ) -> Screen:
        """Save what changed between ``loaded`` (what the screen showed; blank if it was not
        screened) and ``edited``; every other stored answer stays as it is."""
        with self.ctx.write("record for case") as session:
            case = _case(session, case_id)
            if case.status == CaseStatus.CLOSED.value:
                raise InvalidInput(_("This case is closed; reopen it before changing the screen."))
            self._write_case(session, case, edited, loaded)
            return case_screen(session, case).for_viewer(self.ctx.viewer())

    def record_for_circle(
        self, circle_id: int, edited: Eligibility, *, loaded: Eligibility | None = None
    ) -> Screen:
        """Save a conference's screen: onto its case when it has one (as
        :meth:`record_for_case` does), else with the conference."""
        with self.ctx.write("record for circle") as session:
            circle = _circle(session, circle_id)
            if circle.status in (CircleStatus.COMPLETED.value, CircleStatus.CANCELLED.value):
                raise InvalidInput(_("This circle is over; its screen cannot be changed now."))
            case = session.get(Case, circle.case_id) if circle.case_id is not None else None
            if case is not None:
                if case.status == CaseStatus.CLOSED.value:
                    raise InvalidInput(
                        _(
                            "The case of this conference is closed; reopen it before changing "
                            "the screen.",
                        )
                    )
                self._write_case(session, case, edited, loaded)
            else:
                stored, unreadable = _read_circle(circle.summary)
                merged = _merge(stored, unreadable, edited, loaded)
                summary = _summary(circle.summary)
                summary["eligibility"] = json.loads(encode(merged))
                circle.summary = json.dumps(summary, ensure_ascii=False, sort_keys=True)
                _audit(session, "circle", circle.uuid, "", merged)
            return circle_screen(session, circle).for_viewer(self.ctx.viewer())

    def _write_case(
        self, session: Session, case: Case, edited: Eligibility, loaded: Eligibility | None
    ) -> None:
        stored, unreadable = _read(case.eligibility)
        merged = _merge(stored, unreadable, edited, loaded)
        case.eligibility = encode(merged)
        _audit(session, "case", case.uuid, "", merged)


def _merge(
    stored: Eligibility | None,
    unreadable: bool,
    edited: Eligibility,
    loaded: Eligibility | None,
) -> Eligibility:
    base = Eligibility() if unreadable or stored is None else stored
    try:
        return base.with_changes(edited.changes_from(loaded or Eligibility()))
    except ValueError as exc:
        raise InvalidInput(
            _(
                "That is not an answer the screen can take ({exc}).",
                exc=exc,
            )
        ) from None


def _audit(session: Session, entity: str, uuid: str, actor: str, answers: Eligibility) -> None:
    # The trail is append-only and retention cannot rewrite it, so it says whether the screen
    # let the case go ahead, never which matter (Title IX, child protection...) it was.
    verdict = assess(answers)
    audit.record(
        session,
        "screen",
        entity,
        uuid,
        actor=actor,
        eligible=verdict.may_go_ahead,
        blocked=bool(verdict.blocked),
    )


def _read(text: str | None) -> tuple[Eligibility | None, bool]:
    try:
        return decode(text), False
    except ValueError:  # json.JSONDecodeError is one
        return None, True


def _read_circle(summary: str | None) -> tuple[Eligibility | None, bool]:
    data = _summary(summary, strict=True)
    if data is None:
        return None, True
    if "eligibility" not in data or data["eligibility"] is None:
        return None, False
    try:
        return from_stored(data["eligibility"]), False
    except ValueError:
        return None, True


def _summary(text: str | None, *, strict: bool = False) -> Any:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None if strict else {}
    if isinstance(data, dict):
        return data
    return None if strict else {}


def _case_minors(session: Session, case_id: int, on: date) -> bool:
    people = session.scalars(
        select(Person)
        .join(CaseParty, CaseParty.person_id == Person.id)
        .where(CaseParty.case_id == case_id)
    )
    return any(is_minor(person, on) for person in people)


def _circle_minors(session: Session, circle_id: int, on: date) -> bool:
    people = session.scalars(
        select(Person)
        .join(Participant, Participant.person_id == Person.id)
        .where(Participant.circle_id == circle_id, Participant.role.not_in(NOT_TAKING_PART))
    )
    return any(is_minor(person, on) for person in people)


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(
            _(
                "There is no case with id {case_id} in this database.",
                case_id=case_id,
            )
        )
    return case


def _circle(session: Session, circle_id: int) -> Circle:
    circle = session.get(Circle, circle_id)
    if circle is None:
        raise NotFound(
            _(
                "There is no circle with id {circle_id} in this database.",
                circle_id=circle_id,
            )
        )
    return circle


__all__ = [
    "FORMAT",
    "NOT_TAKING_PART",
    "EligibilityService",
    "adopt_circle_screen",
    "NotEligible",
    "Screen",
    "case_screen",
    "check_conference_may_go_ahead",
    "circle_screen",
    "circle_withdrawals",
]
