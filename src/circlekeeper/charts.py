"""Report charts drawn with QPainter: one drawing for the Reports area, the PDF and the HTML.

Why our own few lines of QPainter rather than a charting library: the charts are two simple kinds
(bars over groups, a line over months); Qt Charts is not part of PySide6-Essentials and a plotting
library (matplotlib) would add tens of megabytes and about a second of import to the first
report. QPainter draws the same picture on a widget, on a high-resolution image for the PDF and
as a PNG embedded in the HTML, and it is already loaded. QtGui only, like ``pdf.py``, so the
command line draws charts without widgets. A hidden (suppressed) figure is drawn as an empty
dashed bar with the same mark the tables use, so a chart never shows what a table hides.
"""

from __future__ import annotations

import base64
import math

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen

from circlekeeper.core.export.report_format import (
    NO_FIGURE_MARK,
    SUPPRESSED_MARK,
    cell_text,
    chart_cells,
    has_chart,
)
from circlekeeper.core.reports.model import Cell, Section, Unit

BAR = QColor("#3b6e8f")
LINE = QColor("#2f6b4f")
AXIS = QColor("#5b6670")
GRID = QColor("#dde3e8")
TEXT = QColor("#1f2a33")
HIDDEN = QColor("#8a949c")
# The drawn size in points; images are made at a multiple of it for sharp print.
CHART_WIDTH_PT = 480.0
CHART_HEIGHT_PT = 220.0


def _nice_top(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 2.5, 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** (len(str(int(value))) - 1) if value >= 1 else 0.1
    while power > value:
        power /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _two_lines(metrics: QFontMetricsF, text: str, width: float) -> str:
    """The text wrapped into at most two lines of ``width``, the second elided if need be."""
    width = max(10.0, width)
    words = text.split()
    first = ""
    while words and metrics.horizontalAdvance(f"{first} {words[0]}".strip()) <= width:
        first = f"{first} {words.pop(0)}".strip()
    if not first:  # one long word: it alone, elided
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
    rest = " ".join(words)
    if not rest:
        return first
    return first + "\n" + metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)


def paint_chart(
    painter: QPainter, rect: QRectF, section: Section, lang: str = "en", *, text_scale: float = 1.0
) -> None:
    """Draw the section's chart (bars or a line over its rows) inside ``rect``.

    ``text_scale`` enlarges the words against the bars (the screen wants larger words than print).
    """
    points = chart_cells(section)
    chart = section.chart
    if chart is None or not points:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scale = rect.height() / CHART_HEIGHT_PT
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(6, round(9 * scale * text_scale)))
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    line_height = metrics.height()
    values = [cell.value for _, cell in points if cell.value is not None]
    unit = points[0][1].unit
    # About four gridlines at round steps (whole steps for counts), reaching past the top value.
    step = _nice_top(max(values, default=0.0) / 4)
    if unit is Unit.COUNT:
        step = max(1.0, math.ceil(step))
    top = step * max(1, math.ceil(max(values, default=0.0) / step))
    ticks = [step * i for i in range(round(top / step) + 1)]
    tick_texts = [cell_text(Cell(t, unit), lang) for t in ticks]
    left = rect.left() + max(metrics.horizontalAdvance(t) for t in tick_texts) + 8 * scale
    plot = QRectF(
        left,
        rect.top() + line_height,
        rect.right() - left - 4 * scale,
        rect.height() - 3.2 * line_height,
    )
    painter.setPen(QPen(GRID, max(1.0, scale * 0.6)))
    for tick, text in zip(ticks, tick_texts, strict=True):
        y = plot.bottom() - plot.height() * tick / top
        painter.setPen(QPen(GRID, max(1.0, scale * 0.6)))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(AXIS)
        painter.drawText(
            QRectF(rect.left(), y - line_height / 2, left - rect.left() - 4 * scale, line_height),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            text,
        )
    painter.setPen(QPen(AXIS, max(1.0, scale * 0.8)))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    if unit is Unit.RATIO and top >= 1:
        # A risk ratio of 1 means "the same as the comparison group": the line to read against.
        level = plot.bottom() - plot.height() / top
        painter.setPen(QPen(AXIS, max(1.0, scale * 0.8), Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(plot.left(), level), QPointF(plot.right(), level))
    slot = plot.width() / len(points)
    # When the groups are many (a year of months), name every few and leave the figures to the
    # table under the chart, rather than print words on top of each other.
    names = [row.label.in_lang(lang) for row, _ in points]
    widest_word = max(metrics.horizontalAdvance(w) for n in names for w in n.split() or [n])
    step = max(1, math.ceil((widest_word + 6 * scale) / slot))
    widest_figure = max(metrics.horizontalAdvance(cell_text(c, lang)) for _, c in points)
    show_figures = widest_figure + 4 * scale <= slot
    centres: list[QPointF | None] = []
    for index, (_row, cell) in enumerate(points):
        x = plot.left() + slot * index
        if index % step == 0:
            width = slot * step if step > 1 else slot
            name = _two_lines(metrics, names[index], width - 2 * scale)
            painter.setPen(TEXT)
            painter.drawText(
                QRectF(x + slot / 2 - width / 2, plot.bottom() + 2 * scale, width, line_height * 2),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                name,
            )
        figure = cell_text(cell, lang) if show_figures else ""
        if cell.value is None:
            centres.append(None)
            mark_box = QRectF(x, plot.bottom() - line_height * 1.6, slot, line_height * 1.4)
            if chart.kind != "line" and cell.suppressed:
                pen = QPen(HIDDEN, max(1.0, scale * 0.8), Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(
                    QRectF(x + slot * 0.2, mark_box.top(), slot * 0.6, mark_box.height())
                )
            painter.setPen(HIDDEN)
            painter.drawText(
                mark_box,
                Qt.AlignmentFlag.AlignCenter,
                SUPPRESSED_MARK if cell.suppressed else NO_FIGURE_MARK,
            )
            continue
        height = plot.height() * cell.value / top
        centre = QPointF(x + slot / 2, plot.bottom() - height)
        centres.append(centre)
        if chart.kind != "line":
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(BAR)
            painter.drawRect(QRectF(x + slot * 0.2, plot.bottom() - height, slot * 0.6, height))
        painter.setPen(TEXT)
        painter.drawText(
            QRectF(x, centre.y() - line_height * 1.5, slot, line_height),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
            figure,
        )
    if chart.kind == "line":
        painter.setPen(QPen(LINE, max(1.5, 2 * scale)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        path = QPainterPath()
        drawing = False
        for point in centres:
            if point is None:
                drawing = False  # a hidden month breaks the line rather than guessing it
                continue
            if drawing:
                path.lineTo(point)
            else:
                path.moveTo(point)
                drawing = True
        painter.drawPath(path)
        painter.setBrush(LINE)
        for point in centres:
            if point is not None:
                painter.drawEllipse(point, 2.8 * scale, 2.8 * scale)
    painter.restore()


def chart_image(section: Section, lang: str = "en", *, scale: float = 2.5) -> QImage:
    """The chart as an image ``scale`` times its size in points (4 ≈ 300 dpi in print)."""
    width = round(CHART_WIDTH_PT * scale)
    height = round(CHART_HEIGHT_PT * scale)
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        paint_chart(painter, QRectF(0, 0, width, height), section, lang)
    finally:
        painter.end()
    return image


def chart_data_uri(section: Section, lang: str = "en", *, scale: float = 2.5) -> str:
    """The chart as a PNG ``data:`` URI, so an HTML file or a PDF carries it inside itself."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    chart_image(section, lang, scale=scale).save(buffer, "PNG")  # type: ignore[call-overload]
    buffer.close()
    return "data:image/png;base64," + base64.b64encode(bytes(data.data())).decode("ascii")


def chart_uris(sections: tuple[Section, ...], lang: str = "en") -> dict[str, str]:
    """Every charted section's picture, by section key (what ``render_report_html`` takes)."""
    from circlekeeper.pdf import ensure_gui_app

    ensure_gui_app()
    return {s.key: chart_data_uri(s, lang) for s in sections if has_chart(s)}
