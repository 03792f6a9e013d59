"""Every name in the seating ring is shown whole and none is drawn over another.

Checked at the size the facilitator window gives the ring on a 1366x768 laptop, at full
screen, and on a larger screen, with long names and accents, for small and large circles.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetricsF
from pytestqt.qtbot import QtBot

from circlekeeper.core.domain.live import SeatStatus
from circlekeeper.ui.live.ring import RingWidget, Seat
from circlekeeper.ui.live.ring_layout import overlapping

NAMES = [
    "Ángel Peña",
    "Imani Washington",
    "Guadalupe Hernández-Ruiz",
    "Kim",
    "Nguyễn Thị Minh Khai",
    "Oluwaseun Adeyemi-Okafor",
    "Bea Test",
    "Sofía Castañeda",
    "Jean-Baptiste Lefèvre",
    "Ali",
    "Mariana de la Cruz Villanueva",
    "Dee",
    "Hosteen Tsosie",
    "Chinedu Jackson",
    "Anne-Marie Becker",
    "Santiago Sánchez",
    "Xochitl Ramírez",
    "Ebony Okafor",
]

# (width, height): the ring in the facilitator window on a 1366x768 laptop, at full screen
# there, and on a 1920x1080 screen (at twice the scale a 2732x1536 screen gives the same
# logical sizes as the laptop, so those cover it).
SIZES = [(616, 424), (640, 452), (900, 600)]


def seats(count: int, speaker: int = 2) -> list[Seat]:
    """A circle part way round: some spoke or passed, one holds the piece, the rest wait."""
    hints = ["harmed", "", "supporter", "", "responsible"]
    statuses = [
        SeatStatus.SPEAKING
        if i == speaker
        else (SeatStatus.SPOKE, SeatStatus.PASSED)[i % 2]
        if i < speaker
        else SeatStatus.WAITING
        for i in range(count)
    ]
    return [Seat(NAMES[i % len(NAMES)], statuses[i], hints[i % len(hints)]) for i in range(count)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("speaker", [0, 3, 8])
@pytest.mark.parametrize("count", [6, 10, 14, 18])
def test_no_name_is_cut_or_drawn_over_another(
    qtbot: QtBot, size: tuple[int, int], count: int, speaker: int
) -> None:
    ring = RingWidget()
    qtbot.addWidget(ring)
    ring.resize(*size)
    ring.show()
    qtbot.waitExposed(ring)
    ring.set_seats(seats(count, speaker), "", round_stage=True)
    ring.resize(*size)
    _geometry, labels = ring.labels()
    assert len(labels) == count
    # No two labels touch
    assert overlapping(labels) == [], [
        (labels[i].lines[0][0], labels[j].lines[0][0]) for i, j in overlapping(labels)
    ]
    for seat, label in zip(seats(count, speaker), labels, strict=True):
        # Every word of the name is drawn, in order, with nothing elided
        drawn = " ".join(text for text, font in label.lines[: len(label.lines)])
        assert seat.name in drawn.replace("\n", " ")
        assert "…" not in drawn
        # Each line fits its box, and the box is inside the ring's area
        for text, font in label.lines:
            assert QFontMetricsF(font).horizontalAdvance(text) <= label.box.width() + 0.5
        box = label.box
        assert box.left() >= 0 and box.top() >= 0, (seat.name, box)
        assert box.right() <= size[0] and box.bottom() <= size[1], (seat.name, box)
        # And it stays readable
        assert all(font.pointSizeF() >= 6.4 for _, font in label.lines)
