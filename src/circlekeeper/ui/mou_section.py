"""The MOU part of Settings: what the school's agreement with the police says about its officer.

Only a counselor or an administrator may change it (core refuses anyone else, with an audit line);
an officer's profile sees it read-only. What is saved here is enforced in core on every path.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.sro import mou
from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.common import PROBLEMS, problem_text, show_message
from circlekeeper.ui.operations import context_for
from circlekeeper.ui.style import heading, note


class MouSection(QWidget):
    """Edit and save :class:`mou.Mou`; print its one-page summary for the annual review."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.may_lead = QCheckBox(
            self.tr("An officer may lead a circle or conference (otherwise co-facilitates only)"),
            self,
        )
        self.may_lead.setAccessibleName(self.tr("An officer may lead a circle or conference"))
        self.in_discipline = QCheckBox(
            self.tr(
                "An officer takes part in school discipline (diversion, conse&quences, "
                "closing a case)"
            ),
            self,
        )
        self.in_discipline.setAccessibleName(self.tr("An officer takes part in school discipline"))
        self.law_types = self._text(
            self.tr("Incident types that are law-enforcement matters, one a line"), 4
        )
        self.information = self._text(self.tr("What the officer may be told, and when"), 3)
        self.admissions_en = self._text(
            self.tr("Can what a student admits be used for a citation or charge? (English)"), 3
        )
        self.admissions_es = self._text(
            self.tr("Can what a student admits be used for a citation or charge? (Spanish)"), 3
        )
        self.save_button = QPushButton(self.tr("Save the &MOU"), self)
        self.save_button.setAccessibleName(self.tr("Save the MOU"))
        self.print_button = QPushButton(self.tr("&Print the MOU summary…"), self)
        self.print_button.setAccessibleName(self.tr("Print the one-page MOU summary"))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("MOU message"))

        form = QFormLayout()
        form.addRow(self.may_lead)
        form.addRow(self.in_discipline)
        for text, field in (
            (self.tr("Law-enforcement matters"), self.law_types),
            (self.tr("What the officer is told"), self.information),
            (self.tr("Admissions statement (EN)"), self.admissions_en),
            (self.tr("Admissions statement (ES)"), self.admissions_es),
        ):
            label = QLabel(text, self)
            label.setBuddy(field)
            form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(self.tr("Agreement with the police (MOU)"), self, level=2))
        layout.addWidget(
            note(
                self.tr(
                    "What the school's memorandum of understanding says about its school "
                    "resource officer. The program enforces it; the admissions statement is "
                    "read at the opening of every conference an officer takes part in."
                ),
                self,
            )
        )
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_summary)
        self.load()

    def _text(self, name: str, lines: int) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setAccessibleName(name)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 16)
        return edit

    def load(self) -> None:
        recorded = mou.load(context_for(self.database))
        self.may_lead.setChecked(recorded.sro_may_lead)
        self.in_discipline.setChecked(recorded.sro_in_discipline)
        self.law_types.setPlainText("\n".join(recorded.law_enforcement_types))
        self.information.setPlainText(recorded.officer_information)
        self.admissions_en.setPlainText(recorded.admissions_en)
        self.admissions_es.setPlainText(recorded.admissions_es)
        officer = context_for(self.database).viewer().is_sro
        for widget in (
            self.may_lead,
            self.in_discipline,
            self.law_types,
            self.information,
            self.admissions_en,
            self.admissions_es,
            self.save_button,
        ):
            widget.setEnabled(not officer)
        if officer:
            show_message(
                self.message,
                self.tr("Only a counselor or an administrator can change the MOU."),
            )

    def current(self) -> mou.Mou:
        return mou.Mou(
            sro_may_lead=self.may_lead.isChecked(),
            sro_in_discipline=self.in_discipline.isChecked(),
            law_enforcement_types=tuple(self.law_types.toPlainText().splitlines()),
            officer_information=self.information.toPlainText(),
            admissions_en=self.admissions_en.toPlainText(),
            admissions_es=self.admissions_es.toPlainText(),
        )

    def save(self) -> bool:
        try:
            mou.save(context_for(self.database), self.current())
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return False
        self.load()
        show_message(self.message, self.tr("MOU saved. The program follows it from now on."))
        return True

    def print_summary(self) -> None:
        from circlekeeper.ui.mou_print import print_mou_summary

        print_mou_summary(self, self.database)
