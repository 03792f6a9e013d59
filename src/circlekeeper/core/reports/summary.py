"""``board`` (the annual summary for the board and families) and ``monthly`` (the principal's
one-pager): key figures of the other reports, with a few of their tables and charts.

The key figures repeat figures shown in the tables below them, so each is tied to its table:
when suppression hides one, it hides the other.
"""

from __future__ import annotations

from datetime import date

from circlekeeper.core.domain.enums import AgreementStatus, Diversion
from circlekeeper.core.reports import diversion, equity, referrals, restorative, sro
from circlekeeper.core.reports.builder import ALL, ReportBuilder, count, ratio_of
from circlekeeper.core.reports.common import ALL_LABEL, plain_column, students_column
from circlekeeper.core.reports.facts import Facts, is_responsive
from circlekeeper.core.reports.model import Column, Text, Unit
from circlekeeper.core.reports.suppression import Fig

KEY_TITLE = Text("Key figures", "Cifras clave")

REFERRALS = students_column("referrals", "Referrals", "Remisiones")
STUDENTS = students_column("students_referred", "Students referred", "Estudiantes remitidos")
PER_100 = plain_column(
    "per_100_per_day",
    "Referrals per 100 students per school day",
    "Remisiones por cada 100 estudiantes por día escolar",
    Unit.RATE,
)
CIRCLES = plain_column("circles", "Circles held", "Círculos realizados", Unit.COUNT)
PROACTIVE = plain_column(
    "proactive_share", "Proactive circles", "Círculos proactivos", Unit.PERCENT
)
RESPONSES = students_column("responses", "Restorative responses", "Respuestas restaurativas")
COMPLETED = plain_column(
    "agreements_completed", "Agreements completed", "Acuerdos cumplidos", Unit.PERCENT
)
SUSPENSION_DAYS = Column(
    "suspension_days",
    Text("Suspension days replaced", "Días de suspensión sustituidos"),
    Unit.DAYS,
    counts_students=True,
)
CITATIONS = students_column("citations", "Citations replaced", "Citaciones sustituidas")
ARRESTS = students_column("arrests", "Arrests replaced", "Arrestos sustituidos")
FOLLOW_UPS_NOT_DONE = students_column(
    "follow_ups_not_done", "Follow-ups not done", "Seguimientos no hechos"
)


def _key_figures(b: ReportBuilder, facts: Facts, columns: tuple[Column, ...]) -> None:
    """One row of figures, each a copy of a figure in a table of the same report."""
    key = b.section("key_figures", KEY_TITLE, columns)
    period = [r for r in facts.referrals if facts.in_period(r.referred_on)]
    circles = restorative.period_circles(facts)
    proactive = sum(1 for c in circles if not is_responsive(c.kind, c.case_id))
    held = [c for c in circles if c.case_id is not None]
    status = [a.status for a in facts.agreements]
    done = sum(1 for s in status if s == AgreementStatus.COMPLETED.value)
    cases = diversion.diverted_cases(facts)
    kept = [r for r in cases if not r.reinstated]
    suspensions = [r for r in kept if r.diverted_from == Diversion.SUSPENSION.value]
    copies = {
        "referrals": (count(len(period)), ("per_month", ALL, "referrals")),
        "students_referred": (
            count(len({r.student_id for r in period})),
            ("students_by_count", ALL, "students"),
        ),
        "per_100_per_day": (
            Fig(None, Unit.RATE, rests_on=(("per_month", ALL, "per_100_per_day"),)),
            ("per_month", ALL, "per_100_per_day"),
        ),
        "circles": (count(len(circles), students=False), None),
        "proactive_share": (
            ratio_of(proactive, len(circles), Unit.PERCENT, (), scale=100),
            None,
        ),
        "responses": (count(len(held)), ("responses", ALL, "held")),
        "agreements_completed": (
            ratio_of(
                done,
                len(status),
                Unit.PERCENT,
                (("agreements", "completed", "agreements"), ("agreements", ALL, "agreements")),
                scale=100,
            ),
            None,
        ),
        "suspension_days": (
            Fig(
                float(sum(r.amount or 0 for r in suspensions)),
                Unit.DAYS,
                students=len(suspensions),
                rests_on=(("diversion_by_month", ALL, "suspensions"),),
            ),
            ("diversion_by_month", ALL, "suspension_days"),
        ),
        "citations": (
            count(sum(1 for r in kept if r.diverted_from == Diversion.CITATION.value)),
            ("diversion_by_month", ALL, "citations"),
        ),
        "arrests": (
            count(sum(1 for r in kept if r.diverted_from == Diversion.ARREST.value)),
            ("diversion_by_month", ALL, "arrests"),
        ),
        "follow_ups_not_done": (
            Fig(None, Unit.COUNT, rests_on=(("follow_ups", "not_done", "follow_ups"),)),
            ("follow_ups", "not_done", "follow_ups"),
        ),
    }
    figs = b.figures()
    row: dict[str, Fig] = {}
    for column in columns:
        fig, source = copies[column.measure]
        if source is not None and source in figs and fig.value is None:
            # A copy of a computed figure: take its value, and its fate, from the table.
            fig = Fig(figs[source].value, figs[source].unit, rests_on=(source,))
        row[column.measure] = fig
        if source is not None and source in figs:
            b.same(key.ref(ALL, column.measure), source)
    key.row(ALL, ALL_LABEL, row)


def build_board(b: ReportBuilder, facts: Facts, as_of: date) -> bool:
    """The board's annual summary: key figures and the main tables of every report."""
    found = referrals.add_referral_sections(b, facts, big5=False)
    referrals.add_students_by_count(b, found)
    circles = restorative.period_circles(facts)
    restorative.add_circle_purpose(b, circles)
    restorative.add_responses(b, facts)
    restorative.add_agreements(b, facts)
    diversion.add_diversion_sections(b, facts)
    equity.add_equity_sections(
        b, facts, events=("referrals", "exclusions_replaced"), dimensions=("race_ethnicity",)
    )
    if facts.sro is not None:
        sro.add_board_hours(b, facts.sro, facts.start)
    _key_figures(
        b,
        facts,
        (
            REFERRALS,
            STUDENTS,
            PER_100,
            CIRCLES,
            PROACTIVE,
            RESPONSES,
            COMPLETED,
            SUSPENSION_DAYS,
            CITATIONS,
            ARRESTS,
        ),
    )
    _key_first(b)
    officers = facts.sro is not None and bool(facts.sro.activities)
    return bool(found or circles or facts.agreements or officers)


def build_monthly(b: ReportBuilder, facts: Facts, as_of: date) -> bool:
    """The monthly page: referrals, circles, responses and follow-ups, with key figures."""
    found = referrals.add_referral_sections(b, facts)
    circles = restorative.period_circles(facts)
    restorative.add_circle_purpose(b, circles)
    restorative.add_responses(b, facts)
    restorative.add_follow_ups(b, facts, as_of)
    _key_figures(
        b,
        facts,
        (REFERRALS, STUDENTS, PER_100, CIRCLES, PROACTIVE, RESPONSES, FOLLOW_UPS_NOT_DONE),
    )
    _key_first(b)
    return bool(found or circles or facts.follow_ups)


def _key_first(b: ReportBuilder) -> None:
    b.sections.sort(key=lambda s: s.key != "key_figures")
