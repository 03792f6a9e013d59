"""Fixtures for the user interface tests: a readable app font and helpers to fill a database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.store.database import Database
from circlekeeper.ui.pyside_imports import import_plainly
from circlekeeper.ui.style import apply_calm_style, watch_every_field

# As the app does at start (circlekeeper.app): screens are tested with Qt set up as it runs.
import_plainly()

# Qt's offscreen platform warns whenever a window with a layout gets its size constraints; real
# platforms (xcb, wayland, windows, cocoa) support them. The lead may move this to pyproject's
# ``qt_log_ignore``.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def private_home(home: Path) -> Path:
    """Every screen test keeps what it saves (window sizes too) in a data folder of its own."""
    return home


@pytest.fixture(autouse=True)
def calm_style(qapp: QApplication) -> Iterator[None]:
    apply_calm_style(qapp)
    watch_every_field(qapp)
    yield


@pytest.fixture
def people(db: Database) -> PeopleService:
    return PeopleService(db.sessions)


def add_person(service: PeopleService, first: str, last: str, **values: object) -> int:
    """Add one person through the service and return their id."""
    return service.create(PersonData(first_name=first, last_name=last, **values)).id  # type: ignore[arg-type]


def activate(qtbot: object, widget: QWidget) -> None:
    """Show a window and wait until it really is the active one, so shortcuts reach it."""
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)  # type: ignore[attr-defined]
    handle = widget.windowHandle()
    if handle is not None:
        handle.requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)  # type: ignore[attr-defined]
