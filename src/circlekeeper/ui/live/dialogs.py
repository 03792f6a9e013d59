"""Small dialogs the keeper opens mid-circle: a note, choosing a person, ending the circle.

Each is opened window-modal with ``open()`` (never a nested event loop), reacts to the keyboard
alone, and accepts at most once, so a double Return never records a note twice.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.domain.enums import NotePrivacy


class _OnceDialog(QDialog):
    """A dialog whose accept runs once, however many keys or clicks ask for it."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._settled = False

    def accept(self) -> None:
        if self._settled:
            return
        self._settled = True
        super().accept()

    def reject(self) -> None:
        if self._settled:
            return
        self._settled = True
        super().reject()

    def _buttons(self, ok_text: str) -> QDialogButtonBox:
        box = QDialogButtonBox(self)
        self.ok_button = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setAccessibleName(ok_text.replace("&", ""))
        self.ok_button.setDefault(True)
        cancel = box.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAccessibleName(self.tr("Cancel"))
        cancel.setToolTip(self.tr("Close without doing anything (Esc)"))
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        return box


class _CtrlReturn(QObject):
    """Ctrl+Return in the note text saves the note (plain Return starts a new line)."""

    def __init__(self, dialog: QDialog) -> None:
        super().__init__(dialog)
        self._dialog = dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self._dialog.accept()
            return True
        return False


class NoteDialog(_OnceDialog):
    """A note on this stage: private memory aid (the default) or part of the shared record."""

    def __init__(
        self,
        people: list[tuple[int, str]],
        stage_title: str,
        parent: QWidget | None = None,
        *,
        about: int | None = None,
    ) -> None:
        """``about``: who the note is about unless the keeper chooses otherwise (the speaker)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Note"))
        self.setAccessibleName(self.tr("Add a note"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("A note on “{stage}”. Ctrl+Return saves it.").format(stage=stage_title), self
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.text = QPlainTextEdit(self)
        self.text.setAccessibleName(self.tr("Note text"))
        self.text.setTabChangesFocus(True)
        self.text.installEventFilter(_CtrlReturn(self))
        layout.addWidget(self.text, 1)
        self.private = QRadioButton(self.tr("&Private memory aid (only for me)"), self)
        self.private.setAccessibleName(self.tr("Private memory aid, only for me"))
        self.private.setChecked(True)
        self.record = QRadioButton(self.tr("Part of the shared &record"), self)
        self.record.setAccessibleName(self.tr("Part of the shared record"))
        self.record.setToolTip(
            self.tr("Record notes become part of the student's education record.")
        )
        layout.addWidget(self.private)
        layout.addWidget(self.record)
        form = QFormLayout()
        self.about = QComboBox(self)
        self.about.setAccessibleName(self.tr("About whom"))
        self.about.addItem(self.tr("Nobody in particular"), None)
        for pid, name in people:
            self.about.addItem(name, pid)
        found = self.about.findData(about) if about is not None else -1
        if found >= 0:
            self.about.setCurrentIndex(found)
        form.addRow(self.tr("&About:"), self.about)
        layout.addLayout(form)
        layout.addWidget(self._buttons(self.tr("&Save note")))
        self.text.setFocus()

    def note_text(self) -> str:
        return self.text.toPlainText().strip()

    def privacy(self) -> str:
        return (NotePrivacy.RECORD if self.record.isChecked() else NotePrivacy.PRIVATE).value

    def participant_id(self) -> int | None:
        value = self.about.currentData()
        return int(value) if value is not None else None


class PickPersonDialog(_OnceDialog):
    """Choose one person from a list, typing to filter; Return takes the highlighted one."""

    def __init__(
        self,
        title: str,
        prompt: str,
        people: list[tuple[int, str]],
        parent: QWidget | None = None,
        *,
        roles: list[tuple[str, str]] | None = None,
        search: Callable[[str], list[tuple[int, str]]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumSize(440, 420)
        layout = QVBoxLayout(self)
        label = QLabel(prompt, self)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.filter = QLineEdit(self)
        self.filter.setAccessibleName(self.tr("Filter names"))
        self.filter.setPlaceholderText(self.tr("Type to find a name"))
        self.filter.setClearButtonEnabled(True)
        layout.addWidget(self.filter)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("People"))
        self._search = search
        self._fill(people)
        self.list.itemActivated.connect(lambda _item: self.accept())
        layout.addWidget(self.list, 1)
        self.role: QComboBox | None = None
        if roles:
            form = QFormLayout()
            self.role = QComboBox(self)
            self.role.setAccessibleName(self.tr("Role in the circle"))
            for value, text in roles:
                self.role.addItem(text, value)
            form.addRow(self.tr("&Role:"), self.role)
            layout.addLayout(form)
        layout.addWidget(self._buttons(self.tr("&Choose")))
        self.filter.textChanged.connect(self._filter)
        self.filter.installEventFilter(self)
        self.filter.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Up and Down in the filter box move through the list, so the hands stay on the keys.
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self._step(-1 if event.key() == Qt.Key.Key_Up else 1)
                return True
        return super().eventFilter(watched, event)

    def _step(self, delta: int) -> None:
        rows = [r for r in range(self.list.count()) if not self.list.item(r).isHidden()]
        if not rows:
            return
        current = self.list.currentRow()
        at = rows.index(current) if current in rows else -1
        self.list.setCurrentRow(rows[max(0, min(len(rows) - 1, at + delta))])

    def _fill(self, people: list[tuple[int, str]]) -> None:
        self.list.clear()
        for pid, name in people:
            item = QListWidgetItem(name, self.list)
            item.setData(Qt.ItemDataRole.UserRole, pid)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _filter(self, text: str) -> None:
        if self._search is not None:
            # A directory too large to list: ask it again as the keeper types.
            self._fill(self._search(text))
            return
        wanted = text.casefold().strip()
        first = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = bool(wanted) and wanted not in item.text().casefold()
            item.setHidden(hidden)
            if not hidden and first is None:
                first = row
        current = self.list.currentItem()
        if first is not None and (current is None or current.isHidden()):
            self.list.setCurrentRow(first)

    def chosen(self) -> int | None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        return int(item.data(Qt.ItemDataRole.UserRole))

    def chosen_role(self) -> str | None:
        return None if self.role is None else str(self.role.currentData())


class ConfirmEndDialog(_OnceDialog):
    """Ending the circle is final, so it asks once and ending takes a deliberate choice.

    Keep going is the default button: Return or Esc go back to the circle; only Alt+E or a
    click on "End the circle" ends it, so no reflex of the hands ends a circle by accident.
    """

    def __init__(self, progress: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("End the circle?"))
        self.setAccessibleName(self.tr("End the circle?"))
        layout = QVBoxLayout(self)
        text = QLabel(
            self.tr(
                "End the circle now? {progress}\n\nEverything so far is already saved. "
                "After ending, the summary is shown and the circle can no longer be changed."
            ).format(progress=progress),
            self,
        )
        text.setWordWrap(True)
        text.setMinimumWidth(420)
        layout.addWidget(text)
        box = QDialogButtonBox(self)
        self.end_button = box.addButton(
            self.tr("&End the circle"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.end_button.setAccessibleName(self.tr("End the circle"))
        self.end_button.setAutoDefault(False)
        self.end_button.setDefault(False)
        keep = box.addButton(self.tr("&Keep going"), QDialogButtonBox.ButtonRole.RejectRole)
        keep.setAccessibleName(self.tr("Keep going"))
        keep.setToolTip(self.tr("Go back to the circle (Return or Esc)"))
        keep.setDefault(True)
        keep.setFocus()
        self.keep_button = keep
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
