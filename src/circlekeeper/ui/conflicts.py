"""The notice an editor shows when someone else saved the same record first.

The core refuses the save (:class:`~circlekeeper.core.problems.EditConflict`) and says who
changed what. This box shows those words, keeps what the person typed where it is, lists it
("what you entered, not saved") and offers to load the saved version; after the reload the list
stays, so the person can enter their part again on top of the other person's.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from circlekeeper.core.problems import EditConflict

# Long text entered in a form is cut in the list; the fields themselves keep all of it.
SHOWN_CHARACTERS = 300


def _short(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= SHOWN_CHARACTERS else value[: SHOWN_CHARACTERS - 1] + "…"


class ConflictNotice(QFrame):
    """Someone else saved first: their change, the person's unsaved entries, and a reload."""

    reload_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictNotice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Someone else saved first"))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName(self.tr("What the other person changed"))
        self.entries = QLabel(self)
        self.entries.setWordWrap(True)
        self.entries.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.entries.setAccessibleName(self.tr("What you entered, not saved"))
        self.reload_button = QPushButton(self.tr("&Load the saved version"), self)
        self.reload_button.setAccessibleName(self.tr("Load the saved version"))
        self.reload_button.clicked.connect(self.reload_requested)
        self.dismiss_button = QPushButton(self.tr("&Hide this note"), self)
        self.dismiss_button.setAccessibleName(self.tr("Hide this note"))
        self.dismiss_button.clicked.connect(self.hide)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.entries)
        layout.addLayout(buttons)
        self.unsaved: list[tuple[str, str]] = []
        self.hide()

    def show_conflict(self, conflict: EditConflict, unsaved: Sequence[tuple[str, str]]) -> None:
        """Show the refusal; ``unsaved`` is (label, value) of each field the person changed."""
        self.unsaved = [(label, value) for label, value in unsaved]
        self.message.setText(str(conflict))
        self.message.setAccessibleDescription(str(conflict))
        self._show_entries(self.tr("What you entered (not saved yet; still in the form):"))
        self.reload_button.show()
        self.dismiss_button.hide()
        # No focus is taken: the refusal may come from a save while the person is typing.
        self.show()

    def after_reload(self) -> None:
        """The saved version is on screen now; keep the person's entries listed to re-enter."""
        self.message.setText(
            self.tr("The saved version is loaded. Enter your changes again where they still apply.")
        )
        self._show_entries(self.tr("What you had entered:"))
        self.reload_button.hide()
        self.dismiss_button.show()
        self.dismiss_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_entries(self, heading: str) -> None:
        if not self.unsaved:
            self.entries.hide()
            return
        lines = [heading] + [f"• {label} {_short(value)}" for label, value in self.unsaved]
        text = "\n".join(lines)
        self.entries.setText(text)
        self.entries.setAccessibleDescription(text)
        self.entries.show()
