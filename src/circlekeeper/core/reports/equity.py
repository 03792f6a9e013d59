"""``equity``: who is referred, excluded, offered a conference and completes an agreement.

For each group (race/ethnicity, gender, disability/IEP, English learner, low income): how many
enrolled students it has, how many experienced the event, its risk index (the share of its
enrolled students who did) and its risk ratio against the named comparison group, all other
students. A group with no enrolled students has no denominator, and says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from circlekeeper.core.domain.enums import AgreementStatus, Diversion
from circlekeeper.core.reports.builder import ALL, ReportBuilder, SectionBuilder, count
from circlekeeper.core.reports.common import (
    ALL_LABEL,
    NOT_RECORDED,
    NOT_RECORDED_LABEL,
    OTHER,
    merged,
)
from circlekeeper.core.reports.facts import Facts, Student
from circlekeeper.core.reports.model import Chart, Column, Text, Unit
from circlekeeper.core.reports.suppression import Fig

COMPARISON = Text("all other students", "todos los demás estudiantes")
NO_DENOMINATOR = Text("no denominator", "sin denominador")
OTHER_GROUPS = Text("Other groups (each too small to name)", "Otros grupos (cada uno muy pequeño)")

_VALUES = {
    "Hispanic or Latino": "Hispano o latino",
    "White": "Blanco",
    "Black or African American": "Negro o afroamericano",
    "Asian": "Asiático",
    "Middle Eastern or North African": "De Oriente Medio o del norte de África",
    "American Indian or Alaska Native": "Indígena de las Américas o nativo de Alaska",
    "Native Hawaiian or Other Pacific Islander": "Nativo de Hawái o de otras islas del Pacífico",
    "Two or more races": "Dos o más razas",
    "Female": "Femenino",
    "Male": "Masculino",
    "Nonbinary": "No binario",
}

# The Spanish of each recorded group value, for every report that breaks figures down by group.
VALUE_LABELS_ES = _VALUES

Value = Callable[[Student], str | bool | None]
DIMENSIONS: tuple[tuple[str, Text, Value], ...] = (
    ("race_ethnicity", Text("race/ethnicity", "raza/etnia"), lambda s: s.race_ethnicity),
    ("gender", Text("gender", "género"), lambda s: s.gender),
    ("disability", Text("disability (IEP)", "discapacidad (IEP)"), lambda s: s.disability),
    (
        "english_learner",
        Text("English learner", "estudiante de inglés"),
        lambda s: s.english_learner,
    ),
    ("low_income", Text("low income", "bajos ingresos"), lambda s: s.low_income),
)

EVENTS = (
    ("referrals", Text("Referred", "Remitidos")),
    ("exclusions_replaced", Text("Exclusion replaced", "Exclusión sustituida")),
    (
        "conferences_offered",
        Text("Offered a conference or circle", "Con conferencia o círculo ofrecido"),
    ),
    ("agreements_completed", Text("Completed an agreement", "Cumplieron un acuerdo")),
)

COLUMNS = (
    Column("enrolled", Text("Enrolled", "Matriculados"), Unit.COUNT, counts_students=True),
    Column("students", Text("Students", "Estudiantes"), Unit.COUNT, counts_students=True),
    Column("risk_index", Text("Risk index", "Índice de riesgo"), Unit.PERCENT),
    Column(
        "risk_ratio",
        Text("Risk ratio (vs all other students)", "Razón de riesgo (frente a los demás)"),
        Unit.RATIO,
    ),
)

DEFINITIONS = (
    Text(
        "Risk index: the share of a group's enrolled students who experienced the event in the "
        "period. Risk ratio: the group's risk index divided by that of all other students (the "
        "comparison group); above about 2 is a usual flag for a closer look.",
        "Índice de riesgo: la proporción de estudiantes matriculados de un grupo a quienes les "
        "ocurrió el hecho en el periodo. Razón de riesgo: el índice del grupo dividido entre el "
        "de todos los demás estudiantes (el grupo de comparación); por encima de 2 suele "
        "merecer una revisión.",
    ),
    Text(
        "Enrolment (the denominator) is the active students in the people directory. Students "
        "are counted in the group recorded for them now; a group with no enrolled student has "
        "no denominator, so no rate.",
        "La matrícula (el denominador) son los estudiantes activos del directorio de personas. "
        "Cada estudiante se cuenta en el grupo que tiene registrado ahora; un grupo sin "
        "estudiantes matriculados no tiene denominador, así que no tiene tasa.",
    ),
    Text(
        "Exclusion replaced: a suspension or expulsion diverted to the restorative route and not "
        "reinstated. Offered: a conference or harm-and-repair circle planned for the referral.",
        "Exclusión sustituida: una suspensión o expulsión desviada a la vía restaurativa y no "
        "restablecida. Ofrecida: una conferencia o un círculo de daño y reparación planificado "
        "para la remisión.",
    ),
)


def event_students(facts: Facts) -> dict[str, set[int]]:
    """For each event, the students it happened to in the period."""
    referred = [r for r in facts.referrals if facts.in_period(r.referred_on)]
    completed = {a.case_id for a in facts.agreements if a.status == AgreementStatus.COMPLETED.value}
    exclusions = (Diversion.SUSPENSION.value, Diversion.EXPULSION.value)
    return {
        "referrals": {r.student_id for r in referred},
        "exclusions_replaced": {
            r.student_id for r in referred if r.diverted_from in exclusions and not r.reinstated
        },
        "conferences_offered": {r.student_id for r in referred if r.case_id in facts.offered},
        "agreements_completed": {r.student_id for r in facts.referrals if r.case_id in completed},
    }


def _group(value: str | bool | None) -> tuple[str, Text]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return NOT_RECORDED, NOT_RECORDED_LABEL
    if isinstance(value, bool):
        return ("yes", Text("Yes", "Sí")) if value else ("no", Text("No", "No"))
    text = value.strip()
    return text, Text(text, _VALUES.get(text, text))


def _grouped(raw: Counter[str | bool | None], labels: dict[str, Text]) -> Counter[str]:
    grouped: Counter[str] = Counter()
    for recorded, n in raw.items():
        group, label = _group(recorded)
        grouped[group] += n
        labels.setdefault(group, label)
    return grouped


def _fold(counts: Counter[str], shown_as: dict[str, str]) -> Counter[str]:
    folded: Counter[str] = Counter()
    for group, n in counts.items():
        folded[shown_as.get(group, group)] += n
    return folded


def add_equity_section(
    b: ReportBuilder,
    facts: Facts,
    event: str,
    event_label: Text,
    dimension: str,
    dimension_label: Text,
    value: Value,
    students: set[int],
    enrolment: Counter[str | bool | None],
) -> SectionBuilder:
    """One equity table: the risk index of each group and its risk ratio against all other
    students."""
    s = b.section(
        f"{event}_{dimension}",
        Text(
            f"{event_label.en}, by {dimension_label.en}",
            f"{event_label.es}, por {dimension_label.es}",
        ),
        COLUMNS,
        note=Text(f"Comparison group: {COMPARISON.en}.", f"Grupo de comparación: {COMPARISON.es}."),
        chart=Chart(
            "bar",
            "risk_ratio",
            Text(
                f"Risk ratio by {dimension_label.en}", f"Razón de riesgo por {dimension_label.es}"
            ),
        ),
        parts_of_all=True,
    )
    # Counted by the recorded value first (a handful of distinct ones), then grouped.
    labels: dict[str, Text] = {}
    enrolled = _grouped(enrolment, labels)
    happened = _grouped(
        Counter(value(known) if known else None for known in map(facts.demographics.get, students)),
        labels,
    )
    # A group named in the directory's own words (not a standard category) with fewer enrolled
    # students than the minimum is counted as "other": its name alone could point to someone.
    typed = {g for g in labels if g not in _VALUES and g not in (NOT_RECORDED, "yes", "no")}
    shown_as = merged({g: enrolled[g] for g in labels}, typed, b.merge_below)
    if OTHER in shown_as.values():
        enrolled, happened = _fold(enrolled, shown_as), _fold(happened, shown_as)
        labels = {shown_as[g]: label for g, label in labels.items()}
        labels[OTHER] = OTHER_GROUPS
    total_enrolled, total = sum(enrolled.values()), sum(happened.values())
    groups = sorted(
        labels,
        key=lambda g: (g in (OTHER, NOT_RECORDED), g == NOT_RECORDED, -enrolled[g], labels[g].en),
    )
    all_refs = (s.ref(ALL, "students"), s.ref(ALL, "enrolled"))
    for group in groups:
        n, size = happened[group], enrolled[group]
        label = labels[group]
        if size == 0:
            label = Text(f"{label.en} ({NO_DENOMINATOR.en})", f"{label.es} ({NO_DENOMINATOR.es})")
        own = (s.ref(group, "students"), s.ref(group, "enrolled"))
        others, others_size = total - n, total_enrolled - size
        index = n / size * 100 if size else None
        ratio = None
        if size and others_size and others:
            ratio = (n / size) / (others / others_size)
        s.row(
            group,
            label,
            {
                "enrolled": count(size) if size else Fig(None, Unit.COUNT, students=0),
                "students": count(n, group_size=size or None),
                "risk_index": Fig(index, Unit.PERCENT, rests_on=own),
                # The comparison is the total less this group: hidden with any of the four.
                "risk_ratio": Fig(ratio, Unit.RATIO, rests_on=own + all_refs),
            },
        )
    s.row(
        ALL,
        ALL_LABEL,
        {
            "enrolled": count(total_enrolled),
            "students": count(total, group_size=total_enrolled or None),
            "risk_index": Fig(
                total / total_enrolled * 100 if total_enrolled else None,
                Unit.PERCENT,
                rests_on=all_refs,
            ),
            "risk_ratio": Fig(None, Unit.RATIO),
        },
    )
    return s


def add_equity_sections(
    b: ReportBuilder,
    facts: Facts,
    *,
    events: tuple[str, ...] | None = None,
    dimensions: tuple[str, ...] | None = None,
) -> dict[str, set[int]]:
    """The equity tables for each event (referred, diverted, ...) and each kind of group."""
    found = event_students(facts)
    # Enrolment by recorded value, counted once per dimension for all four events.
    enrolment = {
        dimension: Counter(value(p) for p in facts.students.values())
        for dimension, _label, value in DIMENSIONS
        if dimensions is None or dimension in dimensions
    }
    for event, event_label in EVENTS:
        if events is not None and event not in events:
            continue
        sections = []
        for dimension, dimension_label, value in DIMENSIONS:
            if dimensions is not None and dimension not in dimensions:
                continue
            sections.append(
                add_equity_section(
                    b,
                    facts,
                    event,
                    event_label,
                    dimension,
                    dimension_label,
                    value,
                    found[event],
                    enrolment[dimension],
                )
            )
        # Every dimension splits the same students: its totals are one figure.
        for section in sections[1:]:
            b.same(sections[0].ref(ALL, "students"), section.ref(ALL, "students"))
            b.same(sections[0].ref(ALL, "enrolled"), section.ref(ALL, "enrolled"))
    return found


def build(b: ReportBuilder, facts: Facts) -> bool:
    """The equity report: who is referred and diverted, group by group."""
    found = add_equity_sections(b, facts)
    return bool(found["referrals"])
