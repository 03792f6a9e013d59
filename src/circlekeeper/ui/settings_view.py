"""The Settings area: the school's name, address and logo, and who is facilitating."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.operations import context_for
from circlekeeper.ui.style import heading, note

log = logging.getLogger(__name__)

LOGO_SIZE = 96


class SettingsView(QWidget):
    """Edit :class:`SchoolSettings`; what is saved here heads printed agreements and reports."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.service = SettingsService(context_for(database))
        self._loaded = SchoolSettings()

        self.school_name = self._line(self.tr("This laptop's school name"))
        self.school_address = QPlainTextEdit(self)
        self.school_address.setAccessibleName(self.tr("School address"))
        self.school_address.setTabChangesFocus(True)
        self.school_address.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 16)
        self.logo_path = self._line(self.tr("Logo file"))
        self.logo_path.setPlaceholderText(self.tr("A PNG or JPEG picture (optional)"))
        self.browse = QPushButton(self.tr("Browse…"), self)
        self.browse.setAccessibleName(self.tr("Choose a logo file"))
        self.clear_logo = QPushButton(self.tr("&No logo"), self)
        self.clear_logo.setAccessibleName(self.tr("Remove the logo"))
        self.logo_preview = QLabel(self)
        self.logo_preview.setFixedSize(LOGO_SIZE, LOGO_SIZE)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setStyleSheet("QLabel { border: 1px solid palette(mid); }")
        self.logo_preview.setAccessibleName(self.tr("Logo preview"))
        self.logo_status = QLabel(self)
        self.logo_status.setWordWrap(True)
        self.logo_status.setAccessibleName(self.tr("Logo status"))
        self.facilitator_name = self._line(self.tr("Facilitator name"))
        self.facilitator_role = self._line(self.tr("Facilitator role"))
        self.facilitator_role.setPlaceholderText(self.tr("e.g. School counselor"))
        self.calendar_first_names = QCheckBox(
            self.tr("Add the students' &first names to calendar events"), self
        )
        self.calendar_first_names.setAccessibleName(
            self.tr("Add the students' first names to calendar events")
        )
        self.calendar_first_names.setToolTip(
            self.tr(
                "Calendars sync to phones and cloud services. Without this, an event shows "
                "only the kind of circle, the place and the time. Family names, titles and "
                "incidents are never included."
            )
        )
        self.save_button = QPushButton(self.tr("&Save settings"), self)
        self.save_button.setAccessibleName(self.tr("Save settings"))
        self.save_button.setToolTip(self.tr("Save settings (Ctrl+S)"))
        self.saved_label = QLabel(self)
        self.saved_label.setAccessibleName(self.tr("Save status"))

        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_path, 1)
        logo_row.addWidget(self.browse)
        logo_row.addWidget(self.clear_logo)
        logo_column = QVBoxLayout()
        logo_column.addLayout(logo_row)
        logo_preview_row = QHBoxLayout()
        logo_preview_row.addWidget(self.logo_preview)
        logo_preview_row.addSpacing(8)
        logo_preview_row.addWidget(self.logo_status, 1)
        logo_column.addLayout(logo_preview_row)

        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(heading(self.tr("School"), self, level=2))
        self._row(form, self.tr("This laptop's school nam&e"), self.school_name)
        form.addRow(
            note(
                self.tr(
                    "New people, referrals and circles belong to this laptop's school unless "
                    "another school is written for them."
                ),
                self,
            )
        )
        self._row(form, self.tr("&Address"), self.school_address)
        label = QLabel(self.tr("Lo&go"), self)
        label.setBuddy(self.logo_path)
        form.addRow(label, logo_column)
        form.addRow(heading(self.tr("Facilitator"), self, level=2))
        self._row(form, self.tr("&Your name"), self.facilitator_name)
        self._row(form, self.tr("Yo&ur role"), self.facilitator_role)
        form.addRow(heading(self.tr("Calendar export"), self, level=2))
        form.addRow(self.calendar_first_names)
        form.addRow(
            note(
                self.tr(
                    "Calendar events show the kind of circle, the place and the time. Tick this "
                    "to add the first names of the students at the centre (never family names)."
                ),
                self,
            )
        )

        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.saved_label, 1)
        # The content scrolls: with Protection below it is taller than a small laptop screen.
        content = QWidget(self)
        layout = QVBoxLayout(content)
        layout.addWidget(heading(self.tr("Settings"), self))
        layout.addWidget(
            note(
                self.tr(
                    "The school's name, address and logo head printed agreements and reports. "
                    "Your name and role are filled in as the facilitator of new circles."
                ),
                self,
            )
        )
        layout.addLayout(form)
        layout.addLayout(buttons)
        from circlekeeper.ui.language_section import LanguageSection

        layout.addSpacing(16)
        self.language = LanguageSection(self)
        layout.addWidget(self.language)
        from circlekeeper.ui.profiles import ProfilesSection
        from circlekeeper.ui.security.protection import ProtectionSection

        layout.addSpacing(16)
        self.profiles = ProfilesSection(database, self)
        layout.addWidget(self.profiles)
        layout.addSpacing(16)
        from circlekeeper.ui.mou_section import MouSection

        self.mou = MouSection(database, self)
        layout.addWidget(self.mou)
        layout.addSpacing(16)
        self.protection = ProtectionSection(database, self)
        layout.addWidget(self.protection)
        from circlekeeper.ui.security.merging import MergeSection

        layout.addSpacing(16)
        self.merging = MergeSection(database, self)
        layout.addWidget(self.merging)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.setMaximumWidth(900)

        self._saved_timer = QTimer(self)
        self._saved_timer.setSingleShot(True)
        self._saved_timer.setInterval(4000)
        self._saved_timer.timeout.connect(self.saved_label.clear)
        self.browse.clicked.connect(self.choose_logo)
        self.clear_logo.clicked.connect(self.logo_path.clear)
        self.logo_path.textChanged.connect(self._show_logo)
        self.save_button.clicked.connect(self.save)
        for edit in (self.school_name, self.facilitator_name, self.facilitator_role):
            edit.returnPressed.connect(self.save)
        shortcut = QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_S), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        self.load()

    def _line(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        return edit

    def _row(self, form: QFormLayout, text: str, field: QWidget) -> None:
        label = QLabel(text, self)
        label.setBuddy(field)
        form.addRow(label, field)

    def load(self) -> None:
        try:
            self._loaded = self.service.load()
        except DatabaseProblem:
            log.exception("Reading settings failed")
            self.saved_label.setText(self.tr("The settings could not be read just now."))
            return
        s = self._loaded
        self.school_name.setText(s.school_name)
        self.school_address.setPlainText(s.school_address)
        self.logo_path.setText(s.logo_path)
        self.facilitator_name.setText(s.facilitator_name)
        self.facilitator_role.setText(s.facilitator_role)
        self.calendar_first_names.setChecked(s.calendar_names)
        self._show_logo()

    def current(self) -> SchoolSettings:
        """The settings as the form shows them (keeping values the form does not edit)."""
        return SchoolSettings(
            school_name=self.school_name.text(),
            school_address=self.school_address.toPlainText(),
            logo_path=self.logo_path.text(),
            facilitator_name=self.facilitator_name.text(),
            facilitator_role=self.facilitator_role.text(),
            welcome_done=self._loaded.welcome_done,
            calendar_first_names="1" if self.calendar_first_names.isChecked() else "",
        )

    def has_unsaved_changes(self) -> bool:
        """True when the form shows something typed and not saved yet."""
        return self.current() != self._loaded

    def show_typed(self, settings: SchoolSettings) -> None:
        """Put back what was typed and not saved (the form is rebuilt on a language change)."""
        self.school_name.setText(settings.school_name)
        self.school_address.setPlainText(settings.school_address)
        self.logo_path.setText(settings.logo_path)
        self.facilitator_name.setText(settings.facilitator_name)
        self.facilitator_role.setText(settings.facilitator_role)
        self.calendar_first_names.setChecked(settings.calendar_first_names == "1")

    def save(self) -> bool:
        settings = self.current()
        try:
            self.service.save(settings)
        except DatabaseProblem:
            log.exception("Saving settings failed")
            self.saved_label.setText(
                self.tr("Not saved: the database did not answer. What you typed is still here.")
            )
            return False
        self._loaded = settings
        self.saved_label.setText(self.tr("Saved."))
        self._saved_timer.start()
        self._follow_facilitator_name()
        return True

    def _follow_facilitator_name(self) -> None:
        """Without profiles the facilitator named here is the one user: the audit trail and
        the status bar name them from now on. (With profiles, the name typed here never
        changes who is signed in.)"""
        from circlekeeper.ui.profiles import default_viewer

        window = self.window()
        viewer = getattr(window, "viewer", None)
        if getattr(window, "profile_id", 0) is None and getattr(viewer, "sees_unattributed", False):
            window.viewer = default_viewer(self.database)  # type: ignore[attr-defined]
            window.show_profile()  # type: ignore[attr-defined]

    def choose_logo(self) -> None:
        start = self.logo_path.text() or str(Path.home())
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the school logo"),
            start,
            self.tr("Pictures (*.png *.jpg *.jpeg *.gif *.bmp *.svg)"),
        )
        if path:
            self.logo_path.setText(path)

    def _show_logo(self) -> None:
        text = self.logo_path.text().strip()
        self.logo_preview.clear()
        if not text:
            self.logo_status.setText(self.tr("No logo: printouts show the school name only."))
            return
        path = Path(text).expanduser()
        if not path.is_file():
            self.logo_status.setText(
                self.tr(
                    "This file is not there (it may have been moved or be on a USB stick). "
                    "You can still save; printouts will leave the logo out until it is found."
                )
            )
            return
        picture = QPixmap(str(path))
        if picture.isNull():
            self.logo_status.setText(
                self.tr("This file is not a picture circlekeeper can show. Choose a PNG or JPEG.")
            )
            return
        self.logo_preview.setPixmap(
            picture.scaled(
                LOGO_SIZE - 4,
                LOGO_SIZE - 4,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.logo_status.setText(self.tr("Logo found."))
