"""Telling the person their database is damaged, and what they can do about it."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.store.problems import DamagedDatabase
from circlekeeper.ui.style import heading, note


class Choice(Enum):
    RESTORE = "restore"
    EMPTY = "empty"
    QUIT = "quit"


class DamagedDialog(QDialog):
    """What happened, where the damaged file went (unchanged), and the choices."""

    def __init__(
        self,
        path: Path,
        damage: DamagedDatabase,
        backup: Path | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.choice = Choice.QUIT
        self.setWindowTitle(self.tr("The records file is damaged"))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(heading(self.tr("The records file is damaged"), self))
        parts = [
            self.tr(
                "circlekeeper could not read {file} safely ({what}). This can happen when a "
                "laptop loses power or a disk has a fault."
            ).format(file=path.name, what=damage.what)
        ]
        if damage.moved_to is not None:
            parts.append(
                self.tr(
                    "Nothing in it was changed or deleted: the damaged file was moved aside to "
                    "{moved}, so IT staff can still look at it."
                ).format(moved=damage.moved_to)
            )
        else:
            parts.append(self.tr("Nothing in it was changed or deleted."))
        for text in parts:
            label = note(text, self)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
        if backup is not None:
            self.backup_text = self.tr(
                "The newest backup is {name}. Restoring it brings back your records as they were "
                "when it was made; changes made after that are not in it."
            ).format(name=backup.name)
        else:
            self.backup_text = self.tr(
                "No good backup of this file was found, so it cannot be restored here."
            )
        self.backup_label = note(self.backup_text, self)
        layout.addWidget(self.backup_label)

        self.buttons = QDialogButtonBox(Qt.Orientation.Vertical, self)
        self.restore_button: QPushButton | None = None
        if backup is not None:
            self.restore_button = self._button(
                self.tr("&Restore the newest backup and open it"), Choice.RESTORE
            )
            self.restore_button.setDefault(True)
        self.empty_button = self._button(self.tr("Start with an &empty database"), Choice.EMPTY)
        self.quit_button = self._button(self.tr("&Quit without changing anything"), Choice.QUIT)
        if backup is None:
            self.quit_button.setDefault(True)
        layout.addWidget(self.buttons)

    def _button(self, text: str, choice: Choice) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.replace("&", ""))
        button.setAutoDefault(True)
        self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        button.clicked.connect(lambda: self._choose(choice))
        return button

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        if choice is Choice.QUIT:
            self.reject()
        else:
            self.accept()

    def reject(self) -> None:
        self.choice = Choice.QUIT
        super().reject()
