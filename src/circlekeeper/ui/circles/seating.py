"""The seating plan drawn as a ring: drag a seat, or select it and press Alt+Left/Alt+Right."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

SEAT_RADIUS = 20
LABEL_WIDTH = 150


@dataclass(frozen=True)
class Seat:
    """One person's place: participant id, the name shown and their role in words."""

    participant_id: int
    name: str
    role: str
    outer: bool = False  # observers sit in an outer ring


class SeatingRing(QWidget):
    """Seats round a circle, clockwise from the top; observers on a dashed outer ring.

    ``order_changed`` carries every participant id, inner ring first then outer, after the
    keeper moves someone. The widget never writes to the database itself.
    """

    order_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(520, 440)
        self.setAccessibleName(self.tr("Seating plan"))
        self.setToolTip(
            self.tr(
                "Drag a seat to move someone. With the keyboard: arrows choose a seat, "
                "Alt+Left and Alt+Right move it."
            )
        )
        self._inner: list[Seat] = []
        self._outer: list[Seat] = []
        self.current = -1  # index into inner + outer
        self._pressed = -1
        self._press_at = QPointF()
        self._drag_at: QPointF | None = None
        self._describe()

    # -- contents ----------------------------------------------------------------------------

    def set_seats(self, seats: list[Seat]) -> None:
        keep = self.current_seat()
        self._inner = [s for s in seats if not s.outer]
        self._outer = [s for s in seats if s.outer]
        self.current = -1
        if keep is not None:
            self.select_participant(keep.participant_id)
        self._describe()
        self.update()

    def seats(self) -> list[Seat]:
        return [*self._inner, *self._outer]

    def order(self) -> list[int]:
        return [s.participant_id for s in self.seats()]

    def current_seat(self) -> Seat | None:
        seats = self.seats()
        return seats[self.current] if 0 <= self.current < len(seats) else None

    def select_participant(self, participant_id: int) -> None:
        for index, seat in enumerate(self.seats()):
            if seat.participant_id == participant_id:
                self.current = index
        self._describe()
        self.update()

    # -- geometry ----------------------------------------------------------------------------

    def _label_height(self) -> float:
        return 2 * self.fontMetrics().height() + 8

    def _center(self) -> QPointF:
        shift = (SEAT_RADIUS + self._label_height()) / 2 + 20 if self._outer else 0
        return QPointF(self.width() / 2, self.height() / 2 - shift)

    def _radii(self) -> tuple[float, float]:
        """Radii of the ring and of the observers' arc below it; names sit outside the seats."""
        label = self._label_height()
        gap = SEAT_RADIUS + 6
        half_h = self.height() / 2
        by_width = self.width() / 2 - gap - LABEL_WIDTH - 6
        if not self._outer:
            inner = min(by_width, half_h - gap - label - 6)
            return max(inner, 60.0), max(inner, 60.0)
        beyond = gap + label + SEAT_RADIUS + 10  # room for the names under the bottom seats
        center_y = self._center().y()
        inner = min(
            by_width,
            center_y - gap - label - 6,
            self.height() - center_y - beyond - gap - label - 6,
        )
        inner = max(inner, 60.0)
        return inner, inner + beyond

    def _outer_angles(self) -> list[float]:
        """Observers sit along an arc below the ring, centred under it."""
        count = len(self._outer)
        span = min(math.pi * 0.5, 0.45 * count)
        return [math.pi / 2 + span / 2 - span * (k + 0.5) / count for k in range(count)]

    def seat_center(self, index: int) -> QPointF:
        """Where seat ``index`` (of inner + outer) is drawn, in widget coordinates."""
        inner_r, outer_r = self._radii()
        center = self._center()
        if index < len(self._inner):
            angle = -math.pi / 2 + 2 * math.pi * index / max(len(self._inner), 1)
            radius = inner_r
        else:
            angle = self._outer_angles()[index - len(self._inner)]
            radius = outer_r
        return QPointF(center.x() + radius * math.cos(angle), center.y() + radius * math.sin(angle))

    def seat_at(self, point: QPointF) -> int:
        for index in range(len(self.seats())):
            delta = self.seat_center(index) - point
            if math.hypot(delta.x(), delta.y()) <= SEAT_RADIUS + 6:
                return index
        return -1

    def _nearest_in_ring(self, point: QPointF, outer: bool) -> int:
        indices = range(len(self._inner), len(self.seats())) if outer else range(len(self._inner))
        best, best_distance = -1, math.inf
        for index in indices:
            delta = self.seat_center(index) - point
            distance = math.hypot(delta.x(), delta.y())
            if distance < best_distance:
                best, best_distance = index, distance
        return best

    def sizeHint(self) -> QSize:
        return QSize(640, 520)

    # -- moving seats ------------------------------------------------------------------------

    def move_current(self, step: int) -> None:
        """Move the selected person ``step`` seats clockwise (negative: anticlockwise)."""
        seat = self.current_seat()
        if seat is None:
            return
        ring = self._outer if seat.outer else self._inner
        if len(ring) < 2:
            return
        here = ring.index(seat)
        there = (here + step) % len(ring)
        ring.insert(there, ring.pop(here))
        self._after_move(seat)

    def move_to(self, index: int, target: int) -> None:
        """Move the person in seat ``index`` to seat ``target`` of the same ring."""
        seats = self.seats()
        if not (0 <= index < len(seats) and 0 <= target < len(seats)) or index == target:
            return
        seat = seats[index]
        ring = self._outer if seat.outer else self._inner
        offset = len(self._inner) if seat.outer else 0
        ring.insert(target - offset, ring.pop(index - offset))
        self._after_move(seat)

    def _after_move(self, seat: Seat) -> None:
        self.select_participant(seat.participant_id)
        self.order_changed.emit(self.order())

    # -- keyboard and mouse ------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        count = len(self.seats())
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down) and count:
            step = 1 if key in (Qt.Key.Key_Right, Qt.Key.Key_Down) else -1
            if alt:
                self.move_current(step)
            else:
                self.current = (self.current + step) % count if self.current >= 0 else 0
                self._describe()
                self.update()
            event.accept()
            return
        if key == Qt.Key.Key_Home and count:
            self.current = 0
            self._describe()
            self.update()
            event.accept()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self._pressed = self.seat_at(event.position())
            self._press_at = event.position()
            self._drag_at = None
            if self._pressed >= 0:
                self.current = self._pressed
                self._describe()
                self.update()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pressed >= 0:
            moved = event.position() - self._press_at
            if (
                self._drag_at is not None
                or moved.manhattanLength() >= QApplication.startDragDistance()
            ):
                self._drag_at = event.position()
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
                self.update()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        pressed, dragged = self._pressed, self._drag_at is not None
        self._pressed, self._drag_at = -1, None
        self.unsetCursor()
        if pressed >= 0 and dragged:
            outer = self.seats()[pressed].outer
            target = self._nearest_in_ring(event.position(), outer)
            self.move_to(pressed, target)
        self.update()
        super().mouseReleaseEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if self.current < 0 and self.seats():
            self.current = 0
            self._describe()
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    # -- words for assistive technology ------------------------------------------------------

    def _describe(self) -> None:
        if not self.seats():
            self.setAccessibleDescription(self.tr("Nobody is seated yet."))
            return
        parts = [
            self.tr("Seat {n}: {name}, {role}").format(n=n, name=s.name, role=s.role)
            for n, s in enumerate(self._inner, start=1)
        ]
        parts += [
            self.tr("Outer ring: {name}, {role}").format(name=s.name, role=s.role)
            for s in self._outer
        ]
        seat = self.current_seat()
        chosen = self.tr("Selected: {name}. ").format(name=seat.name) if seat is not None else ""
        self.setAccessibleDescription(chosen + "; ".join(parts))

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        base = palette.color(QPalette.ColorRole.Base)
        accent = palette.color(QPalette.ColorRole.Highlight)
        quiet = QColor(text)
        quiet.setAlpha(90)
        inner_r, outer_r = self._radii()
        center = self._center()
        painter.setPen(QPen(quiet, 2))
        painter.drawEllipse(center, inner_r, inner_r)
        if self._outer:
            painter.setPen(QPen(quiet, 1.5, Qt.PenStyle.DashLine))
            angles = self._outer_angles()
            margin = 0.25
            start, end = angles[-1] - margin, angles[0] + margin
            box = QRectF(center.x() - outer_r, center.y() - outer_r, 2 * outer_r, 2 * outer_r)
            # Qt counts arc angles anticlockwise in 1/16 degree; our angles run clockwise.
            painter.drawArc(box, int(-math.degrees(end) * 16), int(math.degrees(end - start) * 16))
            painter.setPen(quiet)
            painter.drawText(
                QRectF(
                    0,
                    self.height() - painter.fontMetrics().height() - 4,
                    self.width(),
                    painter.fontMetrics().height() + 4,
                ),
                Qt.AlignmentFlag.AlignHCenter,
                self.tr("Outer ring (observers)"),
            )
        if not self.seats():
            painter.setPen(text)
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.tr("Invite people and they appear here,\nin their seats round the ring."),
            )
            return
        name_font = QFont(self.font())
        name_font.setBold(True)
        role_font = QFont(self.font())
        role_font.setPointSizeF(max(9.0, role_font.pointSizeF() * 0.9))
        for index, seat in enumerate(self.seats()):
            point = self.seat_center(index)
            if index == self._pressed and self._drag_at is not None:
                painter.setPen(QPen(quiet, 1, Qt.PenStyle.DotLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(point, SEAT_RADIUS, SEAT_RADIUS)
                point = self._drag_at
            selected = index == self.current
            style = Qt.PenStyle.DashLine if seat.outer and not selected else Qt.PenStyle.SolidLine
            painter.setPen(QPen(accent if selected else text, 3 if selected else 1.5, style))
            painter.setBrush(accent.lighter(170) if selected else base)
            painter.drawEllipse(point, SEAT_RADIUS, SEAT_RADIUS)
            painter.setPen(text)
            painter.setFont(role_font)
            number = str(index + 1) if not seat.outer else ""
            painter.drawText(
                QRectF(
                    point.x() - SEAT_RADIUS,
                    point.y() - SEAT_RADIUS,
                    2 * SEAT_RADIUS,
                    2 * SEAT_RADIUS,
                ),
                Qt.AlignmentFlag.AlignCenter,
                number,
            )
            self._draw_label(painter, point, center, seat, name_font, role_font, selected)
        if self.hasFocus() and self.current_seat() is not None:
            painter.setPen(QPen(accent, 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.rect().adjusted(1, 1, -2, -2))
        painter.end()

    def _draw_label(
        self,
        painter: QPainter,
        point: QPointF,
        center: QPointF,
        seat: Seat,
        name_font: QFont,
        role_font: QFont,
        selected: bool,
    ) -> None:
        dx, dy = point.x() - center.x(), point.y() - center.y()
        length = math.hypot(dx, dy) or 1.0
        # Names sit outside the ring; observers' names hang below their seats.
        ux, uy = (0.0, 1.0) if seat.outer else (dx / length, dy / length)
        line = painter.fontMetrics().height()
        height = 2 * line + 8
        gap = SEAT_RADIUS + 6
        if ux > 0.35:
            rect = QRectF(point.x() + gap, point.y() - height / 2, LABEL_WIDTH, height)
            align = Qt.AlignmentFlag.AlignLeft
        elif ux < -0.35:
            rect = QRectF(
                point.x() - gap - LABEL_WIDTH, point.y() - height / 2, LABEL_WIDTH, height
            )
            align = Qt.AlignmentFlag.AlignRight
        else:
            top = point.y() + gap if uy > 0 else point.y() - gap - height
            width = LABEL_WIDTH if seat.outer else LABEL_WIDTH + 40
            rect = QRectF(point.x() - width / 2, top, width, height)
            align = Qt.AlignmentFlag.AlignHCenter
        name_rect = QRectF(rect.x(), rect.y(), rect.width(), rect.height() / 2)
        role_rect = QRectF(rect.x(), rect.y() + rect.height() / 2, rect.width(), rect.height() / 2)
        painter.setFont(name_font)
        metrics = painter.fontMetrics()
        name = metrics.elidedText(seat.name, Qt.TextElideMode.ElideRight, int(rect.width()))
        painter.drawText(name_rect, align | Qt.AlignmentFlag.AlignBottom, name)
        painter.setFont(role_font)
        metrics = painter.fontMetrics()
        role = metrics.elidedText(seat.role, Qt.TextElideMode.ElideRight, int(rect.width()))
        painter.drawText(role_rect, align | Qt.AlignmentFlag.AlignTop, role)
        del selected
