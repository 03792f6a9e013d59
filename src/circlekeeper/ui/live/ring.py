"""The ring of seats, drawn as the keeper sees the room: who holds the talking piece, who is done.

Each seat's state is shown by its shape *and* a word under the name (never colour alone), so it
reads on a washed-out projector, in greyscale and for colour-blind keepers.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from circlekeeper.core.domain.live import SeatStatus
from circlekeeper.ui.live import ring_layout
from circlekeeper.ui.live.ring_layout import Label, RingGeometry


@dataclass(frozen=True)
class Seat:
    """One seat as drawn: a name, a short role hint and what the seat is doing now."""

    name: str
    status: SeatStatus
    hint: str = ""  # e.g. "harmed", "supporter"; empty for ordinary members


OUTLINES_KEPT = 4


class RingWidget(QWidget):
    """Paints names round a circle; the holder of the talking piece stands out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Seats in the circle"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 280)
        self._seats: list[Seat] = []
        self._centre = ""
        self._captions = {
            SeatStatus.SPEAKING: self.tr("speaking"),
            SeatStatus.SPOKE: self.tr("spoke"),
            SeatStatus.PASSED: self.tr("passed"),
            SeatStatus.WAITING: "",
            SeatStatus.NOT_ADDRESSED: "",  # the small dashed mark says it; words here are noise
        }
        self._show_listening = True
        # The dotted circle drawn once per size; a few sizes kept, because the ring goes back
        # and forth between two (the words under it take a third line when a round completes).
        self._outlines: dict[tuple[object, ...], QPixmap] = {}
        self._layout: tuple[RingGeometry, list[Label]] | None = None
        self._layout_key: tuple[object, ...] | None = None

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(560, 480)

    def set_seats(self, seats: list[Seat], centre: str, *, round_stage: bool) -> None:
        """Redraw only what changed: the seats whose mark or words differ, not the whole ring.

        A pass of the talking piece changes two seats; repainting just their marks and labels
        keeps a key press in the facilitator window quick on an old laptop.
        """
        if seats == self._seats and centre == self._centre and round_stage == self._show_listening:
            return
        whole = (
            len(seats) != len(self._seats)
            or round_stage != self._show_listening
            or not self.isVisible()
        )
        centre_changed = centre != self._centre
        before = None if whole else self.labels()
        old_seats = self._seats
        self._seats = list(seats)
        self._centre = centre
        self._show_listening = round_stage
        self.setAccessibleDescription(self.describe())
        if before is None:
            self.update()
            return
        after = self.labels()
        if after[0] != before[0]:
            self.update()  # the ring itself moved (another font size, say)
            return
        region = self._centre_rect(after[0]) if centre_changed else QRectF()
        for index, (old, new) in enumerate(zip(old_seats, self._seats, strict=True)):
            if old != new or before[1][index] != after[1][index]:
                for ring, labels in (before, after):
                    region = region.united(self._seat_rect(ring, labels, index))
        if not region.isNull():
            self.update(region.toAlignedRect())

    @staticmethod
    def _centre_rect(ring: RingGeometry) -> QRectF:
        """Where the words in the middle of the ring go (the holder of the piece, say)."""
        centre, radius_x, radius_y = ring.centre, ring.radius_x, ring.radius_y
        return QRectF(
            centre.x() - radius_x * 0.55, centre.y() - radius_y * 0.5, radius_x * 1.1, radius_y
        )

    @staticmethod
    def _seat_rect(ring: RingGeometry, labels: list[Label], index: int) -> QRectF:
        """What one seat paints: its mark (with the speaker's halo) and its words."""
        point = ring.points[index][1]
        reach = ring.mark * 1.5 + 3
        mark = QRectF(point.x() - reach, point.y() - reach, 2 * reach, 2 * reach)
        return mark.united(labels[index].box.adjusted(-2, -2, 2, 2))

    def describe(self) -> str:
        """The ring in words, for screen readers and tests."""
        parts = []
        for seat in self._seats:
            words = ", ".join(x for x in (self.caption(seat), seat.hint) if x)
            parts.append(f"{seat.name} ({words})" if words else seat.name)
        text = "; ".join(parts)
        return f"{self._centre}. {text}" if self._centre else text

    def caption(self, seat: Seat) -> str:
        if seat.status is SeatStatus.NOT_ADDRESSED and not self._show_listening:
            return ""
        return self._captions[seat.status]

    # --- painting ---------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_colour = palette.windowText().color()
        muted = QColor(text_colour)
        muted.setAlphaF(0.55)
        accent = palette.highlight().color()
        width, height = self.width(), self.height()
        ring, labels = self.labels()
        centre, radius_x, radius_y, mark = ring.centre, ring.radius_x, ring.radius_y, ring.mark

        # The circle itself, quiet; a dotted antialiased ellipse is slow to draw, so it is
        # drawn once per size and reused (every move of the piece repaints the ring).
        ratio = self.devicePixelRatioF()
        key = (width, height, round(radius_x), round(radius_y), muted.rgba(), ratio)
        outline = self._outlines.get(key)
        if outline is None:
            outline = QPixmap(int(width * ratio), int(height * ratio))
            outline.setDevicePixelRatio(ratio)
            outline.fill(Qt.GlobalColor.transparent)
            drawing = QPainter(outline)
            drawing.setRenderHint(QPainter.RenderHint.Antialiasing)
            drawing.setPen(QPen(muted, 1.2, Qt.PenStyle.DotLine))
            drawing.drawEllipse(centre, radius_x, radius_y)
            drawing.end()
            if len(self._outlines) >= OUTLINES_KEPT:
                self._outlines.pop(next(iter(self._outlines)))
            self._outlines[key] = outline
        painter.drawPixmap(0, 0, outline)

        if self._centre:
            painter.setFont(self._base_font())
            painter.setPen(text_colour)
            painter.drawText(
                self._centre_rect(ring),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._centre,
            )

        area = QRectF(event.rect())
        for index, (seat, (_angle, point), label) in enumerate(
            zip(self._seats, ring.points, labels, strict=True)
        ):
            if not area.intersects(self._seat_rect(ring, labels, index)):
                continue  # not part of what changed
            self._draw_mark(painter, point, mark, seat.status, text_colour, muted, accent)
            active = seat.status in (SeatStatus.SPEAKING, SeatStatus.WAITING)
            y = label.box.top()
            last = len(label.lines) - 1
            for number, (text, font) in enumerate(label.lines):
                fm = QFontMetricsF(font)
                painter.setFont(font)
                detail = (
                    number == last
                    and number > 0
                    and font.pointSizeF() < label.lines[0][1].pointSizeF()
                )
                painter.setPen(muted if detail and not active else text_colour)
                x = label.box.left() + (label.box.width() - fm.horizontalAdvance(text)) / 2
                painter.drawText(QPointF(x, y + fm.ascent()), text)
                y += fm.height()
        painter.end()

    def _base_font(self) -> QFont:
        count = len(self._seats)
        base = QFont(self.font())
        base.setPointSizeF(max(11.0, min(16.0, 15.0 - max(0, count - 10) * 0.3)))
        return base

    def labels(self) -> tuple[RingGeometry, list[Label]]:
        """Where each seat and its words go at the current size (kept until something changes)."""
        base = self._base_font()
        names = [seat.name for seat in self._seats]
        details = [" · ".join(x for x in (self.caption(s), s.hint) if x) for s in self._seats]
        speaking = [seat.status is SeatStatus.SPEAKING for seat in self._seats]
        key = (
            self.width(),
            self.height(),
            tuple(names),
            tuple(details),
            tuple(speaking),
            base.family(),
            base.pointSizeF(),
        )
        if self._layout_key != key or self._layout is None:
            self._layout = ring_layout.layout(
                self.width(), self.height(), names, details, speaking, base, base.pointSizeF()
            )
            self._layout_key = key
        return self._layout

    @staticmethod
    def _draw_mark(
        painter: QPainter,
        point: QPointF,
        size: float,
        status: SeatStatus,
        text: QColor,
        muted: QColor,
        accent: QColor,
    ) -> None:
        if status is SeatStatus.SPEAKING:
            # A large filled disc with a ring round it: the talking piece is here.
            painter.setPen(QPen(accent, 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(point, size * 1.5, size * 1.5)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(accent)
            painter.drawEllipse(point, size, size)
            return
        if status is SeatStatus.SPOKE:
            # A filled disc with a tick.
            painter.setPen(QPen(text, 1.5))
            painter.setBrush(muted)
            painter.drawEllipse(point, size * 0.8, size * 0.8)
            painter.setPen(QPen(QColor("white"), 2.2))
            s = size * 0.45
            painter.drawPolyline(
                QPolygonF(
                    [
                        QPointF(point.x() - s, point.y()),
                        QPointF(point.x() - s * 0.2, point.y() + s * 0.7),
                        QPointF(point.x() + s, point.y() - s * 0.7),
                    ]
                )
            )
            return
        if status is SeatStatus.PASSED:
            # An outlined square with a dash: a turn offered and declined.
            painter.setPen(QPen(text, 1.8))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            s = size * 0.75
            painter.drawRect(QRectF(point.x() - s, point.y() - s, 2 * s, 2 * s))
            painter.drawLine(
                QPointF(point.x() - s * 0.55, point.y()), QPointF(point.x() + s * 0.55, point.y())
            )
            return
        if status is SeatStatus.WAITING:
            painter.setPen(QPen(text, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(point, size * 0.8, size * 0.8)
            return
        painter.setPen(QPen(muted, 1.2, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(point, size * 0.6, size * 0.6)
