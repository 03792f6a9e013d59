"""``sro``: a school resource officer programme's year in figures, and the board's SRO lines.

Hours by triad role and by activity type, community engagement with its attendance, training
hours by category and against the school's requirement, and citations and arrests by incident
type and by students' group. Hours and head counts are about the officers' time, not about
students, so they are shown whole; citations and arrests are each about one student, so small
ones are hidden and the rest suppressed so that a hidden one cannot be worked out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from circlekeeper.core.domain.sro import (
    CATEGORY_LABELS,
    COMMUNITY_TYPES,
    ENFORCEMENT_ACTIONS,
    ROLE_LABELS,
    TYPE_LABELS,
    ActivityType,
    TrainingCategory,
    TriadRole,
)
from circlekeeper.core.reports.builder import ALL, ReportBuilder, count, ratio_of
from circlekeeper.core.reports.common import (
    ALL_LABEL,
    NOT_RECORDED,
    NOT_RECORDED_LABEL,
    OTHER,
    OTHER_LABEL,
    merged,
    plain_column,
    students_column,
)
from circlekeeper.core.reports.equity import VALUE_LABELS_ES
from circlekeeper.core.reports.model import Text, Unit
from circlekeeper.core.reports.suppression import Fig
from circlekeeper.core.store.models import IncidentType, Person, SroActivity, TrainingRecord

NOT_GIVEN = "not_given"
NOT_GIVEN_LABEL = Text("Not given", "Sin indicar")


@dataclass(frozen=True)
class Activity:
    """One logged SRO activity, as the report counts it."""

    role: str
    activity_type: str
    minutes: int
    attendance: int | None
    incident_key: str | None
    incident_label: str | None
    incident_label_es: str | None
    incident_typed: bool | None  # a word from an old referral nobody has mapped yet
    race_ethnicity: str | None  # of the student an activity is about, when there is one


@dataclass(frozen=True)
class Training:
    """One training record, as the report counts it (hours in tenths)."""

    trainee: str
    category: str
    tenths: int
    completed_on: date


@dataclass(frozen=True)
class SroFacts:
    """Everything the SRO report counts: activities, training and the hours required."""

    activities: list[Activity]  # in the period
    training: list[Training]  # completed on or before the period's end
    required_tenths: int


def load(session: Session, start: date, end: date, required_tenths: int) -> SroFacts:
    """The period's activities and every training completed by its end, as plain rows."""
    query = (
        select(
            SroActivity.role,
            SroActivity.activity_type,
            SroActivity.minutes,
            SroActivity.attendance,
            IncidentType.key,
            IncidentType.label,
            IncidentType.label_es,
            IncidentType.needs_mapping,
            Person.race_ethnicity,
        )
        .outerjoin(IncidentType, IncidentType.id == SroActivity.incident_type_id)
        .outerjoin(Person, Person.id == SroActivity.student_id)
        .where(SroActivity.on_date >= start, SroActivity.on_date <= end)
    )
    activities = [Activity(*row) for row in session.execute(query)]
    training = [
        Training(*row)
        for row in session.execute(
            select(
                TrainingRecord.trainee,
                TrainingRecord.category,
                TrainingRecord.tenths,
                TrainingRecord.completed_on,
            ).where(TrainingRecord.completed_on <= end)
        )
    ]
    return SroFacts(activities, training, required_tenths)


ACTIVITIES = plain_column("activities", "Activities", "Actividades", Unit.COUNT)
HOURS = plain_column("hours", "Hours", "Horas", Unit.HOURS)
ATTENDANCE = plain_column("attendance", "People attending", "Asistentes", Unit.COUNT)
EVENTS = plain_column("events", "Events", "Eventos", Unit.COUNT)
COURSES = plain_column("courses", "Courses", "Cursos", Unit.COUNT)
PEOPLE = plain_column("people", "People with training", "Personas con formación", Unit.COUNT)
MET = plain_column(
    "met", "People who met the requirement", "Personas que cumplen el requisito", Unit.COUNT
)
REQUIRED = plain_column("required_hours", "Hours required", "Horas requeridas", Unit.HOURS)
MET_SHARE = plain_column("met_share", "Share who met it", "Proporción que lo cumple", Unit.PERCENT)
CITATIONS = students_column("citations", "Citations", "Citaciones")
ARRESTS = students_column("arrests", "Arrests", "Arrestos")
OUTREACH_HOURS = plain_column(
    "outreach_hours", "SRO outreach hours", "Horas de participación comunitaria del SRO", Unit.HOURS
)
COMMUNITY_ATTENDANCE = plain_column(
    "community_attendance",
    "People at community events",
    "Asistentes a eventos comunitarios",
    Unit.COUNT,
)
TRAINING_HOURS = plain_column("training_hours", "Training hours", "Horas de formación", Unit.HOURS)

DEFINITIONS = (
    Text(
        "Hours by role: the minutes an officer logged for each activity in the period, under "
        "the role chosen for it (law enforcement; informal counseling and mentoring; education "
        "and outreach), in hours.",
        "Horas por función: los minutos que un oficial registró para cada actividad del periodo, "
        "según la función elegida (aplicación de la ley; orientación informal y mentoría; "
        "educación y participación comunitaria), en horas.",
    ),
    Text(
        "Community engagement: community forums, parent nights and student panels; people "
        "attending is the head count logged for each (no names are kept).",
        "Participación comunitaria: foros comunitarios, noches para familias y paneles "
        "estudiantiles; los asistentes son el recuento anotado en cada uno (no se guardan "
        "nombres).",
    ),
    Text(
        "Training: courses completed in the period, by category. The requirement counts every "
        "course a person completed up to the end of the period against the hours the school "
        "requires.",
        "Formación: cursos terminados en el periodo, por categoría. El requisito suma todos los "
        "cursos que cada persona terminó hasta el final del periodo frente a las horas que "
        "exige la escuela.",
    ),
    Text(
        "Citations and arrests: those the officers logged in the period, by the incident type "
        "given and by the group of the student each was about. Small numbers are hidden.",
        "Citaciones y arrestos: los que los oficiales registraron en el periodo, por tipo de "
        "incidente y por el grupo de la persona estudiante. Se ocultan las cifras pequeñas.",
    ),
    Text(
        "The SRO log and training records are kept for the whole installation, not per school: "
        "choosing a school does not narrow these figures.",
        "El registro del SRO y la formación se llevan para toda la instalación, no por escuela: "
        "elegir una escuela no cambia estas cifras.",
    ),
)


def _hours(minutes: int) -> Fig:
    return Fig(round(minutes / 60, 2), Unit.HOURS)


def _tenths(tenths: int) -> Fig:
    return Fig(tenths / 10, Unit.HOURS)


def _plain(value: int) -> Fig:
    return count(value, students=False)


def add_hours_by_role(b: ReportBuilder, facts: SroFacts) -> None:
    """Hours by role of the triad (law enforcement, mentoring, education)."""
    section = b.section(
        "sro_hours_by_role",
        Text("Hours by role", "Horas por función"),
        (ACTIVITIES, HOURS),
        parts_of_all=True,
    )
    for role in TriadRole:
        mine = [a for a in facts.activities if a.role == role.value]
        en, es = ROLE_LABELS[role]
        section.row(
            role.value,
            Text(en, es),
            {"activities": _plain(len(mine)), "hours": _hours(sum(a.minutes for a in mine))},
        )
    section.row(
        ALL,
        ALL_LABEL,
        {
            "activities": _plain(len(facts.activities)),
            "hours": _hours(sum(a.minutes for a in facts.activities)),
        },
    )


def add_hours_by_type(b: ReportBuilder, facts: SroFacts) -> None:
    """Hours and attendance by activity type."""
    section = b.section(
        "sro_hours_by_type",
        Text("Hours by activity type", "Horas por tipo de actividad"),
        (ACTIVITIES, HOURS, ATTENDANCE),
        parts_of_all=True,
    )
    for kind in ActivityType:
        mine = [a for a in facts.activities if a.activity_type == kind.value]
        if not mine:
            continue
        en, es = TYPE_LABELS[kind]
        section.row(
            kind.value,
            Text(en, es),
            {
                "activities": _plain(len(mine)),
                "hours": _hours(sum(a.minutes for a in mine)),
                "attendance": _plain(sum(a.attendance or 0 for a in mine)),
            },
        )
    section.row(
        ALL,
        ALL_LABEL,
        {
            "activities": _plain(len(facts.activities)),
            "hours": _hours(sum(a.minutes for a in facts.activities)),
            "attendance": _plain(sum(a.attendance or 0 for a in facts.activities)),
        },
    )


def add_community(b: ReportBuilder, facts: SroFacts) -> None:
    """Community engagement: events, hours and attendance."""
    section = b.section(
        "sro_community",
        Text("Community engagement", "Participación comunitaria"),
        (EVENTS, HOURS, ATTENDANCE),
        parts_of_all=True,
    )
    community = [a for a in facts.activities if a.activity_type in COMMUNITY_TYPES]
    for kind in sorted(COMMUNITY_TYPES):
        mine = [a for a in community if a.activity_type == kind.value]
        en, es = TYPE_LABELS[kind]
        section.row(
            kind.value,
            Text(en, es),
            {
                "events": _plain(len(mine)),
                "hours": _hours(sum(a.minutes for a in mine)),
                "attendance": _plain(sum(a.attendance or 0 for a in mine)),
            },
        )
    section.row(
        ALL,
        ALL_LABEL,
        {
            "events": _plain(len(community)),
            "hours": _hours(sum(a.minutes for a in community)),
            "attendance": _plain(sum(a.attendance or 0 for a in community)),
        },
    )


def add_training(b: ReportBuilder, facts: SroFacts, start: date) -> None:
    """Training completed in the period: courses and hours by category."""
    period = [t for t in facts.training if t.completed_on >= start]
    section = b.section(
        "sro_training",
        Text("Training completed in the period", "Formación terminada en el periodo"),
        (COURSES, HOURS),
        parts_of_all=True,
    )
    for category in TrainingCategory:
        mine = [t for t in period if t.category == category.value]
        en, es = CATEGORY_LABELS[category]
        section.row(
            category.value,
            Text(en, es),
            {"courses": _plain(len(mine)), "hours": _tenths(sum(t.tenths for t in mine))},
        )
    section.row(
        ALL,
        ALL_LABEL,
        {"courses": _plain(len(period)), "hours": _tenths(sum(t.tenths for t in period))},
    )
    totals: Counter[str] = Counter()
    for t in facts.training:
        totals[t.trainee.strip().casefold()] += t.tenths
    met = sum(1 for tenths in totals.values() if tenths >= facts.required_tenths)
    requirement = b.section(
        "sro_training_requirement",
        Text("Training against the requirement", "Formación frente al requisito"),
        (PEOPLE, MET, REQUIRED, MET_SHARE),
    )
    requirement.row(
        ALL,
        ALL_LABEL,
        {
            "people": _plain(len(totals)),
            "met": _plain(met),
            "required_hours": _tenths(facts.required_tenths),
            "met_share": ratio_of(met, len(totals), Unit.PERCENT, (), scale=100),
        },
    )


def _fold_typed(
    groups: dict[str, tuple[Text, list[Activity]]], typed: set[str], below: int
) -> dict[str, tuple[Text, list[Activity]]]:
    """Groups named by words someone typed, with fewer actions than ``below``, as "other"
    (the reports' one rule, :func:`merged`: a typed name must not reach a published report)."""
    shown_as = merged({g: len(rows) for g, (_l, rows) in groups.items()}, typed, below)
    folded: dict[str, tuple[Text, list[Activity]]] = {}
    for group, (label, rows) in groups.items():
        key = shown_as[group]
        folded.setdefault(key, (OTHER_LABEL if key == OTHER else label, []))[1].extend(rows)
    last = [g for g in (OTHER, NOT_GIVEN, NOT_RECORDED) if g in folded]
    return {g: folded[g] for g in [*[g for g in folded if g not in last], *last]}


def _enforcement(
    b: ReportBuilder,
    key: str,
    title: Text,
    groups: dict[str, tuple[Text, list[Activity]]],
    actions: list[Activity],
) -> None:
    section = b.section(key, title, (CITATIONS, ARRESTS), parts_of_all=True)
    for group, (label, mine) in groups.items():
        section.row(group, label, _enforcement_figs(mine))
    section.row(ALL, ALL_LABEL, _enforcement_figs(actions))


def _enforcement_figs(actions: list[Activity]) -> dict[str, Fig]:
    return {
        "citations": count(sum(1 for a in actions if a.activity_type == ActivityType.CITATION)),
        "arrests": count(sum(1 for a in actions if a.activity_type == ActivityType.ARREST)),
    }


def add_enforcement(b: ReportBuilder, facts: SroFacts) -> None:
    """Citations and arrests by incident type and by group."""
    actions = [a for a in facts.activities if a.activity_type in ENFORCEMENT_ACTIONS]
    by_type: dict[str, tuple[Text, list[Activity]]] = {}
    for a in sorted(actions, key=lambda a: (a.incident_label is None, a.incident_label or "")):
        key = a.incident_key or NOT_GIVEN
        label = (
            Text(a.incident_label, a.incident_label_es or a.incident_label)
            if a.incident_label
            else NOT_GIVEN_LABEL
        )
        by_type.setdefault(key, (label, []))[1].append(a)
    typed = {a.incident_key for a in actions if a.incident_typed and a.incident_key}
    by_type = _fold_typed(by_type, typed, b.merge_below)
    _enforcement(
        b,
        "sro_enforcement_by_incident",
        Text(
            "Citations and arrests by incident type", "Citaciones y arrestos por tipo de incidente"
        ),
        by_type,
        actions,
    )
    by_group: dict[str, tuple[Text, list[Activity]]] = {}
    for a in sorted(actions, key=lambda a: (a.race_ethnicity is None, a.race_ethnicity or "")):
        group = a.race_ethnicity or NOT_RECORDED
        label = (
            Text(group, VALUE_LABELS_ES.get(group, group))
            if a.race_ethnicity
            else NOT_RECORDED_LABEL
        )
        by_group.setdefault(group, (label, []))[1].append(a)
    # A group in the directory's own words (not a standard category) is typed text too.
    typed_groups = {g for g in by_group if g != NOT_RECORDED and g not in VALUE_LABELS_ES}
    by_group = _fold_typed(by_group, typed_groups, b.merge_below)
    _enforcement(
        b,
        "sro_enforcement_by_group",
        Text(
            "Citations and arrests by race/ethnicity",
            "Citaciones y arrestos por raza/etnia",
        ),
        by_group,
        actions,
    )
    # The same totals in two tables: hiding one hides the other.
    for measure in ("citations", "arrests"):
        b.same(
            ("sro_enforcement_by_incident", ALL, measure),
            ("sro_enforcement_by_group", ALL, measure),
        )


def build(b: ReportBuilder, facts: SroFacts, start: date) -> bool:
    """The ``sro`` report's sections; False when the period holds nothing to count."""
    period_training = [t for t in facts.training if t.completed_on >= start]
    if not facts.activities and not period_training:
        return False
    add_hours_by_role(b, facts)
    add_hours_by_type(b, facts)
    add_community(b, facts)
    add_training(b, facts, start)
    add_enforcement(b, facts)
    return True


def add_board_hours(b: ReportBuilder, facts: SroFacts, start: date) -> None:
    """The board report's line: the officers' outreach hours and the period's training hours."""
    outreach = [a for a in facts.activities if a.role == TriadRole.OUTREACH.value]
    community = [a for a in facts.activities if a.activity_type in COMMUNITY_TYPES]
    period_training = [t for t in facts.training if t.completed_on >= start]
    section = b.section(
        "sro_outreach_training",
        Text("Outreach and training", "Participación comunitaria y formación"),
        (OUTREACH_HOURS, COMMUNITY_ATTENDANCE, TRAINING_HOURS),
    )
    section.row(
        ALL,
        ALL_LABEL,
        {
            "outreach_hours": _hours(sum(a.minutes for a in outreach)),
            "community_attendance": _plain(sum(a.attendance or 0 for a in community)),
            "training_hours": _tenths(sum(t.tenths for t in period_training)),
        },
    )
