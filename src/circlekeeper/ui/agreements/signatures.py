"""Who signed the paper agreement, and when; a minor without a guardian's signature is flagged."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.agreements.commands import AgreementService
from circlekeeper.core.agreements.rows import MissingGuardianSignature
from circlekeeper.core.export.views import SignatureLine
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.agreements.item_dialog import database_problem_text, problem_label
from circlekeeper.ui.agreements.labels import from_qdate, to_qdate
from circlekeeper.ui.circles.labels import role_label
from circlekeeper.ui.locale import format_edit

log = logging.getLogger(__name__)

FLAG_STYLE = (
    "QLabel { background: #fff6d6; color: #5a4300; border: 1px solid #e3c766;"
    " border-radius: 4px; padding: 8px; }"
)


class SignatureRowWidgets:
    """The controls of one signature line."""

    def __init__(self, line: SignatureLine, student_id: int | None) -> None:
        self.line = line
        self.student_id = student_id
        self.signed: QCheckBox | None = None
        self.date: QDateEdit | None = None


class SignaturePanel(QWidget):
    """The expected signature lines, each with a "Signed on paper" tick and its date."""

    changed = Signal()

    def __init__(
        self, service: AgreementService, agreement_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.agreement_id = agreement_id
        self.rows: list[SignatureRowWidgets] = []
        self.missing: list[MissingGuardianSignature] = []
        self.flag = QLabel(self)
        self.flag.setWordWrap(True)
        self.flag.setStyleSheet(FLAG_STYLE)
        self.flag.setAccessibleName(self.tr("Guardian signatures missing"))
        self.flag.hide()
        self.problem = problem_label(self, self.tr("Signature problem"))
        self.lines = QWidget(self)
        self.grid = QGridLayout(self.lines)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.lines)
        layout.addWidget(self.flag)
        layout.addWidget(self.problem)
        self._editable = True

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        for row in self.rows:
            for widget in (row.signed, row.date):
                if widget is not None:
                    widget.setEnabled(editable)

    def reload(self) -> None:
        try:
            view = self.service.view(self.agreement_id)
            details = self.service.get(self.agreement_id)
            self.missing = self.service.missing_guardian_signatures(self.agreement_id)
        except DatabaseProblem:
            log.exception("Signatures: database error")
            self._show_problem(database_problem_text())
            return
        self._signature_ids = {(s.person_id, s.as_guardian_of_id): s.id for s in details.signatures}
        student_ids = {p.name: p.person_id for p in view.parties}
        student_ids.update({m.student_name: m.student_id for m in self.missing})
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.rows = []
        for number, line in enumerate(view.signature_lines):
            student_id = student_ids.get(line.guardian_of or "") if line.guardian_of else None
            self._add_row(number, SignatureRowWidgets(line, student_id))
        self._show_flag()

    def _add_row(self, number: int, row: SignatureRowWidgets) -> None:
        line = row.line
        if line.capacity == "guardian":
            what = self.tr("Guardian of {name}").format(name=line.guardian_of or "")
        else:
            what = role_label(line.role or "")
        name = line.name or self.tr("(no guardian on file)")
        label = QLabel(f"<b>{_escape(name)}</b><br>{_escape(what)}", self.lines)
        label.setAccessibleName(f"{name}, {what}")
        # A long name or role wraps instead of widening the window past a laptop's screen.
        label.setWordWrap(True)
        self.grid.addWidget(label, number, 0)
        self.rows.append(row)
        if line.person_id is None:
            hint = QLabel(self.tr("Link a guardian in People to record it."), self.lines)
            hint.setWordWrap(True)
            hint.setAccessibleName(hint.text())
            self.grid.addWidget(hint, number, 1, 1, 2)
            return
        signed = QCheckBox(self.tr("Signed on"), self.lines)
        signed.setAccessibleName(self.tr("{name} signed on paper").format(name=name))
        signed.setChecked(line.signed_on is not None)
        day = QDateEdit(self.lines)
        day.setCalendarPopup(True)
        format_edit(day)
        day.setMaximumDate(QDate.currentDate())
        day.setDate(to_qdate(line.signed_on) if line.signed_on else QDate.currentDate())
        day.setAccessibleName(self.tr("Date {name} signed").format(name=name))
        signed.setEnabled(self._editable)
        day.setEnabled(self._editable)
        row.signed, row.date = signed, day
        signed.toggled.connect(lambda on, r=row: self._toggle(r, on))
        day.editingFinished.connect(lambda r=row: self._redate(r))
        self.grid.addWidget(signed, number, 1)
        self.grid.addWidget(day, number, 2)
        self.grid.setColumnStretch(0, 1)

    def _show_flag(self) -> None:
        if not self.missing:
            self.flag.hide()
            return
        parts = []
        for m in self.missing:
            if m.guardian_names:
                parts.append(
                    self.tr(
                        "{student} is a minor and no guardian has signed yet (on file: {names})."
                    ).format(student=m.student_name, names=", ".join(m.guardian_names))
                )
            else:
                parts.append(
                    self.tr(
                        "{student} is a minor and has no guardian on file to sign; add one in "
                        "People."
                    ).format(student=m.student_name)
                )
        text = "⚠ " + " ".join(parts)
        self.flag.setText(text)
        self.flag.setAccessibleDescription(text)
        self.flag.show()

    # -- recording -------------------------------------------------------------------------

    def sign(self, person_id: int, on: date, *, guardian: bool = False) -> None:
        """Tick a line (used by the keyboard and by tests): the first matching line."""
        for row in self.rows:
            if row.line.person_id == person_id and (row.line.capacity == "guardian") == guardian:
                if row.date is not None and row.signed is not None:
                    row.date.setDate(to_qdate(on))
                    row.signed.setChecked(True)
                return

    def _key(self, row: SignatureRowWidgets) -> tuple[int | None, int | None]:
        return (row.line.person_id, row.student_id if row.line.capacity == "guardian" else None)

    def _toggle(self, row: SignatureRowWidgets, on: bool) -> None:
        assert row.date is not None and row.line.person_id is not None
        self.problem.hide()
        try:
            if on:
                self.service.record_signature(
                    self.agreement_id,
                    row.line.person_id,
                    from_qdate(row.date.date()),
                    as_guardian_of_id=self._key(row)[1],
                )
            else:
                signature_id = self._signature_ids.get(self._key(row))  # type: ignore[arg-type]
                if signature_id is not None:
                    self.service.remove_signature(signature_id)
        except (InvalidInput, NotFound) as problem:
            self._show_problem(str(problem))
        except DatabaseProblem:
            log.exception("Signatures: database error")
            self._show_problem(database_problem_text())
        self._refresh_later()

    def _redate(self, row: SignatureRowWidgets) -> None:
        if row.signed is None or not row.signed.isChecked() or row.date is None:
            return
        if from_qdate(row.date.date()) == row.line.signed_on:
            return
        signature_id = self._signature_ids.get(self._key(row))  # type: ignore[arg-type]
        try:
            if signature_id is not None:
                self.service.remove_signature(signature_id)
            self.service.record_signature(
                self.agreement_id,
                row.line.person_id,  # type: ignore[arg-type]
                from_qdate(row.date.date()),
                as_guardian_of_id=self._key(row)[1],
            )
        except (InvalidInput, NotFound) as problem:
            self._show_problem(str(problem))
        except DatabaseProblem:
            log.exception("Signatures: database error")
            self._show_problem(database_problem_text())
        self._refresh_later()

    def _refresh_later(self) -> None:
        # The tick that was just toggled must not be deleted inside its own signal.
        from PySide6.QtCore import QTimer

        problem = self.problem.text() if self.problem.isVisible() else ""
        QTimer.singleShot(0, lambda: self._refresh(problem))

    def _refresh(self, problem: str) -> None:
        focus_row = next(
            (
                n
                for n, r in enumerate(self.rows)
                if (r.signed is not None and r.signed.hasFocus())
                or (r.date is not None and r.date.hasFocus())
            ),
            None,
        )
        self.reload()
        if problem:
            self._show_problem(problem)
        if focus_row is not None and focus_row < len(self.rows):
            target = self.rows[focus_row].signed
            if target is not None:
                target.setFocus()
        self.changed.emit()

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setAccessibleDescription(text)
        self.problem.show()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
