"""``diversion``: the suspensions, expulsions, citations and arrests the restorative route replaced.

Each consequence is its own count (suspension days are days, the others are cases), by month and
by incident type, with the cases whose original consequence was reinstated counted apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from circlekeeper.core.domain.enums import Diversion
from circlekeeper.core.reports.builder import ALL, ReportBuilder, SectionBuilder, count
from circlekeeper.core.reports.common import (
    ALL_LABEL,
    OTHER,
    OTHER_LABEL,
    merged,
    month_key,
    months,
    students_column,
)
from circlekeeper.core.reports.facts import Facts, Referral
from circlekeeper.core.reports.model import Chart, Column, Text, Unit
from circlekeeper.core.reports.referrals import incident_group, is_unmapped
from circlekeeper.core.reports.suppression import Fig

COLUMNS = (
    students_column("suspensions", "Suspensions replaced", "Suspensiones sustituidas"),
    Column(
        "suspension_days",
        Text("Suspension days replaced", "Días de suspensión sustituidos"),
        Unit.DAYS,
        counts_students=True,
    ),
    students_column("expulsions", "Expulsions replaced", "Expulsiones sustituidas"),
    students_column("citations", "Citations replaced", "Citaciones sustituidas"),
    students_column("arrests", "Arrests replaced", "Arrestos sustituidos"),
    students_column("reinstated", "Consequence reinstated", "Consecuencia restablecida"),
)
DEFINITIONS = (
    Text(
        "Replaced: a case referred in the period that the school diverted from a suspension, "
        "expulsion, citation or arrest to the restorative route, and whose original consequence "
        "was not reinstated. Counted once per case; suspension days are the days recorded on it.",
        "Sustituida: un caso remitido en el periodo que la escuela desvió de una suspensión, "
        "expulsión, citación o arresto a la vía restaurativa, sin que se restableciera la "
        "consecuencia original. Se cuenta una vez por caso; los días de suspensión son los "
        "registrados en él.",
    ),
    Text(
        "Consequence reinstated: diverted cases whose original consequence came back (the "
        "agreement was not kept).",
        "Consecuencia restablecida: casos desviados cuya consecuencia original se aplicó al final "
        "(no se cumplió el acuerdo).",
    ),
)


def diverted_cases(facts: Facts) -> list[Referral]:
    """One referral per diverted case in the period (the case's first responsible student)."""
    seen: dict[int, Referral] = {}
    for r in facts.referrals:
        if (
            facts.in_period(r.referred_on)
            and r.diverted_from != Diversion.NONE.value
            and r.case_id not in seen
        ):
            seen[r.case_id] = r
    return list(seen.values())


def _figures(s: SectionBuilder, group: str, cases: list[Referral]) -> dict[str, Fig]:
    kept = [r for r in cases if not r.reinstated]

    def n(kind: Diversion) -> int:
        return sum(1 for r in kept if r.diverted_from == kind.value)

    suspensions = [r for r in kept if r.diverted_from == Diversion.SUSPENSION.value]
    days = sum(r.amount or 0 for r in suspensions)
    return {
        "suspensions": count(len(suspensions)),
        "suspension_days": Fig(
            float(days),
            Unit.DAYS,
            students=len(suspensions),
            rests_on=(s.ref(group, "suspensions"),),
        ),
        "expulsions": count(n(Diversion.EXPULSION)),
        "citations": count(n(Diversion.CITATION)),
        "arrests": count(n(Diversion.ARREST)),
        "reinstated": count(sum(1 for r in cases if r.reinstated)),
    }


def _section(
    b: ReportBuilder,
    key: str,
    title: Text,
    cases: list[Referral],
    groups: list[tuple[str, Text]],
    group_of: Callable[[Referral], str],
    chart: Chart | None,
) -> SectionBuilder:
    s = b.section(key, title, COLUMNS, chart=chart, parts_of_all=True)
    for group, label in groups:
        s.row(group, label, _figures(s, group, [r for r in cases if group_of(r) == group]))
    s.row(ALL, ALL_LABEL, _figures(s, ALL, cases))
    return s


def add_diversion_sections(b: ReportBuilder, facts: Facts) -> list[Referral]:
    """The diversion tables (by month and by incident type); returns the cases diverted."""
    cases = diverted_cases(facts)
    month = _section(
        b,
        "diversion_by_month",
        Text("Consequences replaced, by month", "Consecuencias sustituidas por mes"),
        cases,
        [(key, label) for key, label, _first, _stop in months(facts.start, facts.end)],
        lambda r: month_key(r.referred_on),
        Chart(
            "bar",
            "suspension_days",
            Text("Suspension days replaced", "Días de suspensión sustituidos"),
        ),
    )
    labels: dict[str, Text] = {}
    counts: Counter[str] = Counter()
    for r in cases:
        key, label = incident_group(r)
        labels.setdefault(key, label)
        counts[key] += 1
    # A type still named by typed words, on too few cases, is counted under "other".
    shown_as = merged(
        counts, {incident_group(r)[0] for r in cases if is_unmapped(r)}, b.merge_below
    )
    groups = {
        shown_as[key]: (OTHER_LABEL if shown_as[key] == OTHER else label)
        for key, label in labels.items()
    }
    kind = _section(
        b,
        "diversion_by_incident_type",
        Text("Consequences replaced, by incident type", "Consecuencias sustituidas por tipo"),
        cases,
        sorted(groups.items(), key=lambda item: (item[0] == OTHER, item[1].en)),
        lambda r: shown_as[incident_group(r)[0]],
        None,
    )
    for column in COLUMNS:
        b.same(month.ref(ALL, column.measure), kind.ref(ALL, column.measure))
    return cases


def build(b: ReportBuilder, facts: Facts) -> bool:
    """The diversion report: suspensions, citations and arrests the restorative route replaced."""
    return bool(add_diversion_sections(b, facts))
