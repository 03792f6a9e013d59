"""``fidelity`` and ``surveys``: whether circles were run as the practice asks, and how the people
in them felt.

Both read rows of their own (fidelity checklists, anonymous survey responses) for the circles the
shared facts hold: completed in the period, of the school asked for. Survey answers come from
people, so their counts are protected by the suppression rule like counts of students.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from circlekeeper.core.domain.fidelity import FidelityItem, score
from circlekeeper.core.domain.surveys import QUESTIONS, SurveyAnswer, SurveyQuestion
from circlekeeper.core.reports.builder import ALL, ReportBuilder, count, ratio_of
from circlekeeper.core.reports.common import ALL_LABEL, plain_column, students_column
from circlekeeper.core.reports.facts import Facts
from circlekeeper.core.reports.model import Chart, Text, Unit
from circlekeeper.core.reports.restorative import kind_label, period_circles
from circlekeeper.core.store.models import FidelityCheck, SurveyResponse, SurveySitting

ITEM_LABELS = {
    FidelityItem.OPENING: Text("An opening was held", "Se hizo una apertura"),
    FidelityItem.CONFIDENTIALITY_LIMITS: Text(
        "The limits of confidentiality were said at the opening",
        "Se explicaron al inicio los límites de la confidencialidad",
    ),
    FidelityItem.GUIDELINES: Text("The group named its guidelines", "El grupo acordó sus pautas"),
    FidelityItem.TALKING_PIECE: Text(
        "The talking piece was introduced", "Se presentó la pieza para hablar"
    ),
    FidelityItem.EVERYONE_INVITED: Text(
        "Everyone present was invited to speak",
        "Se invitó a hablar a todas las personas presentes",
    ),
    FidelityItem.EVERY_STAGE: Text(
        "Every stage of the script was reached", "Se llegó a todas las etapas del guion"
    ),
    FidelityItem.CLOSING: Text("A closing was held", "Se hizo un cierre"),
    FidelityItem.PARTICIPANTS_PREPARED: Text(
        "Every participant was prepared beforehand",
        "Todas las personas participantes se prepararon de antemano",
    ),
}

FIDELITY_DEFINITIONS = (
    Text(
        "Checklist: the keeper's fidelity checklist for a circle or conference held in the "
        "period, prefilled from the record (stages reached, turns taken, preparation meetings) "
        "and confirmed by the keeper.",
        "Lista de verificación: la que completa la persona que guía el círculo o la conferencia "
        "realizada en el periodo, con datos del registro (etapas alcanzadas, turnos, reuniones "
        "de preparación) confirmados por ella.",
    ),
    Text(
        "Items kept: items answered yes, as a share of the items that applied (not applicable "
        "left out).",
        "Elementos cumplidos: los respondidos con sí, como proporción de los que correspondían "
        "(sin contar los que no aplicaban).",
    ),
)
SURVEY_DEFINITIONS = (
    Text(
        "Survey: the anonymous participant survey after a circle or conference held in the "
        "period, answered on the laptop or on a printed form. No answer is linked to a person.",
        "Encuesta: la encuesta anónima de participantes después de un círculo o una conferencia "
        "realizada en el periodo, respondida en la computadora o en papel. Ninguna respuesta se "
        "vincula con una persona.",
    ),
    Text(
        "People asked: the people present who could answer (keepers and observers left out). "
        "Answered: surveys handed in. A question left blank is counted as not answered.",
        "Personas consultadas: las presentes que podían responder (sin quienes guiaban ni "
        "observaban). Respondidas: encuestas entregadas. Una pregunta en blanco se cuenta "
        "como no respondida.",
    ),
)


def build_fidelity(b: ReportBuilder, session: Session, facts: Facts) -> bool:
    """The fidelity report: how often each checklist item was kept in the circles held."""
    circles = period_circles(facts)
    if not circles:
        return False
    kinds = {c.id: c.kind for c in circles}
    checks: dict[int, dict[str, str]] = {}
    for circle_id, answers in session.execute(
        select(FidelityCheck.circle_id, FidelityCheck.answers).where(
            FidelityCheck.circle_id.in_(list(kinds))
        )
    ):
        checks[circle_id] = json.loads(answers)

    by_kind = b.section(
        "fidelity_by_kind",
        Text("Fidelity checklists by kind of circle", "Listas de verificación por tipo de círculo"),
        (
            plain_column("held", "Held", "Realizados", Unit.COUNT),
            plain_column("checked", "With a checklist", "Con lista", Unit.COUNT),
            plain_column("checked_share", "Share checked", "Proporción con lista", Unit.PERCENT),
            plain_column("kept_share", "Items kept", "Elementos cumplidos", Unit.PERCENT),
        ),
        chart=Chart("bar", "kept_share", Text("Items kept", "Elementos cumplidos")),
        parts_of_all=True,
    )
    held = Counter(kinds.values())
    for kind, n in [*held.most_common(), (ALL, len(circles))]:
        ids = [cid for cid, k in kinds.items() if kind in (ALL, k)]
        done = [checks[cid] for cid in ids if cid in checks]
        kept, applied = score(a for answers in done for a in answers.values())
        by_kind.row(
            kind,
            ALL_LABEL if kind == ALL else kind_label(kind),
            {
                "held": count(n, students=False),
                "checked": count(len(done), students=False),
                "checked_share": ratio_of(len(done), n, Unit.PERCENT, (), scale=100),
                "kept_share": ratio_of(kept, applied, Unit.PERCENT, (), scale=100),
            },
        )

    by_item = b.section(
        "fidelity_by_item",
        Text("Each item of the checklist", "Cada elemento de la lista"),
        (
            plain_column(
                "applied", "Checklists it applied to", "Listas en que aplicaba", Unit.COUNT
            ),
            plain_column("kept", "Kept", "Cumplido", Unit.COUNT),
            plain_column("kept_share", "Share kept", "Proporción cumplida", Unit.PERCENT),
        ),
    )
    for item in FidelityItem:
        kept, applied = score(a[item.value] for a in checks.values() if item.value in a)
        by_item.row(
            item.value,
            ITEM_LABELS[item],
            {
                "applied": count(applied, students=False),
                "kept": count(kept, students=False),
                "kept_share": ratio_of(kept, applied, Unit.PERCENT, (), scale=100),
            },
        )
    return True


def build_surveys(b: ReportBuilder, session: Session, facts: Facts) -> bool:
    """The surveys report: how participants answered each statement, by kind of circle."""
    circles = period_circles(facts)
    kinds = {c.id: c.kind for c in circles}
    if not kinds:
        return False
    asked: dict[int, int] = {}
    sitting_circle: dict[int, int] = {}
    for sitting_id, circle_id, expected in session.execute(
        select(SurveySitting.id, SurveySitting.circle_id, SurveySitting.expected).where(
            SurveySitting.circle_id.in_(list(kinds))
        )
    ):
        sitting_circle[sitting_id] = circle_id
        asked[circle_id] = max(asked.get(circle_id, 0), int(expected))
    if not sitting_circle:
        return False
    responses = session.execute(
        select(
            SurveyResponse.sitting_id,
            SurveyResponse.heard,
            SurveyResponse.safe,
            SurveyResponse.fair,
            SurveyResponse.again,
        ).where(SurveyResponse.sitting_id.in_(list(sitting_circle)))
    ).all()
    answered_by_kind: dict[str, list[dict[str, str | None]]] = defaultdict(list)
    every: list[dict[str, str | None]] = []
    for sitting_id, *values in responses:
        sheet = dict(zip((q.value for q in SurveyQuestion), values, strict=True))
        answered_by_kind[kinds[sitting_circle[sitting_id]]].append(sheet)
        every.append(sheet)

    by_question = b.section(
        "surveys_by_question",
        Text("Each statement of the survey", "Cada afirmación de la encuesta"),
        (
            students_column("answered", "Answered", "Respondida"),
            students_column("yes", "Yes", "Sí"),
            students_column("somewhat", "Somewhat", "Más o menos"),
            students_column("no", "No", "No"),
            plain_column("yes_share", "Share yes", "Proporción de sí", Unit.PERCENT),
        ),
        chart=Chart("bar", "yes_share", Text("Share answering yes", "Proporción que dice sí")),
    )
    for question in SurveyQuestion:
        given = Counter(s[question.value] for s in every if s[question.value] is not None)
        total = sum(given.values())
        label = QUESTIONS[question]
        by_question.row(
            question.value,
            Text(label.en, label.es),
            {
                "answered": count(total),
                **{a.value: count(given[a.value]) for a in SurveyAnswer},
                "yes_share": ratio_of(
                    given[SurveyAnswer.YES.value],
                    total,
                    Unit.PERCENT,
                    (
                        by_question.ref(question.value, "yes"),
                        by_question.ref(question.value, "answered"),
                    ),
                    scale=100,
                ),
            },
        )
        b.adds_up(
            by_question.ref(question.value, "answered"),
            tuple(by_question.ref(question.value, a.value) for a in SurveyAnswer),
        )

    by_kind = b.section(
        "surveys_by_kind",
        Text("Surveys by kind of circle", "Encuestas por tipo de círculo"),
        (
            plain_column("asked", "People asked", "Personas consultadas", Unit.COUNT),
            students_column("answered", "Answered", "Respondidas"),
            plain_column("answered_share", "Share answered", "Proporción respondida", Unit.PERCENT),
        ),
        parts_of_all=True,
    )
    surveyed = Counter(kinds[cid] for cid in asked)
    for kind, _n in [*surveyed.most_common(), (ALL, len(asked))]:
        people = sum(n for cid, n in asked.items() if kind in (ALL, kinds[cid]))
        answered = len(every) if kind == ALL else len(answered_by_kind[kind])
        by_kind.row(
            kind,
            ALL_LABEL if kind == ALL else kind_label(kind),
            {
                "asked": count(people, students=False),
                "answered": count(answered),
                "answered_share": ratio_of(
                    answered, people, Unit.PERCENT, (by_kind.ref(kind, "answered"),), scale=100
                ),
            },
        )
    return True
