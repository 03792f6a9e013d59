"""Retention: records older than a set number of years are purged or anonymised.

The person looking after the records first sees a preview (:func:`plan_retention`), then
confirms; :func:`apply_retention` acts only on what was previewed and still qualifies. What the
rule covers, for a rule of N years:

- **closed cases** closed N or more years ago, with everything linked to them: circles
  (participants, turns, stages, notes), agreements (items, signatures), follow-ups, family
  contacts and parties;
- **circles tied to no case** (community-building, check-ins, staff circles...) whose day (the
  day they ended, else the day they were planned for) is N or more years ago, with their notes,
  turns, stage records, participants and agreements; never a circle left running;
- **people who left**: students and guardians archived N or more years ago whom no record that
  stays names any more (an open case, a recent circle or a guardian's link to a student who
  stays keeps them). They are deleted, with their guardian links, rather than kept as a
  de-identified stub: every programme figure counts cases, circles, agreements and follow-ups,
  which the rule removes or anonymises by their own dates, so no kept count depends on them; a
  stub would count in nothing and would keep a uuid that another laptop's copy could tie back to
  the child.

**When N years have passed.** A record closed on day D is due from the N-th anniversary of D
onwards: closed 2020-06-01, a 5-year rule removes it on 2025-06-01, not on 2025-05-31. For
29 February in a year without one, the anniversary is 1 March (on 28 February a day of the N
years is still to run): closed 2020-02-29, it is due on 2021-03-01 (N=1), 2022-03-01 (N=2)
and 2024-02-29 (N=4). :func:`cutoff` turns this into the last closing day that is due today.

- ``purge`` deletes all of it.
- ``anonymise`` keeps cases, circles, agreements and follow-ups for counting (kinds, dates,
  outcomes) but replaces every free text with ``[removed]`` and unlinks every person; people
  who left are deleted in both modes.

Then the file itself is wiped (:mod:`circlekeeper.core.store.scrub`): secure delete during the
purge, the search index merged, VACUUM and a checkpoint, so no byte of the database or its
``-wal`` still holds a removed word. Audit lines about removed records lose the short values they
copied (a name, a title): see :func:`~circlekeeper.core.retention.rows.redact_audit`.
The purge itself is audited: when, who, the rule, the counts and the removed cases' ids, never
their content. Backups made before it still hold the old records: see
:mod:`circlekeeper.core.retention.backups`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.retention import rows
from circlekeeper.core.retention.rows import REMOVED
from circlekeeper.core.store import scrub
from circlekeeper.core.store.models import Case, Setting

__all__ = [
    "REMOVED",
    "CircleCandidate",
    "Mode",
    "PersonCandidate",
    "RetentionCandidate",
    "RetentionPlan",
    "RetentionResult",
    "apply_retention",
    "cutoff",
    "plan_retention",
    "preview_retention",
    "retention_years",
    "set_retention_years",
]

YEARS_SETTING = "retention_years"
Mode = Literal["purge", "anonymise"]


@dataclass(frozen=True)
class RetentionCandidate:
    """A closed case old enough to go, with what hangs on it."""

    case_id: int
    case_uuid: str
    incident_category: str
    referred_on: date
    closed_on: date
    circles: int
    agreements: int
    notes: int
    follow_ups: int


@dataclass(frozen=True)
class CircleCandidate:
    """A circle tied to no case, old enough to go."""

    circle_id: int
    kind: str
    day: date
    notes: int
    agreements: int


@dataclass(frozen=True)
class PersonCandidate:
    """A student or guardian who left long ago and whom no kept record names (no name shown)."""

    person_id: int
    kind: str
    left_on: date


@dataclass(frozen=True)
class RetentionPlan:
    """Everything one run of the rule would remove or anonymise, as of ``today``."""

    years: int
    today: date
    last_due_day: date  # the latest closing day that is due (see cutoff)
    cases: list[RetentionCandidate]
    circles: list[CircleCandidate]
    people: list[PersonCandidate]

    @property
    def empty(self) -> bool:
        return not (self.cases or self.circles or self.people)


@dataclass(frozen=True)
class RetentionResult:
    mode: str
    cases: int
    circles: int
    agreements: int
    notes: int
    follow_ups: int
    people: int = 0
    audit_lines_redacted: int = 0


def cutoff(years: int, today: date) -> date:
    """The latest closing day that is due today under an N-year rule (see the module notes).

    A record closed on this day or before is due: it is ``today`` N years back; on 29 February
    with no 29 February N years back, it is 28 February (so one closed on 29 February becomes
    due on 1 March).
    """
    if years < 1:
        raise InvalidInput(_("Keep records for at least one year."))
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def retention_years(context: Context | sessionmaker[Session]) -> int | None:
    """The retention setting in years, or None when no rule is set."""
    with as_context(context).read() as session:
        value = session.scalar(select(Setting.value).where(Setting.key == YEARS_SETTING))
    return int(value) if value and value.isdigit() and int(value) > 0 else None


def set_retention_years(context: Context | sessionmaker[Session], years: int | None) -> None:
    """Set the rule (None: no rule); a counselor's or an administrator's work."""
    ctx = as_context(context)
    ctx.viewer().check_keeps_records()
    if years is not None and years < 1:
        raise InvalidInput(_("Keep records for at least one year."))
    with ctx.write("set how long records are kept") as session:
        row = session.get(Setting, YEARS_SETTING)
        value = "" if years is None else str(years)
        if row is None:
            session.add(Setting(key=YEARS_SETTING, value=value))
        else:
            row.value = value
        audit.record(session, "update", "settings", None, keys=[YEARS_SETTING])


def _plan(session: Session, years: int, today: date) -> RetentionPlan:
    limit = cutoff(years, today)
    cases = rows.due_cases(session, limit)
    circles = rows.due_circles(session, limit)
    gone = rows.linked(session, [c.id for c in cases], [c.id for c in circles])
    found = []
    for case in cases:
        own = rows.linked(session, [case.id], [])
        assert case.closed_on is not None
        found.append(
            RetentionCandidate(
                case_id=case.id,
                case_uuid=case.uuid,
                incident_category=case.incident_category,
                referred_on=case.referred_on,
                closed_on=case.closed_on,
                circles=len(own.circles),
                agreements=len(own.agreements),
                notes=rows.count_notes(session, own.circles),
                follow_ups=len(own.follow_ups),
            )
        )
    loose = []
    for circle in circles:
        own = rows.linked(session, [], [circle.id])
        loose.append(
            CircleCandidate(
                circle.id,
                circle.kind,
                rows.circle_day(circle),
                rows.count_notes(session, [circle.id]),
                len(own.agreements),
            )
        )
    people = [
        PersonCandidate(p.id, p.kind, p.archived_at.date())
        for p in rows.due_people(session, limit, gone)
        if p.archived_at is not None
    ]
    return RetentionPlan(years, today, limit, found, loose, people)


def plan_retention(
    context: Context | sessionmaker[Session], years: int, today: date
) -> RetentionPlan:
    """What the rule would remove today: cases, loose circles and people, oldest first."""
    with as_context(context).read() as session:
        return _plan(session, years, today)


def preview_retention(
    context: Context | sessionmaker[Session], years: int, today: date
) -> list[RetentionCandidate]:
    """The closed cases the rule would remove, oldest first, with their linked records."""
    return plan_retention(context, years, today).cases


def _only(found: list[int], wanted: Collection[int] | None) -> list[int]:
    if wanted is None:
        return found
    chosen = set(wanted)
    return [i for i in found if i in chosen]


def apply_retention(
    context: Context | sessionmaker[Session],
    years: int,
    today: date,
    *,
    mode: Mode = "purge",
    case_ids: Collection[int] | None = None,
    circle_ids: Collection[int] | None = None,
    person_ids: Collection[int] | None = None,
    wipe: bool = True,
) -> RetentionResult:
    """Purge or anonymise what is due (only the ids given, if given: those previewed).

    With ``wipe`` (the default) the file is then wiped so no removed word stays in any byte of
    it (see :mod:`circlekeeper.core.store.scrub`). A counselor's or an administrator's work.
    """
    ctx = as_context(context)
    ctx.viewer().check_keeps_records()
    if mode not in ("purge", "anonymise"):
        raise InvalidInput(_("Choose whether to purge or to anonymise the old records."))
    with ctx.write(f"retention: {mode}") as session, scrub.secure_delete(session):
        limit = cutoff(years, today)
        cases = _only([c.id for c in rows.due_cases(session, limit)], case_ids)
        circles = _only([c.id for c in rows.due_circles(session, limit)], circle_ids)
        gone = rows.linked(session, cases, circles)
        gone.people = _only([p.id for p in rows.due_people(session, limit, gone)], person_ids)
        case_uuids = list(
            session.scalars(select(Case.uuid).where(Case.id.in_(cases)).order_by(Case.id))
        )
        notes = rows.count_notes(session, gone.circles)
        redacted = rows.redact_audit(session, rows.uuids(session, gone))
        session.expunge_all()  # the rows are changed below with bulk statements
        if mode == "purge":
            rows.purge(session, gone)
        else:
            rows.anonymise(session, gone)
        rows.remove_people(session, gone.people)
        result = RetentionResult(
            mode,
            len(gone.cases),
            len(gone.circles),
            len(gone.agreements),
            notes,
            len(gone.follow_ups),
            len(gone.people),
            redacted,
        )
        audit.record(
            session,
            f"retention_{mode}",
            "case",
            None,
            years=years,
            closed_on_or_before=limit.isoformat(),
            cases=result.cases,
            circles=result.circles,
            agreements=result.agreements,
            notes=notes,
            follow_ups=result.follow_ups,
            people=result.people,
            audit_lines_redacted=redacted,
            case_uuids=case_uuids,
        )
    if wipe:
        wipe_file(ctx.sessions)
    return result


def wipe_file(sessions: sessionmaker[Session]) -> None:
    """Wipe what deleted rows left in the file behind these sessions (SQLite only)."""
    engine = sessions.kw.get("bind")
    if isinstance(engine, Engine) and engine.url.database:
        scrub.scrub(engine, Path(engine.url.database))
