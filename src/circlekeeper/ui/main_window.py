"""The main window: a calm shell with navigation between the product's areas."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from circlekeeper.core.store.database import Database, DatabaseProblem, open_database


class MainWindow(QMainWindow):
    """Navigation on the left, the chosen area on the right."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("circlekeeper"))
        self.resize(1100, 720)
        self.database: Database | None = None
        central = QWidget(self)
        layout = QHBoxLayout(central)
        self.navigation = QListWidget(central)
        self.navigation.setAccessibleName(self.tr("Areas"))
        self.navigation.setFixedWidth(200)
        self.stack = QStackedWidget(central)
        self.stack.setAccessibleName(self.tr("Current area"))
        self.loading = QLabel(self.tr("Opening your records…"), self.stack)
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setAccessibleName(self.tr("Opening your records"))
        self.stack.addWidget(self.loading)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.navigation.currentRowChanged.connect(self._show_area)

    def open_database(self, path: Path, *, interactive: bool = True) -> bool:
        """Open (and if needed migrate) the database, then build the areas on it."""
        try:
            self.database = open_database(path)
        except DatabaseProblem as problem:
            if interactive:
                QMessageBox.critical(self, self.tr("The records could not be opened"), str(problem))
            else:
                print(f"circlekeeper: {problem}", file=sys.stderr)
            return False
        self._build_areas(self.database)
        return True

    def close_database(self) -> None:
        if self.database is not None:
            self.database.close()
            self.database = None

    def add_area(self, title: str, widget: QWidget) -> None:
        item = QListWidgetItem(title, self.navigation)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
        self.stack.addWidget(widget)

    def _build_areas(self, database: Database) -> None:
        from circlekeeper.ui.people.area import PeopleArea

        self.people = PeopleArea(database, self)
        self.add_area(self.tr("People"), self.people)
        self.navigation.setCurrentRow(0)

    def _show_area(self, row: int) -> None:
        if row >= 0:
            self.stack.setCurrentIndex(row + 1)
