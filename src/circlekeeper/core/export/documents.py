"""The family letter, the circle summary and the consent form as finished documents, for every
path that makes them.

The case page, the circle plan and ``circlekeeper export letter|summary|consent`` all call
these, so the same rules hold wherever a copy is made: the context's viewer decides what the
summary shows (a private note only to its author, never to an officer; an officer gets the copy
for sharing), a family letter and a consent form are refused to an officer's profile, and an
agreement still holding blanks to fill in (``[amount]``) is never printed in a letter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from circlekeeper.core.operations import Context

_LETTER_TITLES = {"en": "Letter to the family", "es": "Carta a la familia"}
_SUMMARY_TITLES = {"en": "Circle summary", "es": "Resumen del círculo"}
_CONSENT_TITLES = {"en": "Consent form", "es": "Formulario de consentimiento"}


@dataclass(frozen=True)
class Document:
    """A rendered document: its HTML, the title printed at the foot of its pages, and anything
    the person making it should be told (a missing logo, a school template that fell back)."""

    html: str
    title: str
    warnings: list[str] = field(default_factory=list)


def _title(titles: dict[str, str], lang: str) -> str:
    return " / ".join(titles[part] for part in lang.split("+") if part in titles)


def letter_students(context: Context, agreement_id: int) -> list[tuple[int, str]]:
    """The students an agreement's letter home can be about: (person id, name)."""
    from circlekeeper.core.agreements.queries import AgreementQueries

    view = AgreementQueries(context).view(agreement_id)
    return [(p.person_id, p.name) for p in view.parties if p.kind == "student"]


def family_letter(context: Context, agreement_id: int, student_id: int, lang: str) -> Document:
    """The letter to ``student_id``'s family about the agreement, in ``lang`` (en, es, en+es)."""
    from circlekeeper.core.agreements.queries import AgreementQueries
    from circlekeeper.core.export.templates import render_family_letter

    context.viewer().check_writes_family_letter()
    view = AgreementQueries(context).family_letter(agreement_id, student_id)
    result = render_family_letter(view, lang)
    return Document(result.html, _title(_LETTER_TITLES, lang), result.warnings)


def circle_summary(context: Context, circle_id: int, lang: str) -> Document:
    """The summary of a circle for the file, as the context's viewer may have it."""
    from circlekeeper.core.circles.summary import CircleSummaryService
    from circlekeeper.core.export.templates import render_circle_summary

    audience = "sharing" if context.viewer().is_sro else "school"
    view = CircleSummaryService(context).view(circle_id)
    result = render_circle_summary(view, lang, audience)
    return Document(result.html, _title(_SUMMARY_TITLES, lang), result.warnings)


def consent_form(
    context: Context, circle_id: int, lang: str, person_id: int | None = None
) -> Document:
    """The consent form of a circle that deals with harm, for everyone taking part (a page
    each) or for ``person_id``; refused to an officer's profile, as a family letter is."""
    from circlekeeper.core.circles.consent_form import consent_form_view
    from circlekeeper.core.export.templates import render_consent_form

    context.viewer().check_writes_consent_form()
    view = consent_form_view(context, circle_id, person_id)
    result = render_consent_form(view, lang)
    return Document(result.html, _title(_CONSENT_TITLES, lang), result.warnings)
