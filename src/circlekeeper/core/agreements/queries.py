"""Reading repair agreements: one version, its history and follow-ups, its export view.

Everything here reads; writes are in :mod:`circlekeeper.core.agreements.commands`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.agreements import views
from circlekeeper.core.agreements.catalogue import ItemTemplate, item_catalogue
from circlekeeper.core.agreements.rows import (
    HEADER_FIELDS,
    ITEM_FIELDS,
    AgreementDetails,
    AgreementHeader,
    AgreementSummary,
    HistoryEvent,
    ItemData,
    ItemRow,
    MissingGuardianSignature,
    ScheduledFollowUp,
    SignatureRow,
    summary_of,
)
from circlekeeper.core.export.views import AgreementView, FamilyLetterView
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.problems import NotFound
from circlekeeper.core.profiles.viewer import SCHOOL_COPY
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    AuditEvent,
    FollowUp,
    Person,
    Signature,
)


class AgreementQueries:
    """Repair agreements read for a screen or an export, as the context's viewer may see them."""

    def __init__(self, context: Context | sessionmaker[Session]) -> None:
        # The context names who acts (every audit line) and who looks (which copy they get).
        self.ctx = as_context(context)

    def resolve(self, reference: str | int) -> int:
        """The integer id of an agreement given its id or its uuid (as typed on a command line)."""
        text = str(reference).strip()
        with self.ctx.read() as session:
            if text.isdigit():
                found = session.get(Agreement, int(text))
                if found is not None:
                    return found.id
            else:
                found_id = session.scalar(
                    select(Agreement.id).where(Agreement.uuid == text.lower())
                )
                if found_id is not None:
                    return found_id
        raise NotFound(
            _(
                "There is no agreement {text} in this database.",
                text=repr(text),
            )
        )

    def get(self, agreement_id: int) -> AgreementDetails:
        with self.ctx.read() as session:
            agreement = self._get(session, agreement_id)
            names = views.names_of(session, self._people_ids(agreement))
            header = AgreementHeader(**{n: getattr(agreement, n) for n in HEADER_FIELDS})
            items = [
                ItemRow(
                    item.id,
                    item.uuid,
                    number,
                    ItemData(**{n: getattr(item, n) for n in ITEM_FIELDS}),
                    item.completed_on,
                    item.completion_note,
                    item.row_version,
                )
                for number, item in enumerate(agreement.items, 1)
            ]
            signatures = [
                SignatureRow(
                    s.id,
                    s.person_id,
                    names.get(s.person_id, ""),
                    s.signed_on,
                    s.as_guardian_of_id,
                    names.get(s.as_guardian_of_id) if s.as_guardian_of_id else None,
                )
                for s in self._signatures(session, agreement_id)
            ]
            return AgreementDetails(self._summary(agreement), header, items, signatures)

    def list_for(
        self, *, circle_id: int | None = None, case_id: int | None = None
    ) -> list[AgreementSummary]:
        """Every version of the agreements made in a circle or for a case, newest last."""
        query = select(Agreement).order_by(Agreement.id)
        if circle_id is not None:
            query = query.where(Agreement.circle_id == circle_id)
        if case_id is not None:
            query = query.where(Agreement.case_id == case_id)
        with self.ctx.read() as session:
            return [self._summary(a) for a in session.scalars(query)]

    def history(self, agreement_id: int) -> tuple[list[AgreementSummary], list[HistoryEvent]]:
        """All versions of this agreement (oldest first) and every recorded change to them."""
        with self.ctx.read() as session:
            chain = self._chain(session, self._get(session, agreement_id))
            by_uuid = {a.uuid: a.version for a in chain}
            events = [
                HistoryEvent(e.at, by_uuid[e.entity_uuid or ""], e.action, e.actor, e.detail)
                for e in session.scalars(
                    select(AuditEvent)
                    .where(AuditEvent.entity == "agreement", AuditEvent.entity_uuid.in_(by_uuid))
                    .order_by(AuditEvent.at, AuditEvent.id)
                )
            ]
            return [self._summary(a) for a in chain], events

    def follow_ups(self, agreement_id: int) -> list[ScheduledFollowUp]:
        with self.ctx.read() as session:
            self._get(session, agreement_id)
            return [
                self._follow_up_row(f)
                for f in session.scalars(
                    select(FollowUp)
                    .where(FollowUp.agreement_id == agreement_id)
                    .order_by(FollowUp.due_on, FollowUp.id)
                )
            ]

    def missing_guardian_signatures(self, agreement_id: int) -> list[MissingGuardianSignature]:
        """Minor parties (students, or under 18 by birth date) with no guardian signature yet."""
        with self.ctx.read() as session:
            agreement = self._get(session, agreement_id)
            return [
                MissingGuardianSignature(m.person_id, m.name, m.guardian_names)
                for m in views.missing_guardians(session, agreement)
            ]

    def view(self, agreement_id: int, *, today: date | None = None) -> AgreementView:
        """Everything an export of this agreement needs, as plain values.

        When the context's viewer may not have the school's copy (an SRO), the view is already
        the copy for sharing, so no template or screen can print more than they may see.
        """
        with self.ctx.read() as session:
            view = views.agreement_view(session, self._get(session, agreement_id), today=today)
        if SCHOOL_COPY not in self.ctx.viewer().audiences:
            return view.for_sharing()
        return view

    @property
    def sessions(self) -> sessionmaker[Session]:
        """The database this service works on (screens use it to find who is viewing)."""
        return self.ctx.sessions

    def family_letter(
        self, agreement_id: int, student_id: int, *, today: date | None = None
    ) -> FamilyLetterView:
        """The letter to a student's family about this agreement."""
        with self.ctx.read() as session:
            agreement = self._get(session, agreement_id)
            return views.family_letter_view(session, agreement, student_id, today=today)

    @staticmethod
    def catalogue(lang: str = "en") -> list[ItemTemplate]:
        return item_catalogue(lang)

    @staticmethod
    def _get(session: Session, agreement_id: int) -> Agreement:
        agreement = session.get(Agreement, agreement_id)
        if agreement is None:
            raise NotFound(
                _(
                    "There is no agreement with id {agreement_id} in this database.",
                    agreement_id=agreement_id,
                )
            )
        return agreement

    @staticmethod
    def _person(session: Session, person_id: int) -> Person:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(
                _(
                    "There is no person with id {person_id} in this database.",
                    person_id=person_id,
                )
            )
        return person

    @staticmethod
    def _signatures(session: Session, agreement_id: int) -> list[Signature]:
        return list(
            session.scalars(
                select(Signature)
                .where(Signature.agreement_id == agreement_id)
                .order_by(Signature.signed_on, Signature.id)
            )
        )

    @staticmethod
    def _people_ids(agreement: Agreement) -> set[int]:
        ids = {agreement.follow_up_by_id}
        for item in agreement.items:
            ids |= {item.responsible_id, item.verifier_id, item.supporter_id}
        return {i for i in ids if i is not None}

    @staticmethod
    def _follow_up_row(f: FollowUp) -> ScheduledFollowUp:
        return ScheduledFollowUp(
            f.id, f.due_on, f.purpose, f.responsible_id, f.agreement_item_id, f.status
        )

    @staticmethod
    def _item_row(item: AgreementItem, number: int) -> ItemRow:
        return ItemRow(
            item.id,
            item.uuid,
            number,
            ItemData(**{n: getattr(item, n) for n in ITEM_FIELDS}),
            item.completed_on,
            item.completion_note,
            item.row_version,
        )

    @staticmethod
    def _summary(agreement: Agreement) -> AgreementSummary:
        return summary_of(agreement)

    @staticmethod
    def _chain(session: Session, agreement: Agreement) -> list[Agreement]:
        first = agreement
        while first.previous_id is not None:
            earlier = session.get(Agreement, first.previous_id)
            if earlier is None:
                break
            first = earlier
        chain = [first]
        while True:
            later = session.scalar(
                select(Agreement)
                .where(Agreement.previous_id == chain[-1].id)
                .order_by(Agreement.id)
            )
            if later is None:
                return chain
            chain.append(later)
