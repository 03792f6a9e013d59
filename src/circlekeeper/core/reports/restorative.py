"""``restorative``: what happened after the referral, and the circles held before any harm.

Circles by kind (and the proactive share), restorative responses to referrals (conferences and
circles: participants, days from referral), agreements by outcome, follow-ups done on time,
repeat referral of the same student within 30 and 90 days of a response, and referrals per
student in the 90 days before and after their circle or conference.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from circlekeeper.core.domain.enums import AgreementStatus, CircleKind, FollowUpStatus
from circlekeeper.core.reports.builder import ALL, ReportBuilder, SectionBuilder, count, ratio_of
from circlekeeper.core.reports.common import (
    ALL_LABEL,
    SHARE,
    plain_column,
    students_column,
)
from circlekeeper.core.reports.facts import CircleHeld, Facts, is_responsive
from circlekeeper.core.reports.model import Chart, Text, Unit
from circlekeeper.core.reports.suppression import Fig

WINDOW_DAYS = 90
REPEAT_WINDOWS = (30, 90)

KIND_LABELS = {
    CircleKind.COMMUNITY_BUILDING: Text("Community building", "Construcción de comunidad"),
    CircleKind.CHECK_IN: Text("Check-in / check-out", "Entrada y salida"),
    CircleKind.ACADEMIC: Text("Academic", "Académico"),
    CircleKind.NORM_SETTING: Text("Norm setting", "Acuerdos de convivencia"),
    CircleKind.PROBLEM_SOLVING: Text("Problem solving", "Resolución de problemas"),
    CircleKind.HARM_REPAIR: Text("Harm and repair", "Daño y reparación"),
    CircleKind.REENTRY: Text("Re-entry", "Reincorporación"),
    CircleKind.INDIVIDUAL_SUPPORT: Text("Individual support", "Apoyo individual"),
    CircleKind.GRIEF: Text("Grief", "Duelo"),
    CircleKind.CELEBRATION: Text("Celebration", "Celebración"),
    CircleKind.STAFF: Text("Staff", "Personal"),
    CircleKind.FAMILY: Text("Family", "Familias"),
    CircleKind.CONFERENCE: Text("Restorative conference", "Conferencia restaurativa"),
}

DEFINITIONS = (
    Text(
        "Circles: circles and conferences held (completed) in the period; preparation and "
        "completion meetings are part of a conference, not circles of their own.",
        "Círculos: círculos y conferencias realizados en el periodo; las reuniones de "
        "preparación y de cierre forman parte de una conferencia, no son círculos aparte.",
    ),
    Text(
        "Proactive: held to build community before any harm. Responsive: a harm-and-repair "
        "circle, a conference, a re-entry circle, or any circle held for a referral.",
        "Proactivo: para construir comunidad antes de que haya daño. Reactivo: un círculo de "
        "daño y reparación, una conferencia, un círculo de reincorporación o cualquier círculo "
        "realizado por una remisión.",
    ),
    Text(
        "Restorative response: a conference or circle held for a referral. Its students are "
        "those named as responsible in the referral; their response day is the first one held "
        "in the period.",
        "Respuesta restaurativa: una conferencia o un círculo realizado por una remisión. Sus "
        "estudiantes son quienes figuran como responsables; su día de respuesta es el primero "
        "realizado en el periodo.",
    ),
    Text(
        f"Repeat referral: the same student referred again within 30 or 90 days after the "
        f"response. Before and after: referrals in the {WINDOW_DAYS} days before the response "
        f"(the referral that led to it included) and in the {WINDOW_DAYS} days after. A student "
        "is counted once that whole window has passed.",
        f"Nueva remisión: la misma persona estudiante remitida otra vez en los 30 o 90 días "
        f"posteriores a la respuesta. Antes y después: remisiones en los {WINDOW_DAYS} días "
        f"anteriores a la respuesta (incluida la que la motivó) y en los {WINDOW_DAYS} "
        "posteriores. Se cuenta a cada estudiante cuando ese plazo ha terminado.",
    ),
    Text(
        "Follow-ups: check-ins due in the period (cancelled ones left out). On time: done by "
        "the due date.",
        "Seguimientos: los que vencían en el periodo (sin los cancelados). A tiempo: hechos "
        "antes de la fecha límite o en ella.",
    ),
)


def kind_label(kind: str) -> Text:
    """A circle kind's name in English and Spanish."""
    try:
        return KIND_LABELS[CircleKind(kind)]
    except (KeyError, ValueError):
        return Text(kind, kind)


def period_circles(facts: Facts) -> list[CircleHeld]:
    """The circles held within the report's period."""
    return [c for c in facts.circles if facts.in_period(c.day)]


def add_circles_by_kind(b: ReportBuilder, circles: list[CircleHeld]) -> SectionBuilder:
    """Circles held by kind."""
    s = b.section(
        "circles_by_kind",
        Text("Circles held by kind", "Círculos realizados por tipo"),
        (
            plain_column("circles", "Circles", "Círculos", Unit.COUNT),
            plain_column("participants", "Participants", "Participantes", Unit.COUNT),
            SHARE,
        ),
        chart=Chart("bar", "circles", Text("Circles held by kind", "Círculos por tipo")),
        parts_of_all=True,
    )
    held = Counter(c.kind for c in circles)
    people = Counter[str]()
    for c in circles:
        people[c.kind] += c.participants
    for kind, n in [*held.most_common(), (ALL, len(circles))]:
        total_people = sum(people.values()) if kind == ALL else people[kind]
        s.row(
            kind,
            ALL_LABEL if kind == ALL else kind_label(kind),
            {
                "circles": count(n, students=False),
                "participants": count(total_people, students=False),
                "share": ratio_of(n, len(circles), Unit.PERCENT, (), scale=100),
            },
        )
    return s


def add_circle_purpose(b: ReportBuilder, circles: list[CircleHeld]) -> SectionBuilder:
    """Proactive (community) circles against responsive ones."""
    s = b.section(
        "circle_purpose",
        Text("Proactive and responsive circles", "Círculos proactivos y reactivos"),
        (plain_column("circles", "Circles", "Círculos", Unit.COUNT), SHARE),
        chart=Chart("bar", "share", Text("Proactive and responsive", "Proactivos y reactivos")),
        parts_of_all=True,
    )
    responsive = sum(1 for c in circles if is_responsive(c.kind, c.case_id))
    rows = (
        ("proactive", Text("Proactive", "Proactivos"), len(circles) - responsive),
        ("responsive", Text("Responsive", "Reactivos"), responsive),
        (ALL, ALL_LABEL, len(circles)),
    )
    for group, label, n in rows:
        s.row(
            group,
            label,
            {
                "circles": count(n, students=False),
                "share": ratio_of(n, len(circles), Unit.PERCENT, (), scale=100),
            },
        )
    return s


@dataclass(frozen=True)
class Response:
    """A student's first restorative response in the period."""

    student_id: int
    case_id: int
    day: date


def responses(facts: Facts) -> list[Response]:
    """Each referral of the period and the restorative response it got, if any."""
    first_circle: dict[int, date] = {}
    for c in facts.circles:
        if c.case_id is not None and facts.in_period(c.day):
            day = first_circle.get(c.case_id)
            if day is None or c.day < day:
                first_circle[c.case_id] = c.day
    first: dict[int, Response] = {}
    for r in facts.referrals:
        day = first_circle.get(r.case_id)
        if day is None:
            continue
        known = first.get(r.student_id)
        if known is None or (day, r.case_id) < (known.day, known.case_id):
            first[r.student_id] = Response(r.student_id, r.case_id, day)
    return sorted(first.values(), key=lambda x: (x.day, x.student_id))


def add_responses(b: ReportBuilder, facts: Facts) -> SectionBuilder:
    """Restorative responses held, who took part, and how many days after the referral."""
    s = b.section(
        "responses",
        Text("Restorative responses to referrals", "Respuestas restaurativas a las remisiones"),
        (
            students_column("held", "Held", "Realizadas"),
            students_column("participants", "Participants", "Participantes"),
            plain_column(
                "median_days",
                "Median days from referral",
                "Mediana de días desde la remisión",
                Unit.DAYS,
            ),
        ),
        parts_of_all=True,
    )
    referred_on = {r.case_id: r.referred_on for r in facts.referrals}
    held = [c for c in facts.circles if c.case_id is not None and facts.in_period(c.day)]
    groups = (
        ("conference", Text("Conferences", "Conferencias"), lambda c: c.kind == "conference"),
        ("circle", Text("Circles", "Círculos"), lambda c: c.kind != "conference"),
        (ALL, ALL_LABEL, lambda c: True),
    )
    for group, label, wanted in groups:
        mine = [c for c in held if wanted(c)]
        days = [(c.day - referred_on[c.case_id]).days for c in mine if c.case_id in referred_on]
        s.row(
            group,
            label,
            {
                "held": count(len(mine)),
                "participants": count(sum(c.participants for c in mine)),
                "median_days": Fig(
                    float(statistics.median(days)) if days else None,
                    Unit.DAYS,
                    rests_on=(s.ref(group, "held"),),
                ),
            },
        )
    return s


def _outcome_section(
    b: ReportBuilder,
    key: str,
    title: Text,
    measure: tuple[str, str, str],
    rows: list[tuple[str, Text, int]],
) -> SectionBuilder:
    s = b.section(key, title, (students_column(*measure), SHARE), parts_of_all=True)
    total = sum(n for _g, _l, n in rows)
    for group, label, n in [*rows, (ALL, ALL_LABEL, total)]:
        rests = (s.ref(group, measure[0]), s.ref(ALL, measure[0]))
        s.row(
            group,
            label,
            {measure[0]: count(n), "share": ratio_of(n, total, Unit.PERCENT, rests, scale=100)},
        )
    return s


def add_agreements(b: ReportBuilder, facts: Facts) -> SectionBuilder:
    """Repair agreements by outcome: kept, partly kept, not kept, still open."""
    status = Counter(a.status for a in facts.agreements)
    rows = [
        ("completed", Text("Completed", "Cumplidos"), status[AgreementStatus.COMPLETED.value]),
        (
            "partially_completed",
            Text("Partly completed", "Cumplidos en parte"),
            status[AgreementStatus.PARTIALLY_COMPLETED.value],
        ),
        (
            "not_completed",
            Text("Not completed", "No cumplidos"),
            status[AgreementStatus.NOT_COMPLETED.value],
        ),
        ("open", Text("Still open", "Todavía abiertos"), status[AgreementStatus.ACTIVE.value]),
    ]
    return _outcome_section(
        b,
        "agreements",
        Text(
            "Repair agreements made in the period, by outcome",
            "Acuerdos de reparación por resultado",
        ),
        ("agreements", "Agreements", "Acuerdos"),
        rows,
    )


def add_follow_ups(b: ReportBuilder, facts: Facts, as_of: date) -> SectionBuilder:
    """Follow-ups done on time, late, not done, or not due yet."""
    on_time = late = not_done = not_due = 0
    for f in facts.follow_ups:
        if f.status == FollowUpStatus.DONE.value:
            if f.done_on is not None and f.done_on > f.due_on:
                late += 1
            else:
                on_time += 1
        elif f.status == FollowUpStatus.OPEN.value and f.due_on >= as_of:
            not_due += 1
        else:
            not_done += 1
    rows = [
        ("on_time", Text("Done on time", "Hechos a tiempo"), on_time),
        ("late", Text("Done late", "Hechos con retraso"), late),
        ("not_done", Text("Not done", "No hechos"), not_done),
        ("not_yet_due", Text("Not yet due", "Todavía no vencen"), not_due),
    ]
    return _outcome_section(
        b,
        "follow_ups",
        Text("Follow-ups due in the period", "Seguimientos que vencían en el periodo"),
        ("follow_ups", "Follow-ups", "Seguimientos"),
        rows,
    )


def add_repeat_referrals(
    b: ReportBuilder, facts: Facts, found: list[Response], as_of: date
) -> SectionBuilder:
    """Students referred again after a restorative response, and their share."""
    s = b.section(
        "repeat_referrals",
        Text(
            "Referred again after a restorative response",
            "Remitidos de nuevo tras una respuesta restaurativa",
        ),
        (
            students_column("students", "Students with a response", "Estudiantes con respuesta"),
            students_column("referred_again", "Referred again", "Remitidos de nuevo"),
            plain_column(
                "share", "Share referred again", "Proporción remitida de nuevo", Unit.PERCENT
            ),
        ),
    )
    by_student: dict[int, list[tuple[date, int]]] = {}
    for r in facts.referrals:
        by_student.setdefault(r.student_id, []).append((r.referred_on, r.case_id))
    for days in REPEAT_WINDOWS:
        cohort = [x for x in found if x.day + timedelta(days=days) <= as_of]
        again = sum(
            1
            for x in cohort
            if any(
                x.day < on <= x.day + timedelta(days=days) and case != x.case_id
                for on, case in by_student.get(x.student_id, [])
            )
        )
        group = f"within_{days}_days"
        s.row(
            group,
            Text(f"Within {days} days", f"En {days} días"),
            {
                "students": count(len(cohort)),
                "referred_again": count(again, group_size=len(cohort)),
                "share": ratio_of(
                    again,
                    len(cohort),
                    Unit.PERCENT,
                    (s.ref(group, "students"), s.ref(group, "referred_again")),
                    scale=100,
                ),
            },
        )
    return s


def add_before_after(
    b: ReportBuilder, facts: Facts, found: list[Response], as_of: date
) -> SectionBuilder:
    """Referrals per student in the days before and after a restorative response."""
    s = b.section(
        "before_after",
        Text(
            f"Referrals per student {WINDOW_DAYS} days before and after a response",
            f"Remisiones por estudiante {WINDOW_DAYS} días antes y después de una respuesta",
        ),
        (
            students_column("students", "Students", "Estudiantes"),
            students_column("referrals", "Referrals", "Remisiones"),
            plain_column("per_student", "Per student", "Por estudiante", Unit.RATE),
        ),
        chart=Chart("bar", "per_student", Text("Before and after", "Antes y después")),
    )
    window = timedelta(days=WINDOW_DAYS)
    cohort = [x for x in found if x.day + window <= as_of]
    ids = {x.student_id for x in cohort}
    day_of = {x.student_id: x.day for x in cohort}
    before = after = 0
    for r in facts.referrals:
        if r.student_id not in ids:
            continue
        day = day_of[r.student_id]
        if day - window <= r.referred_on < day:
            before += 1
        elif day < r.referred_on <= day + window:
            after += 1
    for group, label, n in (
        ("before", Text("Before", "Antes"), before),
        ("after", Text("After", "Después"), after),
    ):
        s.row(
            group,
            label,
            {
                "students": count(len(cohort)),
                "referrals": count(n),
                "per_student": ratio_of(
                    n,
                    len(cohort),
                    Unit.RATE,
                    (s.ref(group, "students"), s.ref(group, "referrals")),
                ),
            },
        )
    b.same(s.ref("before", "students"), s.ref("after", "students"))
    return s


def build(b: ReportBuilder, facts: Facts, as_of: date) -> bool:
    """The restorative report: circles, responses, agreements, follow-ups and repeat referrals."""
    circles = period_circles(facts)
    add_circles_by_kind(b, circles)
    add_circle_purpose(b, circles)
    add_responses(b, facts)
    add_agreements(b, facts)
    add_follow_ups(b, facts, as_of)
    found = responses(facts)
    add_repeat_referrals(b, facts, found, as_of)
    add_before_after(b, facts, found, as_of)
    return bool(circles or facts.agreements or facts.follow_ups)
