"""Case operations: a referral, its eligibility screen, the pipeline to closure, diversion and
family contact.

The pipeline runs referred -> screened -> preparing -> held -> monitoring -> closed. A case moves
one step forward at a time, or one step back with a reason (a conference postponed, a screen
redone); it can be closed from any open step, always with a closure reason.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from circlekeeper.core.audit import audit
from circlekeeper.core.audit.conflicts import check_version
from circlekeeper.core.cases.eligibility import EligibilityService, NotEligible, case_screen
from circlekeeper.core.cases.handoffs import case_was_handed_off
from circlekeeper.core.cases.incidents import clean_time_of_day, resolve_incident_type
from circlekeeper.core.cases.queries import (
    CaseQueries,
    case_follow_up_filter,
    find_case,
    find_person,
)
from circlekeeper.core.cases.rows import (
    CASE_ROLES,
    PIPELINE,
    CaseDetail,
    CaseIntake,
    ContactRow,
    FollowUpSummary,
    OpenFollowUpChoice,
    PartyRow,
)
from circlekeeper.core.domain.eligibility import NOT_SCREENED, Eligibility, Verdict
from circlekeeper.core.domain.enums import (
    CaseStatus,
    ClosureReason,
    ContactMethod,
    Diversion,
    FollowUpStatus,
    ReferralSource,
)
from circlekeeper.core.i18n import _
from circlekeeper.core.people.names import display_name, short_name
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.schools import school_for_case
from circlekeeper.core.sro import mou
from circlekeeper.core.store.models import Case, CaseParty, FamilyContact, FollowUp


class OpenFollowUps(InvalidInput):
    """A case was asked to close while follow-ups are still open; ask the person what to do.

    ``follow_ups`` lists them, so the question can name each; call ``close`` again with
    ``open_follow_ups="cancel"`` or ``"keep"``.
    """

    def __init__(self, follow_ups: list[FollowUpSummary]) -> None:
        self.follow_ups = follow_ups
        count = len(follow_ups)
        noun = "follow-up is" if count == 1 else "follow-ups are"
        super().__init__(
            f"{count} {noun} still open on this case. Choose whether to cancel them or keep "
            "them open before closing the case; nothing has been changed yet."
        )


def _clean_text(value: str | None) -> str | None:
    if value is None:
        return None
    return " ".join(value.split()) or None


# What an excluded case can do instead of a conference: go to the team it belongs with.
_ELSEWHERE = (
    "Hand it off (threat assessment team, Title IX, child protection, mental-health services or "
    "the police) and bring it back for a re-entry circle, close it as 'handed off', close it as "
    "'not restorable', or redo the screen."
)


def _check_screen(verdict: Verdict, target: CaseStatus) -> None:
    """The eligibility rule on the pipeline: screened needs answers, preparing needs a screen
    that may go ahead, and nothing past it while an exclusion, a halt or a refusal stands."""
    if target is CaseStatus.SCREENED:
        if verdict.missing == (NOT_SCREENED,):
            raise InvalidInput(_("Record the eligibility screen before marking it screened."))
        return
    if target is CaseStatus.PREPARING and not verdict.may_go_ahead:
        raise NotEligible(
            _("This case cannot go to a conference:"),
            (*verdict.problems, _ELSEWHERE),
        )
    if target in (CaseStatus.HELD, CaseStatus.MONITORING) and verdict.blocked:
        raise NotEligible(
            _("This case cannot go to a conference:"),
            (*verdict.blocked, _ELSEWHERE),
        )


def _check_role(role: str) -> str:
    if role not in {r.value for r in CASE_ROLES}:
        allowed = ", ".join(sorted(r.value.replace("_", " ") for r in CASE_ROLES))
        raise InvalidInput(
            _(
                "{role} is not a role in a case. Use one of: {allowed}.",
                role=repr(role),
                allowed=allowed,
            )
        )
    return role


class CaseService(CaseQueries):
    """Take in referrals, screen them, move them through the pipeline and close them.

    Reads (the list, one case's page) come from :class:`CaseQueries`.
    """

    # -- intake and parties ------------------------------------------------------------------

    def intake(self, data: CaseIntake) -> CaseDetail:
        """Record a new referral (status "referred") with the people involved."""
        category = _clean_text(data.incident_category)
        if not category:
            raise InvalidInput(_("Say what kind of incident this is (the incident category)."))
        if len(category) > 60:
            raise InvalidInput(_("The incident category is too long (at most 60 characters)."))
        if data.referral_source not in {s.value for s in ReferralSource}:
            allowed = ", ".join(s.value for s in ReferralSource)
            raise InvalidInput(
                _(
                    "{referral_source} is not a referral source. Use one of: {allowed}.",
                    referral_source=repr(data.referral_source),
                    allowed=allowed,
                )
            )
        if data.incident_on is not None and data.incident_on > data.referred_on:
            raise InvalidInput(
                _(
                    "The incident date ({incident_on}) is after the referral date "
                    "({referred_on}); check both dates.",
                    incident_on=data.incident_on.isoformat(),
                    referred_on=data.referred_on.isoformat(),
                )
            )
        seen: set[int] = set()
        for person_id, role in data.parties:
            _check_role(role)
            if person_id in seen:
                raise InvalidInput(
                    _(
                        "The same person is listed twice among the people involved; "
                        "give them one role (use 'harmed and responsible' for mutual conflicts).",
                    )
                )
            seen.add(person_id)
        incident_time = clean_time_of_day(data.incident_time)
        with self.ctx.write("intake") as session:
            if data.referred_by_id is not None:
                find_person(session, data.referred_by_id, "referring person")
            incident_type = resolve_incident_type(session, category)
            case = Case(
                incident_type_id=incident_type.id,
                incident_time=incident_time,
                referred_on=data.referred_on,
                referral_source=data.referral_source,
                referred_by_id=data.referred_by_id,
                incident_category=category,
                incident_on=data.incident_on,
                location=_clean_text(data.location),
                description=(data.description or "").strip(),
                school_id=school_for_case(session, data.school, data.parties),
                status=CaseStatus.REFERRED.value,
            )
            session.add(case)
            session.flush()
            for person_id, role in data.parties:
                find_person(session, person_id)
                session.add(CaseParty(case_id=case.id, person_id=person_id, role=role))
            audit.record(
                session,
                "intake",
                "case",
                case.uuid,
                source=data.referral_source,
                parties=len(data.parties),
            )
            session.flush()
            return self._detail(session, case)

    def add_party(self, case_id: int, person_id: int, role: str) -> PartyRow:
        _check_role(role)
        with self.ctx.write("add party") as session:
            case = find_case(session, case_id)
            person = find_person(session, person_id)
            name = display_name(person.first_name, person.preferred_name, person.last_name)
            existing = session.scalar(
                select(CaseParty.role).where(
                    CaseParty.case_id == case_id, CaseParty.person_id == person_id
                )
            )
            if existing is not None:
                raise InvalidInput(
                    _(
                        "{name} is already in this case as {existing}; change "
                        "their role instead of adding them again.",
                        name=name,
                        existing=existing.replace("_", " "),
                    )
                )
            party = CaseParty(case_id=case_id, person_id=person_id, role=role)
            session.add(party)
            session.flush()
            audit.record(session, "add_party", "case", case.uuid, person=person.uuid, role=role)
            short = short_name(person.first_name, person.preferred_name)
            return PartyRow(party.id, person.id, name, short, role)

    def change_party_role(self, party_id: int, role: str) -> None:
        _check_role(role)
        with self.ctx.write("change party role") as session:
            party = session.get(CaseParty, party_id)
            if party is None:
                raise NotFound(_("That person is no longer part of this case."))
            if party.role == role:
                return
            before, party.role = party.role, role
            audit.record(
                session,
                "change_party_role",
                "case",
                party.case.uuid,
                party=party.uuid,
                before=before,
                after=role,
            )

    def remove_party(self, party_id: int) -> None:
        with self.ctx.write("remove party") as session:
            party = session.get(CaseParty, party_id)
            if party is None:
                raise NotFound(_("That person is no longer part of this case."))
            case_uuid = party.case.uuid
            person = find_person(session, party.person_id)
            session.delete(party)
            audit.record(session, "remove_party", "case", case_uuid, person=person.uuid)

    def update_referral(
        self, case_id: int, data: CaseIntake, *, loaded_version: int | None = None
    ) -> int:
        """Correct the referral's facts (not its parties or status); returns the new version.

        ``loaded_version`` is the case's version the editor showed: a save after someone else's
        is refused with :class:`~circlekeeper.core.problems.EditConflict`.
        """
        category = _clean_text(data.incident_category)
        if not category:
            raise InvalidInput(_("Say what kind of incident this is (the incident category)."))
        if data.referral_source not in {s.value for s in ReferralSource}:
            raise InvalidInput(
                _(
                    "{referral_source} is not a referral source.",
                    referral_source=repr(data.referral_source),
                )
            )
        if data.incident_on is not None and data.incident_on > data.referred_on:
            raise InvalidInput(_("The incident date is after the referral date; check both dates."))
        incident_time = clean_time_of_day(data.incident_time)
        with self.ctx.write("update referral") as session:
            case = find_case(session, case_id)
            check_version(self.ctx, session, case, loaded_version, _("This case"))
            if data.referred_by_id is not None:
                find_person(session, data.referred_by_id, "referring person")
            incident_type = resolve_incident_type(session, category)
            values = {
                "incident_type_id": incident_type.id,
                "incident_time": incident_time,
                "referred_on": data.referred_on,
                "referral_source": data.referral_source,
                "referred_by_id": data.referred_by_id,
                "incident_category": category,
                "incident_on": data.incident_on,
                "location": _clean_text(data.location),
                "description": (data.description or "").strip(),
                "school_id": school_for_case(
                    session,
                    data.school,
                    [(p.person_id, p.role) for p in case.parties],
                ),
            }
            changed = [k for k, v in values.items() if getattr(case, k) != v]
            for key in changed:
                setattr(case, key, values[key])
            if changed:
                audit.record(session, "update", "case", case.uuid, fields=changed)
                session.flush()
            return case.row_version

    # -- eligibility -------------------------------------------------------------------------

    def record_eligibility(
        self, case_id: int, answers: Eligibility, *, loaded: Eligibility | None = None
    ) -> list[str]:
        """Save the screen (only what changed since ``loaded``); returns the problems found.

        The one screen of the case, also edited from its conference's preparation panel: see
        :class:`~circlekeeper.core.cases.eligibility.EligibilityService`.
        """
        service = EligibilityService(self.ctx)
        return service.record_for_case(case_id, answers, loaded=loaded).verdict.problems

    # -- pipeline ----------------------------------------------------------------------------

    def move(
        self, case_id: int, status: str, *, reason: str = "", loaded_version: int | None = None
    ) -> str:
        """Move a case one step forward, or one step back with a reason; returns the new status.

        Like every edit of a case, refused (``EditConflict``) if saved since ``loaded_version``.

        Screening needs the eligibility answers; preparing needs a screen with no problems.
        Closing goes through :meth:`close` (it needs a closure reason).
        """
        try:
            target = CaseStatus(status)
        except ValueError:
            raise InvalidInput(
                _(
                    "{status} is not a step of the case pipeline.",
                    status=repr(status),
                )
            ) from None
        if target is CaseStatus.CLOSED:
            raise InvalidInput(_("Closing a case needs a closure reason: use Close case."))
        self._check_reopen(case_id)
        with self.ctx.write("move") as session:
            case = find_case(session, case_id)
            check_version(self.ctx, session, case, loaded_version, _("This case"))
            current = CaseStatus(case.status)
            here, there = PIPELINE.index(current), PIPELINE.index(target)
            if there == here:
                return case.status
            reason = " ".join(reason.split())
            if there == here - 1:
                if not reason:
                    raise InvalidInput(
                        _(
                            "Say why the case goes back from {value} to {target_value}.",
                            value=current.value,
                            target_value=target.value,
                        )
                    )
                if current is CaseStatus.CLOSED:
                    case.closure_reason = None
                    case.closed_on = None
            elif there != here + 1:
                if here:
                    raise InvalidInput(
                        _(
                            "A case moves one step at a time: from {current} it can go to "
                            "{forward} (or back to {back}).",
                            current=current.value,
                            forward=PIPELINE[here + 1].value,
                            back=PIPELINE[here - 1].value,
                        )
                    )
                raise InvalidInput(
                    _(
                        "A case moves one step at a time: from {current} it can go to {forward}.",
                        current=current.value,
                        forward=PIPELINE[here + 1].value,
                    )
                )
            if there > here:
                _check_screen(case_screen(session, case).verdict, target)
            case.status = target.value
            audit.record(
                session,
                "move",
                "case",
                case.uuid,
                before=current.value,
                after=target.value,
                reason=reason,
            )
            return case.status

    def close(
        self,
        case_id: int,
        reason: str,
        *,
        today: date,
        open_follow_ups: OpenFollowUpChoice | None = None,
        loaded_version: int | None = None,
    ) -> list[int]:
        """Close a case with a reason; returns the ids of follow-ups cancelled by closing it.

        If follow-ups are still open and ``open_follow_ups`` is None, raises
        :class:`OpenFollowUps` listing them and changes nothing: ask, then call again with
        "cancel" (they are marked cancelled) or "keep" (they stay open and still show as due).
        """
        try:
            closure = ClosureReason(reason)
        except ValueError:
            allowed = ", ".join(r.value.replace("_", " ") for r in ClosureReason)
            raise InvalidInput(
                _(
                    "A case closes with one of these reasons: {allowed}.",
                    allowed=allowed,
                )
            ) from None
        if open_follow_ups not in (None, "cancel", "keep"):
            raise InvalidInput(_("Open follow-ups can only be cancelled or kept."))
        self._check_discipline(case_id, "close a case")
        with self.ctx.write("close") as session:
            case = find_case(session, case_id)
            check_version(self.ctx, session, case, loaded_version, _("This case"))
            if case.status == CaseStatus.CLOSED:
                raise InvalidInput(
                    _(
                        "This case is already closed ({closure_reason}).",
                        closure_reason=(case.closure_reason or "").replace("_", " "),
                    )
                )
            if closure is ClosureReason.HANDED_OFF and not case_was_handed_off(session, case_id):
                raise InvalidInput(
                    _(
                        "This case has no hand-off recorded, so it cannot close as 'handed off'. "
                        "Nothing was changed. Record the hand-off first (who received it, what was "
                        "shared and why), or choose another reason.",
                    )
                )
            pending = session.scalars(
                select(FollowUp)
                .where(case_follow_up_filter(case_id), FollowUp.status == FollowUpStatus.OPEN)
                .order_by(FollowUp.due_on, FollowUp.id)
            ).all()
            if pending and open_follow_ups is None:
                names = self._names(session, {f.responsible_id for f in pending})
                raise OpenFollowUps(
                    [
                        FollowUpSummary(f.id, f.due_on, f.purpose, names.get(f.responsible_id))
                        for f in pending
                    ]
                )
            cancelled: list[int] = []
            if open_follow_ups == "cancel":
                for follow_up in pending:
                    follow_up.status = FollowUpStatus.CANCELLED.value
                    follow_up.outcome = "Cancelled when the case was closed."
                    follow_up.done_on = today
                    cancelled.append(follow_up.id)
            before = case.status
            case.status = CaseStatus.CLOSED.value
            case.closure_reason = closure.value
            case.closed_on = today
            audit.record(
                session,
                "close",
                "case",
                case.uuid,
                before=before,
                reason=closure.value,
                follow_ups_cancelled=len(cancelled),
                follow_ups_kept=len(pending) - len(cancelled),
            )
            return cancelled

    # -- diversion ---------------------------------------------------------------------------

    def _check_reopen(self, case_id: int) -> None:
        """Reopening a closed case undoes a closing decision: the MOU's discipline rule."""
        if not self.ctx.viewer().is_sro:
            return
        with self.ctx.read() as session:
            closed = find_case(session, case_id).status == CaseStatus.CLOSED.value
        if closed:
            self._check_discipline(case_id, "reopen a closed case")

    def _check_discipline(self, case_id: int, attempted: str) -> None:
        """Refuse (with an audit line) a discipline decision the MOU keeps from this viewer."""
        if not self.ctx.viewer().is_sro:
            return
        with self.ctx.read() as session:
            case_uuid = find_case(session, case_id).uuid
        mou.check_discipline(self.ctx, attempted, entity="case", entity_uuid=case_uuid)

    def set_diversion(
        self,
        case_id: int,
        diverted_from: str,
        amount: int | None = None,
        *,
        consequence_reinstated: bool = False,
        loaded_version: int | None = None,
    ) -> int:
        """Which consequence the restorative route replaced (and how much, e.g. suspension days).

        Returns the case's new version; refused if saved since ``loaded_version``."""
        self._check_discipline(case_id, "set the diversion of a case")
        try:
            diversion = Diversion(diverted_from)
        except ValueError:
            allowed = ", ".join(d.value for d in Diversion)
            raise InvalidInput(
                _(
                    "Diverted from must be one of: {allowed}.",
                    allowed=allowed,
                )
            ) from None
        if diversion is Diversion.NONE and (amount or consequence_reinstated):
            raise InvalidInput(
                _("Nothing was diverted, so there is no amount and no consequence to reinstate.")
            )
        if amount is not None and amount < 0:
            raise InvalidInput(
                _("The amount diverted (for example suspension days) cannot be negative.")
            )
        if amount is not None and amount > 365:
            raise InvalidInput(_("The amount diverted looks too large; give days (at most 365)."))
        with self.ctx.write("set diversion") as session:
            case = find_case(session, case_id)
            check_version(self.ctx, session, case, loaded_version, _("This case"))
            case.diverted_from = diversion.value
            case.diversion_amount = amount
            case.consequence_reinstated = consequence_reinstated
            audit.record(
                session,
                "diversion",
                "case",
                case.uuid,
                diverted_from=diversion.value,
                amount=amount,
                reinstated=consequence_reinstated,
            )
            session.flush()
            return case.row_version

    # -- family contact log ------------------------------------------------------------------

    def add_contact(
        self,
        case_id: int,
        contacted_at: datetime,
        method: str,
        outcome: str = "",
        *,
        person_id: int | None = None,
        staff_name: str | None = None,
    ) -> ContactRow:
        """Log one contact with a family: when (time-zone aware), who, how, and what came of it."""
        if contacted_at.tzinfo is None or contacted_at.utcoffset() is None:
            raise InvalidInput(_("The contact time needs a time zone; it cannot be guessed."))
        try:
            how = ContactMethod(method)
        except ValueError:
            allowed = ", ".join(m.value for m in ContactMethod)
            raise InvalidInput(
                _(
                    "The contact method must be one of: {allowed}.",
                    allowed=allowed,
                )
            ) from None
        with self.ctx.write("add contact") as session:
            case = find_case(session, case_id)
            name = None
            if person_id is not None:
                person = find_person(session, person_id)
                name = display_name(person.first_name, person.preferred_name, person.last_name)
            contact = FamilyContact(
                case_id=case_id,
                person_id=person_id,
                contacted_at=contacted_at,
                method=how.value,
                outcome=(outcome or "").strip(),
                staff_name=_clean_text(staff_name),
            )
            session.add(contact)
            session.flush()
            detail = {"contact": contact.uuid, "method": how.value}
            audit.record(session, "family_contact", "case", case.uuid, **detail)
            return ContactRow(
                contact.id,
                contacted_at,
                person_id,
                name,
                how.value,
                contact.outcome,
                contact.staff_name,
            )
