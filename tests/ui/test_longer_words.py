"""A pseudo-language a third longer than English: no screen gets wider than the laptop, and
no label or button is cut off (its size hint is wider than the room it was given)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import (
    QApplication,
)
from pytestqt.qtbot import QtBot

from .screens import SCREEN_SIZE, build_demo_template, clipped_controls, demo_copy, open_screens


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_template(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo(demo_template: Path, home: Path) -> Path:
    return demo_copy(demo_template, home)


class LongerWords(QTranslator):
    """A pseudo-language: every text a third longer, so clipped controls show up."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        if not source or source.isspace():
            return source
        extra = math.ceil(len(source) / 3)
        # Words of five letters, so text that wraps in English can wrap here too.
        return source + "".join(" ~~~~" for _ in range(math.ceil(extra / 5)))


def test_longer_words_cut_off_no_control(qtbot: QtBot, demo: Path, qapp: QApplication) -> None:
    # Given a language whose every text is a third longer than the English
    longer = LongerWords(qapp)
    QCoreApplication.installTranslator(longer)
    try:
        problems: list[str] = []
        # When every screen is shown at 1366x768
        for screen, widget in open_screens(qtbot, demo):
            if widget.width() > SCREEN_SIZE[0]:
                problems.append(f"{screen}: {widget.width()} px wide, wider than the screen")
            problems += [f"{screen} · {p}" for p in clipped_controls(widget)]
    finally:
        QCoreApplication.removeTranslator(longer)
    # Then every label and button still shows its whole text
    assert not problems, "Cut off:\n" + "\n".join(problems)
