"""Words and calendar arithmetic every report shares: the period's months and school days, the
population and suppression sentences, and the labels of groups no one recorded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from circlekeeper.core.export.templates import format_date
from circlekeeper.core.reports.model import Column, Text, Unit

ALL_LABEL = Text("All", "Total")
NOT_RECORDED = "not_recorded"
NOT_RECORDED_LABEL = Text("Not recorded", "Sin registrar")
OTHER = "other"
OTHER_LABEL = Text(
    "Other (each too rare to name)", "Otros (cada uno demasiado poco frecuente para nombrarlo)"
)


def merged(counts: dict[str, int], typed: set[str], below: int) -> dict[str, str]:
    """Which group each typed group is shown as: itself, or ``other`` when it is too rare."""
    return {g: OTHER if g in typed and counts[g] < below else g for g in counts}


_MONTHS = (
    ("January", "enero"),
    ("February", "febrero"),
    ("March", "marzo"),
    ("April", "abril"),
    ("May", "mayo"),
    ("June", "junio"),
    ("July", "julio"),
    ("August", "agosto"),
    ("September", "septiembre"),
    ("October", "octubre"),
    ("November", "noviembre"),
    ("December", "diciembre"),
)


def months(start: date, end: date) -> Iterator[tuple[str, Text, date, date]]:
    """Each calendar month the period touches: key "2025-09", label, first and last day in it."""
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        en, es = _MONTHS[month - 1]
        label = Text(f"{en} {year}", f"{es} de {year}")
        yield (
            f"{year:04d}-{month:02d}",
            label,
            max(first, start),
            min(following, end + timedelta(1)),
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def month_key(day: date) -> str:
    """A day's month as 'YYYY-MM', the key of a per-month row."""
    return f"{day.year:04d}-{day.month:02d}"


def school_days(first: date, stop: date) -> int:
    """Weekdays from ``first`` up to (not including) ``stop``: the school days of a stretch."""
    days = 0
    day = first
    while day < stop:
        if day.weekday() < 5:
            days += 1
        day += timedelta(days=1)
    return days


def population(enrolled: int, school: str | None) -> Text:
    """The words naming who the figures are about (the enrolled students) and how many."""
    where_en = f" of {school}" if school else ""
    where_es = f" de {school}" if school else ""
    return Text(
        f"Students{where_en} who are active in the people directory: {enrolled} enrolled. "
        "Enrolment figures (the denominators) come from the people directory.",
        f"Estudiantes{where_es} activos en el directorio de personas: {enrolled} matriculados. "
        "Las cifras de matrícula (los denominadores) provienen del directorio de personas.",
    )


def suppression_rule(min_cell: int, unsuppressed: bool) -> Text:
    """The words saying which figures are hidden and why (or that none is, inside)."""
    if unsuppressed:
        return Text(
            "Internal view: no figure is hidden. It is for counselors and administrators only; "
            "do not share or publish it.",
            "Vista interna: no se oculta ninguna cifra. Es solo para orientadores y "
            "administradores; no la comparta ni la publique.",
        )
    n = min_cell
    return Text(
        f"Any figure about fewer than {n} students is hidden (*), and so is any rate or ratio "
        f"built on it. Further figures are hidden where a hidden one could otherwise be worked "
        f"out from a total, another row or another column. A zero is shown only for a group of "
        f"at least {n} enrolled students, and a count is hidden when fewer than {n} of its "
        f"group are left on the other side. Places and incident types named in people's own "
        f"words that occur fewer than {n} times are counted together as “other”.",
        f"Se oculta (*) toda cifra sobre menos de {n} estudiantes, y toda tasa o razón calculada "
        f"a partir de ella. También se ocultan otras cifras cuando permitirían deducir una "
        f"oculta a partir de un total, otra fila u otra columna. Un cero solo se muestra para un "
        f"grupo de al menos {n} estudiantes matriculados, y se oculta una cifra cuando quedan "
        f"menos de {n} estudiantes del grupo del otro lado. Los lugares y tipos de incidente "
        f"escritos con palabras propias que aparecen menos de {n} veces se cuentan juntos como "
        "«otros».",
    )


def empty_message(start: date, end: date) -> Text:
    """What a report says when nothing was recorded in its period."""
    return Text(
        f"Nothing was recorded from {format_date(start)} to {format_date(end)} for this "
        "report, so it has no figures. Choose another period or school.",
        f"No se registró nada del {format_date(start, 'es')} al {format_date(end, 'es')} "
        "para este informe, "
        "así que no tiene cifras. Elija otro periodo u otra escuela.",
    )


def students_column(measure: str, en: str, es: str) -> Column:
    """A column counting students (so small numbers in it are hidden)."""
    return Column(measure, Text(en, es), Unit.COUNT, counts_students=True)


def plain_column(measure: str, en: str, es: str, unit: Unit) -> Column:
    """A column of figures that count no students directly (hours, shares, ...)."""
    return Column(measure, Text(en, es), unit)


SHARE = plain_column("share", "Share", "Proporción", Unit.PERCENT)

SCHOOL_DAYS_DEFINITION = Text(
    "School days: weekdays (Monday to Friday) in the period; holidays are not taken out.",
    "Días escolares: días laborables (de lunes a viernes) del periodo; no se descuentan festivos.",
)
REFERRAL_DEFINITION = Text(
    "Referral: one student named as responsible in a case (a remisión) referred in the period. "
    "A case naming two responsible students counts as two referrals, as in SWIS.",
    "Remisión: una persona estudiante señalada como responsable en un caso remitido en el "
    "periodo. Un caso con dos estudiantes responsables cuenta como dos remisiones, como en SWIS.",
)
