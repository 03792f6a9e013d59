"""No window uses the same Alt key for two things, in English and in Spanish.

A keeper who presses Alt+S expects one thing to happen; with two "&S" in a window Qt cycles
between them instead. For each screen of ``screens.py`` this collects the mnemonic of every
visible button, check box, group box title and label with a buddy, and fails on a letter used
twice in one window (on one page of it: the other tabs' letters are not reachable at once).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from circlekeeper.ui.i18n import install_language

from .screens import build_demo_template, demo_copy, open_screens

MNEMONIC = re.compile(r"&([^&\s])")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_template(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo(demo_template: Path, home: Path) -> Path:
    return demo_copy(demo_template, home)


def mnemonic_of(widget: QWidget) -> str | None:
    """The Alt letter a visible control answers to, lower-case; None for none."""
    if isinstance(widget, QAbstractButton):
        text = widget.text()
    elif isinstance(widget, QGroupBox) and widget.isCheckable():
        text = widget.title()
    elif isinstance(widget, QLabel) and widget.buddy() is not None:
        text = widget.text()
    else:
        return None
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def reachable(window: QWidget) -> Iterator[QWidget]:
    """The window's visible controls: on screen now, not in a hidden tab or page."""
    for widget in window.findChildren(QWidget):
        if widget.window() is window and widget.isVisible():
            yield widget


def repeated_mnemonics(window: QWidget) -> list[str]:
    """Each Alt letter used by more than one visible control of ``window``."""
    users: dict[str, list[str]] = defaultdict(list)
    for widget in reachable(window):
        letter = mnemonic_of(widget)
        if letter is not None:
            text = widget.title() if isinstance(widget, QGroupBox) else widget.text()
            users[letter].append(text)
    return [f"Alt+{k.upper()}: {', '.join(v)}" for k, v in sorted(users.items()) if len(v) > 1]


def test_the_check_sees_a_repeated_letter(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    for text in ("&Save", "&Start", "&Close"):
        layout.addWidget(QPushButton(text, window))
    window.show()
    assert repeated_mnemonics(window) == ["Alt+S: &Save, &Start"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_window_uses_an_alt_letter_twice(
    qtbot: QtBot, demo: Path, qapp: QApplication, language: str
) -> None:
    install_language(language, qapp)
    try:
        problems = [
            f"{screen} · {problem}"
            for screen, window in open_screens(qtbot, demo)
            for problem in repeated_mnemonics(window)
        ]
    finally:
        install_language("en", qapp)
    assert not problems, "Alt letters used twice:\n" + "\n".join(problems)
