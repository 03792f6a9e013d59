"""The form for one agreement item: what will be done, by whom, by when, and how it is checked."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.agreements.rows import ItemData
from circlekeeper.core.problems import EditConflict, InvalidInput, NotFound
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.agreements.labels import from_qdate, kind_choices, to_qdate, tr_agreement
from circlekeeper.ui.locale import format_edit
from circlekeeper.ui.scrolling import down_only

log = logging.getLogger(__name__)

PersonChoice = tuple[int, str]  # person id, name with role

PROBLEM_STYLE = (
    "QLabel { background: #fdf1e6; color: #6b2f00; border: 1px solid #e0b48a;"
    " border-radius: 4px; padding: 8px; }"
)


def problem_label(parent: QWidget, name: str) -> QLabel:
    """A hidden, wrapped label for a problem shown in place (never a modal box)."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setStyleSheet(PROBLEM_STYLE)
    label.hide()
    return label


def database_problem_text() -> str:
    return tr_agreement(
        "The records could not be read or saved just now. Nothing already saved was lost. "
        "Try again; if it keeps happening, restart circlekeeper."
    )


class ShowsProblems:
    """For the agreement windows: problems and notices in two labels, never a modal box.

    The window provides ``problem`` and ``notice`` labels; ``_guard`` runs one service call and
    turns a refusal or a database error into words beside the form.
    """

    problem: QLabel
    notice: QLabel
    focus_problems = False  # move the keyboard focus to a problem when it appears

    def _say(self, text: str) -> None:
        self.problem.hide()
        self.notice.setText(text)
        self.notice.setAccessibleDescription(text)
        self.notice.setVisible(bool(text))

    def _guard(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except EditConflict as conflict:
            self._show_conflict(conflict)
            return False
        except (InvalidInput, NotFound) as problem:
            self._show_problem(str(problem))
            return False
        except DatabaseProblem:
            log.exception("%s: database error", type(self).__name__)
            self._show_problem(database_problem_text())
            return False
        self.problem.hide()
        return True

    def _show_conflict(self, conflict: EditConflict) -> None:
        """Someone else saved first; a window with a :class:`ConflictNotice` shows it there."""
        self._show_problem(str(conflict))

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setAccessibleDescription(text)
        self.problem.show()
        if self.focus_problems:
            self.problem.setFocus(Qt.FocusReason.OtherFocusReason)


def two_columns(
    window: QDialog,
    problem: QLabel,
    left: QLayout,
    right: QLayout,
    close_name: str,
    actions: QWidget | None = None,
) -> tuple[QWidget, QWidget]:
    """The agreement windows' body: the problem line over a wide left and a narrow right
    column, each scrolling only up and down, and a bottom bar always in sight: ``actions``
    (print and save) on the left, Close on the right."""

    # Each column scrolls on its own (up and down only), so the left one, with the items and
    # what is done with them, always fits the window however long the right one grows.
    def scrolling(column: QLayout) -> QScrollArea:
        inner = QWidget(window)
        inner.setLayout(column)
        return down_only(inner, window)

    body = QWidget(window)
    body_layout = QVBoxLayout(body)
    body_layout.setContentsMargins(0, 0, 0, 0)
    body_layout.addWidget(problem)
    columns = QHBoxLayout()
    columns.setSpacing(12)
    columns.addWidget(scrolling(left), 3)
    columns.addWidget(scrolling(right), 2)
    body_layout.addLayout(columns, 1)
    close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, window)
    close_button = close_box.button(QDialogButtonBox.StandardButton.Close)
    if close_button is not None:
        close_button.setAccessibleName(close_name)
    close_box.rejected.connect(window.reject)
    bar = QWidget(window)
    bar_layout = QHBoxLayout(bar)
    bar_layout.setContentsMargins(0, 0, 0, 0)
    if actions is not None:
        bar_layout.addWidget(actions)
    bar_layout.addStretch(1)
    bar_layout.addWidget(close_box)
    return body, bar


def person_combo(parent: QWidget, people: list[PersonChoice], nobody: str, name: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.addItem(nobody, None)
    for person_id, label in people:
        combo.addItem(label, person_id)
    combo.setAccessibleName(name)
    return combo


def select_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


class ItemDialog(QDialog):
    """Add or edit one item. ``save`` writes it and raises InvalidInput with a reason; the
    reason is shown above the form and everything typed stays in place."""

    def __init__(
        self,
        data: ItemData,
        people: list[PersonChoice],
        save: Callable[[ItemData], None],
        parent: QWidget | None = None,
        *,
        title: str = "",
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle(title or self.tr("Agreement item"))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(640)

        self.error = problem_label(self, self.tr("Problem with this item"))
        self.action = QPlainTextEdit(self)
        self.action.setTabChangesFocus(True)
        self.action.setPlainText(data.action)
        self.action.setAccessibleName(self.tr("What will be done (required)"))
        self.action.setPlaceholderText(
            self.tr("In the group's own words; replace anything in [brackets].")
        )
        self.action.setMinimumHeight(self.fontMetrics().height() * 5 + 16)
        self.kind = QComboBox(self)
        for value, label in kind_choices():
            self.kind.addItem(label, value)
        self.kind.setAccessibleName(self.tr("Kind of item"))
        select_data(self.kind, data.kind)
        self.responsible = person_combo(
            self, people, self.tr("— choose who —"), self.tr("Who does it")
        )
        select_data(self.responsible, data.responsible_id)
        self.has_due = QCheckBox(self.tr("By a date"), self)
        self.has_due.setAccessibleName(self.tr("Has a date it is due by"))
        self.due_on = QDateEdit(self)
        self.due_on.setCalendarPopup(True)
        format_edit(self.due_on)
        self.due_on.setAccessibleName(self.tr("Due by"))
        self.due_on.setDate(
            to_qdate(data.due_on) if data.due_on else QDate.currentDate().addDays(14)
        )
        self.has_due.setChecked(data.due_on is not None)
        self.due_on.setEnabled(data.due_on is not None)
        self.has_due.toggled.connect(self.due_on.setEnabled)
        self.verification = QLineEdit(data.verification, self)
        self.verification.setAccessibleName(self.tr("How it will be checked"))
        # The same item in Spanish, for the Spanish and side-by-side copies.
        self.action_es = QPlainTextEdit(self)
        self.action_es.setTabChangesFocus(True)
        self.action_es.setPlainText(data.action_es)
        self.action_es.setAccessibleName(self.tr("What will be done, in Spanish"))
        self.action_es.setPlaceholderText(
            self.tr("The same item in Spanish, for a Spanish or side-by-side copy.")
        )
        self.action_es.setMinimumHeight(self.fontMetrics().height() * 4 + 16)
        self.verification_es = QLineEdit(data.verification_es, self)
        self.verification_es.setAccessibleName(self.tr("How it will be checked, in Spanish"))
        from circlekeeper.ui.agreements.blanks import BlankHighlighter

        self._highlighters = [
            BlankHighlighter(edit.document()) for edit in (self.action, self.action_es)
        ]
        self.blanks_left = QLabel(self)
        self.blanks_left.setWordWrap(True)
        self.blanks_left.setAccessibleName(self.tr("Blanks still to fill in"))
        self.blanks_left.setStyleSheet(
            "QLabel { background: #fff6c2; color: #3b2a00; border: 1px solid #d8b800;"
            " border-radius: 4px; padding: 6px; }"
        )
        for signal in (
            self.action.textChanged,
            self.action_es.textChanged,
            self.verification.textChanged,
            self.verification_es.textChanged,
        ):
            signal.connect(self._show_blanks_left)
        self.verifier = person_combo(
            self, people, self.tr("— the follow-up adult —"), self.tr("Checked by")
        )
        select_data(self.verifier, data.verifier_id)
        self.supporter = person_combo(self, people, self.tr("— nobody —"), self.tr("Supported by"))
        select_data(self.supporter, data.supporter_id)

        due = QHBoxLayout()
        due.addWidget(self.has_due)
        due.addWidget(self.due_on)
        due.addStretch(1)
        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.addRow(self.tr("Wh&at will be done:"), self.action)
        form.addRow(self.tr("&Kind:"), self.kind)
        form.addRow(self.tr("&Who does it:"), self.responsible)
        due_label = QLabel(self.tr("By &when:"), self)
        due_label.setBuddy(self.has_due)
        form.addRow(due_label, due)
        form.addRow(self.tr("How it is &checked:"), self.verification)
        form.addRow(self.tr("Checked b&y:"), self.verifier)
        form.addRow(self.tr("&Supported by:"), self.supporter)
        form.addRow(self.tr("In S&panish:"), self.action_es)
        form.addRow(self.tr("Checked (Spa&nish):"), self.verification_es)

        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(
            self.tr("Save item"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setAccessibleName(self.tr("Save item"))
        self.save_button.setDefault(True)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel"))
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.error)
        layout.addWidget(self.blanks_left)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._show_blanks_left()
        # Room for the wrapped line about blanks above the form, within a 768-pixel screen.
        hint = self.sizeHint()
        self.resize(max(hint.width(), 640), min(hint.height(), 680))
        self.action.setFocus()

    def _show_blanks_left(self) -> None:
        from circlekeeper.ui.agreements.blanks import blanks_left_text

        text = blanks_left_text(self.data().texts())
        if text:
            text = self.tr(
                "{left}. Replace each highlighted word in square brackets with what was "
                "agreed; the agreement cannot be made active or printed for signing until then."
            ).format(left=text)
        self.blanks_left.setText(text)
        self.blanks_left.setAccessibleDescription(text)
        self.blanks_left.setVisible(bool(text))

    def data(self) -> ItemData:
        return ItemData(
            action=self.action.toPlainText(),
            kind=self.kind.currentData(),
            responsible_id=self.responsible.currentData(),
            due_on=from_qdate(self.due_on.date()) if self.has_due.isChecked() else None,
            verification=self.verification.text(),
            verifier_id=self.verifier.currentData(),
            supporter_id=self.supporter.currentData(),
            action_es=self.action_es.toPlainText(),
            verification_es=self.verification_es.text(),
        )

    def try_save(self) -> None:
        try:
            self._save(self.data())
        except (InvalidInput, NotFound) as problem:
            self.show_problem(str(problem))
            return
        except DatabaseProblem:
            log.exception("Agreement item: database error")
            self.show_problem(database_problem_text())
            return
        self.accept()

    def show_problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.setAccessibleDescription(text)
        self.error.show()
