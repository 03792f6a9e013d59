"""A programme report as PDF (and as HTML with its charts inside), in the Qt GUI layer.

The PDF is laid out from the same HTML as the HTML export (``core/export/report_html.py``) by
``pdf.py``'s machinery, with the charts drawn by ``charts.py`` and embedded as PNG ``data:``
images, so the file carries everything and each chart has its table under it. QtGui only: the
command line makes these files without widgets.
"""

from __future__ import annotations

from pathlib import Path

from circlekeeper.core.export.report_files import check_target, write_whole
from circlekeeper.core.export.report_format import period_text
from circlekeeper.core.export.report_html import render_report
from circlekeeper.core.reports.model import Report
from circlekeeper.core.services import InvalidInput


def report_page_title(report: Report, lang: str) -> str:
    """The line at the foot of every page: the report's title and period (first language)."""
    first = lang.split("+")[0]
    return f"{report.title.in_lang(first)} · {period_text(report, first)}"


def report_html_with_charts(report: Report, lang: str) -> tuple[str, list[str]]:
    """The report's HTML with every chart drawn into it, and any template warnings."""
    from circlekeeper.charts import chart_uris

    result = render_report(report, lang, charts=chart_uris(report.sections, lang.split("+")[0]))
    return result.html, result.warnings


def write_report_pdf(report: Report, lang: str, path: Path) -> None:
    """Save the report as a PDF at ``path`` (letter pages, page numbers, charts drawn)."""
    from circlekeeper.pdf import PdfProblem, html_to_pdf

    path = check_target(Path(path))
    html, _ = report_html_with_charts(report, lang)
    try:
        html_to_pdf(html, path, title=report_page_title(report, lang))
    except PdfProblem as problem:
        raise InvalidInput(str(problem)) from None


def write_report_html(report: Report, lang: str, path: Path) -> None:
    """Save the report as one self-contained HTML file (charts inside it) at ``path``."""
    html, _ = report_html_with_charts(report, lang)

    def write(temp: Path) -> None:
        temp.write_text(html, encoding="utf-8")

    write_whole(Path(path), write)
