"""Where the ring's names go: every name whole, none over another, all inside the ring's box.

The ring used to cut long names ("Imani Washi…") and let neighbours' names overlap at the
sides. Here each seat's label (its name, then its state and role in small type) is laid out
as a box: long names wrap at a space onto a second line; when boxes still touch, every label
gets a little smaller together; as a last resort a label moves outwards, away from the centre.
A name is never shortened. The painter draws exactly these boxes, and tests check them.

Every pass of the talking piece lays the ring out again (a seat's words change from "speaking"
to "spoke"), and finding the size at which no labels touch measures each name at several sizes:
about 500 text measurements a layout. The same names are measured at the same few sizes press
after press, so each font keeps the widths it has measured (:class:`_Face`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF

MIN_POINTS = 8.0
GAP = 4.0  # the least room between two labels


@dataclass(frozen=True)
class Label:
    """One seat's words as drawn: each line's text and font, and the box they fill."""

    lines: tuple[tuple[str, QFont], ...]
    box: QRectF


@dataclass(frozen=True)
class RingGeometry:
    centre: QPointF
    radius_x: float
    radius_y: float
    mark: float
    points: tuple[tuple[float, QPointF], ...]  # (angle, seat centre) per seat


def angles(count: int) -> list[float]:
    """Each seat's angle round the ring, the first at the top, going clockwise."""
    return [-math.pi / 2 + 2 * math.pi * index / max(count, 1) for index in range(count)]


def geometry(
    width: float, height: float, count: int, label_height: float, side_width: float = 106.0
) -> RingGeometry:
    """The ring's ellipse: as large as the room left by the labels outside it allows."""
    mark = max(9.0, min(18.0, math.pi * min(width, height) / max(count, 1) / 5))
    radius_x = max(40.0, width / 2 - side_width - mark - 6)
    radius_y = max(40.0, height / 2 - label_height - mark * 1.6)
    centre = QPointF(width / 2, height / 2)
    points = []
    for angle in angles(count):
        points.append(
            (
                angle,
                QPointF(
                    centre.x() + radius_x * math.cos(angle), centre.y() + radius_y * math.sin(angle)
                ),
            )
        )
    return RingGeometry(centre, radius_x, radius_y, mark, tuple(points))


def fonts(base: QFont, points: float) -> tuple[QFont, QFont, QFont]:
    """The plain, bold (the speaker) and small (state and role) fonts at this size."""
    plain = QFont(base)
    plain.setPointSizeF(points)
    bold = QFont(plain)
    bold.setBold(True)
    bold.setPointSizeF(points * 1.15)
    small = QFont(plain)
    small.setPointSizeF(points * 0.8)
    return plain, bold, small


class _Face:
    """A font and what it has measured: a line's height, and the width of each text asked."""

    __slots__ = ("font", "height", "_metrics", "_widths")

    def __init__(self, font: QFont) -> None:
        self.font = font
        self._metrics = QFontMetricsF(font)
        self.height = self._metrics.height()
        self._widths: dict[str, float] = {}

    def width(self, text: str) -> float:
        found = self._widths.get(text)
        if found is None:
            if len(self._widths) > _MEASURED_TEXTS:
                self._widths.clear()
            found = self._widths[text] = self._metrics.horizontalAdvance(text)
        return found


# Kept between layouts: the fonts of each (base font, size) tried, with their measurements.
_faces: dict[tuple[str, float], tuple[_Face, _Face, _Face]] = {}
_KEPT_SIZES = 64  # a ring tries about six sizes; other windows and screens add a few more
_MEASURED_TEXTS = 4096  # names and state words of the circles open this session


def _faces_at(base: QFont, points: float) -> tuple[_Face, _Face, _Face]:
    """:func:`fonts` at this size, each with the widths it has already measured."""
    key = (base.key(), points)
    found = _faces.get(key)
    if found is None:
        if len(_faces) >= _KEPT_SIZES:
            _faces.clear()
        plain, bold, small = fonts(base, points)
        found = _faces[key] = (_Face(plain), _Face(bold), _Face(small))
    return found


def _wrapped(name: str, face: _Face, width: float) -> list[str]:
    """The name on one line, or on two at the space nearest its middle when it is too wide."""
    if face.width(name) <= width or " " not in name.strip():
        return [name]
    words = name.split()
    best: list[str] = [name]
    best_width = face.width(name)
    for cut in range(1, len(words)):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        widest = max(face.width(first), face.width(second))
        if widest < best_width:
            best, best_width = [first, second], widest
    return best


def _extent(lines: list[tuple[str, _Face]]) -> tuple[float, float]:
    """How wide and how tall a label's lines are."""
    return max(face.width(text) for text, face in lines), sum(face.height for _, face in lines)


def _place(
    extent: tuple[float, float],
    angle: float,
    point: QPointF,
    mark: float,
    width: float,
    height: float,
    push: float,
) -> QRectF:
    """The label's box, outside the ring: above the top seats, below the bottom ones, and
    beside the mark (outwards) for the seats at the sides, where the ring has room across."""
    text_width, text_height = extent
    side, rise = math.cos(angle), math.sin(angle)
    if abs(side) > 0.55:
        x = point.x() + mark + 4 if side > 0 else point.x() - mark - 4 - text_width
        y = point.y() - text_height / 2 + (push if rise >= 0 else -push)
    else:
        x = point.x() - text_width / 2
        if side > 0.2:
            x = max(x, point.x() - mark)
        elif side < -0.2:
            x = min(x, point.x() + mark - text_width)
        # Seats at the top: words above the mark; at the bottom, below it.
        above = point.y() - mark - 2 - text_height - push
        y = above if rise < 0 else point.y() + mark + 2 + push
    x = min(max(2.0, x), max(2.0, width - text_width - 2))
    y = min(max(2.0, y), max(2.0, height - text_height - 2))
    return QRectF(x, y, text_width, text_height)


def _pairs(boxes: Sequence[QRectF], *, first: bool = False) -> list[tuple[int, int]]:
    """Pairs of boxes closer than :data:`GAP` (each grown by half of it, as QRectF.intersects
    sees them; the boxes' widths and heights are never negative), in order; with ``first``,
    only the first such pair (the size search only asks whether any touch)."""
    half = GAP / 2
    edges = [
        (box.left() - half, box.top() - half, box.right() + half, box.bottom() + half)
        for box in boxes
    ]
    found = []
    for i, (left, top, right, bottom) in enumerate(edges):
        for j in range(i + 1, len(edges)):
            other = edges[j]
            if left < other[2] and other[0] < right and top < other[3] and other[1] < bottom:
                found.append((i, j))
                if first:
                    return found
    return found


def layout(
    width: float,
    height: float,
    names: Sequence[str],
    details: Sequence[str],
    speaking: Sequence[bool],
    base: QFont,
    points: float,
) -> tuple[RingGeometry, list[Label]]:
    """Lay out every seat's label; shrink together until none touches another."""
    size = points
    while True:
        plain, bold, small = _faces_at(base, size)
        room = max(90.0, min(240.0, width * 0.3))
        all_lines: list[list[tuple[str, _Face]]] = []
        seat_angles = angles(len(names))
        for name, detail, speaks, angle in zip(names, details, speaking, seat_angles, strict=True):
            font = bold if speaks else plain
            # Seats at the sides have less room across; those at the top and bottom have their
            # neighbours' words beside them: wrap names sooner there.
            if abs(math.cos(angle)) > 0.55:
                across = min(room, 130.0)
            else:
                step = 2 * math.pi / max(len(names), 1)
                gap = abs(math.cos(angle + step) - math.cos(angle)) * (width / 2 - 110)
                across = max(70.0, min(room, 2 * gap - GAP))
            lines = [(part, font) for part in _wrapped(name, font, across)]
            if detail:
                lines.append((detail, small))
            all_lines.append(lines)
        # The ring's size leaves room for each label as it is when its seat holds the piece
        # (bold, with a line of state words), so a pass changes two labels but not the ring,
        # and only those two seats are repainted (ring.py).
        side_width, label_height = 40.0, 0.0
        small_height = small.height
        for lines, angle in zip(all_lines, seat_angles, strict=True):
            named = [x for x, f in lines if f is not small]
            wide = max(f.width(x) for x, f in lines)
            wide = max(wide, *(bold.width(x) for x in named))
            tall = bold.height * len(named) + small_height
            if abs(math.cos(angle)) > 0.55:
                side_width = max(side_width, wide)
            else:
                label_height = max(label_height, tall)
        ring = geometry(width, height, len(names), label_height, min(side_width, width * 0.3))
        pushes = [0.0] * len(names)
        boxes = [
            _place(_extent(lines), angle, point, ring.mark, width, height, 0.0)
            for lines, (angle, point) in zip(all_lines, ring.points, strict=True)
        ]
        clashes = _pairs(boxes, first=True)
        if not clashes or size <= MIN_POINTS:
            break
        size = max(MIN_POINTS, size * 0.92)
    # Last resort at the smallest size: a label that still touches moves a little further
    # from its seat, outwards, a few times at most.
    for _ in range(2 * max(1, len(names))):
        clashes = _pairs(boxes, first=True)
        if not clashes:
            break
        i, j = clashes[0]
        # Move the one further from the top or bottom sideways, outwards, clear of the other
        # when there is room; else a little further from its seat.
        mover, other = (
            (j, i)
            if abs(math.cos(ring.points[j][0])) >= abs(math.cos(ring.points[i][0]))
            else (i, j)
        )
        box, fixed = boxes[mover], boxes[other]
        rightwards = math.cos(ring.points[mover][0]) >= 0
        shift = fixed.right() + GAP - box.left() if rightwards else fixed.left() - GAP - box.right()
        moved = box.translated(shift, 0)
        if moved.left() >= 0 and moved.right() <= width and abs(shift) < box.width():
            boxes[mover] = moved
            continue
        if pushes[mover] > 3 * small.height:
            break
        pushes[mover] += small.height / 2
        angle, point = ring.points[mover]
        boxes[mover] = _place(
            _extent(all_lines[mover]), angle, point, ring.mark, width, height, pushes[mover]
        )
    labels = [
        Label(tuple((text, face.font) for text, face in lines), box)
        for lines, box in zip(all_lines, boxes, strict=True)
    ]
    return ring, labels


def overlapping(labels: Sequence[Label]) -> list[tuple[int, int]]:
    """Pairs of labels that touch (for tests and the accessibility check)."""
    return _pairs([label.box for label in labels])
