"""The ring's layout keeps the widths it measured; what it lays out is the same as fresh."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from tests.ui.test_ring_names import NAMES

from circlekeeper.ui.live import ring_layout


def _layout(base: QFont, speaker: int) -> tuple[ring_layout.RingGeometry, list[ring_layout.Label]]:
    names = NAMES[:14]
    details = ["spoke" if i < speaker else "speaking" if i == speaker else "" for i in range(14)]
    speaking = [i == speaker for i in range(14)]
    return ring_layout.layout(616, 424, names, details, speaking, base, base.pointSizeF())


def _fresh(base: QFont, speaker: int) -> tuple[ring_layout.RingGeometry, list[ring_layout.Label]]:
    ring_layout._faces.clear()
    return _layout(base, speaker)


def test_a_ring_laid_out_again_from_kept_widths_is_the_one_laid_out_fresh(qtbot: QtBot) -> None:
    base = QFont(QApplication.font())
    base.setPointSizeF(14.0)
    # Given the ring laid out once for each holder of the piece (the widths are now kept)
    for speaker in range(14):
        _layout(base, speaker)
    # When it is laid out again as the piece goes round, then each time it is what a layout
    # that measured everything afresh gives
    for speaker in range(14):
        again = _layout(base, speaker)
        fresh = _fresh(base, speaker)
        assert again[0].points == fresh[0].points
        assert [(label.lines, label.box) for label in again[1]] == [
            (label.lines, label.box) for label in fresh[1]
        ]


def test_a_label_is_as_wide_as_its_own_font_measures_it(qtbot: QtBot) -> None:
    # Given the same names laid out at one size with two base fonts, one after the other
    for heavy in (False, True, False):
        base = QFont(QApplication.font())
        base.setPointSizeF(13.0)
        base.setBold(heavy)
        _geometry, labels = _layout(base, 3)
        # Then each name is in this base font, and each box fits its own lines as their font
        # measures them (no font or width kept from the other one)
        for index, label in enumerate(labels):
            assert label.lines[0][1].bold() == (heavy or index == 3)
            widest = max(QFontMetricsF(font).horizontalAdvance(text) for text, font in label.lines)
            assert label.box.width() == widest
