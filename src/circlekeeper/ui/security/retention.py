"""The retention dialog: what the rule would remove, what the backups still hold, and Apply.

Everything it shows and does comes from ``core/retention/retention.py`` and
``retention_backups.py``; the dialog adds the typed confirmation word.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.retention.backups import (
    BackupChoice,
    BackupHolding,
    BackupOutcome,
    backups_holding,
    copies_aside,
    handle_backups,
)
from circlekeeper.core.retention.retention import (
    Mode,
    RetentionCandidate,
    RetentionPlan,
    RetentionResult,
    apply_retention,
    plan_retention,
)
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.geometry import default_size
from circlekeeper.ui.locale import date_text, datetime_text
from circlekeeper.ui.looking import screen_context
from circlekeeper.ui.style import heading, note


class RetentionDialog(QDialog):
    """The records the rule would remove, with counts; Apply after typing a confirmation word."""

    def __init__(self, database: Database, years: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.database = database
        # Who looks and acts (named in the audit lines; core refuses an SRO).
        self.context = screen_context(database)
        self.years = years
        self.today = date.today()
        self.outcome: RetentionResult | None = None
        self.backup_outcome: BackupOutcome | None = None
        self.setWindowTitle(self.tr("Old records"))
        self.setAccessibleName(self.windowTitle())
        default_size(self, 820, 640)
        self.plan: RetentionPlan = plan_retention(self.context, years, self.today)
        self.candidates: list[RetentionCandidate] = self.plan.cases
        self.holding: list[BackupHolding] = (
            []
            if database.path is None  # a server's backups are the district's pg_dump files
            else backups_holding(database.path, database.key, years, self.today)
        )
        self.table = QTableWidget(0, 6, self)
        self.table.setAccessibleName(self.tr("Records that would be removed"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Record"),
                self.tr("Day"),
                self.tr("Circles"),
                self.tr("Agreements"),
                self.tr("Notes"),
                self.tr("Follow-ups"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self._fill_table()
        self.summary = note(self._summary_text(), self)
        self.purge = QRadioButton(self.tr("&Delete them completely"), self)
        self.purge.setAccessibleName(self.tr("Delete them completely"))
        self.anonymise = QRadioButton(
            self.tr(
                "&Anonymise them (keep dates and outcomes for counting, remove names and words)"
            ),
            self,
        )
        self.anonymise.setAccessibleName(self.tr("Anonymise them"))
        self.anonymise.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.purge)
        group.addButton(self.anonymise)
        self.backups_box = self._backups_box()
        self.confirm = QLineEdit(self)
        self.confirm.setAccessibleName(self.tr("Type the word to confirm"))
        self.confirm_label = QLabel(self)
        self.confirm_label.setWordWrap(True)
        self.confirm_label.setBuddy(self.confirm)
        self.buttons = QDialogButtonBox(self)
        self.apply_button = self.buttons.addButton(
            self.tr("Apply"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setAccessibleName(self.tr("Apply"))
        close = self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAccessibleName(self.tr("Close"))
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        self.result_label = note("", self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle(), self))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.anonymise)
        layout.addWidget(self.purge)
        layout.addWidget(self.backups_box)
        layout.addWidget(self.confirm_label)
        layout.addWidget(self.confirm)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)
        for widget in (self.purge, self.anonymise):
            widget.toggled.connect(self._update)
        self.confirm.textChanged.connect(self._update)
        self._update()

    # -- what is shown ---------------------------------------------------------------------

    def _fill_table(self) -> None:
        rows: list[list[str]] = []
        for c in self.plan.cases:
            rows.append(
                [
                    self.tr("Case: {category}, referred {day}").format(
                        category=c.incident_category.replace("_", " "),
                        day=date_text(c.referred_on),
                    ),
                    date_text(c.closed_on),
                    str(c.circles),
                    str(c.agreements),
                    str(c.notes),
                    str(c.follow_ups),
                ]
            )
        for circle in self.plan.circles:
            rows.append(
                [
                    self.tr("Circle tied to no case: {kind}").format(
                        kind=circle.kind.replace("_", " ")
                    ),
                    date_text(circle.day),
                    "1",
                    str(circle.agreements),
                    str(circle.notes),
                    "",
                ]
            )
        for person in self.plan.people:
            label = (
                self.tr("A guardian who left")
                if person.kind == "guardian"
                else self.tr("A student who left")
            )
            rows.append([label, date_text(person.left_on), "", "", "", ""])
        self.table.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))

    def _summary_text(self) -> str:
        plan = self.plan
        if plan.empty:
            return self.tr("Nothing is older than {years} years. Nothing to do.").format(
                years=self.years
            )
        return self.tr(
            "Kept {years} years: due is anything closed, held or left on or before {day}. "
            "{cases} closed cases (with {circles} circles, {agreements} agreements and "
            "{notes} notes), {loose} circles tied to no case, and {people} students and "
            "guardians who left and whom no kept record names."
        ).format(
            years=self.years,
            day=date_text(plan.last_due_day),
            cases=len(plan.cases),
            circles=sum(c.circles for c in plan.cases),
            agreements=sum(c.agreements for c in plan.cases),
            notes=sum(c.notes for c in plan.cases),
            loose=len(plan.circles),
            people=len(plan.people),
        )

    def _backups_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Backups"), self)
        box.setAccessibleName(self.tr("Backups"))
        self.backups_label = note(self._backups_text(), box)
        self.keep_backups = QRadioButton(
            self.tr("&Keep them (they still hold those records until they rotate out)"), box
        )
        self.keep_backups.setAccessibleName(self.tr("Keep the backups"))
        self.prune_backups = QRadioButton(
            self.tr("De&lete them, then make one fresh backup of what is kept"), box
        )
        self.prune_backups.setAccessibleName(self.tr("Delete the backups"))
        self.rewrite_backups = QRadioButton(
            self.tr("Apply the same rule to &them (encrypted backups stay encrypted)"), box
        )
        self.rewrite_backups.setAccessibleName(self.tr("Apply the rule to the backups"))
        self.keep_backups.setChecked(True)
        group = QButtonGroup(box)
        layout = QVBoxLayout(box)
        layout.addWidget(self.backups_label)
        for button in (self.keep_backups, self.prune_backups, self.rewrite_backups):
            group.addButton(button)
            button.setEnabled(bool(self.holding))
            button.toggled.connect(self._update)
            layout.addWidget(button)
        return box

    def _backups_text(self) -> str:
        if not self.holding:
            text = self.tr("No backup holds records older than the rule.")
        else:
            dates = ", ".join(datetime_text(b.at) for b in self.holding)
            text = (
                self.tr("1 backup still holds records older than the rule (made {dates}).")
                if len(self.holding) == 1
                else self.tr(
                    "{count} backups still hold records older than the rule (made {dates})."
                )
            ).format(count=len(self.holding), dates=dates)
        aside = copies_aside(self.database.path) if self.database.path is not None else []
        if aside:
            text += " " + (
                self.tr("Beside the database is also a copy moved aside")
                if len(aside) == 1
                else self.tr("Beside the database are also {count} copies moved aside")
            ).format(count=len(aside))
            text += " " + self.tr(
                "by a restore or when it was found damaged ({names}); they may hold old "
                "records. circlekeeper never deletes them: delete them yourself once you no "
                "longer need them."
            ).format(names=", ".join(p.name for p in aside))
        return text

    def backup_choice(self) -> BackupChoice:
        if self.prune_backups.isChecked():
            return "prune"
        if self.rewrite_backups.isChecked():
            return "rewrite"
        return "keep"

    def word(self) -> str:
        return self.tr("delete") if self.purge.isChecked() else self.tr("anonymise")

    def _update(self) -> None:
        backups = (
            self.tr("Backups made before keep the old records.")
            if self.holding and self.backup_choice() == "keep"
            else ""
        )
        self.confirm_label.setText(
            self.tr("This cannot be undone. {backups} To go on, type the word {word} below.")
            .format(backups=backups, word=f"«{self.word()}»")
            .replace("  ", " ")
        )
        ready = not self.plan.empty or (self.holding and self.backup_choice() != "keep")
        typed = self.confirm.text().strip().lower() == self.word()
        self.apply_button.setEnabled(bool(ready) and typed)

    # -- acting ----------------------------------------------------------------------------

    def apply(self) -> None:
        if not self.apply_button.isEnabled():
            return
        mode: Mode = "purge" if self.purge.isChecked() else "anonymise"
        parent = self.parentWidget()
        host = parent.window() if parent is not None else None
        wait = getattr(getattr(host, "guard", None), "wait_for_backup", None)
        if callable(wait):
            wait()  # a backup being written holds the file open and would stop the wipe
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if not self.plan.empty:
                self.outcome = apply_retention(
                    self.context,
                    self.years,
                    self.today,
                    mode=mode,
                    case_ids=[c.case_id for c in self.plan.cases],
                    circle_ids=[c.circle_id for c in self.plan.circles],
                    person_ids=[p.person_id for p in self.plan.people],
                )
            # A server's backups are the district's pg_dump files, not circlekeeper's.
            if self.database.path is not None:
                self.backup_outcome = handle_backups(
                    self.database.path,
                    self.database.key,
                    self.holding,
                    self.backup_choice(),
                    self.years,
                    self.today,
                    mode=mode,
                    acting=self.context,
                )
        except (InvalidInput, DatabaseProblem) as problem:
            self.result_label.setText(
                self.tr("That did not finish: {problem}").format(problem=problem)
            )
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._after_apply(mode)

    def _after_apply(self, mode: Mode) -> None:
        self.result_label.setText(self._result_text(mode))
        self.plan = plan_retention(self.context, self.years, self.today)
        self.candidates = self.plan.cases
        self.holding = (
            []
            if self.database.path is None
            else backups_holding(self.database.path, self.database.key, self.years, self.today)
        )
        self._fill_table()
        self.summary.setText(self._summary_text())
        self.backups_label.setText(self._backups_text())
        for button in (self.keep_backups, self.prune_backups, self.rewrite_backups):
            button.setEnabled(bool(self.holding))
        self.keep_backups.setChecked(True)
        self.confirm.clear()
        self._update()

    def _result_text(self, mode: Mode) -> str:
        parts = []
        result = self.outcome
        if result is not None:
            parts.append(
                (
                    self.tr(
                        "{cases} cases and {circles} circles deleted, with {agreements} "
                        "agreements; {people} people who left removed."
                    )
                    if mode == "purge"
                    else self.tr(
                        "{cases} cases and {circles} circles anonymised, with {agreements} "
                        "agreements; {people} people who left removed."
                    )
                ).format(
                    cases=result.cases,
                    circles=result.circles,
                    agreements=result.agreements,
                    people=result.people,
                )
            )
            parts.append(self.tr("The database file was wiped: no removed word is left in it."))
        backups = self.backup_outcome
        if backups is not None and backups.pruned:
            parts.append(
                self.tr("{count} backups deleted; a fresh backup was made.").format(
                    count=len(backups.pruned)
                )
            )
        if backups is not None and backups.rewritten:
            parts.append(
                self.tr("The same rule was applied to {count} backups.").format(
                    count=len(backups.rewritten)
                )
            )
        if backups is not None and backups.failed:
            parts.append(
                self.tr("{count} backups could not be changed and still hold old records.").format(
                    count=len(backups.failed)
                )
            )
        elif backups is not None and backups.choice == "keep" and self.holding:
            parts.append(
                self.tr("{count} backups still hold the old records.").format(
                    count=len(self.holding)
                )
            )
        return " ".join(parts)
