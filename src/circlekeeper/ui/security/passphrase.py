"""Asking for a passphrase: once to open a file, or twice (with confirmation) to set a new one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.store.crypto import MIN_PASSPHRASE_LENGTH, passphrase_problem
from circlekeeper.core.store.problems import DatabaseProblem, WrongPassphrase
from circlekeeper.ui.style import heading, note

MIN_LENGTH = MIN_PASSPHRASE_LENGTH  # the rule lives in core (crypto.passphrase_problem)

Check = Callable[[str], object]


def password_field(name: str, parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    return edit


class PassphraseDialog(QDialog):
    """Ask for the passphrase that opens a file; ``check(passphrase)`` tries it.

    A wrong passphrase (``check`` raising :class:`WrongPassphrase`) is said plainly under the
    field and the dialog stays open for another try; another problem closes it with
    :attr:`problem` set. On success :attr:`result_value` holds what ``check`` returned.
    """

    def __init__(
        self,
        file_name: str,
        check: Check,
        parent: QWidget | None = None,
        *,
        title: str | None = None,
        explanation: str | None = None,
        accept_text: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._check = check
        self.attempts = 0
        self.passphrase = ""
        self.result_value: object = None
        self.problem: DatabaseProblem | None = None
        self.setWindowTitle(title or self.tr("Enter the passphrase"))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(520)
        self.field = password_field(self.tr("Passphrase"), self)
        self.show_typing = QPushButton(self.tr("S&how"), self)
        self.show_typing.setCheckable(True)
        self.show_typing.setAccessibleName(self.tr("Show the passphrase as it is typed"))
        self.show_typing.toggled.connect(
            lambda shown: self.field.setEchoMode(
                QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
            )
        )
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Passphrase message"))
        self.message.setStyleSheet("QLabel { color: #a4262c; font-weight: bold; }")
        self.message.hide()
        self.buttons = QDialogButtonBox(self)
        self.open_button = self.buttons.addButton(
            accept_text or self.tr("Open"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.open_button.setAccessibleName(self.open_button.text().replace("&", ""))
        self.open_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(
            self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setAccessibleName(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        label = QLabel(self.tr("&Passphrase"), self)
        label.setBuddy(self.field)
        form = QFormLayout()
        form.addRow(label, self.field)
        form.addRow("", self.show_typing)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(heading(self.windowTitle(), self))
        layout.addWidget(
            note(
                explanation
                or self.tr(
                    "The records in {file} are protected with a passphrase. Type it to open them."
                ).format(file=file_name),
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept(self) -> None:
        passphrase = self.field.text()
        if not passphrase:
            self._say(self.tr("Type the passphrase first."))
            return
        self.attempts += 1
        try:
            self.result_value = self._check(passphrase)
        except WrongPassphrase:
            self._say(
                self.tr(
                    "That passphrase is not right, so nothing was opened or changed. "
                    "Check the spelling and the Caps Lock key, then try again."
                )
            )
            self.field.selectAll()
            self.field.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        except DatabaseProblem as problem:
            self.problem = problem
            self.passphrase = passphrase
            super().accept()
            return
        self.passphrase = passphrase
        super().accept()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setAccessibleDescription(text)
        self.message.show()
        self.adjustSize()  # make room for the message instead of squeezing the field


class NewPassphraseDialog(QDialog):
    """Choose a new passphrase, typed twice; optionally ask for the current one first."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        title: str,
        explanation: str,
        ask_current: bool = False,
        ask_new: bool = True,
        accept_text: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(560)
        self.current = password_field(self.tr("Current passphrase"), self)
        self.new = password_field(self.tr("New passphrase"), self)
        self.confirm = password_field(self.tr("New passphrase again"), self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Passphrase message"))
        self.message.setStyleSheet("QLabel { color: #a4262c; font-weight: bold; }")
        self.message.hide()
        form = QFormLayout()
        rows = []
        if ask_current:
            rows.append((self.tr("&Current passphrase"), self.current))
        if ask_new:
            rows += [
                (self.tr("&New passphrase"), self.new),
                (self.tr("Type it a&gain"), self.confirm),
            ]
        for text, field in rows:
            label = QLabel(text, self)
            label.setBuddy(field)
            form.addRow(label, field)
        self._ask_current = ask_current
        self._ask_new = ask_new
        for field in (self.current, self.new, self.confirm):
            field.setVisible(False)
        for _text, field in rows:
            field.setVisible(True)
        self.buttons = QDialogButtonBox(self)
        ok = self.buttons.addButton(
            accept_text or self.tr("OK"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        ok.setAccessibleName(ok.text().replace("&", ""))
        ok.setDefault(True)
        cancel = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAccessibleName(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(heading(title, self))
        layout.addWidget(note(explanation, self))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        rows[0][1].setFocus(Qt.FocusReason.OtherFocusReason)

    def problem(self) -> str:
        """What is wrong with what was typed, in plain words ("" when all is well)."""
        if self._ask_current and not self.current.text():
            return self.tr("Type the current passphrase.")
        if not self._ask_new:
            return ""
        if passphrase_problem(self.new.text()) is not None:
            return self.tr(
                "Choose a passphrase of at least {n} characters; a short sentence is easiest "
                "to remember."
            ).format(n=MIN_LENGTH)
        if self.new.text() != self.confirm.text():
            return self.tr("The two new passphrases are not the same. Type them again.")
        return ""

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.message.setText(problem)
            self.message.show()
            self.adjustSize()
            return
        super().accept()
