"""Hand-offs and disclosures: where a concern can be handed, and the FERPA basis for sharing.

The words in both languages live here so the case page, the printed record of disclosures and
the reports say the same thing. Spanish is written for families (usted).
"""

from __future__ import annotations

from enum import StrEnum


class HandOffTo(StrEnum):
    """Who a case or a circle's concern is handed to."""

    BTAM = "btam"
    TITLE_IX = "title_ix"
    CHILD_PROTECTION = "child_protection"
    MENTAL_HEALTH = "mental_health"
    POLICE = "police"


class FerpaBasis(StrEnum):
    """Why information from a student's education record may be shared (34 CFR § 99.31)."""

    SCHOOL_OFFICIAL = "school_official"
    HEALTH_SAFETY_EMERGENCY = "health_safety_emergency"
    LAW_ENFORCEMENT_UNIT = "law_enforcement_unit"
    COURT_ORDER = "court_order"
    PARENTAL_CONSENT = "parental_consent"
    STATE_LAW_REPORT = "state_law_report"


class DisclosureKind(StrEnum):
    """What a line of the record of disclosures records: a hand-off or a copy for sharing."""

    HAND_OFF = "hand_off"
    SHARING_COPY = "sharing_copy"


HAND_OFF_LABELS: dict[HandOffTo, tuple[str, str]] = {
    HandOffTo.BTAM: ("Threat assessment team (BTAM)", "Equipo de evaluación de amenazas (BTAM)"),
    HandOffTo.TITLE_IX: ("Title IX coordinator", "Coordinador/a de Título IX"),
    HandOffTo.CHILD_PROTECTION: (
        "Child protection (mandated report)",
        "Protección de menores (denuncia obligatoria)",
    ),
    HandOffTo.MENTAL_HEALTH: ("Mental-health services", "Servicios de salud mental"),
    HandOffTo.POLICE: ("Police, under the MOU", "Policía, según el acuerdo (MOU)"),
}

BASIS_LABELS: dict[FerpaBasis, tuple[str, str]] = {
    FerpaBasis.SCHOOL_OFFICIAL: (
        "School official with a legitimate educational interest",
        "Funcionario/a escolar con un interés educativo legítimo",
    ),
    FerpaBasis.HEALTH_SAFETY_EMERGENCY: (
        "Health or safety emergency",
        "Emergencia de salud o de seguridad",
    ),
    FerpaBasis.LAW_ENFORCEMENT_UNIT: (
        "Record of the law-enforcement unit",
        "Registro de la unidad policial",
    ),
    FerpaBasis.COURT_ORDER: ("Court order or subpoena", "Orden judicial o citación"),
    FerpaBasis.PARENTAL_CONSENT: (
        "Written consent of the parent or guardian",
        "Consentimiento por escrito del padre, madre o tutor/a",
    ),
    FerpaBasis.STATE_LAW_REPORT: (
        "Report required by state law (mandated report)",
        "Denuncia exigida por la ley estatal (denuncia obligatoria)",
    ),
}

KIND_LABELS: dict[DisclosureKind, tuple[str, str]] = {
    DisclosureKind.HAND_OFF: ("Hand-off", "Derivación"),
    DisclosureKind.SHARING_COPY: ("Copy for sharing", "Copia para compartir"),
}

# Not yet stated (a sharing copy saved to a file before anyone said who it is for).
NOT_STATED = ("not stated", "no indicado")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "es" else pair[0]


def hand_off_label(value: str, lang: str = "en") -> str:
    """The words for a destination, or the stored value itself if this release does not know it."""
    try:
        return _pick(HAND_OFF_LABELS[HandOffTo(value)], lang)
    except ValueError:
        return value


def basis_label(value: str | None, lang: str = "en") -> str:
    """The FERPA basis of a disclosure in words (English or Spanish); 'not stated' when none."""
    if not value:
        return _pick(NOT_STATED, lang)
    try:
        return _pick(BASIS_LABELS[FerpaBasis(value)], lang)
    except ValueError:
        return value


def kind_label(value: str, lang: str = "en") -> str:
    """What kind of disclosure a line records, in words (English or Spanish)."""
    try:
        return _pick(KIND_LABELS[DisclosureKind(value)], lang)
    except ValueError:
        return value
