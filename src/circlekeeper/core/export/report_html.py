"""A programme report as HTML, from the built-in template ``reports/report.html``.

The same sandboxed template set as the agreements (autoescape, StrictUndefined; a school's own
``templates/reports/report.html`` wins and falls back to the built-in one when it fails). The PDF
is laid out from this HTML too, so the two always say the same. Charts are drawn by the Qt layer
and passed in as image sources (``data:`` URIs or file URLs) by section key.
"""

from __future__ import annotations

from collections.abc import Mapping

from circlekeeper.core.export.report_format import (
    LABELS,
    NO_FIGURE_LEGEND,
    SUPPRESSED_LEGEND,
    UNSUPPRESSED_WARNING,
    cell_text,
    chart_summary,
    period_text,
    reads_down,
)
from circlekeeper.core.export.templates import LANGS, RenderResult, default_templates
from circlekeeper.core.i18n import _
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.reports.model import Cell, Report

TEMPLATE = "reports/report.html"
# The charts' width in the document's pixels (about 6.5 inches of a letter page).
CHART_WIDTH = 660
# Charts are drawn 480 x 220 points; giving both sides lets a page be laid out before the
# image is decoded (without a height, Qt paginated too short and dropped blocks from the PDF).
CHART_HEIGHT = round(CHART_WIDTH * 220 / 480)


def render_report(
    report: Report, lang: str = "en", *, charts: Mapping[str, str] | None = None
) -> RenderResult:
    """The report's HTML and any warning about a school's own template that was not used."""
    if lang not in LANGS:
        raise InvalidInput(
            _(
                "Unknown language {lang}; use one of {value}.",
                lang=repr(lang),
                value=", ".join(LANGS),
            )
        )
    langs = lang.split("+")
    first = langs[0]
    charts = dict(charts or {})

    def figure(cell: Cell) -> str:
        return cell_text(cell, first)

    context = {
        "report": report,
        "figure": figure,
        "reads_down": reads_down,
        "lang": lang,
        "langs": langs,
        "charts": {key: src for key, src in charts.items() if src},
        "chart_summaries": {s.key: chart_summary(s, first) for s in report.sections},
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
        "period": period_text(report, lang),
        "labels": LABELS,
        "legend_suppressed": SUPPRESSED_LEGEND,
        "legend_no_figure": NO_FIGURE_LEGEND,
        "unsuppressed_warning": UNSUPPRESSED_WARNING,
    }
    return default_templates().render(TEMPLATE, context)


def render_report_html(
    report: Report, lang: str = "en", *, charts: dict[str, str] | None = None
) -> str:
    """The report as one HTML document in ``en``, ``es`` or ``en+es``."""
    return render_report(report, lang, charts=charts).html
