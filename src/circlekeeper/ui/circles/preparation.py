"""Conference preparation: a checklist per participant and the eligibility screen.

Every tick is saved when it is made; the readiness list elsewhere explains what is missing.
The screen is the case's own (the same form and the same stored answers as the case page);
only a conference without a case keeps a screen of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.cases.eligibility import EligibilityService, Screen
from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import KEEPER_ROLES, ParticipantRow
from circlekeeper.core.domain.enums import Role
from circlekeeper.ui.circles.participants import participant_role_text
from circlekeeper.ui.circles.problems import PROBLEMS
from circlekeeper.ui.eligibility import EligibilityForm
from circlekeeper.ui.style import heading, note


class PreparationPanel(QWidget):
    """What the facilitator has done to prepare each person, and whether the case can come to
    a conference at all. ``changed`` is emitted after each saved tick."""

    changed = Signal()

    def __init__(
        self,
        planner: CirclePlanner,
        screens: EligibilityService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.planner = planner
        self.screens = screens
        self.circle_id: int | None = None
        self.error: Callable[[Exception], None] = lambda exc: None
        self.boxes: dict[tuple[int, str], QCheckBox] = {}

        # The checklist and the screen scroll together, so neither is squeezed on a small
        # laptop screen however many people are invited.
        body = QWidget(self)
        self.checklist = QWidget(body)
        self.grid = QGridLayout(self.checklist)
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(8)
        self.grid.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        self.screen_box = QGroupBox(self.tr("Eligibility screen"), body)
        self.screen_box.setAccessibleName(self.tr("Eligibility screen"))
        self.whose = note("", self.screen_box)
        self.form = EligibilityForm(self.screen_box)
        screen_layout = QVBoxLayout(self.screen_box)
        screen_layout.addWidget(self.whose)
        screen_layout.addWidget(self.form)
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self.checklist)
        body_layout.addWidget(self.screen_box)
        body_layout.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Preparation with each person"), self, level=2))
        layout.addWidget(
            note(
                self.tr(
                    "Meet each person before the circle, record their agreement to take "
                    "part, and a guardian's consent for anyone under 18."
                ),
                self,
            )
        )
        layout.addWidget(scroll, 1)

        self.form.edited.connect(self._save_screen)
        self._loading = False

    def load(self, circle_id: int, rows: list[ParticipantRow], screen: Screen) -> None:
        self._loading = True
        self.circle_id = circle_id
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.boxes.clear()
        headers = (
            self.tr("Person"),
            self.tr("Pre-meeting\nheld"),
            self.tr("Agreed to\ntake part"),
            self.tr("Guardian\nconsent"),
        )
        for column, text in enumerate(headers):
            label = QLabel(text, self.checklist)
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            label.setAccessibleName(text.replace("\n", " "))
            self.grid.addWidget(label, 0, column)
        prepared = [r for r in rows if r.role not in KEEPER_ROLES and r.role != Role.OBSERVER.value]
        if not prepared:
            empty = QLabel(self.tr("Invite the people taking part to see their checklist."))
            empty.setWordWrap(True)
            self.grid.addWidget(empty, 1, 0, 1, 4)
        for line, row in enumerate(prepared, start=1):
            who = QLabel(
                f"{row.name}<br><small>{participant_role_text(row, rows)}</small>",
                self.checklist,
            )
            who.setAccessibleName(row.name)
            self.grid.addWidget(who, line, 0)
            items = [
                ("pre_meeting_held", self.tr("Pre-meeting held with {name}"), row.pre_meeting_held),
                ("consent", self.tr("{name} agreed to take part"), row.consent),
            ]
            if row.minor:
                items.append(
                    (
                        "guardian_consent",
                        self.tr("Guardian consent recorded for {name}"),
                        bool(row.guardian_consent),
                    )
                )
            for column, (field, name, value) in enumerate(items, start=1):
                box = QCheckBox(self.tr("Yes"), self.checklist)
                box.setChecked(value)
                box.setAccessibleName(name.format(name=row.name))
                box.toggled.connect(
                    lambda checked, pid=row.id, f=field: self._save_item(pid, f, checked)
                )
                self.grid.addWidget(box, line, column)
                self.boxes[(row.id, field)] = box
            if not row.minor:
                adult = QLabel(self.tr("not needed"), self.checklist)
                adult.setEnabled(False)
                adult.setToolTip(self.tr("{name} is an adult.").format(name=row.name))
                self.grid.addWidget(adult, line, 3)
        self.grid.setRowStretch(len(prepared) + 2, 1)
        self.grid.setColumnStretch(0, 1)
        self._show_screen(screen)
        self._loading = False

    def _show_screen(self, screen: Screen) -> None:
        self.form.show_screen(screen)
        if screen.case_id is not None:
            self.whose.setText(
                self.tr(
                    "The screen of case {number}: the case page shows and saves these same answers."
                ).format(number=screen.case_id)
            )
        else:
            self.whose.setText(self.tr("This circle has no case; its screen is kept here."))
        self.whose.setAccessibleName(self.whose.text())

    def _save_item(self, participant_id: int, field: str, value: bool) -> None:
        if self._loading:
            return
        try:
            self.planner.set_preparation(participant_id, **{field: value})
        except PROBLEMS as exc:
            self.error(exc)
            return
        self.changed.emit()

    def _save_screen(self) -> None:
        if self._loading or self.circle_id is None:
            return
        try:
            screen = self.screens.record_for_circle(
                self.circle_id, self.form.answers(), loaded=self.form.loaded
            )
        except PROBLEMS as exc:
            self.error(exc)
            self._reload_screen()  # show what is stored, not the answer that was refused
            return
        self._show_screen(screen)
        self.changed.emit()

    def _reload_screen(self) -> None:
        if self.circle_id is None:
            return
        try:
            screen = self.screens.for_circle(self.circle_id)
        except PROBLEMS:
            return
        self._loading = True
        try:
            self._show_screen(screen)
        finally:
            self._loading = False
