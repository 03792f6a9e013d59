"""What holding a circle or conference for a case does to the case: the one rule.

A case being prepared moves to held when its conference (or a circle kept for it) ends: that
is the next step of the pipeline and nobody has to remember to press it. A case not yet
screened or prepared does not jump steps (the screen and the preparation are the programme's
safeguards); the facilitator is told where the case stands and asked to move it on its page.
A case already held, monitored or closed stays where it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from circlekeeper.core.audit import audit
from circlekeeper.core.cases.eligibility import case_screen
from circlekeeper.core.domain.enums import CaseStatus
from circlekeeper.core.store.models import Case

# Steps before "preparing": holding a circle then leaves the case to a person's decision.
_ASK_FROM = frozenset({CaseStatus.REFERRED.value, CaseStatus.SCREENED.value})


@dataclass(frozen=True)
class CaseMove:
    """What happened to a circle's case when the circle ended.

    ``moved`` True: the case went from ``before`` to ``after``. False: the move was not obvious
    (the case is at ``before``); the screen should ask the facilitator to look at the case.
    """

    case_id: int
    before: str
    after: str
    moved: bool


def move_after_holding(session: Session, case_id: int | None, what: str) -> CaseMove | None:
    """Inside the transaction that ends a circle: move its case along, or say to ask.

    ``what`` names the circle for the audit line (its uuid). None when there is nothing to do.
    """
    if case_id is None:
        return None
    case = session.get(Case, case_id)
    if case is None:
        return None
    before = case.status
    if before in _ASK_FROM:
        return CaseMove(case.id, before, CaseStatus.HELD.value, moved=False)
    if before != CaseStatus.PREPARING.value:
        return None
    if case_screen(session, case).verdict.blocked:
        # An exclusion or a halt stands: the case does not count as held; someone decides.
        return CaseMove(case.id, before, CaseStatus.HELD.value, moved=False)
    case.status = CaseStatus.HELD.value
    audit.record(
        session,
        "move",
        "case",
        case.uuid,
        before=before,
        after=case.status,
        reason="the circle for this case was held",
        circle=what,
    )
    return CaseMove(case.id, before, case.status, moved=True)
