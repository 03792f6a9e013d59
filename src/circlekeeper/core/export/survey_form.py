"""The printable participant survey: one anonymous form per person, in English, Spanish or both.

The form names no one and has no line for a name; it carries only the school, the day and a
short reference to the circle, so the keeper can type the answers in later (``Enter printed
surveys``) under the right circle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.agreements.views import local_date, school_view
from circlekeeper.core.domain.surveys import (
    ANSWERS,
    INTRODUCTION,
    QUESTIONS,
    Bilingual,
    SurveyAnswer,
    SurveyQuestion,
)
from circlekeeper.core.evaluation.fidelity import PRESENT, takes_part
from circlekeeper.core.export.templates import LANGS, RenderResult, default_templates
from circlekeeper.core.export.views import SchoolView
from circlekeeper.core.i18n import _
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.models import Circle, Participant

MAX_COPIES = 200
TITLE = Bilingual("Circle survey", "Encuesta del círculo")
# Neutral Spanish (neither tú nor usted): the same form goes to students and to parents.
NO_NAME = Bilingual("Please write no name on this form.", "Esta hoja no lleva ningún nombre.")
HOW = Bilingual("Mark one box for each statement.", "Se marca una casilla en cada afirmación.")


@dataclass(frozen=True)
class SurveyFormView:
    """What the printable survey form shows: the school, the circle's reference, the statements."""

    school: SchoolView
    reference: str  # the first characters of the circle's uuid
    held_on: date | None
    copies: int
    title: Bilingual
    introduction: Bilingual
    no_name: Bilingual
    how: Bilingual
    questions: tuple[Bilingual, ...]
    answers: tuple[Bilingual, ...]


def survey_form_view(
    sessions: sessionmaker[Session], circle_id: int, *, copies: int | None = None
) -> SurveyFormView:
    """The form for one circle: by default one copy per person taking part (present once held)."""
    with sessions() as session:
        circle = session.get(Circle, circle_id)
        if circle is None:
            raise NotFound(
                _("There is no circle with id {circle_id} in this database.", circle_id=circle_id)
            )
        if copies is None:
            rows = session.execute(
                select(Participant.role, Participant.attendance).where(
                    Participant.circle_id == circle.id
                )
            ).all()
            held = circle.status == "completed"
            copies = sum(
                1 for role, att in rows if takes_part(role) and (not held or att in PRESENT)
            )
        if not 1 <= copies <= MAX_COPIES:
            raise InvalidInput(
                _(
                    "Print between 1 and {max_copies} forms (asked for "
                    "{copies}). Give the number of people who will answer.",
                    max_copies=MAX_COPIES,
                    copies=copies,
                )
            )
        return SurveyFormView(
            school=school_view(session),
            reference=circle.uuid[:8],
            held_on=local_date(circle.started_at or circle.scheduled_at),
            copies=copies,
            title=TITLE,
            introduction=INTRODUCTION,
            no_name=NO_NAME,
            how=HOW,
            questions=tuple(QUESTIONS[q] for q in SurveyQuestion),
            answers=tuple(ANSWERS[a] for a in SurveyAnswer),
        )


def render_survey_form(view: SurveyFormView, lang: str = "en+es") -> RenderResult:
    """The printable survey form as HTML (one page per person), in the chosen language(s)."""
    if lang not in LANGS:
        raise InvalidInput(
            _(
                "Unknown language {lang}; use one of {value}.",
                lang=repr(lang),
                value=", ".join(LANGS),
            )
        )
    logo = Path(view.school.logo_path).expanduser() if view.school.logo_path else None
    context = {
        "doc": view,
        "school": view.school,
        "lang": lang,
        "langs": lang.split("+"),
        "audience": "school",
        "sharing": False,
        "logo_src": logo.resolve().as_uri() if logo is not None and logo.is_file() else None,
    }
    return default_templates().render("survey_form.html", context)


def survey_form_title(view: SurveyFormView, lang: str = "en+es") -> str:
    """The survey form's title with the circle's reference, in the chosen language(s)."""
    languages = [part for part in lang.split("+") if part in ("en", "es")] or ["en"]
    words = " / ".join(getattr(view.title, part) for part in languages)
    return f"{words} {view.reference}"
