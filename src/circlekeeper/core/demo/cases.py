"""The demo's cases: referrals, eligibility screens, parties, family contacts, hand-offs."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from itertools import accumulate

from circlekeeper.core.demo.repairs import RepairBuilder
from circlekeeper.core.demo.words import (
    CATEGORIES,
    CATEGORY_TYPES,
    DESCRIPTIONS,
    EXCLUDED,
    HAND_OFF_FOR,
    INCIDENT_HOURS,
    LOCATIONS,
    RECIPIENTS,
)
from circlekeeper.core.demo.writer import b, ts
from circlekeeper.core.domain.eligibility import Eligibility, encode
from circlekeeper.core.domain.enums import (
    CaseStatus,
    ClosureReason,
    ContactMethod,
    Diversion,
    ReferralSource,
    Role,
)


class Builder(RepairBuilder):
    """Adds the cases, and everything each one led to."""

    def build_cases(self, tick: Callable[[int], None]) -> None:
        for n in range(self.plan.cases):
            self.case()
            if n % 200 == 199:
                tick(200)
        tick(self.plan.cases % 200)

    def case(self) -> None:
        rng = self.rng
        school, _grades = rng.choice(self.plan.schools)
        pupils = self.students[school]
        category = self.pick(CATEGORIES)
        referred = self.day(1)
        age = (self.today - referred).days
        responsible = [self.referred_pupil(school)]
        harmed: list[int] = []
        mutual = category in ("Fighting", "Conflict between students") and rng.random() < 0.5
        if category in ("Disrespect to staff", "Classroom disruption"):
            harmed = [rng.choice(self.teachers[school])]
        elif category == "Vandalism":
            harmed = [rng.choice(self.staff[(school, "assistant")])]
        elif category == "Attendance and truancy":
            harmed = []
        else:
            harmed = [rng.choice(pupils) for _ in range(rng.choices((1, 2), (80, 20))[0])]
        if mutual or (category == "Fighting" and rng.random() < 0.5):
            responsible.append(rng.choice(pupils))
        harmed = [h for h in dict.fromkeys(harmed) if h not in responsible]
        responsible = list(dict.fromkeys(responsible))

        source = self.pick(
            (
                (ReferralSource.TEACHER, 40),
                (ReferralSource.ADMINISTRATOR, 25),
                (ReferralSource.COUNSELOR, 12),
                (ReferralSource.SRO, 8),
                (ReferralSource.PARENT, 6),
                (ReferralSource.STUDENT, 6),
                (ReferralSource.OTHER, 3),
            )
        )
        by = self.referrer(source, school, responsible[0])

        # Where the case has got to depends on how long ago it was referred.
        if age < 4:
            status = CaseStatus.REFERRED
        elif age < 8:
            status = rng.choice((CaseStatus.REFERRED, CaseStatus.SCREENED))
        elif age < 20:
            status = CaseStatus.PREPARING
        elif age < 45:
            status = self.pick(
                ((CaseStatus.HELD, 30), (CaseStatus.MONITORING, 60), (CaseStatus.CLOSED, 10))
            )
        else:
            status = self.pick(((CaseStatus.CLOSED, 92), (CaseStatus.MONITORING, 8)))
        closure = None
        if status is CaseStatus.CLOSED:
            closure = self.pick(
                (
                    (ClosureReason.COMPLETED, 62),
                    (ClosureReason.PARTIALLY_COMPLETED, 14),
                    (ClosureReason.DECLINED, 9),
                    (ClosureReason.NOT_RESTORABLE, 6),
                    (ClosureReason.NOT_COMPLETED, 9),
                )
            )
        diverted = self.pick(
            (
                (Diversion.NONE, 42),
                (Diversion.SUSPENSION, 44),
                (Diversion.CITATION, 9 if source is ReferralSource.SRO else 3),
                (Diversion.EXPULSION, 1),
                (Diversion.ARREST, 1),
            )
        )
        amount = (
            rng.randint(1, 5)
            if diverted is Diversion.SUSPENSION
            else (1 if diverted is not Diversion.NONE else None)
        )
        eligibility = None
        excluded_for: str | None = None
        if status is not CaseStatus.REFERRED:
            # Written through the same model the case screen reads, so the demo's screened
            # cases show their answers instead of "not yet known".
            answers = Eligibility(
                responsibility_admitted=closure is not ClosureReason.NOT_RESTORABLE,
                participation_voluntary=closure is not ClosureReason.DECLINED,
                guardian_consent=closure is not ClosureReason.DECLINED,
            )
            if closure is ClosureReason.NOT_RESTORABLE and rng.random() < 0.5:
                excluded_for = rng.choice(EXCLUDED)
                answers = answers.with_changes({excluded_for: True})
            eligibility = encode(answers)

        held = status in (CaseStatus.HELD, CaseStatus.MONITORING, CaseStatus.CLOSED) and (
            closure not in (ClosureReason.DECLINED, ClosureReason.NOT_RESTORABLE)
        )
        main_day = referred + timedelta(days=rng.randint(5, 18))
        if status is CaseStatus.PREPARING:
            main_day = self.today + timedelta(days=rng.randint(1, 10))
        elif held and main_day >= self.today:
            main_day = self.today - timedelta(days=1)
        closed_on = None
        if status is CaseStatus.CLOSED:
            last = main_day if held else referred + timedelta(days=rng.randint(3, 10))
            closed_on = min(
                self.today, last + timedelta(days=rng.randint(0 if not held else 14, 50))
            )
        reinstated = closure is ClosureReason.NOT_COMPLETED and diverted is not Diversion.NONE

        created = self.at(referred)
        case_id, cuuid, stamp, _ = self.record("case_file", created)
        self.w.add(
            "case_file",
            id=case_id,
            uuid=cuuid,
            created_at=stamp,
            updated_at=ts(self.at(closed_on) if closed_on else created),
            referred_on=referred.isoformat(),
            referral_source=source.value,
            referred_by_id=by,
            incident_category=category,
            incident_on=(referred - timedelta(days=rng.randint(0, 3))).isoformat(),
            location=rng.choice(LOCATIONS),
            incident_type_id=self.incident_types.get(CATEGORY_TYPES[category]),
            incident_time=self.incident_time(),
            description=DESCRIPTIONS[category],
            status=status.value,
            closure_reason=None if closure is None else closure.value,
            closed_on=None if closed_on is None else closed_on.isoformat(),
            eligibility=eligibility,
            diverted_from=diverted.value,
            diversion_amount=amount,
            consequence_reinstated=b(reinstated),
            school_id=self.school_id(school),
        )
        self.case_school[case_id] = self.school_id(school)
        parties = [
            (p, Role.HARMED_AND_RESPONSIBLE if mutual else Role.RESPONSIBLE) for p in responsible
        ] + [(p, Role.HARMED) for p in harmed]
        for person, role in parties:
            pid, puuid, pstamp, _ = self.record("case_party", created)
            self.w.add(
                "case_party",
                id=pid,
                uuid=puuid,
                created_at=pstamp,
                updated_at=pstamp,
                case_id=case_id,
                person_id=person,
                role=role.value,
            )
        if excluded_for is not None:
            self.hand_off(case_id, excluded_for, referred, [p for p, _role in parties])

        counselor = rng.choice(
            self.staff[(school, "counselor")] + self.staff[(school, "restorative")]
        )
        families = [(p, g) for p in responsible + harmed for g in self.guardians_of.get(p, [])]
        if status is not CaseStatus.REFERRED:
            for student, guardian in families[:2]:
                fid, fuuid, fstamp, _ = self.record("family_contact", created)
                method = self.pick(
                    (
                        (ContactMethod.PHONE, 70),
                        (ContactMethod.MEETING, 15),
                        (ContactMethod.EMAIL, 10),
                        (ContactMethod.LETTER, 5),
                    )
                )
                self.w.add(
                    "family_contact",
                    id=fid,
                    uuid=fuuid,
                    created_at=fstamp,
                    updated_at=fstamp,
                    case_id=case_id,
                    person_id=guardian,
                    contacted_at=ts(self.at(referred + timedelta(days=rng.randint(1, 3)))),
                    method=method.value,
                    outcome=f"Explained the restorative process for {self.names[student]}; "
                    + rng.choice(
                        (
                            "family agreed to take part.",
                            "left a message, will call back.",
                            "family has questions about the conference.",
                        )
                    ),
                    staff_name=self.names[counselor],
                )
        if status in (CaseStatus.REFERRED, CaseStatus.SCREENED):
            if status is CaseStatus.SCREENED:
                self.follow_up(
                    referred + timedelta(days=rng.randint(2, 7)),
                    counselor,
                    "Call the families to invite them to a pre-meeting.",
                    case_id,
                )
            return
        self.case_circles(
            case_id,
            category,
            school,
            main_day,
            status,
            closure,
            held,
            diverted,
            responsible,
            harmed,
            counselor,
            mutual,
            closed_on,
        )

    def referred_pupil(self, school: str) -> int:
        """A student of the school, drawn with the demo's (made-up) disproportion."""
        pupils = self.students[school]
        cumulative = self._pupil_weights.get(school)
        if cumulative is None or len(cumulative) != len(pupils):
            cumulative = list(accumulate(self.referral_weight.get(p, 1.0) for p in pupils))
            self._pupil_weights[school] = cumulative
        return self.rng.choices(pupils, cum_weights=cumulative)[0]

    def incident_time(self) -> str | None:
        """A time of day: most incidents at passing times and lunch, some not recorded."""
        if self.rng.random() < 0.08:
            return None
        hour = self.pick(INCIDENT_HOURS)
        return f"{hour:02d}:{self.rng.randrange(0, 60, 5):02d}"

    def referrer(self, source: ReferralSource, school: str, student: int) -> int | None:
        rng = self.rng
        if source is ReferralSource.TEACHER:
            return rng.choice(self.teachers[school])
        if source is ReferralSource.ADMINISTRATOR:
            return rng.choice(self.staff[(school, "assistant")])
        if source is ReferralSource.COUNSELOR:
            return rng.choice(self.staff[(school, "counselor")])
        if source is ReferralSource.SRO:
            return self.staff[(school, "sro")][0]
        if source is ReferralSource.PARENT:
            return next(iter(self.guardians_of.get(student, [])), None)
        if source is ReferralSource.STUDENT:
            return rng.choice(self.students[school])
        return None

    def hand_off(
        self, case_id: int, excluded_for: str, referred: date, students: list[int]
    ) -> None:
        """An excluded case handed to the team it belongs with, and its students' disclosure
        lines. A random generator of its own keeps every other demo figure as it was."""
        found = HAND_OFF_FOR.get(excluded_for)
        if found is None:  # weapons, injury, a halt: school discipline, not a hand-off
            return
        to, basis = found
        rng = random.Random(case_id)
        on = min(self.today, referred + timedelta(days=rng.randint(0, 3)))
        stamp = ts(self.at_fixed(on))
        recipient = RECIPIENTS[to]
        shared = "The referral, the incident date and the eligibility screen."
        threat = "A threat of harm was reported." if basis == "health_safety_emergency" else None
        hid = self.next_id("hand_off")
        self.w.add(
            "hand_off",
            id=hid,
            uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            created_at=stamp,
            updated_at=stamp,
            case_id=case_id,
            circle_id=None,
            handed_to=to,
            recipient=recipient,
            handed_on=on,
            shared=shared,
            basis=basis,
            threat=threat,
            returned_on=None,
            return_note=None,
            reentry_circle_id=None,
        )
        for student in students:
            did = self.next_id("disclosure")
            self.w.add(
                "disclosure",
                id=did,
                uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                created_at=stamp,
                updated_at=stamp,
                person_id=student,
                kind="hand_off",
                disclosed_on=on,
                recipient=recipient,
                shared=shared,
                basis=basis,
                reason=threat,
                disclosed_by="Demo counselor",
                case_id=case_id,
                hand_off_id=hid,
                agreement_id=None,
            )
