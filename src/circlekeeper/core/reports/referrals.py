"""``referrals``: SWIS's Big 5 for restorative referrals.

Referrals per month (with referrals per school day and per 100 students per school day), by
incident type (with its SWIS problem behaviour), by location, by time of day, by grade, and how
many students had 1, 2-5 or 6 and more referrals.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from circlekeeper.core.cases.incidents import folded_words
from circlekeeper.core.reports.builder import ALL, ReportBuilder, SectionBuilder, count, ratio_of
from circlekeeper.core.reports.common import (
    ALL_LABEL,
    NOT_RECORDED,
    NOT_RECORDED_LABEL,
    OTHER,
    OTHER_LABEL,
    REFERRAL_DEFINITION,
    SCHOOL_DAYS_DEFINITION,
    SHARE,
    merged,
    month_key,
    months,
    plain_column,
    school_days,
    students_column,
)
from circlekeeper.core.reports.facts import Facts, Referral
from circlekeeper.core.reports.model import Chart, Text, Unit
from circlekeeper.core.roster.grades import grade_order

REFERRALS = students_column("referrals", "Referrals", "Remisiones")
DEFINITIONS = (
    REFERRAL_DEFINITION,
    SCHOOL_DAYS_DEFINITION,
    Text(
        "Referrals per 100 students per school day: referrals ÷ school days ÷ enrolled students "
        "× 100, so schools of different sizes compare.",
        "Remisiones por cada 100 estudiantes por día escolar: remisiones ÷ días escolares ÷ "
        "estudiantes matriculados × 100, para comparar escuelas de distinto tamaño.",
    ),
    Text(
        "Incident types follow the school's incident vocabulary; each is mapped to a SWIS problem "
        "behaviour (major or minor). Time of day is the hour the incident happened.",
        "Los tipos de incidente siguen el vocabulario de la escuela; cada uno corresponde a una "
        "conducta problema de SWIS (mayor o menor). La hora es la hora en que ocurrió el "
        "incidente.",
    ),
)


def period_referrals(facts: Facts) -> list[Referral]:
    """The referrals made within the report's period."""
    return [r for r in facts.referrals if facts.in_period(r.referred_on)]


def add_per_month(b: ReportBuilder, facts: Facts, referrals: list[Referral]) -> SectionBuilder:
    """Referrals per month, and per 100 students per school day (SWIS's first 'Big 5')."""
    enrolled = facts.enrolled
    s = b.section(
        "per_month",
        Text("Referrals per month", "Remisiones por mes"),
        (
            REFERRALS,
            plain_column("school_days", "School days", "Días escolares", Unit.DAYS),
            plain_column("per_day", "Per school day", "Por día escolar", Unit.RATE),
            plain_column(
                "per_100_per_day",
                "Per 100 students per school day",
                "Por cada 100 estudiantes por día escolar",
                Unit.RATE,
            ),
        ),
        chart=Chart(
            "line",
            "per_100_per_day",
            Text(
                "Referrals per 100 students per school day",
                "Remisiones por cada 100 estudiantes por día escolar",
            ),
        ),
        parts_of_all=True,
    )
    by_month = Counter(month_key(r.referred_on) for r in referrals)
    spans = [
        (key, label, school_days(first, stop))
        for key, label, first, stop in months(facts.start, facts.end)
    ]
    total_days = sum(days for _k, _l, days in spans)
    for key, label, days in [*spans, (ALL, ALL_LABEL, total_days)]:
        n = len(referrals) if key == ALL else by_month[key]
        mine = (s.ref(key, "referrals"),)
        s.row(
            key,
            label,
            {
                "referrals": count(n),
                "school_days": count(days, students=False),
                "per_day": ratio_of(n, days, Unit.RATE, mine),
                "per_100_per_day": ratio_of(n, days * enrolled, Unit.RATE, mine, scale=100),
            },
        )
    return s


def add_breakdown(
    b: ReportBuilder,
    key: str,
    title: Text,
    referrals: list[Referral],
    group_of: Callable[[Referral], tuple[str, Text]],
    *,
    order: Callable[[str], Any] | None = None,
    chart: bool = True,
    typed: Callable[[Referral], bool] | None = None,
) -> SectionBuilder:
    """A section counting referrals by one attribute, with each group's share of all.

    Groups named by typed words (``typed``) too rare to show are counted together as "other".
    """
    s = b.section(
        key,
        title,
        (REFERRALS, SHARE),
        chart=Chart("bar", "referrals", title) if chart else None,
        parts_of_all=True,
    )
    counts: Counter[str] = Counter()
    labels: dict[str, Text] = {}
    typed_groups: set[str] = set()
    for referral in referrals:
        group, label = group_of(referral)
        counts[group] += 1
        labels.setdefault(group, label)
        if typed is not None and group != NOT_RECORDED and typed(referral):
            typed_groups.add(group)
    shown_as = merged(counts, typed_groups, b.merge_below)
    if OTHER in shown_as.values():
        folded: Counter[str] = Counter()
        for group, n in counts.items():
            folded[shown_as[group]] += n
        counts = folded
        labels[OTHER] = OTHER_LABEL
    groups: Iterable[str] = (
        sorted(counts, key=order) if order else [g for g, _n in counts.most_common()]
    )
    total = len(referrals)
    last = [g for g in (OTHER, NOT_RECORDED) if g in counts]
    for group in [*[g for g in groups if g not in last], *last]:
        _share_row(s, group, labels[group], counts[group], total)
    _share_row(s, ALL, ALL_LABEL, total, total)
    return s


def _share_row(s: SectionBuilder, group: str, label: Text, n: int, total: int) -> None:
    rests = (s.ref(group, "referrals"), s.ref(ALL, "referrals"))
    s.row(
        group,
        label,
        {"referrals": count(n), "share": ratio_of(n, total, Unit.PERCENT, rests, scale=100)},
    )


def incident_group(r: Referral) -> tuple[str, Text]:
    """The row a referral counts in by incident type (its SWIS behaviour when mapped)."""
    if r.type_key == NOT_RECORDED:
        return NOT_RECORDED, NOT_RECORDED_LABEL
    en, es = r.type_label, r.type_label_es or r.type_label
    if r.swis_behavior:
        level_en = {"major": "major", "minor": "minor"}.get(r.swis_level or "", "")
        level_es = {"major": "mayor", "minor": "menor"}.get(r.swis_level or "", "")
        en += f" (SWIS: {r.swis_behavior}{', ' + level_en if level_en else ''})"
        es += f" (SWIS: {r.swis_behavior}{', ' + level_es if level_es else ''})"
    else:
        en += " (not yet mapped to SWIS)"
        es += " (sin correspondencia SWIS todavía)"
    return r.type_key, Text(en, es)


def state_group(r: Referral) -> tuple[str, Text]:
    """The row a referral counts in by state reporting category."""
    category = " ".join((r.state_category or "").split())
    if not category:
        return NOT_RECORDED, Text("No state category set", "Sin categoría estatal")
    return folded_words(category), Text(category, category)


def is_unmapped(r: Referral) -> bool:
    """A type no one has mapped yet is named by the words typed at intake."""
    return not r.swis_behavior


def location_group(r: Referral) -> tuple[str, Text]:
    """The row a referral counts in by place."""
    place = " ".join((r.location or "").split())
    if not place:
        return NOT_RECORDED, NOT_RECORDED_LABEL
    return folded_words(place), Text(place, place)


def hour_group(r: Referral) -> tuple[str, Text]:
    """The row a referral counts in by hour of the day."""
    if not r.time:
        return NOT_RECORDED, NOT_RECORDED_LABEL
    hour = int(r.time[:2])
    text = f"{hour:02d}:00–{hour:02d}:59"
    return f"{hour:02d}", Text(text, text)


def grade_group(r: Referral) -> tuple[str, Text]:
    """The row a referral counts in by the student's grade."""
    grade = (r.grade or "").strip()
    if not grade:
        return NOT_RECORDED, NOT_RECORDED_LABEL
    return grade, Text(f"Grade {grade}", f"Grado {grade}")


def _grade_order(grade: str) -> Any:
    # PK, TK, K, 1 ... 12 in school order (one rule, in core/roster/grades), then the rest.
    return (grade_order(grade), grade)


def add_students_by_count(b: ReportBuilder, referrals: list[Referral]) -> SectionBuilder:
    """How many students had 1, 2 to 5, or 6 or more referrals."""
    s = b.section(
        "students_by_count",
        Text("Students by number of referrals", "Estudiantes según su número de remisiones"),
        (students_column("students", "Students", "Estudiantes"), SHARE),
        chart=Chart(
            "bar",
            "students",
            Text("Students by number of referrals", "Estudiantes según su número de remisiones"),
        ),
        parts_of_all=True,
    )
    per_student = Counter(r.student_id for r in referrals)
    bands = (
        ("1", Text("1 referral", "1 remisión"), 1, 1),
        ("2-5", Text("2 to 5 referrals", "De 2 a 5 remisiones"), 2, 5),
        ("6+", Text("6 or more referrals", "6 remisiones o más"), 6, None),
    )
    total = len(per_student)
    for key, label, low, high in bands:
        n = sum(1 for c in per_student.values() if c >= low and (high is None or c <= high))
        _student_row(s, key, label, n, total)
    _student_row(s, ALL, Text("Students referred", "Estudiantes remitidos"), total, total)
    return s


def _student_row(s: SectionBuilder, group: str, label: Text, n: int, total: int) -> None:
    rests = (s.ref(group, "students"), s.ref(ALL, "students"))
    s.row(
        group,
        label,
        {"students": count(n), "share": ratio_of(n, total, Unit.PERCENT, rests, scale=100)},
    )


def add_referral_sections(b: ReportBuilder, facts: Facts, *, big5: bool = True) -> list[Referral]:
    """The Big 5 sections; the referrals totals shown in several of them are tied together."""
    referrals = period_referrals(facts)
    month = add_per_month(b, facts, referrals)
    incident = add_breakdown(
        b,
        "by_incident_type",
        Text("Referrals by incident type", "Remisiones por tipo de incidente"),
        referrals,
        incident_group,
        typed=is_unmapped,
    )
    sections = [incident]
    if any(r.state_category for r in referrals):
        # Only once the school has mapped its types to the state's reporting categories.
        sections.append(
            add_breakdown(
                b,
                "by_state_category",
                Text("Referrals by state reporting category", "Remisiones por categoría estatal"),
                referrals,
                state_group,
                chart=False,
            )
        )
    if big5:
        sections.append(
            add_breakdown(
                b,
                "by_location",
                Text("Referrals by location", "Remisiones por lugar"),
                referrals,
                location_group,
                typed=lambda _r: True,
            )
        )
        sections.append(
            add_breakdown(
                b,
                "by_time_of_day",
                Text("Referrals by time of day", "Remisiones por hora del día"),
                referrals,
                hour_group,
                order=str,
            )
        )
        sections.append(
            add_breakdown(
                b,
                "by_grade",
                Text("Referrals by grade", "Remisiones por grado"),
                referrals,
                grade_group,
                order=_grade_order,
                chart=False,
            )
        )
        add_students_by_count(b, referrals)
    for section in sections:
        b.same(month.ref(ALL, "referrals"), section.ref(ALL, "referrals"))
    return referrals


def build(b: ReportBuilder, facts: Facts) -> bool:
    """Add the referrals report's sections; False when the period has no referral at all."""
    referrals = add_referral_sections(b, facts)
    return bool(referrals)
