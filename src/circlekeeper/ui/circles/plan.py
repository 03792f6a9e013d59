"""The planning dialog: what kind of circle, which script, when and where, who comes and in
what role, where they sit, and (for conferences) preparation and eligibility.

Each change is saved when it is made. The readiness list explains what is still missing; only
what the eligibility screen blocks (marked ⚠) stops a conference starting.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.eligibility import EligibilityService
from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import PREPARED_KINDS, CircleDetail, CirclePlan
from circlekeeper.core.domain.enums import CircleKind, CircleStatus, PersonKind
from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.common import parties_text
from circlekeeper.ui.circles.labels import kind_choices, kind_label, minutes_text
from circlekeeper.ui.circles.participants import (
    ParticipantsPanel,
    is_observer,
    participant_role_text,
)
from circlekeeper.ui.circles.preparation import PreparationPanel
from circlekeeper.ui.circles.problems import PROBLEMS, show_problem
from circlekeeper.ui.circles.seating import Seat, SeatingRing
from circlekeeper.ui.geometry import default_size, remember_geometry
from circlekeeper.ui.locale import date_text, format_edit
from circlekeeper.ui.operations import context_for
from circlekeeper.ui.style import heading, note

KEEPER_KINDS = (PersonKind.STAFF.value, PersonKind.SRO.value, PersonKind.COMMUNITY.value)


class PlanDialog(QDialog):
    """Plan a new circle (``circle_id`` None) or change a planned one."""

    def __init__(
        self,
        database: Database,
        circle_id: int | None = None,
        parent: QWidget | None = None,
        library: ScriptLibrary | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.library = library or ScriptLibrary()
        self.planner = CirclePlanner(context_for(database), self.library)
        self.people = PeopleService(context_for(database))
        self.circle_id = circle_id
        self.detail: CircleDetail | None = None
        self.started: QWidget | None = None
        self.setWindowTitle(self.tr("Plan a circle"))
        self.setAccessibleName(self.windowTitle())
        default_size(self, 1240, 800)
        remember_geometry(self, "circle-plan")

        self._build_details()
        if circle_id is None:
            self._offer_default_facilitator()
        self.participants = ParticipantsPanel(self.planner, self.people, self.ensure_circle, self)
        self.participants.error = self._problem
        self.ring = SeatingRing(self)
        self.suggest_button = QPushButton(self.tr("S&uggest conference seating"), self)
        self.suggest_button.setAccessibleName(self.tr("Suggest conference seating"))
        self.suggest_button.setToolTip(
            self.tr("Each person beside their supporters, the two sides facing each other")
        )
        self.preparation = PreparationPanel(
            self.planner, EligibilityService(context_for(database)), self
        )
        self.preparation.error = self._problem

        seating_page = QWidget(self)
        seating_layout = QVBoxLayout(seating_page)
        seating_layout.addWidget(
            note(
                self.tr(
                    "Drag a seat to move someone, or choose a seat with the arrow keys and move "
                    "it with Alt+Left / Alt+Right. The layout that feels safest to the harmed "
                    "person wins."
                ),
                seating_page,
            )
        )
        seating_layout.addWidget(self.ring, 1)
        suggest_row = QHBoxLayout()
        suggest_row.addWidget(self.suggest_button)
        suggest_row.addStretch(1)
        seating_layout.addLayout(suggest_row)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Planning sections"))
        self.tabs.addTab(self.participants, self.tr("&People"))
        self.tabs.addTab(seating_page, self.tr("Seatin&g"))
        self.tabs.addTab(self.preparation, self.tr("P&reparation"))

        self.readiness = QListWidget(self)
        self.readiness.setAccessibleName(self.tr("What is still missing"))
        self.readiness.setWordWrap(True)
        self.readiness.setMinimumHeight(self.fontMetrics().height() * 6)
        self.readiness_title = heading(self.tr("Before you start"), self, level=2)

        self.start_button = QPushButton(self.tr("S&tart circle…"), self)
        self.start_button.setAccessibleName(self.tr("Start the circle"))
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setAccessibleName(self.tr("Close the plan"))

        left = QVBoxLayout()
        left.addWidget(heading(self.tr("Details"), self, level=2))
        left.addLayout(self.form)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        left.addLayout(save_row)
        left.addWidget(self.readiness_title)
        left.addWidget(
            note(
                self.tr(
                    "This list explains; you may start anyway, except for what is marked ⚠ "
                    "(the eligibility screen stops the conference)."
                ),
                self,
            )
        )
        left.addWidget(self.readiness, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addWidget(self.tabs, 7)
        bottom = QHBoxLayout()
        self.evaluation: list[QPushButton] = []
        if circle_id is not None:
            from circlekeeper.ui.evaluation.actions import evaluation_buttons

            self.evaluation = evaluation_buttons(self, database, circle_id)
            for button in self.evaluation:
                button.setVisible(False)
                bottom.addWidget(button)
            self.summary_button = QPushButton(self.tr("Save summar&y PDF…"), self)
            self.summary_button.setAccessibleName(self.tr("Save the circle summary as PDF"))
            self.summary_button.clicked.connect(self.save_summary)
            bottom.addWidget(self.summary_button)
        bottom.addStretch(1)
        bottom.addWidget(self.start_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle(), self))
        layout.addLayout(columns, 1)
        layout.addLayout(bottom)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.script.currentIndexChanged.connect(self._show_script_info)
        self.undecided.toggled.connect(lambda on: self.when.setEnabled(not on))
        self.save_button.clicked.connect(self.save_details)
        self.participants.changed.connect(self.refresh)
        self.preparation.changed.connect(self._refresh_readiness)
        self.preparation.withdrawals_changed.connect(self.refresh)
        self.preparation.form_requested.connect(self.consent_form)
        self.ring.order_changed.connect(self._seat)
        self.suggest_button.clicked.connect(self.suggest_seating)
        self.start_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.accept)
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.activated.connect(self.save_details)

        if circle_id is not None:
            self.refresh()
        else:
            self._kind_changed()
            self._refresh_readiness()
        self.kind.setFocus(Qt.FocusReason.OtherFocusReason)

    def consent_form(self) -> QWidget | None:
        """Open the window that saves this circle's consent form (the CLI's document too)."""
        from circlekeeper.ui.documents import open_consent_form

        if self.circle_id is None:
            return None
        self.consent_window = open_consent_form(self, self.database, self.circle_id)
        return self.consent_window

    def save_summary(self) -> QWidget | None:
        """Open the window that saves this circle's summary (same document as the CLI's)."""
        from circlekeeper.ui.documents import open_circle_summary

        if self.circle_id is None:
            return None
        self.summary_window = open_circle_summary(self, self.database, self.circle_id)
        return self.summary_window

    # -- building ----------------------------------------------------------------------------

    def _offer_default_facilitator(self) -> None:
        """A new circle's keeper is, to begin with, this installation's facilitator."""
        from circlekeeper.core.settings.welcome import default_facilitator_id

        try:
            found = self.facilitator.findData(default_facilitator_id(context_for(self.database)))
        except PROBLEMS:
            return
        if found > 0:
            self.facilitator.setCurrentIndex(found)

    def _build_details(self) -> None:
        self.kind = QComboBox(self)
        self.kind.setAccessibleName(self.tr("Kind of circle"))
        for value, text in kind_choices():
            self.kind.addItem(text, value)
        self.kind.setCurrentIndex(self.kind.findData(CircleKind.COMMUNITY_BUILDING.value))
        self.script = QComboBox(self)
        self.script.setAccessibleName(self.tr("Script"))
        self.script_info = QLabel(self)
        self.script_info.setWordWrap(True)
        self.script_info.setAccessibleName(self.tr("About the script"))
        self.title_edit = QLineEdit(self)
        self.title_edit.setAccessibleName(self.tr("Title"))
        self.title_edit.setPlaceholderText(self.tr("Leave empty to use the script's title"))
        self.when = QDateTimeEdit(self)
        self.when.setAccessibleName(self.tr("Date and time"))
        self.when.setCalendarPopup(True)
        format_edit(self.when)
        tomorrow = QDateTime.currentDateTime().addDays(1)
        tomorrow.setTime(QTime(10, 0))
        self.when.setDateTime(tomorrow)
        self.undecided = QCheckBox(self.tr("Not decided yet"), self)
        self.undecided.setAccessibleName(self.tr("Date and time not decided yet"))
        self.minutes = QSpinBox(self)
        self.minutes.setAccessibleName(self.tr("Planned length in minutes"))
        self.minutes.setRange(0, 600)
        self.minutes.setSingleStep(5)
        self.minutes.setSpecialValueText(self.tr("As the script suggests"))
        self.minutes.setSuffix(self.tr(" min"))
        self.place = QLineEdit(self)
        self.place.setAccessibleName(self.tr("Place"))
        self.place.setPlaceholderText(self.tr("e.g. Counseling office, Room 12"))
        self.purpose = QPlainTextEdit(self)
        self.purpose.setAccessibleName(self.tr("Purpose"))
        self.purpose.setPlaceholderText(self.tr("Leave empty to use the script's purpose"))
        self.purpose.setTabChangesFocus(True)
        self.purpose.setFixedHeight(self.fontMetrics().height() * 3 + 14)
        self.case = QComboBox(self)
        self.case.setAccessibleName(self.tr("Linked case"))
        self.case.addItem(self.tr("No case"), None)
        try:
            for row in CaseService(context_for(self.database)).list_cases(open_only=True):
                text = self.tr("Case {id}: {what}, referred {day}").format(
                    id=row.id, what=row.incident_category, day=date_text(row.referred_on)
                )
                self.case.addItem(text, row.id)
                self.case.setItemData(
                    self.case.count() - 1, parties_text(row.parties), Qt.ItemDataRole.ToolTipRole
                )
        except PROBLEMS as problem:
            self._problem(problem)
        self.facilitator = QComboBox(self)
        self.facilitator.setAccessibleName(self.tr("Facilitator"))
        self.co_facilitator = QComboBox(self)
        self.co_facilitator.setAccessibleName(self.tr("Co-facilitator (for example an SRO)"))
        keepers = []
        for kind in KEEPER_KINDS:
            keepers.extend(self.people.search(kind=kind, limit=500))
        keepers.sort(key=lambda p: p.display_name.casefold())
        for combo, empty in (
            (self.facilitator, self.tr("Nobody yet")),
            (self.co_facilitator, self.tr("None")),
        ):
            combo.addItem(empty, None)
            for person in keepers:
                suffix = self.tr(" (SRO)") if person.kind == PersonKind.SRO.value else ""
                combo.addItem(person.display_name + suffix, person.id)
        self.save_button = QPushButton(self.tr("&Save details"), self)
        self.save_button.setAccessibleName(self.tr("Save the details"))
        self.save_button.setToolTip(self.tr("Save the details (Ctrl+S)"))

        when_row = QHBoxLayout()
        when_row.addWidget(self.when, 1)
        when_row.addWidget(self.undecided)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, widget in (
            (self.tr("&Kind"), self.kind),
            (self.tr("Scri&pt"), self.script),
            ("", self.script_info),
            (self.tr("Title"), self.title_edit),
            (self.tr("&When"), when_row),
            (self.tr("&Length"), self.minutes),
            (self.tr("Pl&ace"), self.place),
            (self.tr("P&urpose"), self.purpose),
            (self.tr("&Case"), self.case),
            (self.tr("&Facilitator"), self.facilitator),
            (self.tr("C&o-facilitator"), self.co_facilitator),
        ):
            label = QLabel(text, self)
            buddy = widget if isinstance(widget, QWidget) else self.when
            label.setBuddy(buddy)
            self.form.addRow(label, widget)

    # -- details -----------------------------------------------------------------------------

    def _kind_changed(self) -> None:
        kind = str(self.kind.currentData())
        current = self.script.currentData()
        self.script.blockSignals(True)
        self.script.clear()
        scripts = self.library.scripts()
        matching = [s for s in scripts if s.kind == kind]
        for info in matching:
            self.script.addItem(self._script_text(info), info.key)
        self.script.addItem(self.tr("No script"), None)
        others = [s for s in scripts if s.kind != kind]
        if others:
            self.script.insertSeparator(self.script.count())
            for info in others:
                self.script.addItem(
                    self.tr("{title} (for {kind})").format(
                        title=self._script_text(info), kind=kind_label(info.kind).lower()
                    ),
                    info.key,
                )
        found = self.script.findData(current) if current else -1
        keep = found >= 0 and any(s.key == current for s in matching)
        self.script.setCurrentIndex(found if keep else 0)
        self.script.blockSignals(False)
        self._show_script_info()
        self.tabs.setTabEnabled(2, kind in PREPARED_KINDS) if hasattr(self, "tabs") else None
        if hasattr(self, "suggest_button"):
            self.suggest_button.setVisible(kind == CircleKind.CONFERENCE.value)

    def _script_text(self, info: object) -> str:
        title = getattr(info, "title", "")
        return title + ("" if getattr(info, "builtin", True) else self.tr(" (yours)"))

    def _show_script_info(self) -> None:
        key = self.script.currentData()
        info = next((s for s in self.library.scripts() if s.key == key), None)
        if info is None:
            self.script_info.setText(
                self.tr("Without a script you keep the circle in your own words.")
            )
        else:
            languages = ", ".join(
                {"en": self.tr("English"), "es": self.tr("Spanish")}.get(code, code)
                for code in info.languages
            )
            self.script_info.setText(
                self.tr("{stages} stages · {minutes} · {languages}").format(
                    stages=info.stage_count,
                    minutes=minutes_text(info.suggested_minutes),
                    languages=languages,
                )
            )
        self.script_info.setAccessibleName(self.script_info.text())

    def plan_values(self) -> CirclePlan:
        scheduled: datetime | None = None
        if not self.undecided.isChecked():
            moment = self.when.dateTime().toPython()
            assert isinstance(moment, datetime)
            scheduled = moment.astimezone()
        return CirclePlan(
            kind=str(self.kind.currentData()),
            script_key=self.script.currentData(),
            title=self.title_edit.text(),
            purpose=self.purpose.toPlainText(),
            scheduled_at=scheduled,
            planned_minutes=self.minutes.value() or None,
            location=self.place.text(),
            case_id=self.case.currentData(),
            facilitator_id=self.facilitator.currentData(),
            co_facilitator_id=self.co_facilitator.currentData(),
        )

    def save_details(self) -> bool:
        try:
            if self.circle_id is None:
                self.detail = self.planner.plan(self.plan_values())
                self.circle_id = self.detail.id
            else:
                self.detail = self.planner.update_plan(self.circle_id, self.plan_values())
        except PROBLEMS as problem:
            self._problem(problem)
            return False
        self.refresh()
        return True

    def ensure_circle(self) -> int | None:
        """The circle's id, saving the details first when the circle is new."""
        if self.circle_id is None and not self.save_details():
            return None
        return self.circle_id

    def _show_details(self, detail: CircleDetail) -> None:
        plan = detail.plan
        widgets = (self.kind, self.script, self.title_edit, self.when, self.undecided)
        for widget in widgets:
            widget.blockSignals(True)
        self.kind.setCurrentIndex(max(0, self.kind.findData(plan.kind)))
        self.kind.blockSignals(False)
        self.script.blockSignals(False)
        self._kind_changed()
        self.script.setCurrentIndex(max(0, self.script.findData(plan.script_key)))
        self.title_edit.setText(plan.title)
        self.purpose.setPlainText(plan.purpose)
        self.undecided.setChecked(plan.scheduled_at is None)
        self.when.setEnabled(plan.scheduled_at is not None)
        if plan.scheduled_at is not None:
            local = plan.scheduled_at.astimezone()
            self.when.setDateTime(
                QDateTime(
                    QDate(local.year, local.month, local.day),
                    QTime(local.hour, local.minute, local.second),
                )
            )
        self.minutes.setValue(plan.planned_minutes or 0)
        self.place.setText(plan.location or "")
        for combo, value in (
            (self.case, plan.case_id),
            (self.facilitator, plan.facilitator_id),
            (self.co_facilitator, plan.co_facilitator_id),
        ):
            found = combo.findData(value)
            combo.setCurrentIndex(found if found >= 0 else 0)
        for widget in widgets:
            widget.blockSignals(False)
        self._show_script_info()
        self.setWindowTitle(self.tr("Plan: {title}").format(title=plan.title))
        editable = detail.status == CircleStatus.PLANNED.value
        parts: tuple[QWidget, ...] = (
            self.save_button,
            self.participants,
            self.ring,
            self.suggest_button,
        )
        for part in parts:
            part.setEnabled(editable)
        # The facilitator may still halt a conference that is running; not one that is over.
        over = detail.status in (CircleStatus.COMPLETED.value, CircleStatus.CANCELLED.value)
        self.preparation.form.set_editable(not over)
        self.preparation.set_editable(not over)
        held = detail.status == CircleStatus.COMPLETED.value
        for button in self.evaluation:
            button.setVisible(held or (editable and bool(button.property("before_held"))))

    # -- people, seats, readiness ------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the circle from the database into every part of the dialog."""
        if self.circle_id is None:
            return
        try:
            self.detail = self.planner.detail(self.circle_id)
        except PROBLEMS as problem:
            self._problem(problem)
            return
        self._show_details(self.detail)
        rows = self.detail.participants
        self.participants.set_rows(rows)
        self.ring.set_seats(
            [Seat(r.id, r.name, participant_role_text(r, rows), outer=is_observer(r)) for r in rows]
        )
        self.preparation.load(self.circle_id, rows, self.detail.eligibility)
        self._refresh_readiness()

    def _seat(self, order: list[int]) -> None:
        if self.circle_id is None:
            return
        try:
            self.planner.set_seating(self.circle_id, order)
        except PROBLEMS as problem:
            self._problem(problem)
            self.refresh()
            return
        self._refresh_readiness()

    def suggest_seating(self) -> None:
        if self.circle_id is None:
            return
        try:
            suggestion = self.planner.suggest_seating(self.circle_id)
            self.planner.set_seating(self.circle_id, [*suggestion.ring, *suggestion.outer_ring])
        except PROBLEMS as problem:
            self._problem(problem)
            return
        self.refresh()

    def _refresh_readiness(self) -> None:
        self.readiness.clear()
        if self.circle_id is None:
            self.readiness.addItem(self.tr("Save the details or invite someone to begin."))
            return
        try:
            missing = self.planner.readiness(self.circle_id)
        except PROBLEMS as problem:
            self._problem(problem)
            return
        for reason in missing:
            self.readiness.addItem(("⚠ " if reason.blocking else "• ") + reason.message)
        if not missing:
            self.readiness.addItem(self.tr("Nothing is missing: ready to hold."))
        try:
            officer = self.planner.officer_notice(self.circle_id)
        except PROBLEMS as problem:
            self._problem(problem)
            return
        if officer:
            self.readiness.addItem("• " + officer)
        self.readiness_title.setText(
            self.tr("Before you start: {count} to do").format(count=len(missing))
            if missing
            else self.tr("Before you start: ready")
        )

    def start(self) -> None:
        from circlekeeper.ui.circles.start import start_circle

        circle_id = self.ensure_circle()
        if circle_id is None:
            return
        window = start_circle(self.parentWidget() or self, self.database, circle_id)
        if window is not None:
            self.started = window
            self.accept()

    def _problem(self, problem: Exception) -> None:
        show_problem(self, problem)
