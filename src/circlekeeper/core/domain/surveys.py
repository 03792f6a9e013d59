"""The participant survey after a circle or conference: its questions and answers.

The questions are first-person statements, so the same Spanish suits a student and a parent
(neither tú nor usted) and needs no gendered ending.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class SurveyQuestion(StrEnum):
    """A statement of the anonymous participant survey (felt heard, safe, ...)."""

    HEARD = "heard"
    SAFE = "safe"
    FAIR = "fair"
    AGAIN = "again"


class SurveyAnswer(StrEnum):
    """An answer to a survey statement: yes, somewhat, or no."""

    YES = "yes"
    SOMEWHAT = "somewhat"
    NO = "no"


class SurveySource(StrEnum):
    """How the answers came in: on the laptop handed round, or typed in from printed forms."""

    WINDOW = "window"
    PAPER = "paper"


@dataclass(frozen=True)
class Bilingual:
    """A text in English and in Spanish."""

    en: str
    es: str


QUESTIONS: dict[SurveyQuestion, Bilingual] = {
    SurveyQuestion.HEARD: Bilingual("I felt heard.", "Sentí que me escucharon."),
    SurveyQuestion.SAFE: Bilingual("I felt safe.", "Me sentí en un lugar seguro."),
    SurveyQuestion.FAIR: Bilingual("I was treated fairly.", "Sentí que me trataron con justicia."),
    SurveyQuestion.AGAIN: Bilingual(
        "I would take part in a circle again.", "Volvería a participar en un círculo."
    ),
}
ANSWERS: dict[SurveyAnswer, Bilingual] = {
    SurveyAnswer.YES: Bilingual("Yes", "Sí"),
    SurveyAnswer.SOMEWHAT: Bilingual("Somewhat", "Más o menos"),
    SurveyAnswer.NO: Bilingual("No", "No"),
}
INTRODUCTION = Bilingual(
    "This survey is anonymous: no name is asked for or kept. Any question may be left blank.",
    "Esta encuesta es anónima: no se pide ni se guarda ningún nombre. Cualquier pregunta se "
    "puede dejar sin responder.",
)
KEYS_HINT = Bilingual(
    "Choose with 1, 2 or 3 (or a click), then press Enter to hand it in.",
    "Se elige con 1, 2 o 3 (o con un clic) y se entrega con la tecla Intro.",
)


def check_sheet(answers: Mapping[str, str | None]) -> dict[str, str | None]:
    """One person's answers, checked: known questions, known answers, at least one answered.

    A question left out is a question skipped (None). Raises ValueError in plain words.
    """
    questions = {q.value for q in SurveyQuestion}
    choices = {a.value for a in SurveyAnswer}
    for key, value in answers.items():
        if key not in questions:
            raise ValueError(f"The survey has no question {key!r}.")
        if value is not None and value not in choices:
            raise ValueError(f"Answer {key!r} with yes, somewhat or no (not {value!r}).")
    sheet = {q.value: answers.get(q.value) for q in SurveyQuestion}
    if all(v is None for v in sheet.values()):
        raise ValueError(
            "No question was answered, so nothing was saved. Choose at least one answer, "
            "or pass the laptop on."
        )
    return sheet
