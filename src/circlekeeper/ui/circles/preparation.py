"""Conference preparation: a checklist per participant and the eligibility screen.

Every tick is saved when it is made; the readiness list elsewhere explains what is missing.
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
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.domain.enums import Role
from circlekeeper.core.services.circles import (
    KEEPER_ROLES,
    CirclePlanner,
    EligibilityScreen,
    ParticipantRow,
)
from circlekeeper.ui.circles.participants import participant_role_text
from circlekeeper.ui.circles.problems import PROBLEMS
from circlekeeper.ui.style import heading, note


class PreparationPanel(QWidget):
    """What the facilitator has done to prepare each person, and whether the case can come to
    a conference at all. ``changed`` is emitted after each saved tick."""

    changed = Signal()

    def __init__(self, planner: CirclePlanner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.planner = planner
        self.circle_id: int | None = None
        self.error: Callable[[Exception], None] = lambda exc: None
        self.boxes: dict[tuple[int, str], QCheckBox] = {}

        self.checklist = QWidget(self)
        self.grid = QGridLayout(self.checklist)
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(8)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.checklist)

        self.screen_box = QGroupBox(self.tr("Eligibility screen"), self)
        self.admitted = QCheckBox(
            self.tr("The person responsible &admits their part in what happened"), self
        )
        self.admitted.setAccessibleName(self.tr("The person responsible admits their part"))
        self.exclusions = {
            "weapons": QCheckBox(self.tr("A &weapon was involved"), self),
            "sexual_harm": QCheckBox(self.tr("The harm was se&xual"), self),
            "serious_injury": QCheckBox(self.tr("Someone was seriously &injured"), self),
            "credible_threat": QCheckBox(self.tr("There is a credible &threat of harm"), self),
            "must_refer": QCheckBox(
                self.tr("It must go to Title IX, child &protection or the police"), self
            ),
        }
        for box in self.exclusions.values():
            box.setAccessibleName(box.text().replace("&", ""))
        self.notes = QLineEdit(self)
        self.notes.setAccessibleName(self.tr("Notes on the eligibility screen"))
        self.notes.setPlaceholderText(self.tr("Notes (optional)"))
        screen_layout = QVBoxLayout(self.screen_box)
        screen_layout.addWidget(self.admitted)
        screen_layout.addWidget(
            note(self.tr("Any of these means the case goes elsewhere, not to a conference:"), self)
        )
        for box in self.exclusions.values():
            screen_layout.addWidget(box)
        screen_layout.addWidget(self.notes)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Preparation with each person"), self, level=2))
        layout.addWidget(
            note(
                self.tr(
                    "Meet each person before the conference, record their agreement to take "
                    "part, and a guardian's consent for anyone under 18."
                ),
                self,
            )
        )
        layout.addWidget(scroll, 1)
        layout.addWidget(self.screen_box)

        self.admitted.toggled.connect(self._save_screen)
        for box in self.exclusions.values():
            box.toggled.connect(self._save_screen)
        self.notes.editingFinished.connect(self._save_screen)
        self._loading = False

    def load(self, circle_id: int, rows: list[ParticipantRow], screen: EligibilityScreen) -> None:
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
        self.admitted.setChecked(screen.responsibility_admitted)
        for name, box in self.exclusions.items():
            box.setChecked(bool(getattr(screen, name)))
        self.notes.setText(screen.notes)
        self._loading = False

    def _save_item(self, participant_id: int, field: str, value: bool) -> None:
        if self._loading:
            return
        try:
            self.planner.set_preparation(participant_id, **{field: value})
        except PROBLEMS as exc:
            self.error(exc)
            return
        self.changed.emit()

    def answers(self) -> EligibilityScreen:
        return EligibilityScreen(
            responsibility_admitted=self.admitted.isChecked(),
            notes=self.notes.text().strip(),
            **{name: box.isChecked() for name, box in self.exclusions.items()},
        )

    def _save_screen(self) -> None:
        if self._loading or self.circle_id is None:
            return
        try:
            self.planner.set_eligibility(self.circle_id, self.answers())
        except PROBLEMS as exc:
            self.error(exc)
            return
        self.changed.emit()
