"""The demo's circles: proactive circles and conferences, with their runs and the SRO log."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from circlekeeper.core.demo.people import PeopleBuilder
from circlekeeper.core.demo.words import NOTES, PROACTIVE, PURPOSES, ROOMS, SCRIPT_FOR_KIND, Member
from circlekeeper.core.demo.writer import b, ts
from circlekeeper.core.domain.enums import (
    Attendance,
    CircleKind,
    CircleStatus,
    NotePrivacy,
    Role,
)
from circlekeeper.core.domain.script_snapshot import script_to_json


class CircleBuilder(PeopleBuilder):
    """Adds circles, their participants, stages, turns and notes."""

    def script_for(self, kind: CircleKind, status: CircleStatus) -> tuple[str | None, str | None]:
        """The built-in script a demo circle uses; only planned circles carry the snapshot.

        A planned demo circle must be startable in the facilitator view, which runs from the
        snapshot; storing it on every past circle would add about a gigabyte to the large demo.
        """
        key = SCRIPT_FOR_KIND.get(kind, "community_building")
        if status is not CircleStatus.PLANNED:
            return key, None
        if key not in self.snapshots:
            self.snapshots[key] = script_to_json(self.library.get(key))
        return key, self.snapshots[key]

    def circle(
        self,
        kind: CircleKind,
        title: str,
        when: datetime,
        members: list[Member],
        *,
        case_id: int | None = None,
        cancelled: bool = False,
        principals: frozenset[int] = frozenset(),
    ) -> tuple[int, str, dict[int, int]]:
        """Write one circle with its participants (person, role, supporter of person), on a
        school day within school hours."""
        rng = self.rng
        when = self.school_time(when)
        planned = when > self.now
        status = (
            CircleStatus.CANCELLED
            if cancelled
            else (CircleStatus.PLANNED if planned else CircleStatus.COMPLETED)
        )
        minutes = {
            CircleKind.CONFERENCE: 90,
            CircleKind.CHECK_IN: 15,
            CircleKind.PRE_MEETING: 30,
        }.get(kind, rng.choice((30, 40, 45, 60)))
        facilitator = members[0][0]
        co = next((m[0] for m in members if m[1] == Role.CO_FACILITATOR), None)
        started = ended = None
        if status is CircleStatus.COMPLETED:
            started = when + timedelta(minutes=rng.randint(0, 8))
            ended = started + timedelta(minutes=max(10, int(minutes * rng.uniform(0.7, 1.3))))
        created = when - timedelta(days=rng.randint(1, 10))
        cid, cuuid, stamp, _ = self.record("circle", created)
        script_key, script_snapshot = self.script_for(kind, status)
        self.w.add(
            "circle",
            id=cid,
            uuid=cuuid,
            created_at=stamp,
            updated_at=ts(ended or created),
            kind=kind.value,
            title=title,
            purpose=PURPOSES[kind],
            scheduled_at=ts(when),
            planned_minutes=minutes,
            location=rng.choice(ROOMS),
            status=status.value,
            started_at=None if started is None else ts(started),
            ended_at=None if ended is None else ts(ended),
            case_id=case_id,
            facilitator_id=facilitator,
            co_facilitator_id=co,
            school_id=self.case_school.get(case_id) if case_id else self.school_of.get(facilitator),
            script_key=script_key,
            script_snapshot=script_snapshot,
        )
        first = self.ids["participant"] + 1
        pids = {person: first + n for n, (person, _, _) in enumerate(members)}
        self.ids["participant"] += len(members)
        present: list[tuple[int, int]] = []
        for n, (person, role, supports) in enumerate(members):
            pid = pids[person]
            attendance = Attendance.INVITED
            joined = left = None
            if status is CircleStatus.COMPLETED and started is not None and ended is not None:
                attendance = (
                    Attendance.PRESENT
                    if person in principals or n == 0
                    else self.pick(
                        (
                            (Attendance.PRESENT, 88),
                            (Attendance.ABSENT, 5),
                            (Attendance.JOINED_LATE, 4),
                            (Attendance.LEFT_EARLY, 3),
                        )
                    )
                )
                if attendance is not Attendance.ABSENT:
                    joined, left = started, ended
                    if attendance is Attendance.JOINED_LATE:
                        joined = started + timedelta(minutes=rng.randint(3, 15))
                    elif attendance is Attendance.LEFT_EARLY:
                        left = ended - timedelta(minutes=rng.randint(3, 15))
                    present.append((pid, person))
            student = person in self.student_ids
            consent = status is not CircleStatus.CANCELLED and (not planned or rng.random() < 0.7)
            self.w.add(
                "participant",
                id=pid,
                uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                created_at=stamp,
                updated_at=stamp,
                circle_id=cid,
                person_id=person,
                role=role,
                supporter_of_id=None if supports is None else pids.get(supports),
                seat_position=n,
                pre_meeting_held=b(person in principals and kind is not CircleKind.PRE_MEETING),
                consent=b(consent),
                guardian_consent=b(consent) if student else None,
                attendance=attendance.value,
                joined_at=None if joined is None else ts(joined),
                left_at=None if left is None else ts(left),
            )
        if (
            status is CircleStatus.COMPLETED
            and started is not None
            and ended is not None
            and rng.random() < self.plan.recorded_share
        ):
            self.record_run(cid, started, ended, present, facilitator)
        return cid, status.value, pids

    def record_run(
        self,
        circle_id: int,
        started: datetime,
        ended: datetime,
        present: list[tuple[int, int]],
        facilitator: int,
    ) -> None:
        """Stages, talking-piece turns and notes of a circle run in the app."""
        rng = self.rng
        stages = 8
        step = (ended - started) / stages
        for index in range(stages):
            rid, ruuid, stamp, _ = self.record("stage_record", started)
            begin = started + step * index
            self.w.add(
                "stage_record",
                id=rid,
                uuid=ruuid,
                created_at=stamp,
                updated_at=stamp,
                circle_id=circle_id,
                stage_index=index,
                started_at=ts(begin),
                ended_at=ts(begin + step),
            )
        rounds = (
            ((3, 1), (4, 1), (4, 2), (6, 1)) if rng.random() < 0.5 else ((3, 1), (4, 1), (6, 1))
        )
        for stage, round_number in rounds:
            moment = started + step * stage
            for pid, _person in present:
                passed = rng.random() < (0.12 if stage == 3 else 0.06)
                duration = rng.randint(2_000, 6_000) if passed else rng.randint(8_000, 95_000)
                tid, tuuid, stamp, _ = self.record("turn", moment)
                self.w.add(
                    "turn",
                    id=tid,
                    uuid=tuuid,
                    created_at=stamp,
                    updated_at=stamp,
                    circle_id=circle_id,
                    stage_index=stage,
                    round_number=round_number,
                    participant_id=pid,
                    passed=b(passed),
                    started_at=ts(moment),
                    duration_ms=duration,
                )
                moment += timedelta(milliseconds=duration)
        for _ in range(rng.randint(1, 3)):
            nid, nuuid, stamp, _ = self.record("note", ended)
            about = rng.choice(present)[0] if present and rng.random() < 0.4 else None
            privacy = NotePrivacy.PRIVATE if rng.random() < 0.6 else NotePrivacy.RECORD
            self.w.add(
                "note",
                id=nid,
                uuid=nuuid,
                created_at=stamp,
                updated_at=stamp,
                circle_id=circle_id,
                stage_index=rng.choice((3, 4, 6)),
                participant_id=about,
                privacy=privacy.value,
                author=self.names[facilitator],
                text=rng.choice(NOTES),
            )

    def build_proactive(self, count: int, tick: Callable[[int], None]) -> None:
        rng = self.rng
        kinds = [(k, w) for k, w, _, _ in PROACTIVE]
        details = {k: (size, label) for k, _, size, label in PROACTIVE}
        for n in range(count):
            kind = self.pick(kinds)
            size, label = details[kind]
            school, grades = rng.choice(self.plan.schools)
            grade = rng.choice(grades)
            helpers = self.staff[(school, "counselor")] + self.staff[(school, "restorative")]
            keeper = rng.choice(helpers if rng.random() < 0.4 else self.teachers[school])
            members: list[Member] = [(keeper, Role.FACILITATOR, None)]
            wanted = max(2, size + rng.randint(-3, 3))
            if kind is CircleKind.STAFF:
                pool = self.teachers[school] + self.staff[(school, "assistant")]
                people = rng.sample(pool, min(wanted, len(pool)))
                title = f"{label}, {school}"
            elif kind in (CircleKind.FAMILY, CircleKind.INDIVIDUAL_SUPPORT):
                student = rng.choice(self.students_by_grade.get((school, grade), [keeper]))
                people = [student, *self.guardians_of.get(student, [])]
                people.append(rng.choice(self.teachers[school]))
                title = f"{label} for {self.names[student]}"
            else:
                pool = self.students_by_grade.get((school, grade), [])
                people = rng.sample(pool, min(wanted, len(pool)))
                title = f"{label}, grade {grade}"
            seen = {keeper}
            for person in people:
                if person not in seen:
                    seen.add(person)
                    members.append((person, Role.MEMBER, None))
            when = self.at(self.day())
            if rng.random() < 0.04:
                when = self.at(self.today + timedelta(days=rng.randint(1, 14)))
            self.circle(kind, title, when, members, cancelled=rng.random() < 0.03)
            if n % 500 == 499:
                tick(500)
        tick(count % 500)

    def build_sro_log(self, conn: sqlite3.Connection) -> None:
        """Each school's officer: a year of activities by triad role, and their training."""
        from circlekeeper.core.demo.sro import add_sro_log

        officers = [self.names[ids[0]] for (_s, role), ids in self.staff.items() if role == "sro"]
        add_sro_log(
            conn,
            self.rng,
            officers,
            sorted(self.student_ids),
            self.incident_types,
            self.day,
            self.now,
            per_officer=150 + self.plan.cases // 10,
        )
