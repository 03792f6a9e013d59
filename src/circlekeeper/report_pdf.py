"""A programme report as PDF (and as HTML with its charts inside), in the Qt GUI layer.

The PDF is laid out from the same HTML as the HTML export (``core/export/report_html.py``) by
``pdf.py``'s machinery. Each chart is drawn straight onto the PDF page by ``charts.py`` as
lines, shapes and text (a text object in the document), not as a picture: the equity report's
twenty charts cost about a second instead of eight and the file is a few dozen KB instead of
two MB, sharp at any zoom. The HTML file carries its charts as PNG ``data:`` images. QtGui only:
the command line makes these files without widgets.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRect, QRectF, QSizeF
from PySide6.QtGui import (
    QPainter,
    QPyTextObject,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextImageFormat,
)

from circlekeeper.core.export.report_files import check_shareable, check_target, write_whole
from circlekeeper.core.export.report_format import has_chart, period_text
from circlekeeper.core.export.report_html import render_report
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.reports.model import Report, Section

CHART_OBJECT = QTextFormat.ObjectTypes.UserObject + 1
_SECTION_KEY = QTextFormat.Property.UserProperty + 1
_CHART_SCHEME = "chart:"
# The HTML's sizes are in CSS pixels (96 per inch); a PDF page is laid out at its own dpi.
_CSS_DPI = 96.0


def report_page_title(report: Report, lang: str) -> str:
    """The line at the foot of every page: the report's title and period (first language)."""
    first = lang.split("+")[0]
    return f"{report.title.in_lang(first)} · {period_text(report, first)}"


class _ChartObject(QPyTextObject):
    """Draws a section's chart where the HTML put its ``chart:KEY`` image."""

    def __init__(self, sections: dict[str, Section], lang: str, parent: QObject) -> None:
        super().__init__(parent)
        self.sections = sections
        self.lang = lang

    def intrinsicSize(self, doc: QTextDocument, position: int, fmt: QTextFormat) -> QSizeF:
        image = fmt.toImageFormat()
        device = doc.documentLayout().paintDevice()
        ratio = device.logicalDpiY() / _CSS_DPI if device is not None else 1.0
        return QSizeF(image.width() * ratio, image.height() * ratio)

    def drawObject(
        self,
        painter: QPainter,
        rect: QRectF | QRect,
        doc: QTextDocument,
        position: int,
        fmt: QTextFormat,
    ) -> None:
        from circlekeeper.charts import paint_chart

        section = self.sections.get(str(fmt.property(_SECTION_KEY)))
        if section is not None:
            paint_chart(painter, QRectF(rect), section, self.lang)


def draw_charts_in(doc: QTextDocument, report: Report, lang: str) -> int:
    """Turn the document's ``chart:KEY`` images into charts drawn on the page; return how many."""
    handler = _ChartObject({s.key: s for s in report.sections}, lang, doc)
    doc.documentLayout().registerHandler(CHART_OBJECT, handler)
    found: list[tuple[int, int, QTextImageFormat]] = []
    block = doc.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            fmt = fragment.charFormat()
            if fmt.isImageFormat() and fmt.toImageFormat().name().startswith(_CHART_SCHEME):
                found.append((fragment.position(), fragment.length(), fmt.toImageFormat()))
            fragments += 1
        block = block.next()
    for position, length, image in found:
        chart = QTextImageFormat(image)
        chart.setObjectType(CHART_OBJECT)
        chart.setProperty(_SECTION_KEY, image.name()[len(_CHART_SCHEME) :])
        cursor = QTextCursor(doc)
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(chart)
    return len(found)


def report_pdf_html(report: Report, lang: str) -> str:
    """The HTML the PDF is laid out from: each chart a ``chart:KEY`` placeholder image."""
    charts = {s.key: _CHART_SCHEME + s.key for s in report.sections if has_chart(s)}
    return render_report(report, lang, charts=charts).html


def write_report_pdf(report: Report, lang: str, path: Path) -> None:
    """Save the report as a PDF at ``path`` (letter pages, page numbers, charts drawn)."""
    from circlekeeper.pdf import PdfProblem, html_to_pdf

    check_shareable(report)
    path = check_target(Path(path))

    def prepare(doc: QTextDocument) -> None:
        draw_charts_in(doc, report, lang.split("+")[0])

    try:
        html_to_pdf(
            report_pdf_html(report, lang),
            path,
            title=report_page_title(report, lang),
            prepare=prepare,
        )
    except PdfProblem as problem:
        raise InvalidInput(str(problem)) from None


def report_html_with_charts(report: Report, lang: str) -> tuple[str, list[str]]:
    """The report's HTML with every chart drawn into it as a picture, and template warnings."""
    from circlekeeper.charts import chart_uris

    result = render_report(report, lang, charts=chart_uris(report.sections, lang.split("+")[0]))
    return result.html, result.warnings


def write_report_html(report: Report, lang: str, path: Path) -> None:
    """Save the report as one self-contained HTML file (charts inside it) at ``path``."""
    check_shareable(report)
    html, _ = report_html_with_charts(report, lang)

    def write(temp: Path) -> None:
        temp.write_text(html, encoding="utf-8")

    write_whole(Path(path), write)
