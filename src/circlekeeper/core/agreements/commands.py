"""Repair agreements: building one, signing it, watching it be kept, renegotiating it.

Life cycle: ``draft`` (editable) -> ``active`` (signed on paper; only ticking items off) ->
``completed`` / ``partially_completed`` / ``not_completed``. Renegotiating an active or unkept
agreement makes a new draft version linked to it by ``previous_id`` and marks the old one
``superseded``; the old version is never edited, so the history stays readable.

Every change writes an audit line on the agreement (entity ``agreement``), which is what
:meth:`AgreementService.history` reads back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from circlekeeper.core.agreements import placeholders, views
from circlekeeper.core.agreements.queries import AgreementQueries
from circlekeeper.core.agreements.rows import (
    HEADER_FIELDS,
    ITEM_FIELDS,
    ActivationResult,
    AgreementHeader,
    AgreementSummary,
    ItemData,
    ItemRow,
    MissingGuardianSignature,
    ScheduledFollowUp,
    SignatureRow,
)
from circlekeeper.core.audit import audit
from circlekeeper.core.audit.conflicts import check_version
from circlekeeper.core.domain.enums import AgreementItemKind, AgreementStatus, FollowUpStatus
from circlekeeper.core.i18n import N_, _
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    Case,
    Circle,
    FollowUp,
    GuardianLink,
    Signature,
)

S = AgreementStatus


CLOSED_OUTCOMES = (S.COMPLETED, S.PARTIALLY_COMPLETED, S.NOT_COMPLETED)


_RENEGOTIABLE = (S.ACTIVE, S.PARTIALLY_COMPLETED, S.NOT_COMPLETED)


_STATUS_WORDS = {
    S.DRAFT: N_("a draft"),
    S.ACTIVE: N_("active"),
    S.COMPLETED: N_("completed"),
    S.PARTIALLY_COMPLETED: N_("partially completed"),
    S.NOT_COMPLETED: N_("not completed"),
    S.SUPERSEDED: N_("superseded by a newer version"),
}


def _clean_text(value: str, what: str, *, required: bool = False, limit: int = 20_000) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(
            _(
                "{what} is required.",
                what=what,
            )
        )
    if len(text) > limit:
        raise InvalidInput(
            _(
                "{what} is too long ({text_count} characters; at most {limit}).",
                what=what,
                text_count=len(text),
                limit=limit,
            )
        )
    return text


class AgreementService(AgreementQueries):
    """Build, sign, monitor and renegotiate repair agreements."""

    def create_draft(
        self,
        *,
        circle_id: int | None = None,
        case_id: int | None = None,
        header: AgreementHeader | None = None,
    ) -> AgreementSummary:
        """Start an agreement for a circle (its case is taken along) and/or a case."""
        if circle_id is None and case_id is None:
            raise InvalidInput(_("An agreement belongs to a circle or a case; choose one."))
        header = header or AgreementHeader()
        with self.ctx.write("start agreement") as session:
            if circle_id is not None:
                circle = session.get(Circle, circle_id)
                if circle is None:
                    raise NotFound(
                        _(
                            "There is no circle with id {circle_id} in this database.",
                            circle_id=circle_id,
                        )
                    )
                if case_id is None:
                    case_id = circle.case_id
            if case_id is not None and session.get(Case, case_id) is None:
                raise NotFound(
                    _(
                        "There is no case with id {case_id} in this database.",
                        case_id=case_id,
                    )
                )
            agreement = Agreement(circle_id=circle_id, case_id=case_id)
            self._apply_header(session, agreement, header)
            session.add(agreement)
            session.flush()
            self._audit(session, agreement, "create", circle=circle_id, case=case_id)
            return self._summary(agreement)

    def update_header(
        self, agreement_id: int, header: AgreementHeader, *, loaded_version: int | None = None
    ) -> AgreementSummary:
        """Save the header; refused (``EditConflict``) if saved since ``loaded_version``."""
        with self.ctx.write("change agreement") as session:
            agreement = self._get_draft(session, agreement_id)
            check_version(self.ctx, session, agreement, loaded_version, _("This agreement"))
            before = {n: getattr(agreement, n) for n in HEADER_FIELDS}
            self._apply_header(session, agreement, header)
            changed = [n for n in HEADER_FIELDS if getattr(agreement, n) != before[n]]
            if changed:
                self._audit(session, agreement, "update", fields=changed)
                session.flush()
            return self._summary(agreement)

    def add_item(self, agreement_id: int, data: ItemData) -> ItemRow:
        with self.ctx.write("add agreement item") as session:
            agreement = self._get_draft(session, agreement_id)
            item = AgreementItem(agreement_id=agreement.id, position=len(agreement.items))
            self._apply_item(session, agreement, item, data)
            session.add(item)
            agreement.items.append(item)
            session.flush()
            self._audit(session, agreement, "add_item", item=item.uuid, kind=item.kind)
            return self._item_row(item, len(agreement.items))

    def update_item(
        self, item_id: int, data: ItemData, *, loaded_version: int | None = None
    ) -> ItemRow:
        """Save an item; refused (``EditConflict``) if saved by anyone since ``loaded_version``."""
        with self.ctx.write("change agreement item") as session:
            item = self._get_item(session, item_id)
            check_version(self.ctx, session, item, loaded_version, _("This agreement item"))
            agreement = self._get_draft(session, item.agreement_id)
            before = {n: getattr(item, n) for n in ITEM_FIELDS}
            self._apply_item(session, agreement, item, data)
            changed = [n for n in ITEM_FIELDS if getattr(item, n) != before[n]]
            if changed:
                self._audit(session, agreement, "update_item", item=item.uuid, fields=changed)
                session.flush()
            return self._item_row(item, agreement.items.index(item) + 1)

    def remove_item(self, item_id: int) -> None:
        with self.ctx.write("remove agreement item") as session:
            item = self._get_item(session, item_id)
            agreement = self._get_draft(session, item.agreement_id)
            agreement.items.remove(item)
            session.delete(item)
            for position, other in enumerate(agreement.items):
                other.position = position
            self._audit(session, agreement, "remove_item", item=item.uuid, text=item.action)

    def reorder_items(self, agreement_id: int, item_ids: Sequence[int]) -> list[ItemRow]:
        """Put the items in the given order (every item of the agreement, each once)."""
        with self.ctx.write("reorder agreement items") as session:
            agreement = self._get_draft(session, agreement_id)
            by_id = {i.id: i for i in agreement.items}
            if sorted(item_ids) != sorted(by_id):
                raise InvalidInput(
                    _(
                        "The new order must list every item of this agreement exactly once; "
                        "the list may be out of date, so reload the agreement and try again.",
                    )
                )
            for position, item_id in enumerate(item_ids):
                by_id[item_id].position = position
            agreement.items.sort(key=lambda i: i.position)
            self._audit(
                session, agreement, "reorder_items", order=[by_id[i].uuid for i in item_ids]
            )
            return [self._item_row(i, n) for n, i in enumerate(agreement.items, 1)]

    def record_signature(
        self,
        agreement_id: int,
        person_id: int,
        signed_on: date,
        *,
        as_guardian_of_id: int | None = None,
    ) -> SignatureRow:
        """Record that someone signed the paper agreement on a date (for a student, as guardian)."""
        if signed_on > date.today():
            raise InvalidInput(
                _(
                    "The signature date {signed_on:%Y-%m-%d} is in the future.",
                    signed_on=signed_on,
                )
            )
        with self.ctx.write("record signature") as session:
            agreement = self._get(session, agreement_id)
            if agreement.status not in (S.DRAFT, S.ACTIVE):
                raise InvalidInput(
                    _(
                        "This agreement is {status_word}; "
                        "signatures can only be recorded on a draft or an active agreement.",
                        status_word=_(_STATUS_WORDS[S(agreement.status)]),
                    )
                )
            person = self._person(session, person_id)
            student = None
            if as_guardian_of_id is not None:
                student = self._person(session, as_guardian_of_id)
                linked = session.scalar(
                    select(GuardianLink.id).where(
                        GuardianLink.student_id == student.id,
                        GuardianLink.guardian_id == person.id,
                    )
                )
                if linked is None:
                    raise InvalidInput(
                        _(
                            "{full_name} is not on file as a guardian of "
                            "{student_full_name}. Link them in People first.",
                            full_name=views.full_name(person),
                            student_full_name=views.full_name(student),
                        )
                    )
            duplicate = session.scalar(
                select(Signature.id).where(
                    Signature.agreement_id == agreement.id,
                    Signature.person_id == person.id,
                    Signature.as_guardian_of_id.is_(None)
                    if as_guardian_of_id is None
                    else Signature.as_guardian_of_id == as_guardian_of_id,
                )
            )
            if duplicate is not None:
                raise InvalidInput(
                    _(
                        "{full_name}'s signature is already recorded.",
                        full_name=views.full_name(person),
                    )
                )
            signature = Signature(
                agreement_id=agreement.id,
                person_id=person.id,
                signed_on=signed_on,
                as_guardian_of_id=as_guardian_of_id,
            )
            session.add(signature)
            session.flush()
            self._audit(
                session,
                agreement,
                "sign",
                person=person.uuid,
                signed_on=signed_on,
                as_guardian_of=student.uuid if student else None,
            )
            return SignatureRow(
                signature.id,
                person.id,
                views.full_name(person),
                signed_on,
                as_guardian_of_id,
                views.full_name(student) if student else None,
            )

    def remove_signature(self, signature_id: int) -> None:
        """Undo a signature recorded by mistake (draft or active agreements only)."""
        with self.ctx.write("remove signature") as session:
            signature = session.get(Signature, signature_id)
            if signature is None:
                raise NotFound(_("That signature is no longer recorded."))
            agreement = self._get(session, signature.agreement_id)
            if agreement.status not in (S.DRAFT, S.ACTIVE):
                raise InvalidInput(_("Signatures of a closed agreement can no longer be changed."))
            person = self._person(session, signature.person_id)
            session.delete(signature)
            self._audit(session, agreement, "unsign", person=person.uuid)

    def activate(self, agreement_id: int, agreed_on: date | None = None) -> ActivationResult:
        """Mark a signed draft active and schedule its follow-ups.

        Missing guardian signatures do not block this (a guardian may sign later); they are
        returned so the screen can flag them.
        """
        with self.ctx.write("activate agreement") as session:
            agreement = self._get(session, agreement_id)
            self._check_transition(agreement, S.ACTIVE)
            if not agreement.items:
                raise InvalidInput(_("The agreement has no items yet; add at least one."))
            placeholders.refuse_activation(
                [
                    (n, [i.action, i.verification, i.action_es, i.verification_es])
                    for n, i in enumerate(agreement.items, 1)
                ]
            )
            unassigned = [str(n) for n, i in enumerate(agreement.items, 1) if not i.responsible_id]
            if unassigned:
                raise InvalidInput(
                    _(
                        "Item {unassigned} has no one responsible for it; choose who will do it.",
                        unassigned=", ".join(unassigned),
                    )
                )
            signatures = self._signatures(session, agreement.id)
            if not signatures:
                raise InvalidInput(
                    _(
                        "No signatures are recorded yet. Record who signed the paper agreement "
                        "first."
                    )
                )
            agreement.agreed_on = agreed_on or max(s.signed_on for s in signatures)
            agreement.status = S.ACTIVE.value
            created = self._create_follow_ups(session, agreement)
            missing = [
                MissingGuardianSignature(m.person_id, m.name, m.guardian_names)
                for m in views.missing_guardians(session, agreement)
            ]
            self._audit(
                session,
                agreement,
                "activate",
                agreed_on=agreement.agreed_on,
                follow_ups=len(created),
                missing_guardian_signatures=[m.student_name for m in missing],
            )
            return ActivationResult(self._summary(agreement), created, missing)

    def complete_item(
        self, item_id: int, done_on: date, note: str = "", *, loaded_version: int | None = None
    ) -> ItemRow:
        """Tick an item off as done on a date, with an optional note."""
        note = _clean_text(note, _("The note"))
        with self.ctx.write("tick off agreement item") as session:
            item = self._get_item(session, item_id)
            check_version(self.ctx, session, item, loaded_version, _("This agreement item"))
            agreement = self._get_active(session, item.agreement_id)
            item.completed_on = done_on
            item.completion_note = note or None
            for follow_up in self._open_follow_ups(session, agreement.id, item.id):
                follow_up.status = FollowUpStatus.DONE.value
                follow_up.done_on = done_on
                follow_up.outcome = note or "Item completed."
            self._audit(session, agreement, "complete_item", item=item.uuid, done_on=done_on)
            return self._item_row(item, agreement.items.index(item) + 1)

    def reopen_item(self, item_id: int, *, loaded_version: int | None = None) -> ItemRow:
        """Take the tick off an item ticked by mistake."""
        with self.ctx.write("reopen agreement item") as session:
            item = self._get_item(session, item_id)
            check_version(self.ctx, session, item, loaded_version, _("This agreement item"))
            agreement = self._get_active(session, item.agreement_id)
            item.completed_on = None
            item.completion_note = None
            self._audit(session, agreement, "reopen_item", item=item.uuid)
            return self._item_row(item, agreement.items.index(item) + 1)

    def close(
        self, agreement_id: int, outcome: str, closed_on: date | None = None, note: str = ""
    ) -> AgreementSummary:
        """Close an active agreement as completed, partially completed or not completed."""
        note = _clean_text(note, _("The note"))
        try:
            target = S(outcome)
        except ValueError:
            raise InvalidInput(
                _(
                    "{outcome} is not a way an agreement can end.",
                    outcome=repr(outcome),
                )
            ) from None
        if target not in CLOSED_OUTCOMES:
            raise InvalidInput(
                _("An agreement closes as completed, partially completed or not completed.")
            )
        with self.ctx.write("close agreement") as session:
            agreement = self._get(session, agreement_id)
            self._check_transition(agreement, target)
            done = sum(1 for i in agreement.items if i.completed_on)
            total = len(agreement.items)
            if target is S.COMPLETED and done < total:
                raise InvalidInput(
                    _(
                        "Only {done} of {total} items are ticked off; tick off the rest, or close "
                        "it as partially completed.",
                        done=done,
                        total=total,
                    )
                )
            if target is S.PARTIALLY_COMPLETED and not 0 < done < total:
                better = "completed" if done == total else "not completed"
                raise InvalidInput(
                    _(
                        "{done} of {total} items are ticked off, so this is not partial; "
                        "close it as {better}.",
                        done=done,
                        total=total,
                        better=better,
                    )
                )
            if target is S.NOT_COMPLETED and done == total:
                raise InvalidInput(_("Every item is ticked off; close it as completed."))
            agreement.status = target.value
            agreement.closed_on = closed_on or date.today()
            self._cancel_open_follow_ups(session, agreement.id)
            self._audit(session, agreement, "close", outcome=target.value, note=note)
            return self._summary(agreement)

    def renegotiate(self, agreement_id: int) -> AgreementSummary:
        """Start a new draft version from this one; this one becomes ``superseded``.

        Items are copied (ticked items stay ticked, so what was already done is not lost);
        signatures are not: the new version is signed afresh.
        """
        with self.ctx.write("renegotiate agreement") as session:
            old = self._get(session, agreement_id)
            if S(old.status) not in _RENEGOTIABLE:
                status_word = _(_STATUS_WORDS[S(old.status)])
                if old.status == S.DRAFT:
                    raise InvalidInput(
                        _(
                            "This agreement is {status_word}, so it cannot be renegotiated; "
                            "edit the draft instead.",
                            status_word=status_word,
                        )
                    )
                if old.status == S.SUPERSEDED:
                    raise InvalidInput(
                        _(
                            "This agreement is {status_word}, so it cannot be renegotiated; "
                            "open the newest version instead.",
                            status_word=status_word,
                        )
                    )
                raise InvalidInput(
                    _(
                        "This agreement is {status_word}, so it cannot be renegotiated.",
                        status_word=status_word,
                    )
                )
            new = Agreement(
                circle_id=old.circle_id,
                case_id=old.case_id,
                version=old.version + 1,
                previous_id=old.id,
                **{n: getattr(old, n) for n in HEADER_FIELDS},
            )
            session.add(new)
            for position, item in enumerate(old.items):
                new.items.append(
                    AgreementItem(
                        position=position,
                        completed_on=item.completed_on,
                        completion_note=item.completion_note,
                        **{n: getattr(item, n) for n in ITEM_FIELDS},
                    )
                )
            previous_status = old.status
            old.status = S.SUPERSEDED.value
            old.closed_on = old.closed_on or date.today()
            self._cancel_open_follow_ups(session, old.id)
            session.flush()
            self._audit(session, old, "supersede", by=new.uuid, was=previous_status)
            self._audit(session, new, "renegotiate", previous=old.uuid, version=new.version)
            return self._summary(new)

    def _audit(self, session: Session, agreement: Agreement, action: str, **detail: Any) -> None:
        audit.record(session, action, "agreement", agreement.uuid, **detail)

    @staticmethod
    def _check_transition(agreement: Agreement, target: AgreementStatus) -> None:
        current = S(agreement.status)
        allowed = {S.DRAFT: (S.ACTIVE,), S.ACTIVE: CLOSED_OUTCOMES}.get(current, ())
        if target in allowed:
            return
        hint = {
            S.DRAFT: "it must be signed and made active first.",
            S.ACTIVE: "it is already active.",
            S.SUPERSEDED: "a newer version replaced it.",
        }.get(current, "it is already closed; renegotiate it to start a new version.")
        raise InvalidInput(
            _(
                "This agreement is {status_word} and cannot become {status_word_target}: {hint}",
                status_word=_(_STATUS_WORDS[current]),
                status_word_target=_(_STATUS_WORDS[target]),
                hint=hint,
            )
        )

    def _get_draft(self, session: Session, agreement_id: int) -> Agreement:
        agreement = self._get(session, agreement_id)
        if agreement.status != S.DRAFT:
            raise InvalidInput(
                _(
                    "This agreement is {status_word}, so its text can no "
                    "longer be changed. To change what was agreed, renegotiate it: that makes a "
                    "new "
                    "version and keeps the signed one in the history.",
                    status_word=_(_STATUS_WORDS[S(agreement.status)]),
                )
            )
        return agreement

    def _get_active(self, session: Session, agreement_id: int) -> Agreement:
        agreement = self._get(session, agreement_id)
        if agreement.status != S.ACTIVE:
            raise InvalidInput(
                _(
                    "Items can only be ticked off on an active agreement; this one is "
                    "{status_word}.",
                    status_word=_(_STATUS_WORDS[S(agreement.status)]),
                )
            )
        return agreement

    @staticmethod
    def _get_item(session: Session, item_id: int) -> AgreementItem:
        item = session.get(AgreementItem, item_id)
        if item is None:
            raise NotFound(
                _(
                    "There is no agreement item with id {item_id}; it may have been removed.",
                    item_id=item_id,
                )
            )
        return item

    def _apply_header(
        self, session: Session, agreement: Agreement, header: AgreementHeader
    ) -> None:
        agreement.harm_summary = _clean_text(header.harm_summary, _("The description of the harm"))
        agreement.if_not_kept = _clean_text(header.if_not_kept, _("What happens if it is not kept"))
        agreement.follow_up_on = header.follow_up_on
        if header.follow_up_by_id is not None:
            self._person(session, header.follow_up_by_id)
        agreement.follow_up_by_id = header.follow_up_by_id

    def _apply_item(
        self, session: Session, agreement: Agreement, item: AgreementItem, data: ItemData
    ) -> None:
        action = _clean_text(data.action, _("What will be done"), required=True)
        if data.kind not in {k.value for k in AgreementItemKind}:
            raise InvalidInput(
                _(
                    "Unknown kind of agreement item: {kind}.",
                    kind=repr(data.kind),
                )
            )
        for person_id in (data.responsible_id, data.verifier_id, data.supporter_id):
            if person_id is not None:
                self._person(session, person_id)
        if data.responsible_id is not None:
            parties = views.party_ids(session, agreement)
            if parties and data.responsible_id not in parties:
                person = self._person(session, data.responsible_id)
                raise InvalidInput(
                    _(
                        "{full_name} is not a participant in this circle or case; "
                        "add them there first, or choose someone who took part.",
                        full_name=views.full_name(person),
                    )
                )
        item.kind = data.kind
        item.action = action
        item.responsible_id = data.responsible_id
        item.due_on = data.due_on
        item.verification = _clean_text(data.verification, _("How it will be checked"))
        item.verifier_id = data.verifier_id
        item.supporter_id = data.supporter_id
        item.action_es = _clean_text(data.action_es, _("What will be done, in Spanish"))
        item.verification_es = _clean_text(
            data.verification_es, _("How it will be checked, in Spanish")
        )

    def _create_follow_ups(self, session: Session, agreement: Agreement) -> list[ScheduledFollowUp]:
        existing = {
            f.agreement_item_id
            for f in session.scalars(select(FollowUp).where(FollowUp.agreement_id == agreement.id))
        }
        created: list[FollowUp] = []
        for number, item in enumerate(agreement.items, 1):
            if item.due_on is None or item.completed_on is not None or item.id in existing:
                continue
            short = item.action if len(item.action) <= 120 else item.action[:117] + "..."
            created.append(
                FollowUp(
                    due_on=item.due_on,
                    purpose=f"Check item {number} of the repair agreement: {short}",
                    responsible_id=item.verifier_id or agreement.follow_up_by_id,
                    case_id=agreement.case_id,
                    circle_id=agreement.circle_id,
                    agreement_id=agreement.id,
                    agreement_item_id=item.id,
                )
            )
        if agreement.follow_up_on is not None and None not in existing:
            created.append(
                FollowUp(
                    due_on=agreement.follow_up_on,
                    purpose="Follow-up check-in on the repair agreement",
                    responsible_id=agreement.follow_up_by_id,
                    case_id=agreement.case_id,
                    circle_id=agreement.circle_id,
                    agreement_id=agreement.id,
                )
            )
        session.add_all(created)
        session.flush()
        return [self._follow_up_row(f) for f in created]

    @staticmethod
    def _open_follow_ups(
        session: Session, agreement_id: int, item_id: int | None = None
    ) -> list[FollowUp]:
        query = select(FollowUp).where(
            FollowUp.agreement_id == agreement_id, FollowUp.status == FollowUpStatus.OPEN.value
        )
        if item_id is not None:
            query = query.where(FollowUp.agreement_item_id == item_id)
        return list(session.scalars(query))

    def _cancel_open_follow_ups(self, session: Session, agreement_id: int) -> None:
        for follow_up in self._open_follow_ups(session, agreement_id):
            follow_up.status = FollowUpStatus.CANCELLED.value
