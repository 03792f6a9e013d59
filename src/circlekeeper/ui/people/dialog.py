"""The form for adding or editing one person, with their guardians."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.domain.enums import PersonKind
from circlekeeper.core.people.people import (
    PERSON_FIELDS,
    GuardianRow,
    PeopleService,
    PersonData,
    PersonRow,
)
from circlekeeper.core.problems import EditConflict, InvalidInput, NotFound
from circlekeeper.core.profiles.profiles import Viewer
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.conflicts import ConflictNotice
from circlekeeper.ui.locale import format_edit
from circlekeeper.ui.people.guardian_links import GuardianLinks, PendingLink
from circlekeeper.ui.people.labels import grade_choices, kind_choices
from circlekeeper.ui.profiles import current_viewer
from circlekeeper.ui.style import heading, note

log = logging.getLogger(__name__)


class PersonDialog(GuardianLinks):
    """Add a person (``person_id=None``) or edit one; saves through :class:`PeopleService`.

    Guardian links and unlinks are kept in the form and written on Save, so Cancel leaves the
    records exactly as they were.
    """

    def __init__(
        self,
        service: PeopleService,
        person_id: int | None = None,
        parent: QWidget | None = None,
        *,
        kind: str | None = None,
        allow_guardians: bool = True,
        viewer: Viewer | None = None,
    ) -> None:
        super().__init__(parent)
        # An SRO sees no equity (demographic) fields; what is stored is kept as it is on Save.
        # Core decides both (details() leaves them out, update() keeps the stored ones) for
        # the service's viewer: this window's.
        if viewer is None:
            viewer = service.ctx.viewer_or_none() or current_viewer(sessions=service.sessions)
        self.viewer = viewer
        self.service = PeopleService(service.ctx.acting_as(service.ctx.actor, viewer))
        self.demographics_shown = self.viewer.can_see_demographics
        self._stored = PersonData("", "")
        self.person_id = person_id
        self.saved: PersonRow | None = None
        self._allow_guardians = allow_guardians
        self._guardians: list[GuardianRow] = []
        self._pending_links: list[PendingLink] = []
        self._pending_unlinks: set[int] = set()
        # The equity fields are left out in core for a viewer who may not see them.
        details = self.service.details(person_id) if person_id is not None else None
        # The version the form was filled from: a save after someone else's is refused.
        self._version = details.row_version if details is not None else None
        self.conflict = ConflictNotice(self)
        self.conflict.reload_requested.connect(self.load_saved_version)

        self.setWindowTitle(self.tr("Add a person") if details is None else self.tr("Edit person"))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(820)

        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Problem"))
        self.error.setStyleSheet(
            "QLabel { background: #fdf1e6; color: #6b2f00; border: 1px solid #e0b48a;"
            " border-radius: 4px; padding: 8px; }"
        )
        self.error.hide()

        self.first_name = self._line(self.tr("First name (required)"))
        self.last_name = self._line(self.tr("Last name (required)"))
        self.preferred_name = self._line(self.tr("Preferred name"))
        self.preferred_name.setPlaceholderText(self.tr("What they like to be called"))
        self.pronouns = QComboBox(self)
        self.pronouns.setEditable(True)
        self.pronouns.addItems(["", "she/her", "he/him", "they/them", "she/they", "he/they"])
        self.pronouns.setAccessibleName(self.tr("Pronouns"))
        pronouns_edit = self.pronouns.lineEdit()
        if pronouns_edit is not None:
            pronouns_edit.setAccessibleName(self.tr("Pronouns"))
        self.kind = QComboBox(self)
        for value, label in kind_choices():
            self.kind.addItem(label, value)
        self.kind.setAccessibleName(self.tr("Kind of person"))
        self.grade = QComboBox(self)
        for grade_value, label in grade_choices():
            self.grade.addItem(label, grade_value)
        self.grade.setAccessibleName(self.tr("Grade"))
        self.school = self._line(self.tr("School"))
        self.external_id = self._line(self.tr("Student or staff ID"))
        self.birth_known = QCheckBox(self.tr("Known"), self)
        self.birth_known.setAccessibleName(self.tr("Birth date is known"))
        self.birth_date = QDateEdit(self)
        self.birth_date.setCalendarPopup(True)
        format_edit(self.birth_date)
        self.birth_date.setMinimumDate(QDate(1900, 1, 1))
        self.birth_date.setMaximumDate(QDate.currentDate())
        self.birth_date.setDate(QDate.currentDate().addYears(-12))
        self.birth_date.setEnabled(False)
        self.birth_date.setAccessibleName(self.tr("Birth date"))
        self.birth_known.toggled.connect(self.birth_date.setEnabled)
        self.email = self._line(self.tr("Email"))
        self.phone = self._line(self.tr("Phone"))
        self.title = self._line(self.tr("Job title"))
        self.title.setPlaceholderText(self.tr("For staff, e.g. Dean of students"))

        left = QFormLayout()
        right = QFormLayout()
        for form in (left, right):
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setVerticalSpacing(8)
        self._row(left, self.tr("&First name"), self.first_name)
        self._row(left, self.tr("&Last name"), self.last_name)
        self._row(left, self.tr("P&referred name"), self.preferred_name)
        self._row(left, self.tr("Pr&onouns"), self.pronouns)
        self._row(left, self.tr("&Kind"), self.kind)
        self._row(left, self.tr("&Grade"), self.grade)
        birth = QHBoxLayout()
        birth.addWidget(self.birth_known)
        birth.addWidget(self.birth_date, 1)
        birth_label = QLabel(self.tr("&Birth date"), self)
        birth_label.setBuddy(self.birth_known)
        right.addRow(birth_label, birth)
        self._row(right, self.tr("&School"), self.school)
        self._row(right, self.tr("Student/staff &ID"), self.external_id)
        self._row(right, self.tr("E&mail"), self.email)
        self._row(right, self.tr("Phon&e"), self.phone)
        self._row(right, self.tr("&Title"), self.title)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(24)
        columns.addLayout(right, 1)

        self.equity_toggle = QToolButton(self)
        self.equity_toggle.setText(self.tr("E&quity report fields (optional)"))
        self.equity_toggle.setAccessibleName(self.tr("Show equity report fields"))
        self.equity_toggle.setCheckable(True)
        self.equity_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.equity_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.equity_toggle.setAutoRaise(True)
        self.equity = QFrame(self)
        self.equity.setFrameShape(QFrame.Shape.StyledPanel)
        equity_form = QFormLayout(self.equity)
        equity_form.addRow(
            note(
                self.tr(
                    "These are used only to check that restorative practice reaches every group "
                    "fairly (equity reports with small groups hidden). They are never printed on "
                    "agreements, letters or shared copies."
                ),
                self.equity,
            )
        )
        self.gender = self._line(self.tr("Gender"), self.equity)
        self.race_ethnicity = self._line(self.tr("Race or ethnicity"), self.equity)
        self.disability = self._yes_no(self.tr("Has a disability (IEP or 504)"))
        self.english_learner = self._yes_no(self.tr("English learner"))
        self.low_income = self._yes_no(self.tr("Low income"))
        self._row(equity_form, self.tr("Gender"), self.gender)
        self._row(equity_form, self.tr("Race or ethnicity"), self.race_ethnicity)
        self._row(equity_form, self.tr("Disability (IEP or 504)"), self.disability)
        self._row(equity_form, self.tr("English learner"), self.english_learner)
        self._row(equity_form, self.tr("Low income"), self.low_income)
        self.equity.setVisible(False)
        self.equity_toggle.toggled.connect(self._show_equity)

        self.guardian_box = QGroupBox(self.tr("Guardians"), self)
        self.guardian_list = QListWidget(self.guardian_box)
        self.guardian_list.setAccessibleName(self.tr("Linked guardians"))
        self.guardian_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.link_button = QPushButton(self.tr("Li&nk guardian…"), self.guardian_box)
        self.link_button.setAccessibleName(self.tr("Link a guardian"))
        self.unlink_button = QPushButton(self.tr("&Unlink"), self.guardian_box)
        self.unlink_button.setAccessibleName(self.tr("Unlink the selected guardian"))
        guardian_buttons = QVBoxLayout()
        guardian_buttons.addWidget(self.link_button)
        guardian_buttons.addWidget(self.unlink_button)
        guardian_buttons.addStretch(1)
        guardian_layout = QHBoxLayout(self.guardian_box)
        guardian_layout.addWidget(self.guardian_list, 1)
        guardian_layout.addLayout(guardian_buttons)
        self.link_button.clicked.connect(self.link_guardian)
        self.unlink_button.clicked.connect(self.unlink_selected)
        self.guardian_list.currentRowChanged.connect(self._update_guardian_buttons)

        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(
            self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setAccessibleName(self.tr("Save"))
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(
            self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setAccessibleName(self.tr("Cancel"))
        self.history_button = self.buttons.addButton(
            self.tr("&History…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.history_button.setAccessibleName(self.tr("History of changes"))
        self.history_button.setVisible(details is not None)
        self.history_button.clicked.connect(self.show_history)
        self._uuid = details.uuid if details is not None else None
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 8, 0)
        body_layout.addLayout(columns)
        body_layout.addSpacing(6)
        body_layout.addWidget(self.guardian_box)
        body_layout.addWidget(self.equity_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        body_layout.addWidget(self.equity)
        body_layout.addStretch(1)
        self._body = body
        scroll = QScrollArea(self)
        self._scroll = scroll
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle(), self))
        layout.addWidget(self.error)
        layout.addWidget(self.conflict)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        if not self.demographics_shown:
            self.equity_toggle.setVisible(False)
            self.equity.setVisible(False)
        if details is not None:
            self._load(details.data, details.guardians)
        elif kind is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self._kind_changed()
        self._update_guardian_buttons()
        self.fit_to_screen()
        self.first_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def fit_to_screen(self) -> None:
        """Grow to show the whole form when the screen allows; scroll only on small screens."""
        chrome = self.sizeHint() - self._scroll.sizeHint()
        wanted = self._body.sizeHint() + chrome
        screen = self.screen().availableGeometry() if self.screen() else None
        height = wanted.height() + 8
        if screen is not None:
            height = min(height, int(screen.height() * 0.92))
        self.resize(max(self.width(), wanted.width() + 24), max(self.height(), height))

    # -- building --------------------------------------------------------------------------

    def _line(self, name: str, parent: QWidget | None = None) -> QLineEdit:
        edit = QLineEdit(parent or self)
        edit.setAccessibleName(name)
        edit.setMinimumWidth(220)
        return edit

    def _yes_no(self, name: str) -> QComboBox:
        combo = QComboBox(self.equity)
        combo.addItem(self.tr("Not recorded"), None)
        combo.addItem(self.tr("Yes"), True)
        combo.addItem(self.tr("No"), False)
        combo.setAccessibleName(name)
        return combo

    def _row(self, form: QFormLayout, text: str, field: QWidget) -> None:
        label = QLabel(text, field.parentWidget())
        label.setBuddy(field)
        form.addRow(label, field)

    def _show_equity(self, shown: bool) -> None:
        self.equity.setVisible(shown)
        self.equity_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
        self.equity_toggle.setAccessibleName(
            self.tr("Hide equity report fields") if shown else self.tr("Show equity report fields")
        )
        if shown:
            self._body.adjustSize()
            self.fit_to_screen()
            self._scroll.ensureWidgetVisible(self.low_income)

    def _kind_changed(self) -> None:
        student = self.kind.currentData() == PersonKind.STUDENT.value
        self.guardian_box.setVisible(self._allow_guardians and student)
        self.grade.setEnabled(student or self.grade.currentData() is not None)

    # -- values ----------------------------------------------------------------------------

    def _load(self, data: PersonData, guardians: list[GuardianRow]) -> None:
        self.first_name.setText(data.first_name)
        self.last_name.setText(data.last_name)
        self.preferred_name.setText(data.preferred_name or "")
        self.pronouns.setCurrentText(data.pronouns or "")
        self.kind.setCurrentIndex(max(0, self.kind.findData(data.kind)))
        self.grade.setCurrentIndex(max(0, self.grade.findData(data.grade)))
        self.school.setText(data.school or "")
        self.external_id.setText(data.external_id or "")
        if data.birth_date is not None:
            self.birth_known.setChecked(True)
            born = data.birth_date
            self.birth_date.setDate(QDate(born.year, born.month, born.day))
        self.email.setText(data.email or "")
        self.phone.setText(data.phone or "")
        self.title.setText(data.title or "")
        self._stored = data
        if self.demographics_shown:
            self._load_equity(data)
        self._guardians = list(guardians)
        self._fill_guardians()

    def _load_equity(self, data: PersonData) -> None:
        self.gender.setText(data.gender or "")
        self.race_ethnicity.setText(data.race_ethnicity or "")
        for combo, flag in (
            (self.disability, data.disability),
            (self.english_learner, data.english_learner),
            (self.low_income, data.low_income),
        ):
            combo.setCurrentIndex(max(0, combo.findData(flag)))
        if any(
            v is not None
            for v in (
                data.gender,
                data.race_ethnicity,
                data.disability,
                data.english_learner,
                data.low_income,
            )
        ):
            self.equity_toggle.setChecked(True)

    def person_data(self) -> PersonData:
        """What the form holds now, as the service takes it."""

        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        data = PersonData(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            kind=str(self.kind.currentData()),
            preferred_name=text(self.preferred_name),
            pronouns=self.pronouns.currentText().strip() or None,
            grade=self.grade.currentData(),
            school=text(self.school),
            external_id=text(self.external_id),
            birth_date=self._birth_date(),
            email=text(self.email),
            phone=text(self.phone),
            title=text(self.title),
            gender=text(self.gender),
            race_ethnicity=text(self.race_ethnicity),
            disability=self.disability.currentData(),
            english_learner=self.english_learner.currentData(),
            low_income=self.low_income.currentData(),
        )
        if self.demographics_shown:
            return data
        stored = self._stored
        return replace(
            data,
            gender=stored.gender,
            race_ethnicity=stored.race_ethnicity,
            disability=stored.disability,
            english_learner=stored.english_learner,
            low_income=stored.low_income,
        )

    def _birth_date(self) -> date | None:
        if not self.birth_known.isChecked():
            return None
        chosen = self.birth_date.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    # -- saving ----------------------------------------------------------------------------

    def accept(self) -> None:
        try:
            if self.person_id is None:
                self.saved = self.service.create(self.person_data())
                self.person_id = self.saved.id
            else:
                self.saved = self.service.update(
                    self.person_id, self.person_data(), loaded_version=self._version
                )
        except EditConflict as conflict:
            self.error.hide()
            self.conflict.show_conflict(conflict, self._unsaved())
            return
        except (InvalidInput, NotFound) as problem:
            self.show_problem(str(problem))
            return
        except DatabaseProblem:
            log.exception("Saving a person failed")
            self.show_problem(
                self.tr(
                    "The changes could not be saved just now (the database did not answer). "
                    "What you typed is still here: try Save again."
                )
            )
            return
        if not self._save_links():
            return
        super().accept()

    def _unsaved(self) -> list[tuple[str, str]]:
        """Each field typed differently from what was loaded: (its name, what was typed)."""
        typed, found = self.person_data(), []
        for name in PERSON_FIELDS:
            value = getattr(typed, name)
            if value == getattr(self._stored, name):
                continue
            widget = getattr(self, name)
            shown = widget.currentText() if isinstance(widget, QComboBox) else value
            found.append((widget.accessibleName() + ":", str(shown or self.tr("(empty)"))))
        return found

    def load_saved_version(self) -> None:
        """Fill the form from what is saved now (after someone else's save)."""
        if self.person_id is None:
            return
        try:
            details = self.service.details(self.person_id)
        except (InvalidInput, NotFound, DatabaseProblem) as problem:
            self.show_problem(str(problem))
            return
        self._load(details.data, details.guardians)
        self._version = details.row_version
        self.conflict.after_reload()

    def show_history(self) -> QDialog | None:
        """The audit trail of this person: every saved change, field by field."""
        from circlekeeper.ui.security.history import HistoryDialog

        if self._uuid is None:
            return None
        name = f"{self.first_name.text()} {self.last_name.text()}".strip()
        self.history_dialog = HistoryDialog(self.service.ctx, self._uuid, name, self)
        self.history_dialog.open()
        return self.history_dialog

    def show_problem(self, text: str) -> None:
        """Show a problem above the form, in words, and put the cursor where it is."""
        self.error.setText(text)
        self.error.setAccessibleName(self.tr("Problem: {text}").format(text=text))
        self.error.show()
        lowered = text.lower()
        target: QWidget | None = None
        for words, field in (
            ("first name", self.first_name),
            ("last name", self.last_name),
            ("preferred name", self.preferred_name),
            ("grade", self.grade),
            (" id ", self.external_id),
        ):
            if words in f" {lowered} ":
                target = field
                break
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
