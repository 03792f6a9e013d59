"""The end of a school year: every student moves up a grade, and those leaving are archived.

One reviewed step: ``plan_year_end`` lists who moves from which grade to which and who leaves
(12th graders), changing nothing; ``close_school_year`` applies exactly that plan in one
transaction. Records of those who leave are archived, never deleted. Running it twice in one
year would move everyone up two grades, so a second run within ``_SAME_YEAR`` of the last
is refused unless the person says it is meant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.domain.enums import PersonKind
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people.names import display_name
from circlekeeper.core.people.people import PersonData, search_text
from circlekeeper.core.problems import InvalidInput, NotPermitted
from circlekeeper.core.roster.grades import LAST_GRADE, canonical_grade, grade_order, next_grade
from circlekeeper.core.roster.rows import PERSON_FIELD_NAMES
from circlekeeper.core.store.models import Person, Setting
from circlekeeper.core.store.types import utcnow
from circlekeeper.core.text import fold

PROMOTED_SETTING = "grades_promoted_on"

# A new school year cannot start sooner than this after the last one was closed.
_SAME_YEAR = timedelta(days=200)


@dataclass(frozen=True)
class Move:
    """One student in the plan: from which grade to which (None: leaves and is archived)."""

    id: int
    name: str
    old: str
    new: str | None


@dataclass(frozen=True)
class YearEndPlan:
    moves: tuple[Move, ...]
    last_closed: date | None  # when the previous school year was closed, if ever

    @property
    def promoted(self) -> tuple[Move, ...]:
        return tuple(m for m in self.moves if m.new is not None)

    @property
    def leavers(self) -> tuple[Move, ...]:
        return tuple(m for m in self.moves if m.new is None)

    def counts(self) -> dict[str, int]:
        """How many students move out of each grade, in school order."""
        counts: dict[str, int] = {}
        for move in sorted(self.moves, key=lambda m: grade_order(m.old)):
            counts[move.old] = counts.get(move.old, 0) + 1
        return counts


def plan_year_end(context: Context | sessionmaker[Session]) -> YearEndPlan:
    """Who moves up and who leaves; reads only. Students without a grade stay as they are."""
    with as_context(context).read() as session:
        rows = session.execute(
            select(
                Person.id, Person.first_name, Person.preferred_name, Person.last_name, Person.grade
            ).where(
                Person.kind == PersonKind.STUDENT.value,
                Person.archived_at.is_(None),
                Person.grade.is_not(None),
            )
        ).all()
        last = session.get(Setting, PROMOTED_SETTING)
        last_closed = _parse(last.value) if last is not None else None
    moves = []
    for pid, first, preferred, family, grade in rows:
        old = canonical_grade(grade)
        if old is None:
            continue
        new = None if old == LAST_GRADE else next_grade(old)
        moves.append(Move(int(pid), display_name(first, preferred, family), old, new))
    moves.sort(key=lambda m: (grade_order(m.old), fold(m.name)))
    return YearEndPlan(tuple(moves), last_closed)


def close_school_year(
    context: Context | sessionmaker[Session], plan: YearEndPlan, *, again: bool = False
) -> tuple[int, int]:
    """Apply a reviewed plan: (students moved up, students archived).

    A student whose grade changed since the plan was made is left as they are. Refused (with
    nothing changed) within ``_SAME_YEAR`` of the last closing unless ``again`` is true,
    and for a viewer who does not keep the school's records (an SRO).
    """
    ctx = as_context(context)
    if not ctx.viewer().can_keep_records:
        raise NotPermitted(
            _(
                "Only a counselor or an administrator can close the school year (moving students "
                "up a grade and archiving those who leave); a school resource officer's profile "
                "cannot. Nothing was changed.",
            )
        )
    today = ctx.clock().date()
    with ctx.write("close the school year") as session:
        last = session.get(Setting, PROMOTED_SETTING)
        closed = _parse(last.value) if last is not None else None
        if closed is not None and today - closed < _SAME_YEAR and not again:
            raise InvalidInput(
                _(
                    "The school year was already closed on {closed}; closing it "
                    "again now would move every student up a second grade. Nothing was changed. "
                    "If a new school year has really begun, confirm that you mean it.",
                    closed=closed.isoformat(),
                )
            )
        moved = archived = 0
        now = utcnow()
        wanted = {m.id: m for m in plan.moves}
        ids = sorted(wanted)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for person in session.scalars(select(Person).where(Person.id.in_(chunk))):
                move = wanted[person.id]
                if person.archived_at is not None or canonical_grade(person.grade) != move.old:
                    continue
                if move.new is None:
                    person.archived_at = now
                    audit.record(session, "archive", "person", person.uuid, reason="graduated")
                    archived += 1
                else:
                    person.grade = move.new
                    data = PersonData(**{n: getattr(person, n) for n in PERSON_FIELD_NAMES})
                    person.search_text = search_text(data)
                    moved += 1
            session.flush()
            session.expunge_all()
        if last is None:
            session.add(Setting(key=PROMOTED_SETTING, value=today.isoformat()))
        else:
            last.value = today.isoformat()
        audit.record(
            session, "close", "school year", None, promoted=moved, archived=archived
        )  # fmt: skip
    return moved, archived


def _parse(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None
