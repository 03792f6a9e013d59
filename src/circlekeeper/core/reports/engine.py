"""The one report engine the Reports area and ``circlekeeper report`` share.

``build_report`` checks the request (name, period, school, minimum cell size, who may see the
unsuppressed view), reads the rows once, lets the report add its sections, and applies
suppression to the whole report before anything leaves core.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.i18n import _
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.reports import (
    disclosures,
    diversion,
    equity,
    evaluation,
    referrals,
    restorative,
    rollup,
    sro,
    summary,
)
from circlekeeper.core.reports.builder import ReportBuilder
from circlekeeper.core.reports.common import empty_message, population, suppression_rule
from circlekeeper.core.reports.facts import (
    Facts,
    enrolled_by_school,
    known_schools,
    load_facts,
    load_population,
)
from circlekeeper.core.reports.model import Report, Text
from circlekeeper.core.reports.rollup import ROLLUP_REPORTS
from circlekeeper.core.schools import list_schools
from circlekeeper.core.store.types import utcnow

REPORT_NAMES: tuple[str, ...] = (
    "referrals",
    "restorative",
    "diversion",
    "equity",
    "board",
    "monthly",
    "fidelity",
    "surveys",
    "sro",
    "disclosures",
)
# Reports that show the SRO activity log and training records.
SRO_REPORTS = frozenset({"sro", "board"})
DEFAULT_MIN_CELL = 10
# Profiles whose role may see the internal view with nothing hidden.
UNSUPPRESSED_ROLES = frozenset({"counselor", "administrator"})

_TITLES = {
    "referrals": Text("Referrals (SWIS Big 5)", "Remisiones (los 5 grandes de SWIS)"),
    "restorative": Text("Restorative practice", "Prácticas restaurativas"),
    "diversion": Text(
        "Diversion from exclusion and arrest", "Alternativas a la exclusión y al arresto"
    ),
    "equity": Text("Equity review", "Revisión de equidad"),
    "board": Text(
        "Annual summary for the board and families",
        "Resumen anual para el consejo escolar y las familias",
    ),
    "monthly": Text("Monthly summary for the principal", "Resumen mensual para la dirección"),
    "fidelity": Text("Fidelity of circles and conferences", "Fidelidad de círculos y conferencias"),
    "surveys": Text("Participant surveys", "Encuestas de participantes"),
    "sro": Text(
        "School resource officer programme", "Programa de oficiales de recursos escolares (SRO)"
    ),
    "disclosures": Text(
        "Disclosures of student information", "Divulgaciones de información de estudiantes"
    ),
}
_DESCRIPTIONS = {
    "referrals": Text(
        "referrals per month and per 100 students per school day, by incident type, location, "
        "time of day and grade, and students with 1, 2-5 and 6+ referrals",
        "remisiones por mes y por cada 100 estudiantes por día escolar, por tipo de incidente, "
        "lugar, hora y grado, y estudiantes con 1, 2-5 y 6 o más remisiones",
    ),
    "restorative": Text(
        "circles by kind (proactive share), conferences, agreements by outcome, follow-ups on "
        "time, repeat referrals and referrals before and after a response",
        "círculos por tipo (proporción proactiva), conferencias, acuerdos por resultado, "
        "seguimientos a tiempo, nuevas remisiones y remisiones antes y después de una respuesta",
    ),
    "diversion": Text(
        "suspension days, expulsions, citations and arrests the restorative route replaced, by "
        "month and incident type",
        "días de suspensión, expulsiones, citaciones y arrestos sustituidos por la vía "
        "restaurativa, por mes y por tipo de incidente",
    ),
    "equity": Text(
        "each group's count, rate and risk ratio against all other students, for referrals, "
        "exclusions replaced, conferences offered and agreements completed",
        "el número, la tasa y la razón de riesgo de cada grupo frente a los demás estudiantes, "
        "para remisiones, exclusiones sustituidas, conferencias ofrecidas y acuerdos cumplidos",
    ),
    "board": Text(
        "the annual summary for the school board and families: key figures and charts",
        "el resumen anual para el consejo escolar y las familias: cifras clave y gráficos",
    ),
    "monthly": Text(
        "the principal's one-page monthly summary",
        "el resumen mensual de una página para la dirección",
    ),
    "fidelity": Text(
        "circles with a fidelity checklist, by kind, and how often each item of the practice "
        "was kept",
        "círculos con lista de verificación, por tipo, y con qué frecuencia se cumplió cada "
        "elemento de la práctica",
    ),
    "surveys": Text(
        "the anonymous participant surveys: how many answered, and whether people felt heard, "
        "safe and treated fairly, and would take part again",
        "las encuestas anónimas de participantes: cuántas personas respondieron y si se "
        "sintieron escuchadas, seguras y tratadas con justicia, y si volverían a participar",
    ),
    "sro": Text(
        "SRO hours by triad role and activity type, community engagement, training hours "
        "against the requirement, and citations and arrests by incident type and group",
        "horas del SRO por función y tipo de actividad, participación comunitaria, horas de "
        "formación frente al requisito, y citaciones y arrestos por tipo de incidente y grupo",
    ),
    "disclosures": Text(
        "how often students' information left the school (hand-offs and copies for sharing), "
        "by where it went, FERPA basis and month",
        "cuántas veces la información de estudiantes salió de la escuela (derivaciones y copias "
        "para compartir), por destino, fundamento de FERPA y mes",
    ),
}
_DEFINITIONS: dict[str, tuple[Text, ...]] = {
    "referrals": referrals.DEFINITIONS,
    "restorative": restorative.DEFINITIONS,
    "diversion": diversion.DEFINITIONS,
    "equity": equity.DEFINITIONS,
    "board": referrals.DEFINITIONS[:1]
    + restorative.DEFINITIONS[1:3]
    + diversion.DEFINITIONS[:1]
    + equity.DEFINITIONS[:1]
    + (sro.DEFINITIONS[0], sro.DEFINITIONS[2], sro.DEFINITIONS[4]),
    "monthly": referrals.DEFINITIONS + restorative.DEFINITIONS[1:3],
    "fidelity": restorative.DEFINITIONS[:1] + evaluation.FIDELITY_DEFINITIONS,
    "surveys": restorative.DEFINITIONS[:1] + evaluation.SURVEY_DEFINITIONS,
    "sro": sro.DEFINITIONS,
    "disclosures": disclosures.DEFINITIONS,
}
_BUILDERS: dict[str, Callable[[ReportBuilder, Facts, date], bool]] = {
    "referrals": lambda b, f, _d: referrals.build(b, f),
    "restorative": restorative.build,
    "diversion": lambda b, f, _d: diversion.build(b, f),
    "equity": lambda b, f, _d: equity.build(b, f),
    "board": summary.build_board,
    "monthly": summary.build_monthly,
    "sro": lambda b, f, _d: f.sro is not None and sro.build(b, f.sro, f.start),
}
# Reports that read rows of their own, beside the shared facts, in the same read session.
_OWN_ROWS: dict[str, Callable[[ReportBuilder, Session, Facts], bool]] = {
    "fidelity": evaluation.build_fidelity,
    "surveys": evaluation.build_surveys,
}
# Reports that read rows of their own and filter them by the school asked for themselves.
_OWN_ROWS_AT_SCHOOL: dict[str, Callable[[ReportBuilder, Session, Facts, str | None], bool]] = {
    "disclosures": disclosures.build_at,
}


def describe(name: str) -> Text:
    """One line saying what a report holds (for ``--list`` and the Reports area)."""
    return _DESCRIPTIONS[_check_name(name)]


def title(name: str) -> Text:
    """A report's title in English and Spanish."""
    return _TITLES[_check_name(name)]


def may_see_unsuppressed(viewer: Any) -> bool:
    """Whether a viewer may see the internal view with nothing hidden: the one place this is
    decided. Only counselor and administrator profiles may; no viewer at all may not."""
    return viewer is not None and getattr(viewer, "role", None) in UNSUPPRESSED_ROLES


def _check_name(name: str) -> str:
    if name not in REPORT_NAMES:
        raise InvalidInput(
            _(
                "There is no report called {name}. The reports are: {value}.",
                name=repr(name),
                value=", ".join(REPORT_NAMES),
            )
        )
    return name


def resolve_school(session: Session, school: str | None) -> str | None:
    """The school as this database spells it, or InvalidInput naming the schools it knows."""
    if school is None or not school.strip():
        return None
    schools = known_schools(session)
    wanted = " ".join(school.split()).casefold()
    for name in schools:
        if " ".join(name.split()).casefold() == wanted:
            return name
    known = "; ".join(schools) if schools else "none yet"
    raise InvalidInput(
        _(
            "There is no school called {school} in this database. Schools it knows: {known}.",
            school=repr(school),
            known=known,
        )
    )


def configured_min_cell(sessions: sessionmaker[Session]) -> int:
    """The school's chosen minimum cell size (Settings), or the default when none is set."""
    from circlekeeper.core.settings.settings import SettingsService

    text = SettingsService(sessions).load().report_min_cell.strip()
    return int(text) if text.isdigit() and int(text) >= 1 else DEFAULT_MIN_CELL


def set_min_cell(sessions: sessionmaker[Session], min_cell: int) -> None:
    """Save the school's minimum cell size for every report made here from now on."""
    from circlekeeper.core.settings.settings import SettingsService

    check_request(date.min, date.min, min_cell)
    service = SettingsService(sessions)
    settings = service.load()
    settings.report_min_cell = str(min_cell)
    service.save(settings)


def check_request(start: date, end: date, min_cell: int) -> None:
    """Refuse, in plain words, a period that ends before it starts, or a smallest figure
    shown below 1."""
    if start > end:
        raise InvalidInput(
            _(
                "The period starts ({value}) after it ends ({value2}). Give "
                "a start date on or before the end date.",
                value=start.isoformat(),
                value2=end.isoformat(),
            )
        )
    if min_cell < 1:
        raise InvalidInput(
            _(
                "The smallest figure shown must be at least 1 (it was "
                "{min_cell}). The usual choice is {default_min_cell}.",
                min_cell=min_cell,
                default_min_cell=DEFAULT_MIN_CELL,
            )
        )


def build_report(
    name: str,
    sessions: sessionmaker[Session],
    *,
    start: date,
    end: date,
    school: str | None = None,
    min_cell: int = DEFAULT_MIN_CELL,
    viewer: Any = None,
    unsuppressed: bool = False,
    as_of: date | None = None,
    by_school: bool = False,
) -> Report:
    """Build one report, suppressed unless a counselor or administrator asks for the internal
    view. ``as_of`` (default today) decides which follow-ups are overdue and which windows after
    a response have passed. ``by_school`` adds the district roll-up (one row per school and
    the district's total) to a district-wide report that compares schools."""
    _check_name(name)
    check_request(start, end, min_cell)
    if by_school and name not in ROLLUP_REPORTS:
        raise InvalidInput(
            _(
                "The {name} report has no row per school. These reports do: {value}.",
                name=name,
                value=", ".join(ROLLUP_REPORTS),
            )
        )
    if by_school and school is not None and school.strip():
        raise InvalidInput(
            _(
                "A row per school covers the whole district: choose all schools "
                "(leave out the school) to see it."
            )
        )
    if unsuppressed and not may_see_unsuppressed(viewer):
        raise InvalidInput(
            _(
                "The internal view with nothing hidden is only for counselor "
                "and administrator profiles. The published view (small "
                "numbers hidden) is available to everyone."
            )
        )
    with sessions() as session:
        school = resolve_school(session, school)
        demographics = name in ("equity", "board")
        if name == "sro":  # counts only the SRO log and training: the rest is not read
            facts = load_population(session, start, end, school)
        else:
            facts = load_facts(session, start, end, school, demographics=demographics)
        if name in SRO_REPORTS:
            from circlekeeper.core.sro.training import required_tenths

            facts = replace(facts, sro=sro.load(session, start, end, required_tenths(sessions)))
        builder = ReportBuilder(merge_below=0 if unsuppressed else min_cell)
        if name in _OWN_ROWS:
            has_data = _OWN_ROWS[name](builder, session, facts)
        elif name in _OWN_ROWS_AT_SCHOOL:
            has_data = _OWN_ROWS_AT_SCHOOL[name](builder, session, facts, school)
        else:
            has_data = _BUILDERS[name](builder, facts, as_of or date.today())
        if by_school and has_data:
            rollup.add_by_school(
                builder, facts, [(s.id, s.name) for s in list_schools(session)],
                enrolled_by_school(session),
            )  # fmt: skip
    sections = builder.finish(min_cell, unsuppressed=unsuppressed) if has_data else ()
    generated: datetime = utcnow()
    return Report(
        name=name,
        title=_TITLES[name],
        period_start=start,
        period_end=end,
        school=school,
        population=population(facts.enrolled, school),
        suppression=suppression_rule(min_cell, unsuppressed),
        min_cell=min_cell,
        sections=sections,
        definitions=_DEFINITIONS[name],
        generated_at=generated,
        empty_message=None if has_data else empty_message(start, end),
        unsuppressed=unsuppressed,
    )
