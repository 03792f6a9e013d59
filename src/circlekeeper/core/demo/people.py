"""The demo's people: staff, SROs, community members, students and their guardians."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from circlekeeper.core.demo.builder import BuilderBase
from circlekeeper.core.demo.words import (
    COMMUNITY_TITLES,
    CULTURES,
    EITHER,
    NICKNAMES,
    PRONOUNS,
    RELATIONS,
    STAFF_TITLES,
    TEACHING,
)
from circlekeeper.core.demo.writer import b, ts
from circlekeeper.core.domain.enums import (
    PersonKind,
)
from circlekeeper.core.people.names import display_name
from circlekeeper.core.people.people import PersonData, search_text
from circlekeeper.core.text import fold


def referral_weight(race: str, gender: str, disability: bool, low_income: bool) -> float:
    """Made-up, but shaped like what equity reviews find: some groups referred far more often."""
    weight = {
        "Black or African American": 2.4,
        "American Indian or Alaska Native": 1.9,
        "Two or more races": 1.3,
        "Asian": 0.5,
    }.get(race, 1.0)
    if gender == "Male":
        weight *= 1.6
    if disability:
        weight *= 1.8
    if low_income:
        weight *= 1.4
    return weight


class PeopleBuilder(BuilderBase):
    """Adds the people."""

    def person(
        self,
        kind: str,
        culture: tuple[int, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]],
        *,
        last: str | None = None,
        grade: int | None = None,
        school: str | None = None,
        title: str | None = None,
        adult: bool = False,
        external_id: str | None = None,
    ) -> int:
        rng = self.rng
        gender = rng.choices(("Female", "Male", "Nonbinary"), (49, 49, 2))[0]
        pool = culture[2] if gender == "Female" else culture[3]
        if gender == "Nonbinary" or rng.random() < 0.03:
            pool = pool + EITHER
        first = rng.choice(pool)
        if last is None:
            last = rng.choice(culture[4])
            if culture[1] == "Hispanic or Latino" and rng.random() < 0.2:
                last = f"{last}-{rng.choice(culture[4])}"
            elif rng.random() < 0.03:
                last = f"{last}-{rng.choice(rng.choice(CULTURES)[4])}"
        preferred = None
        pronouns = None
        if kind == PersonKind.STUDENT:
            if first in NICKNAMES and rng.random() < 0.5:
                preferred = NICKNAMES[first]
            elif rng.random() < 0.03:
                preferred = rng.choice(EITHER)
            if gender == "Nonbinary":
                pronouns = "they/them"
            elif rng.random() < 0.15:
                pronouns = rng.choice(PRONOUNS[:2] if gender == "Female" else PRONOUNS)
                if gender == "Female" and pronouns == "he/him":
                    pronouns = "she/her"
        elif adult and rng.random() < 0.3:
            pronouns = "she/her" if gender == "Female" else "he/him"
        created = self.at(self.today - timedelta(days=self.plan.days + rng.randint(1, 60)), 14)
        birth = None
        if grade is not None:
            start = self.today.year - (1 if self.today.month < 8 else 0)
            birth = date(start - grade - 6, 9, 1) + timedelta(days=rng.randint(0, 364))
        slug = "".join(c for c in fold(f"{first}.{last}") if c.isalnum() or c == ".")
        email = phone = None
        if kind == PersonKind.STAFF or kind == PersonKind.SRO:
            email = f"{slug}@riverbend.k12.example"
        elif kind == PersonKind.GUARDIAN:
            phone = f"({rng.choice((206, 312, 505, 602, 713))}) 555-01{rng.randint(0, 99):02d}"
            email = f"{slug}{rng.randint(1, 99)}@mail.example" if rng.random() < 0.7 else None
        elif kind == PersonKind.STUDENT and rng.random() < 0.8:
            email = f"{slug}{rng.randint(10, 99)}@students.riverbend.example"
        race = culture[1] if rng.random() > 0.06 else "Two or more races"
        student = kind == PersonKind.STUDENT
        disability, learner, low_income = (
            rng.random() < 0.14,
            rng.random() < 0.11,
            rng.random() < 0.45,
        )
        data = PersonData(first, last, kind, preferred, None, None, None, external_id)
        archived = None
        if student and rng.random() < 0.03:
            archived = ts(self.now - timedelta(days=rng.randint(1, 120)))
        pid, puuid, stamp, _ = self.record("person", created)
        self.w.add(
            "person",
            id=pid,
            uuid=puuid,
            created_at=stamp,
            updated_at=stamp,
            kind=kind,
            first_name=first,
            last_name=last,
            preferred_name=preferred,
            pronouns=pronouns,
            grade=None if grade is None else str(grade),
            school_id=self.school_id(school),
            external_id=external_id,
            birth_date=None if birth is None else birth.isoformat(),
            email=email,
            phone=phone,
            title=title,
            gender=gender if student or rng.random() < 0.5 else None,
            race_ethnicity=race if student else None,
            disability=b(disability) if student else None,
            english_learner=b(learner) if student else None,
            low_income=b(low_income) if student else None,
            search_text=search_text(data),
            archived_at=archived,
        )
        self.names[pid] = display_name(first, preferred, last)
        if school is not None:
            self.school_of[pid] = self.school_ids[school]
        if student:
            self.student_ids.add(pid)
            self.referral_weight[pid] = referral_weight(race, gender, disability, low_income)
        return pid

    def build_people(self, tick: Callable[[int], None]) -> None:
        rng = self.rng
        plan = self.plan
        for school, _grades in plan.schools:
            for title, count in STAFF_TITLES:
                role = title.split()[0].lower()
                for _ in range(count if len(plan.schools) == 1 else count + 1):
                    sid = self.staff_member(school, title)
                    self.staff.setdefault((school, role), []).append(sid)
            sro = self.person(
                PersonKind.SRO,
                self.culture(),
                school=school,
                adult=True,
                title="School resource officer",
                external_id=f"E{self.ids['person'] + 1:06d}",
            )
            self.staff[(school, "sro")] = [sro]
            teachers = plan.staff_per_school - sum(c for _, c in STAFF_TITLES) - 1
            self.teachers[school] = [
                self.staff_member(school, f"Teacher, {rng.choice(TEACHING)}")
                for _ in range(teachers)
            ]
            tick(plan.staff_per_school)
        for _ in range(plan.community):
            self.community.append(
                self.person(
                    PersonKind.COMMUNITY,
                    self.culture(),
                    adult=True,
                    title=rng.choice(COMMUNITY_TITLES),
                )
            )
        made = 0
        while made < plan.students:
            culture = self.culture()
            school, grades = rng.choice(plan.schools)
            family = rng.choice(culture[4])
            children = []
            for _ in range(rng.choices((1, 2, 3), (70, 25, 5))[0]):
                grade = rng.choice(grades)
                number = self.student_numbers[made]
                sid = self.person(
                    PersonKind.STUDENT,
                    culture,
                    last=family,
                    grade=grade,
                    school=school,
                    external_id=f"S{number}",
                )
                self.students.setdefault(school, []).append(sid)
                self.students_by_grade.setdefault((school, grade), []).append(sid)
                children.append(sid)
                made += 1
            guardians = rng.choices((0, 1, 2), (60, 35, 5))[0]
            for _ in range(guardians):
                same = rng.random() < 0.75
                gid = self.person(
                    PersonKind.GUARDIAN,
                    culture if same else self.culture(),
                    last=family if same else None,
                    adult=True,
                )
                label = self.pick(RELATIONS)
                for child in children:
                    self.guardians_of.setdefault(child, []).append(gid)
                    lid, luuid, stamp, _ = self.record("guardian_link", self.now)
                    self.w.add(
                        "guardian_link",
                        id=lid,
                        uuid=luuid,
                        created_at=stamp,
                        updated_at=stamp,
                        student_id=child,
                        guardian_id=gid,
                        relationship_label=label,
                        can_consent=b(label != "Uncle" or rng.random() < 0.3),
                    )
            tick(len(children))

    def staff_member(self, school: str, title: str) -> int:
        return self.person(
            PersonKind.STAFF,
            self.culture(),
            school=school,
            title=title,
            adult=True,
            external_id=f"E{self.ids['person'] + 1:06d}",
        )
