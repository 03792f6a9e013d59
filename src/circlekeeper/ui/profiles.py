"""Who is using circlekeeper: choosing a profile after the database opens, and managing them.

With no profiles the program behaves as a single user's tool (the facilitator named in Settings).
With one profile it is used without asking; with more, a small chooser asks who is at the
keyboard, and for the PIN when that profile has one.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.problems import InvalidInput, NotFound, NotPermitted
from circlekeeper.core.profiles.profiles import (
    ProfileRole,
    ProfileRow,
    ProfileService,
    clean_pin,
)
from circlekeeper.core.profiles.viewer import NOBODY, Viewer
from circlekeeper.core.profiles.viewer import default_viewer as settings_viewer
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.operations import unregistered_viewer, window_context
from circlekeeper.ui.profile_approval import ask_approval

log = logging.getLogger(__name__)


def default_viewer(database: Database) -> Viewer:
    """The viewer of an installation without profiles: the facilitator named in Settings."""
    try:
        return settings_viewer(database.sessions)
    except DatabaseProblem:
        log.exception("Reading the facilitator's name failed")
        return Viewer("", ProfileRole.COUNSELOR.value, sees_unattributed=True)


def current_viewer(database: Database | None = None, *, sessions: object = None) -> Viewer:
    """Who is looking at ``database`` (or at the database whose sessions these are).

    The viewer of the context the main window registered for that database (its active
    profile); with no window showing it, the facilitator named in Settings when there are no
    profiles, else only what may be shared.
    """
    found = window_context(database, sessions=sessions)
    if found is not None:
        return found.viewer()
    known = database.sessions if database is not None else sessions
    return unregistered_viewer(known) if known is not None else NOBODY


def role_titles(widget: QWidget) -> dict[str, str]:
    return {
        ProfileRole.COUNSELOR.value: widget.tr("Counselor or coordinator"),
        ProfileRole.SRO.value: widget.tr("School resource officer"),
        ProfileRole.ADMINISTRATOR.value: widget.tr("Administrator"),
    }


def profile_caption(viewer: Viewer, profile_id: int | None, widget: QWidget) -> str:
    """ "Using circlekeeper as Sam Reyes, School resource officer", for the main window."""
    if profile_id is None and viewer == NOBODY:
        return widget.tr("No profile chosen: only what may be shared is shown")
    if profile_id is None:
        if viewer.name:
            return widget.tr("Using circlekeeper as {name} (no profiles)").format(name=viewer.name)
        return widget.tr("No profiles: one person uses circlekeeper")
    role = role_titles(widget).get(viewer.role, viewer.role)
    return widget.tr("Using circlekeeper as {name}, {role}").format(name=viewer.name, role=role)


class ProfileChooser(QDialog):
    """ "Who is using circlekeeper?": pick a profile, give its PIN if it has one."""

    def __init__(self, service: ProfileService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.chosen: ProfileRow | None = None
        self.setWindowTitle(self.tr("Who is using circlekeeper?"))
        self.setAccessibleName(self.windowTitle())
        titles = role_titles(self)
        self.profiles = QListWidget(self)
        self.profiles.setAccessibleName(self.tr("Profiles"))
        for row in service.list():
            item = QListWidgetItem(f"{row.name} — {titles.get(row.role, row.role)}", self.profiles)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
        self.pin_label = QLabel(self.tr("&PIN"), self)
        self.pin = QLineEdit(self)
        self.pin.setAccessibleName(self.tr("PIN"))
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_label.setBuddy(self.pin)
        self.message = QLabel(self)
        self.message.setAccessibleName(self.tr("Message"))
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Continue"))
        ok.setAccessibleName(self.tr("Continue"))
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("Choose your name. What you see depends on your role."), self)
        )
        layout.addWidget(self.profiles)
        pin_row = QHBoxLayout()
        pin_row.addWidget(self.pin_label)
        pin_row.addWidget(self.pin, 1)
        layout.addLayout(pin_row)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.profiles.currentRowChanged.connect(self._selected)
        self.profiles.itemActivated.connect(lambda _item: self.accept())
        self.profiles.setCurrentRow(0)

    def _row(self) -> ProfileRow | None:
        item = self.profiles.currentItem()
        if item is None:
            return None
        try:
            return self.service.get(int(item.data(Qt.ItemDataRole.UserRole)))
        except NotFound:
            return None

    def _selected(self, _row: int) -> None:
        row = self._row()
        needs_pin = row is not None and row.has_pin
        self.pin_label.setVisible(needs_pin)
        self.pin.setVisible(needs_pin)
        self.pin.clear()
        self.message.clear()

    def accept(self) -> None:
        row = self._row()
        if row is None:
            self.message.setText(self.tr("Choose a name from the list."))
            return
        try:
            right = not row.has_pin or self.service.verify_pin(row.id, self.pin.text())
        except InvalidInput as wait:  # several wrong PINs: the next try must wait
            self.message.setText(str(wait))
            return
        if not right:
            self.message.setText(self.tr("That PIN is not right. Try again."))
            self.pin.selectAll()
            self.pin.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.chosen = row
        super().accept()

    def reject(self) -> None:
        # Someone must be chosen: what the window shows depends on it.
        self.message.setText(self.tr("Choose who you are to go on."))


def choose_profile(
    database: Database, parent: QWidget | None, *, interactive: bool
) -> tuple[Viewer, int | None]:
    """The viewer for this session and their profile id (None without profiles).

    On a district's server the person's own role says who they are (no chooser, no PIN); a
    role circlekeeper does not know is told so and sees only what anyone may see."""
    from circlekeeper.core.store.server_roles import server_sign_in

    try:
        signed_in = server_sign_in(database.sessions)
    except NotPermitted as refused:
        log.warning("Server sign-in refused: %s", refused)
        if interactive and parent is not None:
            QMessageBox.warning(
                parent,
                QCoreApplication.translate("ProfileChooser", "This role cannot sign in"),
                str(refused),
            )
        return NOBODY, None
    if signed_in is not None:
        return signed_in
    service = ProfileService(database.sessions)
    try:
        rows = service.list()
    except DatabaseProblem:
        log.exception("Reading profiles failed")
        rows = []
    if not rows:
        return default_viewer(database), None
    if len(rows) == 1:
        return rows[0].viewer, rows[0].id
    if interactive:
        chooser = ProfileChooser(service, parent)
        if chooser.exec() and chooser.chosen is not None:
            return chooser.chosen.viewer, chooser.chosen.id
    name = default_viewer(database).name.strip().casefold()
    for row in rows:
        if row.name.casefold() == name:
            return row.viewer, row.id
    # Nobody said who they are (a start without asking): show only what anyone may see.
    return NOBODY, None


class ProfilesSection(QGroupBox):
    """Settings: add profiles, rename them, change their role, set or remove their PIN."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Who uses circlekeeper"))
        self.setAccessibleName(self.tr("Profiles"))
        from circlekeeper.ui.looking import screen_context

        self.service = ProfileService(screen_context(database))
        self._titles = role_titles(self)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Profiles"))
        self.name = QLineEdit(self)
        self.name.setAccessibleName(self.tr("Profile name"))
        self.name.setPlaceholderText(self.tr("Name"))
        self.role = QComboBox(self)
        self.role.setAccessibleName(self.tr("Profile role"))
        for value, title in self._titles.items():
            self.role.addItem(title, value)
        self.add_button = QPushButton(self.tr("A&dd profile"), self)
        self.add_button.setAccessibleName(self.tr("Add profile"))
        self.save_button = QPushButton(self.tr("Save &changes"), self)
        self.save_button.setAccessibleName(self.tr("Save changes to the profile"))
        self.pin_button = QPushButton(self.tr("Set PIN…"), self)
        self.pin_button.setAccessibleName(self.tr("Set the profile's PIN"))
        self.remove_pin_button = QPushButton(self.tr("Remove PIN"), self)
        self.remove_pin_button.setAccessibleName(self.tr("Remove the profile's PIN"))
        self.remove_button = QPushButton(self.tr("Remo&ve profile"), self)
        self.remove_button.setAccessibleName(self.tr("Remove the profile"))
        self.remove_button.setToolTip(
            self.tr("The profile can no longer be chosen; what it recorded is kept.")
        )
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Profiles status"))
        self.status.setWordWrap(True)
        explain = QLabel(
            self.tr(
                "With more than one profile, circlekeeper asks who is using it when it opens. "
                "A private note is seen only by its author. A school resource officer sees no "
                "private notes and no equity (demographic) fields. A PIN can unlock the app "
                "lock when the records are not protected by a passphrase. Once a counselor or "
                "administrator has a PIN, every change here needs such a PIN; while a school "
                "resource officer has a profile, every counselor and administrator needs one."
            ),
            self,
        )
        explain.setWordWrap(True)
        fields = QHBoxLayout()
        fields.addWidget(self.name, 1)
        fields.addWidget(self.role)
        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.save_button,
            self.pin_button,
            self.remove_pin_button,
            self.remove_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.list)
        layout.addLayout(fields)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.list.setMaximumHeight(self.fontMetrics().lineSpacing() * 6 + 12)
        self.list.currentRowChanged.connect(self._selected)
        self.add_button.clicked.connect(lambda: self.add())
        self.save_button.clicked.connect(self.save)
        self.pin_button.clicked.connect(self.ask_pin)
        self.remove_pin_button.clicked.connect(lambda: self.set_pin(None))
        self.remove_button.clicked.connect(self.remove)
        self.load()

    def load(self, select_id: int | None = None) -> None:
        self.list.clear()
        try:
            rows = self.service.list()
        except DatabaseProblem:
            log.exception("Reading profiles failed")
            self.status.setText(self.tr("The profiles could not be read just now."))
            return
        for row in rows:
            pin = self.tr(" (PIN set)") if row.has_pin else ""
            text = f"{row.name} — {self._titles.get(row.role, row.role)}{pin}"
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            if row.id == select_id:
                self.list.setCurrentItem(item)
        self._selected(self.list.currentRow())

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _selected(self, _row: int) -> None:
        profile_id = self.selected_id()
        for button in (
            self.save_button,
            self.pin_button,
            self.remove_pin_button,
            self.remove_button,
        ):
            button.setEnabled(profile_id is not None)
        if profile_id is None:
            return
        row = self.service.get(profile_id)
        self.name.setText(row.name)
        self.role.setCurrentIndex(max(0, self.role.findData(row.role)))
        self.remove_pin_button.setEnabled(row.has_pin)

    def add(self, pin: str | None = None) -> None:
        """Add a profile; a counselor or administrator beside an SRO is asked for a PIN."""
        role = str(self.role.currentData())
        if pin is None and role != ProfileRole.SRO.value and self._sro_exists():
            pin, ok = QInputDialog.getText(
                self,
                self.tr("A PIN for the new profile"),
                self.tr(
                    "While a school resource officer has a profile, counselors and "
                    "administrators need a PIN. A PIN of 4 to 12 digits:"
                ),
                QLineEdit.EchoMode.Password,
            )
            if not ok:
                return
        go_on, approval = ask_approval(self.service, self)
        if not go_on:
            self.status.setText(self.tr("Nothing was changed."))
            return
        try:
            row = self.service.create(self.name.text(), role, pin or None, approval=approval)
        except (InvalidInput, DatabaseProblem) as problem:
            self._problem(problem)
            return
        self.load(row.id)
        self.status.setText(self.tr("Profile added: {name}.").format(name=row.name))

    def save(self) -> None:
        profile_id = self.selected_id()
        if profile_id is None:
            return
        row = self.service.get(profile_id)
        name, role = " ".join(self.name.text().split()), str(self.role.currentData())
        if (name, role) == (row.name, row.role):
            self.status.setText(self.tr("Nothing to save: the name and role are unchanged."))
            return
        go_on, approval = ask_approval(self.service, self)
        if not go_on:
            self.status.setText(self.tr("Nothing was changed."))
            return
        try:
            row = self.service.update(profile_id, name=name, role=role, approval=approval)
        except (InvalidInput, NotFound, DatabaseProblem) as problem:
            self._problem(problem)
            return
        self.load(row.id)
        self.status.setText(self.tr("Profile saved: {name}.").format(name=row.name))

    def remove(self) -> None:
        """Archive the chosen profile: it can no longer be chosen; its records stay."""
        profile_id = self.selected_id()
        if profile_id is None:
            return
        go_on, approval = ask_approval(self.service, self)
        if not go_on:
            self.status.setText(self.tr("Nothing was changed."))
            return
        try:
            row = self.service.update(profile_id, archived=True, approval=approval)
        except (InvalidInput, NotFound, DatabaseProblem) as problem:
            self._problem(problem)
            return
        self.load()
        self.status.setText(self.tr("Profile removed: {name}.").format(name=row.name))

    def _sro_exists(self) -> bool:
        try:
            return any(r.role == ProfileRole.SRO.value for r in self.service.list())
        except DatabaseProblem:
            return False

    def ask_pin(self) -> None:
        if self.selected_id() is None:
            return
        pin, ok = QInputDialog.getText(
            self,
            self.tr("Set a PIN"),
            self.tr("A PIN of 4 to 12 digits:"),
            QLineEdit.EchoMode.Password,
        )
        if ok:
            self.set_pin(pin)

    def set_pin(self, pin: str | None) -> None:
        profile_id = self.selected_id()
        if profile_id is None:
            return
        try:
            if pin:
                clean_pin(pin)  # say what is wrong with it before asking for an approval
        except InvalidInput as problem:
            self._problem(problem)
            return
        go_on, approval = ask_approval(self.service, self)
        if not go_on:
            self.status.setText(self.tr("Nothing was changed."))
            return
        try:
            self.service.set_pin(profile_id, pin, approval=approval)
        except (InvalidInput, NotFound, DatabaseProblem) as problem:
            self._problem(problem)
            return
        self.load(profile_id)
        self.status.setText(self.tr("PIN saved.") if pin else self.tr("PIN removed."))

    def _problem(self, problem: Exception) -> None:
        if isinstance(problem, DatabaseProblem):
            log.exception("Saving a profile failed")
            self.status.setText(self.tr("The profile could not be saved just now."))
        else:
            self.status.setText(str(problem))
