"""The district roll-up: one row per school and the district's total, for the district's reports.

Every figure goes through the same suppression as the rest of the report. The schools' rows
(with a row for records that name no school) add up to the district's row, so a school's
small figure that is hidden cannot be recovered by subtracting the others from the total:
the builder's complementary rule hides a second figure in that column, and the district
total is tied to the same total shown elsewhere in the report (referrals per month).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from circlekeeper.core.reports.builder import ALL, ReportBuilder, count, ratio_of
from circlekeeper.core.reports.common import plain_column, students_column
from circlekeeper.core.reports.facts import Facts
from circlekeeper.core.reports.model import Text, Unit
from circlekeeper.core.reports.suppression import Fig

SECTION = "by_school"
# The reports a district compares its schools on (the SRO log, surveys and the record of
# disclosures are not about a school's students in this way).
ROLLUP_REPORTS = ("referrals", "restorative", "diversion", "board", "monthly")
NO_SCHOOL = "no_school"
NO_SCHOOL_LABEL = Text("School not recorded", "Escuela sin registrar")
DISTRICT_LABEL = Text("District total", "Total del distrito")
NONE = "none"


def add_by_school(
    b: ReportBuilder,
    facts: Facts,
    schools: Sequence[tuple[int, str]],
    enrolled: dict[int | None, int],
) -> None:
    """Add the roll-up section for the district ``facts`` (read for every school)."""
    s = b.section(
        SECTION,
        Text("By school", "Por escuela"),
        (
            plain_column("enrolled", "Students enrolled", "Estudiantes matriculados", Unit.COUNT),
            students_column("students", "Students referred", "Estudiantes remitidos"),
            students_column("referrals", "Referrals", "Remisiones"),
            plain_column(
                "per_100",
                "Referrals per 100 students",
                "Remisiones por cada 100 estudiantes",
                Unit.RATE,
            ),
            students_column("diverted", "Referrals diverted", "Remisiones desviadas"),
            plain_column("circles", "Circles held", "Círculos realizados", Unit.COUNT),
            students_column("agreements", "Agreements made", "Acuerdos hechos"),
        ),  # fmt: skip
        note=Text(
            "Each school's row counts the records of that school; the district total counts "
            "them all.",
            "La fila de cada escuela cuenta los registros de esa escuela; el total del "
            "distrito los cuenta todos.",
        ),
        parts_of_all=True,
    )
    referrals = [r for r in facts.referrals if facts.in_period(r.referred_on)]
    by_referrals = Counter(r.school_id for r in referrals)
    by_students: dict[int | None, set[int]] = {}
    for r in referrals:
        by_students.setdefault(r.school_id, set()).add(r.student_id)
    by_diverted = Counter(r.school_id for r in referrals if r.diverted_from != NONE)
    by_circles = Counter(c.school_id for c in facts.circles)
    by_agreements = Counter(a.school_id for a in facts.agreements)

    rows: list[tuple[str, Text, int | None]] = [
        (f"school_{school_id}", Text(name, name), school_id) for school_id, name in schools
    ]
    unrecorded = enrolled.get(None, 0) + by_referrals[None] + by_circles[None] + by_agreements[None]
    if unrecorded:
        rows.append((NO_SCHOOL, NO_SCHOOL_LABEL, None))

    def figures(group: str, n_enrolled: int, students: int, n: int, diverted: int,
                circles: int, agreements: int) -> dict[str, Fig]:  # fmt: skip
        mine = (s.ref(group, "referrals"),)
        return {
            "enrolled": count(n_enrolled, students=False),
            "students": count(students, group_size=n_enrolled or None),
            "referrals": count(n),
            "per_100": ratio_of(n, n_enrolled, Unit.RATE, mine, scale=100),
            "diverted": count(diverted),
            "circles": count(circles, students=False),
            "agreements": count(agreements),
        }

    for group, label, school_id in rows:
        s.row(
            group,
            label,
            figures(
                group,
                enrolled.get(school_id, 0),
                len(by_students.get(school_id, set())),
                by_referrals[school_id],
                by_diverted[school_id],
                by_circles[school_id],
                by_agreements[school_id],
            ),
        )
    s.row(
        ALL,
        DISTRICT_LABEL,
        figures(
            ALL,
            sum(enrolled.values()),
            len({r.student_id for r in referrals}),
            len(referrals),
            sum(by_diverted.values()),
            len(facts.circles),
            len(facts.agreements),
        ),
    )
    # The district's referrals are shown again as the per-month table's total.
    if any(section.key == "per_month" for section in b.sections):
        b.same(s.ref(ALL, "referrals"), ("per_month", ALL, "referrals"))
    # A district reads the comparison of its schools first.
    b.sections.insert(0, b.sections.pop())
