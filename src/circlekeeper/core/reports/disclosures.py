"""``disclosures``: how often information from students' records left the school in a period.

Counted from the record of disclosures (34 CFR § 99.32): each line is one student's record
shared once, by a hand-off (to BTAM, Title IX, child protection, mental health or the police) or
a copy for sharing. Lines are counted by where they went, by FERPA basis and by month, with the
number of students concerned. The named log itself is each student's record of disclosures
(printed from the case page); a report never names anyone, and small counts are hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from circlekeeper.core.domain.handoffs import (
    BASIS_LABELS,
    HAND_OFF_LABELS,
    KIND_LABELS,
    NOT_STATED,
    DisclosureKind,
    FerpaBasis,
    HandOffTo,
)
from circlekeeper.core.reports.builder import ALL, ReportBuilder, SectionBuilder, count
from circlekeeper.core.reports.common import ALL_LABEL, month_key, months, students_column
from circlekeeper.core.reports.facts import Facts, school_scope
from circlekeeper.core.reports.model import Chart, Text
from circlekeeper.core.reports.suppression import Fig
from circlekeeper.core.store.models import Disclosure, HandOff, Person

NOT_STATED_KEY = "not_stated"
LINES = students_column("disclosures", "Disclosures", "Divulgaciones")
STUDENTS = students_column("students", "Students concerned", "Estudiantes afectados")
DEFINITIONS = (
    Text(
        "Disclosure: one line of a student's record of disclosures, dated in the period: a "
        "hand-off of the student's case or circle, or a copy of an agreement made for sharing. "
        "A hand-off concerning two students counts twice.",
        "Divulgación: una línea del registro de divulgaciones de un/a estudiante, con fecha en el "
        "periodo: una derivación de su caso o círculo, o una copia de un acuerdo para compartir. "
        "Una derivación que afecta a dos estudiantes cuenta dos veces.",
    ),
    Text(
        "Students concerned: different students with at least one disclosure in the period.",
        "Estudiantes afectados: estudiantes distintos con al menos una divulgación en el periodo.",
    ),
)


@dataclass(frozen=True)
class Line:
    """One line of the record of disclosures, as the report counts it."""

    person_id: int
    on: date
    went_to: str  # a HandOffTo value, or "sharing_copy"
    basis: str  # a FerpaBasis value, or "not_stated"


def read(session: Session, facts: Facts, school: str | None) -> list[Line]:
    """The period's disclosure lines (of the school's students, when a school is asked for)."""
    query = (
        select(Disclosure.person_id, Disclosure.disclosed_on, Disclosure.kind,
               HandOff.handed_to, Disclosure.basis)
        .outerjoin(HandOff, HandOff.id == Disclosure.hand_off_id)
        .where(Disclosure.disclosed_on >= facts.start, Disclosure.disclosed_on <= facts.end)
    )  # fmt: skip
    scope = school_scope(session, school)
    if scope is not None:
        query = query.join(Person, Person.id == Disclosure.person_id).where(
            scope.where(Person.school_id)
        )
    lines = []
    for person_id, on, kind, handed_to, basis in session.execute(query):
        went_to = handed_to if kind == DisclosureKind.HAND_OFF.value and handed_to else kind
        lines.append(Line(person_id, on, went_to, basis or NOT_STATED_KEY))
    return lines


def _text(pair: tuple[str, str]) -> Text:
    return Text(pair[0], pair[1])


def _section(
    b: ReportBuilder,
    key: str,
    title: Text,
    lines: list[Line],
    groups: list[tuple[str, Text]],
    group_of: Callable[[Line], str],
    chart: Chart | None = None,
) -> SectionBuilder:
    s = b.section(key, title, (LINES,), chart=chart, parts_of_all=True)
    for group, label in groups:
        s.row(group, label, {"disclosures": count(sum(1 for x in lines if group_of(x) == group))})
    s.row(ALL, ALL_LABEL, {"disclosures": count(len(lines))})
    return s


def build(b: ReportBuilder, facts: Facts, lines: list[Line]) -> bool:
    """The disclosures report: lines by where they went, by FERPA basis and by month."""
    if not lines:
        return False
    totals = b.section(
        "disclosures_total",
        Text("Disclosures in the period", "Divulgaciones en el periodo"),
        (LINES, STUDENTS),
    )
    figs: dict[str, Fig] = {
        "disclosures": count(len(lines)),
        "students": count(len({x.person_id for x in lines})),
    }
    totals.row(ALL, ALL_LABEL, figs)
    destinations = [(d.value, _text(HAND_OFF_LABELS[d])) for d in HandOffTo]
    destinations.append(
        (DisclosureKind.SHARING_COPY.value, _text(KIND_LABELS[DisclosureKind.SHARING_COPY]))
    )
    where = _section(
        b,
        "disclosures_by_recipient",
        Text("Where the information went", "A quién se entregó la información"),
        lines,
        destinations,
        lambda x: x.went_to,
        Chart("bar", "disclosures", Text("Disclosures", "Divulgaciones")),
    )
    bases = [(v.value, _text(BASIS_LABELS[v])) for v in FerpaBasis]
    bases.append((NOT_STATED_KEY, Text(NOT_STATED[0].capitalize(), NOT_STATED[1].capitalize())))
    why = _section(
        b,
        "disclosures_by_basis",
        Text("Under which FERPA basis", "Con qué fundamento de FERPA"),
        lines,
        bases,
        lambda x: x.basis,
    )
    month = _section(
        b,
        "disclosures_by_month",
        Text("Disclosures by month", "Divulgaciones por mes"),
        lines,
        [(key, label) for key, label, _first, _stop in months(facts.start, facts.end)],
        lambda x: month_key(x.on),
    )
    for s in (where, why, month):
        b.same(totals.ref(ALL, "disclosures"), s.ref(ALL, "disclosures"))
    return True


def build_at(b: ReportBuilder, session: Session, facts: Facts, school: str | None) -> bool:
    """The engine's entry: read the period's lines (of the school asked for), then build."""
    return build(b, facts, read(session, facts, school))
