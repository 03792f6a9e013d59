"""A made-up programme report, built by hand, for previewing report layouts without a database.

Every format (XLSX, HTML, PDF) and the Reports area are written from the plain ``Report`` model;
this one holds each case they must lay out: a bar and a line chart, a suppressed cell, a cell with
no figure (no denominator), a label that looks like a spreadsheet formula, and Spanish with
accents. Every name and number here is invented.
"""

from __future__ import annotations

import datetime as dt

from circlekeeper.core.reports.model import (
    Cell,
    Chart,
    Column,
    Report,
    Row,
    Section,
    Text,
    Unit,
)


def _count(value: float | None) -> Cell:
    return Cell(value, Unit.COUNT, suppressed=value is None)


def sample_report(*, empty: bool = False) -> Report:
    """A small referrals-style report (or, with ``empty``, one whose period has no data)."""
    referrals = Column("referrals", Text("Referrals", "Remisiones"), Unit.COUNT)
    rate = Column(
        "per_100_per_day",
        Text("Per 100 students per school day", "Por cada 100 estudiantes y día lectivo"),
        Unit.RATE,
    )
    by_month = Section(
        key="by_month",
        title=Text("Referrals per month", "Remisiones por mes"),
        columns=(referrals, rate),
        rows=(
            Row(
                "2025-09",
                Text("September 2025", "septiembre de 2025"),
                (Cell(42, Unit.COUNT), Cell(0.45, Unit.RATE)),
            ),
            Row(
                "2025-10",
                Text("October 2025", "octubre de 2025"),
                (Cell(57, Unit.COUNT), Cell(0.52, Unit.RATE)),
            ),
            Row(
                "2025-11",
                Text("November 2025", "noviembre de 2025"),
                (Cell(31, Unit.COUNT), Cell(0.38, Unit.RATE)),
            ),
        ),
        chart=Chart(
            "line",
            "per_100_per_day",
            Text(
                "Referrals per 100 students per school day, by month",
                "Remisiones por cada 100 estudiantes y día lectivo, por mes",
            ),
        ),
    )
    by_type = Section(
        key="by_incident_type",
        title=Text("Referrals by incident type", "Remisiones por tipo de incidente"),
        columns=(
            referrals,
            Column("share", Text("Share of referrals", "Proporción de remisiones"), Unit.PERCENT),
        ),
        rows=(
            Row(
                "defiance",
                Text("Defiance", "Desafío a la autoridad"),
                (_count(48), Cell(37.2, Unit.PERCENT)),
            ),
            Row(
                "disruption",
                Text("Disruption", "Interrupción de la clase"),
                (_count(44), Cell(34.1, Unit.PERCENT)),
            ),
            Row(
                "fighting",
                Text("Fighting", "Pelea"),
                (_count(None), Cell(None, Unit.PERCENT, suppressed=True)),
            ),
            # Typed by a school long ago; must never run as a formula in a spreadsheet.
            Row(
                '=HYPERLINK("x")',
                Text('=HYPERLINK("x")', '=HYPERLINK("x")'),
                (_count(None), Cell(None, Unit.PERCENT, suppressed=True)),
            ),
            Row(
                "other",
                Text("-Other (unmapped)", "-Otro (sin asignar)"),
                (_count(27), Cell(20.9, Unit.PERCENT)),
            ),
            Row(
                "all",
                Text("All incident types", "Todos los tipos"),
                (_count(130), Cell(100.0, Unit.PERCENT)),
            ),
        ),
        note=Text(
            "Two small groups are hidden, and one more figure with them.",
            "Se ocultan dos grupos pequeños y, con ellos, una cifra más.",
        ),
        chart=Chart(
            "bar",
            "referrals",
            Text("Referrals by incident type", "Remisiones por tipo de incidente"),
        ),
    )
    equity = Section(
        key="equity_referrals",
        title=Text("Referrals by English learner status", "Remisiones según aprendizaje de inglés"),
        columns=(
            Column("students", Text("Students referred", "Estudiantes remitidos/as"), Unit.COUNT),
            Column(
                "rate",
                Text("Rate per enrolled student", "Tasa por estudiante matriculado/a"),
                Unit.RATE,
            ),
            Column(
                "risk_ratio",
                Text(
                    "Risk ratio against all other students",
                    "Razón de riesgo frente al resto del estudiantado",
                ),
                Unit.RATIO,
            ),
        ),
        rows=(
            Row(
                "english_learner",
                Text("English learners", "Estudiantes de inglés"),
                (Cell(24, Unit.COUNT), Cell(0.31, Unit.RATE), Cell(2.14, Unit.RATIO)),
            ),
            Row(
                "not_english_learner",
                Text("Other students", "Resto del estudiantado"),
                (Cell(61, Unit.COUNT), Cell(0.145, Unit.RATE), Cell(0.47, Unit.RATIO)),
            ),
            Row(
                "unknown",
                Text("Not recorded", "Sin dato"),
                (Cell(12, Unit.COUNT), Cell(None, Unit.RATE), Cell(None, Unit.RATIO)),
            ),
        ),
        note=Text(
            "Not recorded: no denominator, so no rate.",
            "Sin dato: no hay denominador, así que no hay tasa.",
        ),
    )
    return Report(
        name="referrals",
        title=Text("Referrals (the Big 5)", "Remisiones (las 5 principales)"),
        period_start=dt.date(2025, 9, 1),
        period_end=dt.date(2025, 11, 30),
        school="Riverside Middle School",
        population=Text(
            "Active students in the people directory: 412 enrolled.",
            "Estudiantes activos/as en el directorio: 412 matriculados/as.",
        ),
        suppression=Text(
            "Any figure counting fewer than 10 students is hidden, and so is any figure that "
            "would let a hidden one be worked out.",
            "Se oculta toda cifra de menos de 10 estudiantes y toda cifra que permitiría "
            "deducir una oculta.",
        ),
        min_cell=10,
        sections=() if empty else (by_month, by_type, equity),
        definitions=(
            Text(
                "A referral is a case opened for an incident.",
                "Una remisión es un caso abierto por un incidente.",
            ),
            Text(
                "School days: the days school was in session in the period.",
                "Días lectivos: los días con clase en el periodo.",
            ),
        ),
        generated_at=dt.datetime(2025, 12, 1, 9, 30, tzinfo=dt.UTC),
        empty_message=(
            Text(
                "No referrals were recorded in this period.",
                "No se registraron remisiones en este periodo.",
            )
            if empty
            else None
        ),
    )
