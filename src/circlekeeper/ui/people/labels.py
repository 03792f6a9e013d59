"""Human, translatable labels for the people vocabularies stored as plain values."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from circlekeeper.core.domain.enums import PersonKind
from circlekeeper.core.roster.grades import GRADES


def _tr(text: str) -> str:
    return QCoreApplication.translate("PersonKind", text)


def kind_choices() -> list[tuple[str, str]]:
    """(stored value, label) for every kind of person, in the order forms offer them."""
    return [
        (PersonKind.STUDENT.value, _tr("Student")),
        (PersonKind.STAFF.value, _tr("Staff member")),
        (PersonKind.GUARDIAN.value, _tr("Parent or guardian")),
        (PersonKind.SRO.value, _tr("School resource officer (SRO)")),
        (PersonKind.COMMUNITY.value, _tr("Community member")),
    ]


def kind_label(kind: str) -> str:
    return dict(kind_choices()).get(kind, kind)


def kind_short_label(kind: str) -> str:
    """A short label for narrow list columns."""
    short = {
        PersonKind.STUDENT.value: _tr("Student"),
        PersonKind.STAFF.value: _tr("Staff"),
        PersonKind.GUARDIAN.value: _tr("Guardian"),
        PersonKind.SRO.value: _tr("SRO"),
        PersonKind.COMMUNITY.value: _tr("Community"),
    }
    return short.get(kind, kind)


def grade_choices() -> list[tuple[str | None, str]]:
    """(stored value, label): blank first, then PK, TK, K, 1 to 12."""
    blank = QCoreApplication.translate("Grade", "No grade")
    labels = {
        "PK": QCoreApplication.translate("Grade", "PK (pre-kindergarten)"),
        "TK": QCoreApplication.translate("Grade", "TK (transitional kindergarten)"),
        "K": QCoreApplication.translate("Grade", "K (kindergarten)"),
    }
    return [(None, blank), *((g, labels.get(g, g)) for g in GRADES)]


def count_text(count: int, singular: str, plural: str) -> str:
    """'1 person' / '1,234 people', with the locale's digit grouping."""
    locale = QLocale()
    locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
    number = locale.toString(count)
    return (singular if count == 1 else plural).replace("{count}", number)
