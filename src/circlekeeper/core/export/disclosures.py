"""A student's record of disclosures as a printable page, in English, Spanish or both, for a
parent's request to inspect it (34 CFR § 99.32)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.cases.handoffs import DisclosureRow
from circlekeeper.core.domain.handoffs import NOT_STATED, basis_label, kind_label
from circlekeeper.core.export.views import SchoolView


@dataclass(frozen=True)
class DisclosureLine:
    """One printed line; the labels are given in both languages, the template picks."""

    disclosed_on: date
    kind: dict[str, str]
    recipient: dict[str, str]
    shared: str
    basis: dict[str, str]
    reason: str
    disclosed_by: str


@dataclass(frozen=True)
class DisclosureRecordView:
    """What the printed record shows: the student, the day it was printed, every line."""

    student_name: str
    printed_on: date
    lines: list[DisclosureLine]
    school: SchoolView


def record_view(
    sessions: sessionmaker[Session], student_name: str, rows: list[DisclosureRow], today: date
) -> DisclosureRecordView:
    """The printable view of rows already read through the viewer-aware service."""
    from circlekeeper.core.agreements.views import school_view

    with sessions() as session:
        school = school_view(session)
    lines = [
        DisclosureLine(
            r.disclosed_on,
            {lang: kind_label(r.kind, lang) for lang in ("en", "es")},
            {lang: r.recipient or NOT_STATED[lang == "es"] for lang in ("en", "es")},
            r.shared,
            {lang: basis_label(r.basis, lang) for lang in ("en", "es")},
            r.reason or "",
            r.disclosed_by,
        )
        for r in rows
    ]
    return DisclosureRecordView(student_name, today, lines, school)


def render_disclosures(view: DisclosureRecordView, lang: str = "en") -> str:
    """The HTML of the record (the school's own ``disclosures.html`` wins when it works)."""
    from circlekeeper.core.export.templates import default_templates

    templates = default_templates()
    context, warnings = templates._context(view, view.school, lang, "school")
    return templates.render("disclosures.html", context, warnings).html


def disclosures_page_title(view: DisclosureRecordView, lang: str = "en") -> str:
    """The title of a student's record of disclosures in the chosen language(s)."""
    words = {"en": "Record of disclosures", "es": "Registro de divulgaciones"}
    parts = [words[p] for p in lang.split("+") if p in words] or [words["en"]]
    return f"{' / '.join(parts)} - {view.student_name}"
