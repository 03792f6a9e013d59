"""Typical repair-agreement items, as editable starting points.

The wording is our own. Each template fills an item's kind, action and verification; the builder
copies it into a draft and the group edits it to fit what the harmed party asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from circlekeeper.core.domain.enums import AgreementItemKind


@dataclass(frozen=True)
class ItemTemplate:
    """A starting point for one agreement item; ``title`` names it in the catalogue list.

    ``action`` and ``verification`` are the English wording, ``action_es`` and
    ``verification_es`` the Spanish, whichever language the list is shown in.
    """

    kind: str
    title: str
    action: str
    verification: str
    action_es: str = ""
    verification_es: str = ""


_CATALOGUE: dict[str, tuple[ItemTemplate, ...]] = {
    "en": (
        ItemTemplate(
            AgreementItemKind.APOLOGY.value,
            "Apology (in the form the harmed party chooses)",
            "Apologise to [name] in the way they asked for: [in person / a letter / "
            "in front of the class / with a supporter present].",
            "[Name] tells the follow-up adult the apology was made.",
        ),
        ItemTemplate(
            AgreementItemKind.RESTITUTION.value,
            "Restitution (money or work, in instalments if needed)",
            "Pay back [amount] for [what was damaged or lost], in [number] instalments of "
            "[amount] by the dates agreed, or by [hours] hours of work instead.",
            "The school office keeps a receipt for each instalment.",
        ),
        ItemTemplate(
            AgreementItemKind.SERVICE.value,
            "Service hours",
            "Give [number] hours of service to [the school / the place affected], "
            "arranged with [adult].",
            "[Adult] signs a log of the hours worked.",
        ),
        ItemTemplate(
            AgreementItemKind.COUNSELLING.value,
            "Counselling or a workshop",
            "Attend [number] sessions of [counselling / the workshop on ...] with [provider].",
            "[Provider] confirms attendance to the follow-up adult.",
        ),
        ItemTemplate(
            AgreementItemKind.BEHAVIOUR.value,
            "Behaviour commitment",
            "Commit to [what will be done differently], for example [a concrete example].",
            "Check-ins with [adult] every [week / two weeks] until the follow-up date.",
        ),
        ItemTemplate(
            AgreementItemKind.SCHOOL_SUPPORT.value,
            "Support the school provides",
            "The school will provide [mentoring / a schedule change / a check-in person / "
            "tutoring] to help [name] keep this agreement.",
            "[Staff member] confirms the support is in place.",
        ),
    ),
    "es": (
        ItemTemplate(
            AgreementItemKind.APOLOGY.value,
            "Disculpa (en la forma que elija la persona afectada)",
            "Pedir disculpas a [nombre] como lo pidió: [en persona / por carta / "
            "ante la clase / con una persona de apoyo presente].",
            "[Nombre] confirma a la persona adulta de seguimiento que recibió la disculpa.",
        ),
        ItemTemplate(
            AgreementItemKind.RESTITUTION.value,
            "Restitución (dinero o trabajo, a plazos si hace falta)",
            "Reponer [cantidad] por [lo dañado o perdido], en [número] pagos de [cantidad] "
            "en las fechas acordadas, o con [horas] horas de trabajo.",
            "La oficina de la escuela guarda un recibo de cada pago.",
        ),
        ItemTemplate(
            AgreementItemKind.SERVICE.value,
            "Horas de servicio",
            "Dar [número] horas de servicio a [la escuela / el lugar afectado], "
            "organizadas con [persona adulta].",
            "[Persona adulta] firma un registro de las horas.",
        ),
        ItemTemplate(
            AgreementItemKind.COUNSELLING.value,
            "Consejería o taller",
            "Asistir a [número] sesiones de [consejería / el taller sobre ...] con [proveedor].",
            "[Proveedor] confirma la asistencia a la persona adulta de seguimiento.",
        ),
        ItemTemplate(
            AgreementItemKind.BEHAVIOUR.value,
            "Compromiso de conducta",
            "Comprometerse a [lo que hará de otra manera], por ejemplo [un ejemplo concreto].",
            "Reuniones breves con [persona adulta] cada [semana / dos semanas] hasta la fecha "
            "de seguimiento.",
        ),
        ItemTemplate(
            AgreementItemKind.SCHOOL_SUPPORT.value,
            "Apoyo que ofrece la escuela",
            "La escuela ofrecerá [mentoría / un cambio de horario / una persona de contacto / "
            "tutoría] para ayudar a [nombre] a cumplir este acuerdo.",
            "[Miembro del personal] confirma que el apoyo está en marcha.",
        ),
    ),
}


def item_catalogue(lang: str = "en") -> list[ItemTemplate]:
    """The typical items, titled in English (``en``) or Spanish (``es``), each carrying both
    its English and its Spanish wording."""
    if lang not in _CATALOGUE:
        raise ValueError(f"No item catalogue in language {lang!r}; use 'en' or 'es'.")
    english, spanish = _CATALOGUE["en"], _CATALOGUE["es"]
    titles = _CATALOGUE[lang]
    return [
        ItemTemplate(
            en.kind,
            title.title,
            en.action,
            en.verification,
            action_es=es.action,
            verification_es=es.verification,
        )
        for en, es, title in zip(english, spanish, titles, strict=True)
    ]
