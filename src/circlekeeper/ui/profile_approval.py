"""Ask a counselor or an administrator for their PIN before the profiles change.

The rule (who may approve, the wait after wrong PINs) lives in ``core/profiles/profiles.py``;
this dialog only asks and shows the answer in plain words.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.profiles.profiles import Approval, ProfileService
from circlekeeper.core.store.problems import DatabaseProblem

log = logging.getLogger(__name__)


class ApprovalDialog(QDialog):
    """ "A counselor's or administrator's PIN": choose whose, type it, and approve."""

    def __init__(self, service: ProfileService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.approval: Approval | None = None
        self.setWindowTitle(self.tr("Approve a change to the profiles"))
        self.setAccessibleName(self.windowTitle())
        explain = QLabel(
            self.tr(
                "Changing who uses circlekeeper, their role or their PIN needs the PIN of a "
                "counselor or an administrator. A school resource officer's PIN cannot approve it."
            ),
            self,
        )
        explain.setWordWrap(True)
        self.who = QComboBox(self)
        self.who.setAccessibleName(self.tr("Whose PIN"))
        for row in service.approvers():
            self.who.addItem(row.name, row.id)
        self.pin = QLineEdit(self)
        self.pin.setAccessibleName(self.tr("PIN of the counselor or administrator"))
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setAccessibleName(self.tr("Message"))
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Approve"))
        ok.setAccessibleName(self.tr("Approve the change"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel the change"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        who_label = QLabel(self.tr("&Counselor or administrator"), self)
        who_label.setBuddy(self.who)
        pin_label = QLabel(self.tr("&PIN"), self)
        pin_label.setBuddy(self.pin)
        form.addRow(who_label, self.who)
        form.addRow(pin_label, self.pin)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.pin.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept(self) -> None:
        profile_id = self.who.currentData()
        if profile_id is None:
            self.message.setText(self.tr("Choose whose PIN this is."))
            return
        try:
            self.approval = self.service.approve(int(profile_id), self.pin.text())
        except (InvalidInput, NotFound) as problem:  # a wrong PIN, or a wait after several
            self.message.setText(str(problem))
            self.message.setAccessibleDescription(str(problem))
            self.pin.selectAll()
            self.pin.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        except DatabaseProblem:
            log.exception("Checking an approval PIN failed")
            self.message.setText(self.tr("The PIN could not be checked just now. Try again."))
            return
        super().accept()


def ask_approval(service: ProfileService, parent: QWidget | None) -> tuple[bool, Approval | None]:
    """Whether to go on, and the approval to pass (None when no approval is needed yet)."""
    if not service.approval_needed():
        return True, None
    dialog = ApprovalDialog(service, parent)
    if dialog.exec() and dialog.approval is not None:
        return True, dialog.approval
    return False, None
