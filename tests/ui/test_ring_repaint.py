"""A pass of the talking piece repaints the two seats it changed, not the whole ring."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QImage, QPaintEvent
from pytestqt.qtbot import QtBot
from tests.ui.test_ring_names import seats

from circlekeeper.core.domain.live import SeatStatus
from circlekeeper.ui.live.ring import RingWidget, Seat


class PaintedAreas(QObject):
    """The rectangle of every paint the ring receives."""

    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and isinstance(event, QPaintEvent):
            self.rects.append(event.rect())
        return False


def _passed_on(ring_seats: list[Seat], speaker: int) -> list[Seat]:
    """The piece moves from ``speaker`` to the next seat."""
    moved = list(ring_seats)
    moved[speaker] = Seat(moved[speaker].name, SeatStatus.SPOKE, moved[speaker].hint)
    nxt = speaker + 1
    moved[nxt] = Seat(moved[nxt].name, SeatStatus.SPEAKING, moved[nxt].hint)
    return moved


def test_a_pass_repaints_only_the_two_seats_it_changed(qtbot: QtBot) -> None:
    # Given a ring of 14 on show, part way round
    ring = RingWidget()
    qtbot.addWidget(ring)
    ring.resize(640, 452)
    ring.show()
    qtbot.waitExposed(ring)
    start = seats(14, speaker=3)
    ring.set_seats(start, f"Talking piece:\n{start[3].name}", round_stage=True)
    painted = PaintedAreas()
    ring.installEventFilter(painted)
    qtbot.wait(20)
    painted.rects.clear()

    # When the piece passes to the next seat (and the middle names its new holder)
    moved = _passed_on(start, 3)
    centre = f"Talking piece:\n{moved[4].name}"
    ring.set_seats(moved, centre, round_stage=True)
    qtbot.waitUntil(lambda: bool(painted.rects))

    # Then what was repainted covers the two seats and is far smaller than the ring
    geometry, labels = ring.labels()
    area = painted.rects[-1]
    for index in (3, 4):
        assert area.contains(labels[index].box.toAlignedRect().adjusted(1, 1, -1, -1))
    assert area.width() * area.height() < 0.6 * ring.width() * ring.height()
    for index in (0, 7, 10):  # seats across the ring are left alone
        assert not area.intersects(labels[index].box.toAlignedRect())

    # And the picture is the same as a full repaint of the new state
    partial = ring.grab().toImage()
    fresh = RingWidget()
    qtbot.addWidget(fresh)
    fresh.resize(640, 452)
    fresh.show()
    qtbot.waitExposed(fresh)
    fresh.set_seats(moved, centre, round_stage=True)
    full = fresh.grab().toImage()
    assert partial.convertToFormat(QImage.Format.Format_ARGB32) == full.convertToFormat(
        QImage.Format.Format_ARGB32
    )
    assert geometry.points


def test_a_new_stage_or_centre_repaints_the_whole_ring(qtbot: QtBot) -> None:
    ring = RingWidget()
    qtbot.addWidget(ring)
    ring.resize(640, 452)
    ring.show()
    qtbot.waitExposed(ring)
    ring.set_seats(seats(10), "", round_stage=True)
    painted = PaintedAreas()
    ring.installEventFilter(painted)
    qtbot.wait(20)
    painted.rects.clear()
    ring.set_seats(seats(10), "No talking-piece round in this stage", round_stage=False)
    qtbot.waitUntil(lambda: bool(painted.rects))
    assert painted.rects[-1] == ring.rect()


def test_a_ring_that_changes_size_and_back_draws_as_a_fresh_one(qtbot: QtBot) -> None:
    # Given a ring that goes back and forth between two heights (the words under it take a
    # third line when a round completes), keeping the circle it drew at each
    ring = RingWidget()
    qtbot.addWidget(ring)
    ring.show()
    qtbot.waitExposed(ring)
    ring.set_seats(seats(14, speaker=3), "Everyone has had a turn", round_stage=True)
    pictures = {}
    for size in [(640, 452), (640, 402), (640, 452), (640, 402)]:
        ring.resize(*size)
        pictures[size] = ring.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)
    # Then at each size it looks exactly as a ring drawn at that size for the first time
    for size, picture in pictures.items():
        fresh = RingWidget()
        qtbot.addWidget(fresh)
        fresh.resize(*size)
        fresh.show()
        qtbot.waitExposed(fresh)
        fresh.set_seats(seats(14, speaker=3), "Everyone has had a turn", round_stage=True)
        assert fresh.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32) == picture
