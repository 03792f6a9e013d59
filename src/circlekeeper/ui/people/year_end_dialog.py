"""Closing the school year: see who moves up and who leaves, then do it all in one step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.looking import screen_context
from circlekeeper.ui.people.labels import count_text
from circlekeeper.ui.style import heading, note


class YearEndDialog(QDialog):
    """Every student moves up a grade (PK and TK to K); 12th graders are archived."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        from circlekeeper.core.roster.year_end import plan_year_end

        super().__init__(parent)
        self.database = database
        self.result_summary: str | None = None
        self.setWindowTitle(self.tr("End of the school year"))
        self.setAccessibleName(self.windowTitle())
        self.resize(720, 560)
        self.plan = plan_year_end(screen_context(database))

        self.grades = QTableWidget(0, 3, self)
        self.grades.setAccessibleName(self.tr("How many students move from each grade"))
        self.grades.setHorizontalHeaderLabels(
            [self.tr("Grade now"), self.tr("Moves to"), self.tr("Students")]
        )
        self.grades.verticalHeader().setVisible(False)
        self.grades.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grades.setTabKeyNavigation(False)
        self.grades.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.leavers = QListWidget(self)
        self.leavers.setAccessibleName(self.tr("Students who leave and are archived"))
        self.again = QCheckBox(self.tr("A &new school year has begun: close the year again"), self)
        self.again.setAccessibleName(self.tr("Close the school year again"))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("What closing the year does"))
        self.close_year = QPushButton(self.tr("&Close the school year"), self)
        self.close_year.setAccessibleName(self.tr("Move students up a grade and archive leavers"))
        self.cancel = QPushButton(self.tr("Cancel"), self)
        self.cancel.setAccessibleName(self.tr("Cancel"))

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle(), self))
        layout.addWidget(
            note(
                self.tr(
                    "Every student moves up one grade: PK and TK to K, K to 1, and so on. "
                    "Students in grade 12 leave and are archived; their records are kept. "
                    "To archive students who left for other reasons, import the new roster "
                    "and tick the box for students it no longer lists."
                ),
                self,
            )
        )
        layout.addWidget(self.grades, 2)
        leaving = QLabel(self.tr("&Leaving (grade 12)"), self)
        leaving.setBuddy(self.leavers)
        layout.addWidget(leaving)
        layout.addWidget(self.leavers, 1)
        layout.addWidget(self.again)
        layout.addWidget(self.summary)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_year)
        buttons.addWidget(self.cancel)
        layout.addLayout(buttons)

        self.close_year.clicked.connect(self.apply)
        self.cancel.clicked.connect(self.reject)
        self.again.toggled.connect(self._update)
        self._show_plan()

    def _show_plan(self) -> None:
        plan = self.plan
        counts = plan.counts()
        self.grades.setRowCount(len(counts))
        for row, (grade, count) in enumerate(counts.items()):
            move = next(m for m in plan.moves if m.old == grade)
            moves_to = move.new if move.new is not None else self.tr("Leaves (archived)")
            for column, text in enumerate((grade, moves_to, str(count))):
                self.grades.setItem(row, column, QTableWidgetItem(text))
        for move in plan.leavers:
            self.leavers.addItem(move.name)
        self.summary.setText(
            count_text(
                len(plan.promoted),
                self.tr("1 student moves up a grade"),
                self.tr("{count} students move up a grade"),
            )
            + "; "
            + count_text(
                len(plan.leavers),
                self.tr("1 leaves and is archived."),
                self.tr("{count} leave and are archived."),
            )
        )
        recently = plan.last_closed is not None
        self.again.setVisible(recently)
        if recently:
            self.again.setText(
                self.tr(
                    "The year was last closed on {date}. A &new school year has begun: "
                    "close the year again"
                ).format(date=plan.last_closed.isoformat() if plan.last_closed else "")
            )
        self._update()

    def _update(self) -> None:
        self.close_year.setEnabled(bool(self.plan.moves) and self.result_summary is None)

    def apply(self) -> None:
        from circlekeeper.core.roster.year_end import close_school_year

        looking = screen_context(self.database)
        context = looking.acting_as(looking.actor(), looking.viewer())
        try:
            moved, archived = close_school_year(context, self.plan, again=self.again.isChecked())
        except (InvalidInput, DatabaseProblem) as problem:
            self.summary.setText(str(problem))
            self.again.setVisible(True)
            return
        self.result_summary = self.tr(
            "School year closed: {moved} students moved up a grade, {archived} archived."
        ).format(moved=moved, archived=archived)
        self.summary.setText(self.result_summary)
        self.cancel.setText(self.tr("Close"))
        self.cancel.setAccessibleName(self.cancel.text())
        self._update()
        self.cancel.setFocus(Qt.FocusReason.OtherFocusReason)
