"""The demo's repair work: the circles of a case, its agreements and follow-ups."""

from __future__ import annotations

from datetime import date, timedelta

from circlekeeper.core.demo.circles import CircleBuilder
from circlekeeper.core.demo.words import ITEM_CHECK, ITEM_CHECK_ES, ITEMS, ITEMS_ES, Member
from circlekeeper.core.domain.enums import (
    AgreementItemKind,
    AgreementStatus,
    CaseStatus,
    CircleKind,
    CircleStatus,
    ClosureReason,
    Diversion,
    FollowUpStatus,
    Role,
)


class RepairBuilder(CircleBuilder):
    """Adds a case's circles, agreements and follow-ups."""

    def follow_up(
        self,
        due: date,
        responsible: int,
        purpose: str,
        case_id: int | None,
        *,
        circle_id: int | None = None,
        agreement_id: int | None = None,
        item_id: int | None = None,
        finished: bool | None = None,
    ) -> None:
        rng = self.rng
        done_on = None
        outcome = None
        if finished is None:
            finished = due < self.today and rng.random() < 0.65
        status = FollowUpStatus.OPEN
        if finished:
            status = FollowUpStatus.DONE if rng.random() < 0.9 else FollowUpStatus.MISSED
            if status is FollowUpStatus.DONE:
                done_on = min(self.today, due + timedelta(days=rng.randint(-2, 4)))
                outcome = rng.choice(
                    (
                        "Checked in; things are going well.",
                        "Student is keeping the agreement.",
                        "Family reports no further problems.",
                        "One item is late; agreed a new date.",
                    )
                )
        fid, fuuid, stamp, _ = self.record("follow_up", self.at(min(due, self.today)))
        self.w.add(
            "follow_up",
            id=fid,
            uuid=fuuid,
            created_at=stamp,
            updated_at=stamp,
            due_on=due.isoformat(),
            status=status.value,
            purpose=purpose,
            responsible_id=responsible,
            case_id=case_id,
            circle_id=circle_id,
            agreement_id=agreement_id,
            agreement_item_id=item_id,
            done_on=None if done_on is None else done_on.isoformat(),
            outcome=outcome,
        )

    def agreement(
        self,
        case_id: int,
        circle_id: int,
        agreed: date,
        status: CaseStatus,
        closure: ClosureReason | None,
        responsible: list[int],
        harmed: list[int],
        counselor: int,
        school: str,
        closed_on: date | None,
    ) -> None:
        rng = self.rng
        agreement_status = (
            {
                ClosureReason.COMPLETED: AgreementStatus.COMPLETED,
                ClosureReason.PARTIALLY_COMPLETED: AgreementStatus.PARTIALLY_COMPLETED,
                ClosureReason.NOT_COMPLETED: AgreementStatus.NOT_COMPLETED,
            }.get(closure, AgreementStatus.ACTIVE)
            if closure
            else AgreementStatus.ACTIVE
        )
        follow_on = agreed + timedelta(days=rng.choice((14, 21, 28, 42)))
        aid, auuid, stamp, _ = self.record("agreement", self.at(agreed))
        harm = ", ".join(self.names[p] for p in harmed) or "the school community"
        self.w.add(
            "agreement",
            id=aid,
            uuid=auuid,
            created_at=stamp,
            updated_at=stamp,
            circle_id=circle_id,
            case_id=case_id,
            version=1,
            previous_id=None,
            status=agreement_status.value,
            harm_summary=(
                f"What {' and '.join(self.names[p] for p in responsible)} did affected {harm}."
            ),
            if_not_kept=(
                "We meet to make a new plan; if that fails, the original consequence applies."
            ),
            follow_up_on=follow_on.isoformat(),
            follow_up_by_id=counselor,
            agreed_on=agreed.isoformat(),
            closed_on=None if closed_on is None else closed_on.isoformat(),
        )
        for position, (kind, action) in enumerate(rng.sample(ITEMS, rng.randint(2, 4))):
            doer = rng.choice(responsible)
            if kind is AgreementItemKind.SCHOOL_SUPPORT:
                doer = counselor
            due = agreed + timedelta(days=rng.randint(5, 42))
            done = (
                agreement_status is AgreementStatus.COMPLETED
                or (agreement_status is AgreementStatus.PARTIALLY_COMPLETED and position % 2 == 0)
                or (
                    agreement_status is AgreementStatus.ACTIVE
                    and due < self.today
                    and rng.random() < 0.6
                )
            )
            completed = min(self.today, due + timedelta(days=rng.randint(-4, 3))) if done else None
            supporter = next(iter(self.guardians_of.get(doer, [])), None)
            iid, iuuid, istamp, _ = self.record("agreement_item", self.at(agreed))
            self.w.add(
                "agreement_item",
                id=iid,
                uuid=iuuid,
                created_at=istamp,
                updated_at=istamp,
                agreement_id=aid,
                position=position,
                kind=kind.value,
                action=action,
                responsible_id=doer,
                due_on=due.isoformat(),
                verification=ITEM_CHECK,
                verifier_id=counselor,
                supporter_id=supporter,
                completed_on=None if completed is None else completed.isoformat(),
                completion_note="Done as agreed." if completed else None,
                action_es=ITEMS_ES[action],
                verification_es=ITEM_CHECK_ES,
            )
            if kind is AgreementItemKind.RESTITUTION:
                self.follow_up(
                    due,
                    counselor,
                    "Check the last instalment was paid.",
                    case_id,
                    agreement_id=aid,
                    item_id=iid,
                    finished=True if status is CaseStatus.CLOSED else None,
                )
        for person in responsible + harmed + [counselor]:
            sid, suuid, sstamp, _ = self.record("signature", self.at(agreed))
            self.w.add(
                "signature",
                id=sid,
                uuid=suuid,
                created_at=sstamp,
                updated_at=sstamp,
                agreement_id=aid,
                person_id=person,
                signed_on=agreed.isoformat(),
                as_guardian_of_id=None,
            )
            for guardian in self.guardians_of.get(person, [])[:1]:
                sid, suuid, sstamp, _ = self.record("signature", self.at(agreed))
                self.w.add(
                    "signature",
                    id=sid,
                    uuid=suuid,
                    created_at=sstamp,
                    updated_at=sstamp,
                    agreement_id=aid,
                    person_id=guardian,
                    signed_on=agreed.isoformat(),
                    as_guardian_of_id=person,
                )
        self.follow_up(
            follow_on,
            counselor,
            "Check in with everyone on how the agreement is going.",
            case_id,
            circle_id=circle_id,
            agreement_id=aid,
            finished=True if status is CaseStatus.CLOSED else None,
        )

    def case_circles(
        self,
        case_id: int,
        category: str,
        school: str,
        main_day: date,
        status: CaseStatus,
        closure: ClosureReason | None,
        held: bool,
        diverted: Diversion,
        responsible: list[int],
        harmed: list[int],
        counselor: int,
        mutual: bool,
        closed_on: date | None,
    ) -> None:
        rng = self.rng
        kind = self.pick(
            (
                (CircleKind.HARM_REPAIR, 55),
                (CircleKind.CONFERENCE, 35),
                (CircleKind.PROBLEM_SOLVING, 10),
            )
        )
        # A conference is prepared with a pre-meeting per principal (and their guardian);
        # other circles are prepared by phone, kept as family contacts.
        for principal in (responsible + harmed)[:2] if kind is CircleKind.CONFERENCE else []:
            day = main_day - timedelta(days=rng.randint(1, 4))
            members: list[Member] = [
                (counselor, Role.FACILITATOR.value, None),
                (
                    principal,
                    Role.RESPONSIBLE.value if principal in responsible else Role.HARMED.value,
                    None,
                ),
            ]
            members += [
                (g, Role.GUARDIAN.value, principal)
                for g in self.guardians_of.get(principal, [])[:1]
            ]
            self.circle(
                CircleKind.PRE_MEETING,
                f"Pre-meeting with {self.names[principal]}",
                self.at(day),
                members,
                case_id=case_id,
                principals=frozenset({principal}),
            )
        if not held and status is not CaseStatus.PREPARING:
            return
        members = [(counselor, Role.FACILITATOR.value, None)]
        if diverted in (Diversion.CITATION, Diversion.ARREST) or rng.random() < 0.15:
            members.append((self.staff[(school, "sro")][0], Role.CO_FACILITATOR.value, None))
        for principal in responsible + harmed:
            role = (
                Role.HARMED_AND_RESPONSIBLE
                if mutual
                else Role.RESPONSIBLE
                if principal in responsible
                else Role.HARMED
            )
            members.append((principal, role.value, None))
            for guardian in self.guardians_of.get(principal, []):
                members.append((guardian, Role.GUARDIAN.value, principal))
            if rng.random() < 0.4:
                friend = rng.choice(self.teachers[school] + self.students[school])
                members.append((friend, Role.SUPPORTER.value, principal))
        if kind is CircleKind.CONFERENCE and rng.random() < 0.5:
            members.append(
                (rng.choice(self.staff[(school, "assistant")]), Role.ADMINISTRATOR.value, None)
            )
        if rng.random() < 0.05 and self.community:
            members.append((rng.choice(self.community), Role.COMMUNITY.value, None))
        unique: dict[int, Member] = {}
        for member in members:
            unique.setdefault(member[0], member)
        principals = frozenset(responsible + harmed)
        circle_id, circle_status, _ = self.circle(
            kind,
            f"{category}: {self.names[responsible[0]]}",
            self.at(main_day),
            list(unique.values()),
            case_id=case_id,
            principals=principals,
        )
        if circle_status != CircleStatus.COMPLETED:
            self.follow_up(
                main_day - timedelta(days=2),
                counselor,
                "Confirm the conference time with every family.",
                case_id,
                circle_id=circle_id,
            )
            return
        self.agreement(
            case_id,
            circle_id,
            main_day,
            status,
            closure,
            responsible,
            harmed,
            counselor,
            school,
            closed_on,
        )
        if diverted is Diversion.SUSPENSION and rng.random() < 0.2:
            back = main_day + timedelta(days=rng.randint(1, 3))
            members = [
                (counselor, Role.FACILITATOR.value, None),
                (responsible[0], Role.RESPONSIBLE.value, None),
                (rng.choice(self.teachers[school]), Role.SUPPORTER.value, responsible[0]),
            ]
            members += [
                (g, Role.GUARDIAN.value, responsible[0])
                for g in self.guardians_of.get(responsible[0], [])[:1]
            ]
            self.circle(
                CircleKind.REENTRY,
                f"Welcome back, {self.names[responsible[0]]}",
                self.at(back),
                members,
                case_id=case_id,
                principals=frozenset({responsible[0]}),
            )
        if closure is ClosureReason.COMPLETED and closed_on and rng.random() < 0.2:
            members = [(counselor, Role.FACILITATOR.value, None)]
            members += [
                (p, Role.RESPONSIBLE.value if p in responsible else Role.HARMED.value, None)
                for p in principals
            ]
            self.circle(
                CircleKind.COMPLETION_MEETING,
                f"Agreement completed: {category}",
                self.at(closed_on),
                members,
                case_id=case_id,
                principals=principals,
            )
