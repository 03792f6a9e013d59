"""The product in Spanish: every screen speaks it, nothing is cut off, the choice applies at once.

The walk reads what a person (or a screen reader) gets from each screen of ``screens.py``:
labels, buttons, accessible names, tooltips, placeholders, window titles, combo box items,
list items and column headers. A text that is still one of the program's English source
texts (from the ``.ts`` file, the interface's and the core's) fails the walk. Names, places
and the demo's own English records are data, not interface, and are not in the catalogue.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from circlekeeper.core import i18n as core_i18n
from circlekeeper.ui.i18n import install_language, ts_path

from .screens import SCREENS, build_demo_template, demo_copy, open_screens

# Names of languages are written in their own language wherever a language is chosen.
PROPER_NOUNS = {"English", "Español"}
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
TAGS = re.compile(r"<[^>]+>")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_template(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo(demo_template: Path, home: Path) -> Path:
    return demo_copy(demo_template, home)


@pytest.fixture
def spanish(qapp: QApplication) -> Iterator[None]:
    install_language("es", qapp)
    yield
    install_language("en", qapp)


def _plain(text: str) -> str:
    text = TAGS.sub("", text).replace("&nbsp;", " ")
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


class EnglishCatalogue:
    """The English source texts whose Spanish differs, as exact texts and as patterns."""

    def __init__(self, path: Path) -> None:
        self.exact: set[str] = set()
        patterns: list[str] = []
        for message in ET.parse(path).getroot().iter("message"):
            source = message.findtext("source") or ""
            translation = message.findtext("translation") or ""
            if not source or _plain(translation) == _plain(source):
                continue  # SRO, PIN, circlekeeper, "Survey · Encuesta": the same in both
            plain = _plain(source)
            if "{" not in plain:
                if re.search(r"[A-Za-z]{3,}", plain):
                    self.exact.add(plain)
                continue
            words = PLACEHOLDER.sub("", plain)
            if len(re.findall(r"[A-Za-z]{3,}", words)) < 2:
                continue  # "{name} (observer)" and the like: too little English to be sure
            parts = [re.escape(p) for p in PLACEHOLDER.split(plain)]
            patterns.append(".+?".join(parts))
        self.patterns = [re.compile(f"^{p}$", re.DOTALL) for p in patterns]

    def english(self, text: str) -> bool:
        text = _plain(text)
        if not text or text in PROPER_NOUNS:
            return False
        if text in self.exact:
            return True
        return any(p.match(text) for p in self.patterns)


def shown_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a person or a screen reader meets under ``root``."""
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        kind = type(widget).__name__
        if widget.isWindow():
            yield f"{kind} title", widget.windowTitle()
        yield f"{kind} accessible name", widget.accessibleName()
        yield f"{kind} tooltip", widget.toolTip()
        if isinstance(widget, (QLabel, QAbstractButton)):
            yield kind, widget.text()
        if isinstance(widget, QLineEdit):
            yield f"{kind} placeholder", widget.placeholderText()
        if isinstance(widget, QGroupBox):
            yield kind, widget.title()
        if isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                yield f"{kind} tab", widget.tabText(i)
        if isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield f"{kind} item", widget.itemText(i)
        if isinstance(widget, QListWidget):
            for i in range(widget.count()):
                yield f"{kind} item", widget.item(i).text()
        header = None
        if isinstance(widget, QTableView):
            header = widget.horizontalHeader()
        elif isinstance(widget, QTreeView):
            header = widget.header()
        if header is not None and widget.model() is not None:
            model = widget.model()
            for column in range(header.count()):
                text = model.headerData(column, Qt.Orientation.Horizontal)
                if isinstance(text, str):
                    yield f"{kind} column", text
            # The first rows' cells: statuses, kinds and roles are words of the program too
            # (names and typed words are data, and never equal an English source text).
            for row in range(min(model.rowCount(), 30)):
                for column in range(header.count()):
                    text = model.index(row, column).data()
                    if isinstance(text, str):
                        yield f"{kind} cell", text


def builtin_script_titles() -> set[str]:
    """The built-in scripts' own titles: their content is written in English for now (their
    questions are bilingual), so the list of scripts shows them as they are."""
    from circlekeeper.core.scripts.scripts import ScriptLibrary

    return {info.title for info in ScriptLibrary().scripts()}


def test_every_screen_speaks_spanish(qtbot: QtBot, demo: Path, spanish: None) -> None:
    # Given the catalogue's English texts, and the program in Spanish on the demo data
    catalogue = EnglishCatalogue(ts_path("es"))
    content = builtin_script_titles()
    found: list[str] = []
    seen: list[str] = []
    # When every screen shows (the areas, the report, a case, the plan, the live circle and
    # its projector, the agreement windows, the new-case and person dialogs)
    for screen, widget in open_screens(qtbot, demo):
        seen.append(screen)
        for where, text in shown_texts(widget):
            if catalogue.english(text) and _plain(text) not in content:
                found.append(f"{screen} · {where}: {text!r}")
    # Then no screen shows a text still in English
    assert tuple(seen) == SCREENS
    assert not found, "English left on screen:\n" + "\n".join(sorted(set(found)))


def test_a_core_message_is_shown_in_the_language_of_the_screens(qapp, spanish) -> None:
    # Given the program in Spanish, when the core refuses a language it does not know
    with pytest.raises(core_i18n.InvalidInput) as refused:
        core_i18n.choose_language("klingon")
    # Then the refusal reads in Spanish, the parameters in place
    assert str(refused.value).startswith("No existe el idioma «klingon»")
    # And Qt's own words follow
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    assert box.buttons()[0].text() == "Aceptar"


def test_choosing_espanol_in_settings_applies_at_once_and_keeps_what_was_typed(
    qtbot: QtBot, db_path: Path, home: Path, qapp: QApplication
) -> None:
    from circlekeeper.ui.main_window import MainWindow

    # Given the main window in English, with a school name typed in Settings and not saved
    install_language("en", qapp)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_database(db_path, interactive=False)
    try:
        window.show_area(8)
        window.settings_view.school_name.setText("Escuela Sin Guardar")
        combo = window.settings_view.language.choice
        assert window.navigation.item(0).text() == "Today"
        # When the keeper chooses Español from the keyboard
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)  # the list closed: moves to the next choice
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        # Then every area is rebuilt in Spanish, still on Settings, and the typing is kept
        qtbot.waitUntil(lambda: window.navigation.item(0).text() == "Hoy")
        assert window.navigation.currentRow() == 8
        assert window.settings_view.school_name.text() == "Escuela Sin Guardar"
        assert window.settings_view.language.choice.currentData() == "es"
        assert window.settings_view.save_button.text() == "&Guardar la configuración"
        # And the choice is kept for the next start
        assert (home / "language.txt").read_text(encoding="utf-8").strip() == "es"
    finally:
        window.close_database()
        install_language("en", qapp)


def test_a_language_change_never_closes_a_running_circle(
    qtbot: QtBot, demo: Path, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    from circlekeeper.ui import language_change
    from circlekeeper.ui.live.facilitator import FacilitatorWindow
    from circlekeeper.ui.main_window import MainWindow

    from .screens import _ids

    told: list[str] = []
    monkeypatch.setattr(language_change, "tell", lambda parent, title, text: told.append(title))

    # Given a circle running in a facilitator window opened from the Circles area
    install_language("en", qapp)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_database(demo, interactive=False)
    planned, _held = _ids(demo)
    try:
        window.show_area(3)
        assert window.database is not None
        live = FacilitatorWindow(window.database, planned, window.circles)
        live.show()
        qtbot.waitUntil(live.isVisible)
        # When the keeper chooses Español in Settings mid-circle
        changed = window.apply_language("es")
        QApplication.processEvents()
        # Then nothing changes: the circle's window is still there, and so is the language
        assert changed is False
        assert told == ["A circle is running"]
        assert live.isVisible()
        assert window.navigation.item(0).text() == "Today"
        live.close()
    finally:
        window.close_database()
        install_language("en", qapp)


def test_a_language_change_closes_other_open_windows_only_when_asked(
    qtbot: QtBot, demo: Path, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    from circlekeeper.ui import language_change
    from circlekeeper.ui.main_window import MainWindow

    from .screens import _ids

    install_language("en", qapp)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_database(demo, interactive=False)
    _planned, held = _ids(demo)
    asked: list[list[str]] = []
    answer = [False]

    def ask(parent: QWidget, titles: list[str]) -> bool:
        asked.append(titles)
        return answer[0]

    monkeypatch.setattr(language_change, "ask_to_close", ask)
    try:
        # Given an agreement window open from the Agreements area
        window.show_area(5)
        area = window.agreements
        from circlekeeper.ui.agreements import open_agreement_for_circle

        assert window.database is not None
        opened = open_agreement_for_circle(window.database, held, area)
        qtbot.waitUntil(opened.isVisible)
        # When Español is chosen and the keeper keeps the window open
        assert window.apply_language("es") is False
        # Then the window was named in the question, and nothing changed
        assert asked and asked[0] == [opened.windowTitle()]
        assert opened.isVisible()
        assert window.navigation.item(0).text() == "Today"
        # When the keeper lets it close
        answer[0] = True
        assert window.apply_language("es") is True
        # Then the screens speak Spanish and the window is gone, with no error on the way
        qtbot.waitUntil(lambda: window.navigation.item(0).text() == "Hoy")
        qtbot.waitUntil(
            lambda: (
                not any(
                    w.isVisible() and w.windowTitle() == asked[0][0]
                    for w in QApplication.topLevelWidgets()
                )
            )
        )
    finally:
        window.close_database()
        install_language("en", qapp)
