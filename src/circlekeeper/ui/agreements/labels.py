"""Human, translatable words for agreement statuses, item kinds and export choices."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate

from circlekeeper.core.domain.enums import AgreementItemKind, AgreementStatus


def _tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def tr_agreement(text: str) -> str:
    """Translate a sentence of the agreement screens outside a widget's own ``tr``."""
    return QCoreApplication.translate("Agreements", text)


def status_label(status: str) -> str:
    labels = {
        AgreementStatus.DRAFT: _tr("AgreementStatus", "Draft"),
        AgreementStatus.ACTIVE: _tr("AgreementStatus", "Active (signed)"),
        AgreementStatus.COMPLETED: _tr("AgreementStatus", "Completed"),
        AgreementStatus.PARTIALLY_COMPLETED: _tr("AgreementStatus", "Partially completed"),
        AgreementStatus.NOT_COMPLETED: _tr("AgreementStatus", "Not completed"),
        AgreementStatus.SUPERSEDED: _tr("AgreementStatus", "Replaced by a newer version"),
    }
    return {k.value: v for k, v in labels.items()}.get(status, status)


def kind_choices() -> list[tuple[str, str]]:
    """(stored value, label) for every kind of agreement item."""
    labels = {
        AgreementItemKind.APOLOGY: _tr("ItemKind", "Apology"),
        AgreementItemKind.RESTITUTION: _tr("ItemKind", "Restitution"),
        AgreementItemKind.SERVICE: _tr("ItemKind", "Service hours"),
        AgreementItemKind.COUNSELLING: _tr("ItemKind", "Counselling or workshop"),
        AgreementItemKind.BEHAVIOUR: _tr("ItemKind", "Behaviour commitment"),
        AgreementItemKind.SCHOOL_SUPPORT: _tr("ItemKind", "Support from the school"),
        AgreementItemKind.OTHER: _tr("ItemKind", "Other"),
    }
    return [(kind.value, labels[kind]) for kind in AgreementItemKind]


def kind_label(kind: str) -> str:
    return dict(kind_choices()).get(kind, kind)


def language_choices() -> list[tuple[str, str]]:
    """Languages an agreement can be printed in (the catalogue offers the first two)."""
    return [
        ("en", _tr("Language", "English")),
        ("es", _tr("Language", "Español (Spanish)")),
        ("en+es", _tr("Language", "English and Spanish side by side")),
    ]


def audience_choices() -> list[tuple[str, str]]:
    return [
        ("school", _tr("Audience", "School copy (counseling office file)")),
        (
            "sharing",
            _tr("Audience", "Copy for sharing outside the counseling office (e.g. an SRO)"),
        ),
    ]


def day_text(value: date | None) -> str:
    from circlekeeper.ui.locale import date_text

    return date_text(value)


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
