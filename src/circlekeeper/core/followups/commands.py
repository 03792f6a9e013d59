"""Follow-up operations: check-ins a named adult owes by a date, and what came of them.

Every operation that depends on the date takes it from the caller (``on``, ``today``), so the
screens and the tests decide what "today" is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from circlekeeper.core.audit import audit
from circlekeeper.core.audit.conflicts import check_version
from circlekeeper.core.domain.enums import (
    AgreementStatus,
    CircleKind,
    CircleStatus,
    FollowUpStatus,
    PersonKind,
    Role,
)
from circlekeeper.core.followups.queries import FollowUpQueries, local_date
from circlekeeper.core.followups.rows import CompletionMeeting, FollowUpData, FollowUpRow
from circlekeeper.core.i18n import _
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.schools import school_for_circle
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    Circle,
    FollowUp,
    Participant,
    Person,
)

DEFAULT_WEEKS = (1, 4)


class FollowUpService(FollowUpQueries):
    """Create follow-ups, schedule them after conferences, and record what came of them.

    The reads (due, overdue, for a case...) come from :class:`FollowUpQueries`.
    """

    # -- creating ----------------------------------------------------------------------------

    def create(self, data: FollowUpData) -> FollowUpRow:
        """Add a follow-up; it must belong to something and cannot predate its agreement."""
        with self.ctx.write("create") as session:
            follow_up = self._add(session, data)
            return self._fetch(session, follow_up.id, None)

    def _add(self, session: Session, data: FollowUpData) -> FollowUp:
        purpose = " ".join((data.purpose or "").split())
        responsible = session.get(Person, data.responsible_id)
        if responsible is None:
            raise NotFound(
                _(
                    "There is no person with id {responsible_id} in this database.",
                    responsible_id=data.responsible_id,
                )
            )
        if responsible.kind == PersonKind.STUDENT:
            raise InvalidInput(
                _(
                    "{first_name} {last_name} is a student; a follow-up "
                    "needs a responsible adult (staff, an SRO, a guardian or a community member).",
                    first_name=responsible.first_name,
                    last_name=responsible.last_name,
                )
            )
        agreement_id, case_id, circle_id = data.agreement_id, data.case_id, data.circle_id
        if data.agreement_item_id is not None:
            item = session.get(AgreementItem, data.agreement_item_id)
            if item is None:
                raise NotFound(_("That agreement item no longer exists."))
            if agreement_id is not None and agreement_id != item.agreement_id:
                raise InvalidInput(_("That agreement item belongs to a different agreement."))
            agreement_id = item.agreement_id
        if agreement_id is not None:
            agreement = session.get(Agreement, agreement_id)
            if agreement is None:
                raise NotFound(_("That agreement no longer exists."))
            if agreement.agreed_on is not None and data.due_on < agreement.agreed_on:
                raise InvalidInput(
                    _(
                        "The follow-up date {due_on} is before the agreement was "
                        "made ({agreed_on}). Choose a date on or after it.",
                        due_on=data.due_on.isoformat(),
                        agreed_on=agreement.agreed_on.isoformat(),
                    )
                )
            case_id = case_id if case_id is not None else agreement.case_id
            circle_id = circle_id if circle_id is not None else agreement.circle_id
        if circle_id is not None:
            circle = session.get(Circle, circle_id)
            if circle is None:
                raise NotFound(_("That circle no longer exists."))
            case_id = case_id if case_id is not None else circle.case_id
        if case_id is None and circle_id is None and agreement_id is None:
            raise InvalidInput(
                _("A follow-up belongs to a case, a circle or an agreement; pick one.")
            )
        follow_up = FollowUp(
            due_on=data.due_on,
            status=FollowUpStatus.OPEN.value,
            purpose=purpose,
            responsible_id=data.responsible_id,
            case_id=case_id,
            circle_id=circle_id,
            agreement_id=agreement_id,
            agreement_item_id=data.agreement_item_id,
        )
        session.add(follow_up)
        session.flush()
        audit.record(
            session,
            "create",
            "follow_up",
            follow_up.uuid,
            due_on=data.due_on,
            responsible=responsible.uuid,
        )
        return follow_up

    def schedule_after_conference(
        self,
        circle_id: int,
        responsible_id: int,
        weeks: Sequence[int] = DEFAULT_WEEKS,
        *,
        held_on: date | None = None,
        tz: tzinfo | None = None,
    ) -> list[FollowUpRow]:
        """The default check-ins after a conference: one per number of weeks after it was held.

        ``held_on`` defaults to the date the circle ended (or was scheduled), read in ``tz``
        (None: this computer's time zone). Dates already scheduled for this circle are skipped,
        so running it twice adds nothing.
        """
        if not weeks or any(w <= 0 for w in weeks):
            raise InvalidInput(
                _("Follow-up weeks must be whole numbers of weeks after the circle.")
            )
        with self.ctx.write("schedule after conference") as session:
            circle = session.get(Circle, circle_id)
            if circle is None:
                raise NotFound(_("That circle no longer exists."))
            if held_on is None:
                moment = circle.ended_at or circle.started_at or circle.scheduled_at
                if moment is None:
                    raise InvalidInput(
                        _("This circle has no date yet; schedule it before planning follow-ups.")
                    )
                held_on = local_date(moment, tz)
            existing = set(
                session.scalars(
                    select(FollowUp.due_on).where(
                        FollowUp.circle_id == circle_id,
                        FollowUp.status != FollowUpStatus.CANCELLED,
                    )
                )
            )
            created: list[int] = []
            for week in sorted(set(weeks)):
                due = held_on + timedelta(weeks=week)
                if due in existing:
                    continue
                label = "One-week" if week == 1 else f"{week}-week"
                follow_up = self._add(
                    session,
                    FollowUpData(
                        due_on=due,
                        responsible_id=responsible_id,
                        purpose=f"{label} check-in after the {_kind_label(circle.kind)}",
                        case_id=circle.case_id,
                        circle_id=circle.id,
                    ),
                )
                created.append(follow_up.id)
            return [self._fetch(session, fid, None) for fid in created]

    def schedule_from_agreement(
        self, agreement_id: int, *, responsible_id: int | None = None
    ) -> list[FollowUpRow]:
        """A follow-up for each open agreement item's due date, and for the agreement's own
        follow-up date; items that already have an open or finished follow-up are skipped.

        The responsible adult is the item's verifier, else the agreement's follow-up person,
        else ``responsible_id``.
        """
        with self.ctx.write("schedule from agreement") as session:
            agreement = session.get(Agreement, agreement_id)
            if agreement is None:
                raise NotFound(_("That agreement no longer exists."))
            covered_items = set(
                session.scalars(
                    select(FollowUp.agreement_item_id).where(
                        FollowUp.agreement_id == agreement_id,
                        FollowUp.status != FollowUpStatus.CANCELLED,
                    )
                )
            )
            created: list[int] = []
            for item in agreement.items:
                if item.due_on is None or item.completed_on is not None:
                    continue
                if item.id in covered_items:
                    continue
                who = self._adult(session, item.verifier_id, agreement.follow_up_by_id)
                who = who or responsible_id
                if who is None:
                    raise InvalidInput(
                        _(
                            "Nobody is named to check item {position}; choose a "
                            "responsible adult for the follow-ups.",
                            position=item.position + 1,
                        )
                    )
                follow_up = self._add(
                    session,
                    FollowUpData(
                        due_on=item.due_on,
                        responsible_id=who,
                        purpose=f"Check: {_shorten(item.action)}",
                        agreement_id=agreement.id,
                        agreement_item_id=item.id,
                    ),
                )
                created.append(follow_up.id)
            if agreement.follow_up_on is not None and None not in covered_items:
                who = agreement.follow_up_by_id or responsible_id
                if who is None:
                    raise InvalidInput(
                        _("Nobody is named to follow up the agreement; choose a responsible adult.")
                    )
                follow_up = self._add(
                    session,
                    FollowUpData(
                        due_on=agreement.follow_up_on,
                        responsible_id=who,
                        purpose="Agreement follow-up",
                        agreement_id=agreement.id,
                    ),
                )
                created.append(follow_up.id)
            return [self._fetch(session, fid, None) for fid in created]

    def schedule_completion_meeting(
        self,
        agreement_id: int,
        scheduled_at: datetime,
        *,
        facilitator_id: int,
        planned_minutes: int = 30,
        location: str | None = None,
        tz: tzinfo | None = None,
    ) -> CompletionMeeting:
        """Plan an agreement completion meeting with the agreement's people, and a follow-up on
        its date (in ``tz``; None: this computer's zone) owed by the facilitator."""
        if scheduled_at.tzinfo is None or scheduled_at.utcoffset() is None:
            raise InvalidInput(_("The meeting time needs a time zone; it cannot be guessed."))
        if planned_minutes <= 0:
            raise InvalidInput(_("The meeting needs a length in minutes."))
        with self.ctx.write("schedule completion meeting") as session:
            agreement = session.get(Agreement, agreement_id)
            if agreement is None:
                raise NotFound(_("That agreement no longer exists."))
            if agreement.status in (AgreementStatus.DRAFT, AgreementStatus.SUPERSEDED):
                raise InvalidInput(
                    _(
                        "A completion meeting is held for an agreement in force; this one is "
                        "{status}.",
                        status=agreement.status,
                    )
                )
            meeting_day = local_date(scheduled_at, tz)
            if agreement.agreed_on is not None and meeting_day < agreement.agreed_on:
                raise InvalidInput(
                    _(
                        "The meeting date {meeting_day} is before the agreement was made "
                        "({agreed_on}).",
                        meeting_day=meeting_day.isoformat(),
                        agreed_on=agreement.agreed_on.isoformat(),
                    )
                )
            circle = Circle(
                kind=CircleKind.COMPLETION_MEETING.value,
                title="Agreement completion meeting",
                purpose="Check together that the agreement was kept, and close it.",
                scheduled_at=scheduled_at,
                planned_minutes=planned_minutes,
                location=" ".join((location or "").split()) or None,
                status=CircleStatus.PLANNED.value,
                case_id=agreement.case_id,
                facilitator_id=facilitator_id,
                school_id=school_for_circle(session, agreement.case_id, facilitator_id),
            )
            session.add(circle)
            session.flush()
            self._invite_agreement_people(session, circle, agreement)
            audit.record(
                session,
                "plan_completion_meeting",
                "circle",
                circle.uuid,
                agreement=agreement.uuid,
            )
            follow_up = self._add(
                session,
                FollowUpData(
                    due_on=meeting_day,
                    responsible_id=facilitator_id,
                    purpose="Agreement completion meeting",
                    case_id=agreement.case_id,
                    circle_id=circle.id,
                    agreement_id=agreement.id,
                ),
            )
            return CompletionMeeting(circle.id, follow_up.id)

    @staticmethod
    def _invite_agreement_people(session: Session, circle: Circle, agreement: Agreement) -> None:
        """Invite the people of the circle that made the agreement, with the same roles."""
        if agreement.circle_id is None:
            return
        people = session.execute(
            select(Participant.person_id, Participant.role)
            .where(
                Participant.circle_id == agreement.circle_id,
                Participant.role.not_in((Role.FACILITATOR, Role.CO_FACILITATOR)),
            )
            .order_by(Participant.seat_position, Participant.id)
        ).all()
        for seat, (person_id, role) in enumerate(people):
            if person_id == circle.facilitator_id:
                continue
            session.add(
                Participant(circle_id=circle.id, person_id=person_id, role=role, seat_position=seat)
            )
        session.flush()

    @staticmethod
    def _adult(session: Session, *candidates: int | None) -> int | None:
        for person_id in candidates:
            if person_id is None:
                continue
            kind = session.scalar(select(Person.kind).where(Person.id == person_id))
            if kind is not None and kind != PersonKind.STUDENT:
                return person_id
        return None

    # -- outcomes ----------------------------------------------------------------------------

    def record_outcome(
        self,
        follow_up_id: int,
        status: str,
        outcome: str,
        *,
        on: date,
        loaded_version: int | None = None,
    ) -> FollowUpRow:
        """Say what came of a follow-up: done or missed, with a few words, on a date.

        Refused (``EditConflict``) if anyone saved it since ``loaded_version``.
        """
        if status not in (FollowUpStatus.DONE, FollowUpStatus.MISSED):
            raise InvalidInput(_("A follow-up's outcome is either done or missed."))
        text = (outcome or "").strip()
        if status == FollowUpStatus.MISSED and not text:
            raise InvalidInput(
                _("Say briefly why the follow-up was missed, and what happens next.")
            )
        with self.ctx.write("record outcome") as session:
            follow_up = self._get(session, follow_up_id)
            check_version(self.ctx, session, follow_up, loaded_version, _("This follow-up"))
            follow_up.status = status
            follow_up.outcome = text or None
            follow_up.done_on = on
            audit.record(session, "outcome", "follow_up", follow_up.uuid, status=status)
            session.flush()
            return self._fetch(session, follow_up.id, on)

    def cancel(self, follow_up_id: int, reason: str, *, on: date) -> None:
        reason = " ".join((reason or "").split())
        if not reason:
            raise InvalidInput(_("Say why the follow-up is cancelled."))
        with self.ctx.write("cancel") as session:
            follow_up = self._get(session, follow_up_id)
            if follow_up.status != FollowUpStatus.OPEN:
                raise InvalidInput(
                    _(
                        "This follow-up is already {status}.",
                        status=follow_up.status,
                    )
                )
            follow_up.status = FollowUpStatus.CANCELLED.value
            follow_up.outcome = reason
            follow_up.done_on = on
            audit.record(session, "cancel", "follow_up", follow_up.uuid)

    def reopen(self, follow_up_id: int) -> FollowUpRow:
        """Put a closed follow-up (done, missed, lapsed or cancelled) back as open.

        This is how one follow-up closed in a bulk review comes back. Words a person wrote
        about what came of it are kept (the next outcome replaces them); the words a bulk
        review wrote are taken away.
        """
        with self.ctx.write("reopen") as session:
            follow_up = self._get(session, follow_up_id)
            if follow_up.status == FollowUpStatus.OPEN:
                raise InvalidInput(_("This follow-up is already open."))
            before = follow_up.status
            audit.record(
                session,
                "reopen",
                "follow_up",
                follow_up.uuid,
                before=before,
            )
            follow_up.status = FollowUpStatus.OPEN.value
            if (follow_up.outcome or "").startswith("Lapsed:"):
                follow_up.outcome = None
            follow_up.done_on = None
            return self._fetch(session, follow_up.id, None)

    def reschedule(
        self, follow_up_id: int, due_on: date, *, loaded_version: int | None = None
    ) -> FollowUpRow:
        """Move the date; refused (``EditConflict``) if saved by anyone since ``loaded_version``."""
        with self.ctx.write("reschedule") as session:
            follow_up = self._get(session, follow_up_id)
            check_version(self.ctx, session, follow_up, loaded_version, _("This follow-up"))
            if follow_up.status != FollowUpStatus.OPEN:
                raise InvalidInput(
                    _(
                        "This follow-up is already {status}.",
                        status=follow_up.status,
                    )
                )
            if follow_up.agreement_id is not None:
                agreed_on = session.scalar(
                    select(Agreement.agreed_on).where(Agreement.id == follow_up.agreement_id)
                )
                if agreed_on is not None and due_on < agreed_on:
                    raise InvalidInput(
                        _(
                            "The follow-up date {due_on} is before the agreement was "
                            "made ({agreed_on}). Choose a date on or after it.",
                            due_on=due_on.isoformat(),
                            agreed_on=agreed_on.isoformat(),
                        )
                    )
            before, follow_up.due_on = follow_up.due_on, due_on
            audit.record(
                session,
                "reschedule",
                "follow_up",
                follow_up.uuid,
                before=before,
                after=due_on,
            )
            session.flush()
            return self._fetch(session, follow_up.id, None)

    # -- reading -----------------------------------------------------------------------------


def _kind_label(kind: str) -> str:
    return "conference" if kind == CircleKind.CONFERENCE else kind.replace("_", " ") + " circle"


def _shorten(value: str, width: int = 80) -> str:
    value = " ".join(value.split())
    return value if len(value) <= width else value[: width - 1].rstrip() + "…"
