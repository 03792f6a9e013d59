"""The one-page summary of the school's MOU, in English and Spanish, for the annual review."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.export.templates import RenderResult, default_templates
from circlekeeper.core.export.views import SchoolView
from circlekeeper.core.sro import mou

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Agreement with the police (MOU): summary",
        "intro": "What the school's memorandum of understanding says about its school resource "
        "officer, as recorded in circlekeeper on",
        "lead": "May the officer lead a circle or conference?",
        "lead_no": "No. The officer may co-facilitate; a counselor or another staff member leads.",
        "discipline": "Does the officer take part in school discipline?",
        "discipline_no": "No. Diversion, consequences and closing a case are decided by educators.",
        "yes": "Yes, as the MOU sets out.",
        "law": "Incident types that are law-enforcement matters",
        "told": "What the officer may be told, and when",
        "admissions": "Can what a student admits in a conference be used for a citation or "
        "charge? (read at the opening when an officer takes part)",
        "review": "Reviewed each year by the school and the police department.",
        "school_sign": "For the school (name, signature, date)",
        "police_sign": "For the police department (name, signature, date)",
    },
    "es": {
        "title": "Acuerdo con la policía (MOU): resumen",
        "intro": "Lo que dice el memorando de entendimiento de la escuela sobre su oficial de "
        "recursos escolares, tal como consta en circlekeeper el",
        "lead": "¿Puede el o la oficial dirigir un círculo o una reunión restaurativa?",
        "lead_no": "No. El o la oficial puede cofacilitar; dirige un/a consejero/a u otro miembro "
        "del personal.",
        "discipline": "¿Participa el o la oficial en la disciplina escolar?",
        "discipline_no": "No. Las alternativas a la sanción, las consecuencias y el cierre de un "
        "caso los deciden los educadores.",
        "yes": "Sí, según lo establece el MOU.",
        "law": "Tipos de incidentes que corresponden a la policía",
        "told": "Qué se le puede informar al o a la oficial, y cuándo",
        "admissions": "¿Se puede usar lo que una persona estudiante admita en la reunión para "
        "una citación o un cargo? (se lee al comienzo cuando participa un/a oficial)",
        "review": "La escuela y el departamento de policía lo revisan cada año.",
        "school_sign": "Por la escuela (nombre, firma, fecha)",
        "police_sign": "Por el departamento de policía (nombre, firma, fecha)",
    },
}


@dataclass(frozen=True)
class MouSummaryView:
    """What the summary prints: the school's letterhead and its MOU as recorded."""

    school: SchoolView
    mou: mou.Mou
    printed_on: date
    strings: dict[str, dict[str, str]] = field(default_factory=lambda: STRINGS)


def mou_summary_view(sessions: sessionmaker[Session], today: date) -> MouSummaryView:
    """The summary of the MOU recorded in this database, dated ``today``."""
    from circlekeeper.core.agreements.views import school_view

    with sessions() as session:
        school = school_view(session)
    return MouSummaryView(school, mou.load(sessions), today)


def render_mou_summary(view: MouSummaryView, lang: str = "en") -> RenderResult:
    """The summary as HTML in ``lang`` ("en", "es" or "en+es")."""
    return default_templates().render_view("mou_summary.html", view, view.school, lang)


def mou_page_title(lang: str = "en") -> str:
    """The line at the foot of the page, in the document's own language(s)."""
    return " / ".join(STRINGS[part]["title"] for part in lang.split("+") if part in STRINGS)
