"""Follow-ups long past their date: counted on Today, reviewed, and closed as lapsed together.

Ten years of a programme leave follow-ups nobody recorded. Listing each one on the home screen
hides what needs doing now, so Today counts those more than :data:`LAPSE_AFTER_DAYS` overdue on
one line, and a counselor reviews them and closes the chosen ones in one operation. A lapsed
follow-up is recorded as missed (it did not happen), with an outcome that says it lapsed and
when it was reviewed, and an audit line ``lapse`` for each. Reopening one (from its case) puts
it back as open and is audited too, so the bulk step is reversible one follow-up at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from circlekeeper.core.audit import audit
from circlekeeper.core.domain.enums import FollowUpStatus
from circlekeeper.core.followups.queries import FOLLOW_UP_QUERY, FollowUpQueries, follow_up_row
from circlekeeper.core.followups.rows import FollowUpRow
from circlekeeper.core.i18n import _
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.models import FollowUp

#: Open follow-ups more than this many days past their date are grouped on Today for review.
LAPSE_AFTER_DAYS = 90
#: The review lists at most this many (the oldest first); the rest wait for the next review.
REVIEW_LIMIT = 2000
#: What a lapsed follow-up's outcome says, with the review date filled in.
LAPSED_OUTCOME = "Lapsed: nothing was recorded within {days} days of its date (reviewed {on})."


def lapse_cutoff(today: date) -> date:
    """Follow-ups due before this date count as long overdue on ``today``."""
    return today - timedelta(days=LAPSE_AFTER_DAYS)


@dataclass(frozen=True)
class LapseResult:
    """What a bulk close did: how many were closed, and how many had changed meanwhile."""

    closed: int
    skipped: int  # no longer open, or no longer long overdue (done or moved in another window)


class LapsedFollowUps(FollowUpQueries):
    """Count, list for review, and close as lapsed the follow-ups long past their date."""

    def count(self, today: date) -> int:
        """How many open follow-ups are more than LAPSE_AFTER_DAYS overdue (one index range)."""
        with self.ctx.read() as session:
            return int(
                session.scalar(
                    select(func.count()).where(
                        FollowUp.status == FollowUpStatus.OPEN,
                        FollowUp.due_on < lapse_cutoff(today),
                    )
                )
                or 0
            )

    def for_review(self, today: date, *, limit: int = REVIEW_LIMIT) -> list[FollowUpRow]:
        """The long-overdue open follow-ups, the oldest first, at most ``limit``."""
        query = (
            FOLLOW_UP_QUERY.where(
                FollowUp.status == FollowUpStatus.OPEN, FollowUp.due_on < lapse_cutoff(today)
            )
            .order_by(FollowUp.due_on, FollowUp.id)
            .limit(limit)
        )
        with self.ctx.read() as session:
            return [follow_up_row(r, today) for r in session.execute(query)]

    def close_as_lapsed(self, follow_up_ids: Iterable[int], *, today: date) -> LapseResult:
        """Close the chosen follow-ups as lapsed, in one transaction with an audit line each.

        Only those still open and still more than LAPSE_AFTER_DAYS overdue are closed; one
        recorded or moved meanwhile (in another window) is left as it is and counted as skipped.
        """
        self.ctx.viewer().check_closes_lapsed()
        wanted = sorted(set(follow_up_ids))
        if not wanted:
            raise InvalidInput(_("Choose at least one follow-up to close as lapsed."))
        outcome = LAPSED_OUTCOME.format(days=LAPSE_AFTER_DAYS, on=today.isoformat())
        closed = 0
        with self.ctx.write("close follow-ups as lapsed") as session:
            # In slices: SQLite takes a limited number of bound values in one statement.
            for start in range(0, len(wanted), 500):
                for follow_up in session.scalars(
                    select(FollowUp).where(
                        FollowUp.id.in_(wanted[start : start + 500]),
                        FollowUp.status == FollowUpStatus.OPEN,
                        FollowUp.due_on < lapse_cutoff(today),
                    )
                ):
                    follow_up.status = FollowUpStatus.MISSED.value
                    follow_up.outcome = outcome
                    follow_up.done_on = today
                    audit.record(
                        session, "lapse", "follow_up", follow_up.uuid, due_on=follow_up.due_on
                    )
                    closed += 1
        return LapseResult(closed=closed, skipped=len(wanted) - closed)
