"""The main window: a calm shell with navigation between the product's areas."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.ui.geometry import default_size, remember_geometry
from circlekeeper.ui.style import apply_calm_style, watch_every_field

if TYPE_CHECKING:  # SQLAlchemy loads only after the first paint
    from circlekeeper.core.profiles.profiles import Viewer
    from circlekeeper.core.store.database import Database
    from circlekeeper.ui.security.guard import Guard

log = logging.getLogger(__name__)


class AreaSlot(QWidget):
    """A place in the stack whose area is built the first time it is needed.

    Building every area when the database opens made start-up pay for screens nobody had
    opened yet; only the home screen is built then.
    """

    def __init__(self, factory: Callable[[], QWidget], parent: QWidget) -> None:
        super().__init__(parent)
        self.factory = factory
        self.area: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def build(self) -> QWidget:
        if self.area is None:
            self.area = self.factory()
            self._layout.addWidget(self.area)
        return self.area


class MainWindow(QMainWindow):
    """Navigation on the left, the chosen area on the right."""

    def __init__(self) -> None:
        super().__init__()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_calm_style(app)
        self.setWindowTitle(self.tr("circlekeeper"))
        default_size(self, 1100, 720)
        remember_geometry(self, "main")
        self.database: Database | None = None
        # Who is using it (see ui/profiles.py): set when a database opens.
        self.viewer: Viewer | None = None
        self.profile_id: int | None = None
        self._area_shortcuts: list[QShortcut] = []
        self._slots: dict[str, AreaSlot] = {}
        central = QWidget(self)
        layout = QHBoxLayout(central)
        self.navigation = QListWidget(central)
        self.navigation.setAccessibleName(self.tr("Areas"))
        self.navigation.setFixedWidth(200)
        navigation_font = self.navigation.font()
        navigation_font.setPointSizeF(max(12.0, navigation_font.pointSizeF() * 1.1))
        self.navigation.setFont(navigation_font)
        self.navigation.setSpacing(3)
        self.stack = QStackedWidget(central)
        self.stack.setAccessibleName(self.tr("Current area"))
        self.loading = QLabel(self.tr("Opening your records…"), self.stack)
        # Set in the style sheet: touching PySide6's Qt namespace costs ~16 ms before the paint.
        self.loading.setStyleSheet("qproperty-alignment: AlignCenter;")
        self.loading.setAccessibleName(self.tr("Opening your records"))
        self.stack.addWidget(self.loading)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        # Who is using it, always in sight: what the window shows depends on it.
        self.profile_label = QLabel(self)
        self.profile_label.setAccessibleName(self.tr("Active profile"))
        self.statusBar().addPermanentWidget(self.profile_label)
        self.navigation.currentRowChanged.connect(self._show_area)
        self.search_popup: QWidget | None = None
        self._search_shortcuts: list[QShortcut] = []
        # Built with the first database, after the first paint (see finish_setup).
        self.guard: Guard | None = None

    def _retranslate_shell(self) -> None:
        """Name the window's own parts again in the language now spoken."""
        self.setWindowTitle(self.tr("circlekeeper"))
        self.navigation.setAccessibleName(self.tr("Areas"))
        self.stack.setAccessibleName(self.tr("Current area"))
        self.loading.setText(self.tr("Opening your records…"))
        self.loading.setAccessibleName(self.tr("Opening your records"))
        self.profile_label.setAccessibleName(self.tr("Active profile"))

    def apply_language(self, choice: str) -> bool:
        """Speak ``choice`` now: install its translators and build every area again.

        Refused (False, nothing changed) while an area holds unsaved work or a circle runs,
        and other open windows close only when the keeper agrees (see ``language_change``);
        Settings' own unsaved fields are carried over.
        """
        from circlekeeper.ui.i18n import install_language
        from circlekeeper.ui.language_change import may_change

        if not may_change(self):
            return False
        settings_slot = self._slots.get("settings_view")
        typed = None
        if settings_slot is not None and settings_slot.area is not None:
            view = settings_slot.area
            if getattr(view, "has_unsaved_changes", lambda: False)():
                typed = view.current()  # type: ignore[attr-defined]
        row = self.navigation.currentRow()
        install_language(choice)
        self._retranslate_shell()
        self.search_popup = None
        if self.database is not None:
            self._clear_areas()
            self._build_areas(self.database)
            self.show_profile()
            if row >= 0:
                self.navigation.setCurrentRow(row)
            if typed is not None:
                self.settings_view.show_typed(typed)
        return True

    def finish_setup(self) -> None:
        """Search shortcuts, the fields' rules and the app lock: needed only once there are
        records to show, so the first paint does not wait for them.

        Called once the home screen is built: the lock's idle watch and the fields' rules are
        application-wide Python event filters, and while one is installed the first event
        reaching an object of a private Qt class (the model inside a list widget) makes
        PySide6 create a Python type for every Qt class, ~60 ms of enum classes. Built
        before them, Today shows without waiting for that; it happens in the idle moment
        after. Today has no drop-down list or date field for the rule to miss
        (``tests/ui/test_start_order.py``).
        """
        if self.guard is not None:
            return
        app = QApplication.instance()
        if isinstance(app, QApplication):
            watch_every_field(app)  # before any area with fields is built
        # Ctrl+F with the sidebar focused reaches People's search (inside an area, its own).
        find = QShortcut(QKeySequence("Ctrl+F"), self.navigation)
        find.setContext(QtCore.Qt.ShortcutContext.WidgetShortcut)
        find.activated.connect(self.find_person)
        for keys in ("Ctrl+K", "Ctrl+Shift+F"):
            search = QShortcut(QKeySequence(keys), self)
            search.setContext(QtCore.Qt.ShortcutContext.ApplicationShortcut)
            search.activated.connect(self.search_everywhere)
            self._search_shortcuts.append(search)
        from circlekeeper.ui.security.guard import Guard

        # The app lock (idle time and Ctrl+L) and the periodic backup check.
        self.guard = Guard(self)

    def open_database(self, path: Path | str, *, interactive: bool = True) -> bool:
        """Open (and if needed migrate) the database, then build the areas on it.

        When the database has never been welcomed and ``interactive`` is true, the first-run
        welcome is shown just after this returns.
        """
        from circlekeeper.ui.security.opening import open_with_prompts

        # Asks for the passphrase of an encrypted file (CIRCLEKEEPER_PASSPHRASE when not
        # interactive) and offers the newest good backup for a damaged one.
        self.database = open_with_prompts(path, self, interactive=interactive)
        if self.database is None:
            return False
        self.choose_viewer(interactive=interactive)
        self._build_areas(self.database)
        self.finish_setup()  # after Today: see there
        if interactive:
            QTimer.singleShot(0, self.welcome_if_first_run)
            QTimer.singleShot(0, self.offer_resume)
        return True

    def damaged_while_open(self, damage: object) -> bool:
        """The deferred page check found the open file damaged: set it aside, offer a backup.

        The same offer as a damage found while opening; no write reached the file (the check
        runs before the first one), and quitting leaves the window without records.
        """
        from circlekeeper.core.store.database import set_aside_damaged
        from circlekeeper.ui.security.opening import offer_recovery

        database = self.database
        if database is None:
            return False
        self.close_database()
        moved = set_aside_damaged(database, damage)  # type: ignore[arg-type]
        opened = offer_recovery(database.file(), moved, self, None)
        if opened is None:
            return False
        self.database = opened
        self.choose_viewer()
        self._build_areas(opened)
        return True

    def choose_viewer(self, *, interactive: bool = True) -> None:
        """Decide who is using the program (asks when several profiles exist)."""
        from circlekeeper.ui.profiles import choose_profile

        if self.database is not None:
            self.viewer, self.profile_id = choose_profile(
                self.database, self, interactive=interactive
            )
            self.register_context(self.database)
        self.show_profile()

    def register_context(self, database: Database) -> None:
        """Make this window's active profile the actor and viewer of every operation on
        ``database``, asked afresh at each one (so a change of profile counts at once)."""
        from circlekeeper.ui.operations import register

        register(database, actor=self.actor_name, viewer=lambda: self.viewer)

    def actor_name(self) -> str:
        """Who the audit trail names: the active profile, or the facilitator in Settings."""
        return self.viewer.name if self.viewer is not None else ""

    def show_profile(self) -> None:
        """Name the active profile and its role in the status bar (and to screen readers)."""
        from circlekeeper.ui.profiles import profile_caption

        text = profile_caption(self.viewer, self.profile_id, self) if self.viewer else ""
        self.profile_label.setText(text)
        self.profile_label.setAccessibleDescription(text)

    def close_database(self) -> None:
        self._clear_areas()
        if self.database is not None:
            self.database.close()
            self.database = None
        self.viewer = None
        self.profile_id = None
        self.show_profile()

    def add_area(self, title: str, widget: QWidget) -> None:
        item = QListWidgetItem(title, self.navigation)
        item.setData(QtCore.Qt.ItemDataRole.AccessibleTextRole, title)
        self.stack.addWidget(widget)
        number = self.navigation.count()
        if number <= 9:
            # Ctrl+1, Ctrl+2, … jump between areas from anywhere in the window.
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda row=number - 1: self.show_area(row))
            self._area_shortcuts.append(shortcut)
            item.setToolTip(self.tr("{area} (Ctrl+{number})").format(area=title, number=number))

    def add_lazy_area(self, name: str, title: str, factory: Callable[[], QWidget]) -> None:
        """Add an area built on first use; ``window.<name>`` builds and returns it."""
        slot = AreaSlot(factory, self.stack)
        self._slots[name] = slot
        self.add_area(title, slot)

    def area_slots(self) -> list[AreaSlot]:
        """The areas in navigation order (built or not yet)."""
        return [
            widget
            for row in range(1, self.stack.count())
            if isinstance(widget := self.stack.widget(row), AreaSlot)
        ]

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails: areas not built yet are built on demand.
        slots = self.__dict__.get("_slots", {})
        if name in slots:
            return slots[name].build()
        raise AttributeError(name)

    def current_area(self) -> QWidget | None:
        """The area on show (built), or None while the records are opening."""
        widget = self.stack.currentWidget()
        if isinstance(widget, AreaSlot):
            return widget.build()
        return None if widget is self.loading else widget

    def show_area(self, row: int) -> None:
        """Show an area by its place in the navigation and move the keyboard focus into it."""
        self.navigation.setCurrentRow(row)
        widget = self.stack.currentWidget()
        if isinstance(widget, AreaSlot):
            widget = widget.build()
        if widget is not None and widget is not self.loading:
            widget.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
            widget.focusNextChild()

    def _build_areas(self, database: Database) -> None:
        # Areas (or a database) set aside since start-up were frozen out of garbage collection
        # with the rest of it (app.py): collectable again, so they do not stay for good.
        gc.unfreeze()
        from circlekeeper.ui.today.area import TodayArea

        def today() -> QWidget:
            area = TodayArea(database, self)
            area.open_record.connect(self.open_record)
            return area

        def cases() -> QWidget:
            from circlekeeper.ui.cases.area import CasesArea

            area = CasesArea(database, self)
            area.open_record.connect(self.open_record)
            return area

        def people() -> QWidget:
            from circlekeeper.ui.people.area import PeopleArea

            area = PeopleArea(database, self)
            area.open_record.connect(self.open_record)
            return area

        def circles() -> QWidget:
            from circlekeeper.ui.circles.area import CirclesArea

            return CirclesArea(database, self)

        def scripts() -> QWidget:
            from circlekeeper.ui.scripts.area import ScriptsArea

            return ScriptsArea(database, self)

        def agreements() -> QWidget:
            from circlekeeper.ui.agreements.area import AgreementsArea

            return AgreementsArea(database, self)

        def reports() -> QWidget:
            from circlekeeper.ui.reports.area import ReportsArea

            return ReportsArea(database, self)

        def sro() -> QWidget:
            from circlekeeper.ui.sro.area import SroArea

            return SroArea(database, self)

        def settings() -> QWidget:
            from circlekeeper.ui.settings_view import SettingsView

            return SettingsView(database, self)

        # Today is the home screen: first in the navigation, shown (and so built) on opening.
        self.add_lazy_area("today", self.tr("Today"), today)
        self.add_lazy_area("cases", self.tr("Cases"), cases)
        self.add_lazy_area("people", self.tr("People"), people)
        self.add_lazy_area("circles", self.tr("Circles"), circles)
        self.add_lazy_area("scripts", self.tr("Scripts"), scripts)
        self.add_lazy_area("agreements", self.tr("Agreements"), agreements)
        self.add_lazy_area("reports", self.tr("Reports"), reports)
        self.add_lazy_area("sro", self.tr("SRO log"), sro)
        self.add_lazy_area("settings_view", self.tr("Settings"), settings)
        self.navigation.setCurrentRow(0)
        self.setWindowTitle(
            self.tr("circlekeeper — {file}").format(
                file=database.path.name if database.path is not None else database.location
            )
            if database.path is None or database.path.name != "circlekeeper.sqlite3"
            else self.tr("circlekeeper")
        )

    def _clear_areas(self) -> None:
        self.navigation.blockSignals(True)
        self.navigation.clear()
        self.navigation.blockSignals(False)
        for shortcut in self._area_shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self._area_shortcuts.clear()
        self._slots.clear()
        while self.stack.count() > 1:
            widget = self.stack.widget(1)
            if widget is None:
                break
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.stack.setCurrentIndex(0)

    def _show_area(self, row: int) -> None:
        if row >= 0:
            widget = self.stack.widget(row + 1)
            if isinstance(widget, AreaSlot):
                widget.build()
            self.stack.setCurrentIndex(row + 1)

    # -- search everywhere -------------------------------------------------------------------

    def search_everywhere(self) -> None:
        """Open the search popup (Ctrl+K or Ctrl+Shift+F from anywhere)."""
        from circlekeeper.ui.search.popup import SearchPopup

        if self.database is None:
            return
        popup = self.search_popup
        if not isinstance(popup, SearchPopup) or popup.database is not self.database:
            popup = SearchPopup(self.database, self)
            popup.chosen.connect(self.open_record)
            self.search_popup = popup
        popup.popup()

    def find_person(self) -> None:
        """Put the keyboard in a search: the shown area's own, else the People search."""
        if "people" not in self._slots:
            return  # no records open yet
        area: Any = self.current_area()
        if not hasattr(area, "focus_search"):
            area = self.people
            slots = [self.stack.widget(i + 1) for i in range(self.navigation.count())]
            areas = [w.area if isinstance(w, AreaSlot) else w for w in slots]
            self.navigation.setCurrentRow(areas.index(area))
        area.focus_search()

    def open_record(self, kind: str, record_id: int, parent_id: object = None) -> bool:
        """Show a record in its area: a person in People, a case on its page, and so on.

        Kinds an area cannot select yet fall back to the case (or circle) that holds them.
        """

        def show(area: QWidget | None) -> bool:
            # Read after ``getattr`` has built the area, so a slot's new area is found.
            slots = [self.stack.widget(i + 1) for i in range(self.navigation.count())]
            areas = [w.area if isinstance(w, AreaSlot) else w for w in slots]
            if area is None or area not in areas:
                return False
            self.navigation.setCurrentRow(areas.index(area))
            return True

        parent = parent_id if isinstance(parent_id, int) else None
        if kind == "person" and show(getattr(self, "people", None)):
            # A person opens on their page: their story first, Edit one of its actions.
            return bool(self.people.open_person(record_id))
        if kind == "case" and show(getattr(self, "cases", None)):
            return bool(self.cases.open_case(record_id))
        if kind in ("circle", "note"):
            circle_id = record_id if kind == "circle" else parent
            circles = getattr(self, "circles", None)
            if circle_id is not None and hasattr(circles, "select_circle") and show(circles):
                circles.select_circle(circle_id)  # type: ignore[union-attr]
                return True
        if kind == "agreement":
            agreements = getattr(self, "agreements", None)
            if hasattr(agreements, "open_agreement") and show(agreements):
                agreements.open_agreement(record_id)  # type: ignore[union-attr]
                return True
        if kind == "agreement_item" and parent is not None:
            return self.open_record("agreement", parent)
        if kind in ("circle", "agreement") and parent is not None:
            return self.open_record("case", parent)
        return False

    # -- a circle left running ---------------------------------------------------------------

    def offer_resume(self) -> None:
        """Offer to resume a circle the app was closed or killed in the middle of."""
        from circlekeeper.ui.live.resume import resume_offer

        welcome = getattr(self, "welcome_dialog", None)
        if welcome is not None and welcome.isVisible():
            welcome.finished.connect(lambda _code: self.offer_resume())
            return
        if self.database is None:
            return
        self.resume_box = resume_offer(self.database, self)
        if self.resume_box is not None:
            self.resume_box.open()

    # -- first run -------------------------------------------------------------------------

    def welcome_if_first_run(self) -> None:
        """Show the welcome once per database; offer to switch to a demo database."""
        from circlekeeper.core.settings.settings import SettingsService
        from circlekeeper.ui.operations import context_for
        from circlekeeper.ui.welcome import DEMO, WelcomeDialog

        if self.database is None:
            return
        if not SettingsService(context_for(self.database)).load().first_run:
            return
        dialog = WelcomeDialog(self.database, self)
        self.welcome_dialog = dialog
        if not dialog.exec():
            return
        if hasattr(self, "settings_view"):
            self.settings_view.load()
        if dialog.choice == DEMO and not self.start_demo(dialog.answers()):
            return  # still on the first file; nothing was switched, so nothing to protect
        if dialog.wants_passphrase:
            # Protect the file now in use (the demo file when demo data was chosen), by the same
            # path as Settings → Protection → encryption on (asks for the passphrase).
            self.protect_with_passphrase()

    def protect_with_passphrase(self) -> bool:
        """Encrypt the open database with a passphrase chosen now (False if not done)."""
        if self.database is None or self.database.encrypted:
            return False
        return bool(self.settings_view.protection.toggle_encryption())

    def start_demo(self, answers: object = None) -> bool:
        """Build (or reuse) the demo database beside the current one and switch to it."""
        from circlekeeper.core.settings.settings import SchoolSettings
        from circlekeeper.ui.last_database import demo_database_path
        from circlekeeper.ui.welcome import build_demo_database

        if self.database is None:
            return False
        from circlekeeper.core.paths import default_database_path

        # On a district's server the demo is still a file of its own, in the data folder.
        path = demo_database_path(self.database.path or default_database_path())
        if path.exists():
            answer = QMessageBox.question(
                self,
                self.tr("Demo data is already there"),
                self.tr(
                    "A demo database was made earlier ({file}). Open it? "
                    "Its fictional records are kept as they are."
                ).format(file=path),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        else:
            try:
                if not build_demo_database(path, self):
                    return False
            except ImportError:
                QMessageBox.information(
                    self,
                    self.tr("Demo data not available"),
                    self.tr("This copy of circlekeeper has no demo data. You can start empty."),
                )
                return False
        return self.switch_database(path, answers if isinstance(answers, SchoolSettings) else None)

    def switch_database(
        self, path: Path, settings: object = None, *, passphrase: str | None = None
    ) -> bool:
        """Close the current database and open another; remember it for the next start.

        ``settings`` (a SchoolSettings) is written into the newly opened database first, so
        the facilitator's welcome answers follow them into the demo database.
        """
        from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
        from circlekeeper.ui.last_database import remember_database

        self.finish_setup()
        previous = self.database.path if self.database is not None else None
        self.close_database()
        from circlekeeper.ui.security.opening import open_with_prompts

        opened = open_with_prompts(path, self, passphrase=passphrase)
        if opened is None:
            if previous is not None:
                self.open_database(previous)
            return False
        database = opened
        if isinstance(settings, SchoolSettings):
            from circlekeeper.core.settings.welcome import carry_answers
            from circlekeeper.ui.operations import context_for
            from circlekeeper.ui.welcome import add_facilitator

            # The school's name and address stay together (a typed name never sits above
            # the demo's address), and the facilitator is a staff person here too.
            service = SettingsService(context_for(database))
            service.save(carry_answers(service.load(), settings))
            add_facilitator(database, settings)
        self.database = database
        self.choose_viewer()
        self._build_areas(database)
        try:
            remember_database(path)
        except OSError:
            log.exception("Could not remember the database choice")
        return True
