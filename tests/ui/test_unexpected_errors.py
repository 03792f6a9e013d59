"""An unplanned error in a slot: logged privately, a calm message, and the app goes on."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from circlekeeper.core.logs import PrivateRotatingFileHandler, setup_logging
from circlekeeper.core.problems import InvalidInput
from circlekeeper.ui.unexpected import ErrorHooks, install_error_hooks

SECRET = "Ana Secret-Lopez"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The private log of a fresh data folder, for this test only."""
    root = logging.getLogger()
    kept = [h for h in root.handlers if isinstance(h, PrivateRotatingFileHandler)]
    for handler in kept:
        root.removeHandler(handler)
    path = setup_logging(tmp_path)
    assert path is not None
    yield path
    for handler in [h for h in root.handlers if isinstance(h, PrivateRotatingFileHandler)]:
        root.removeHandler(handler)
        handler.close()
    for handler in kept:
        root.addHandler(handler)


@pytest.fixture
def hooks() -> Iterator[ErrorHooks]:
    installed = install_error_hooks()
    yield installed
    installed.uninstall()
    if installed.notice.box is not None:
        installed.notice.box.close()


def _text(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


@pytest.mark.qt_no_exception_capture
def test_a_slot_that_raises_is_logged_and_explained_calmly(
    qtbot: QtBot, log_file: Path, hooks: ErrorHooks
) -> None:
    # Given a button whose slot fails with a statement's values in its message
    button = QPushButton("Next speaker")
    qtbot.addWidget(button)
    pressed: list[int] = []

    def fail() -> None:
        pressed.append(1)
        raise RuntimeError(
            "(sqlite3.OperationalError) boom\n[SQL: UPDATE person SET first_name=?]\n"
            f"[parameters: ('{SECRET}',)]"
        )

    button.clicked.connect(fail)
    # When it is pressed, twice
    button.click()
    button.click()
    # Then the app is still running, the traceback is in the log without the values...
    assert pressed == [1, 1]
    written = _text(log_file)
    assert "Traceback" in written and "RuntimeError" in written and "def fail" not in written
    assert "in fail" in written and SECRET not in written
    # ...and the person is told in plain words, once, with no traceback
    qtbot.waitUntil(lambda: hooks.notice.box is not None and hooks.notice.box.isVisible())
    box = hooks.notice.box
    assert box is not None
    assert "Nothing saved was lost" in box.text() and "log" in box.text()
    assert "Traceback" not in box.text() and SECRET not in box.text()
    assert len(hooks.notice.shown) == 2 and box.isVisible()


@pytest.mark.qt_no_exception_capture
def test_a_failure_on_another_thread_reaches_the_ui_thread_in_plain_words(
    qtbot: QtBot, log_file: Path, hooks: ErrorHooks
) -> None:
    def work() -> None:
        raise InvalidInput("That date is not a school day. Nothing was saved.")

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: hooks.notice.box is not None)
    assert hooks.notice.box is not None
    assert hooks.notice.box.text() == "That date is not a school day. Nothing was saved."
    assert "InvalidInput" in _text(log_file)


def test_uninstalling_puts_back_the_previous_hooks() -> None:
    import sys

    before = (sys.excepthook, threading.excepthook)
    installed = install_error_hooks()
    assert sys.excepthook == installed.handle
    installed.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
