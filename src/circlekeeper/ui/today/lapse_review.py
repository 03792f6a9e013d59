"""The review of follow-ups long past their date: choose which to close as lapsed, in one step."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.followups.lapsed import LAPSE_AFTER_DAYS, LapsedFollowUps, LapseResult
from circlekeeper.core.followups.rows import FollowUpRow
from circlekeeper.core.problems import NotPermitted
from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.common import (
    PROBLEMS,
    day_text,
    days_overdue_text,
    message_label,
    problem_text,
    show_message,
)
from circlekeeper.ui.operations import context_for
from circlekeeper.ui.people.labels import count_text

ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class LapseReviewDialog(QDialog):
    """Every follow-up more than LAPSE_AFTER_DAYS overdue, each chosen; closes the chosen ones.

    ``result`` holds what the close did once the dialog is accepted.
    """

    def __init__(self, database: Database, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.lapsed = LapsedFollowUps(context_for(database))
        self.result_value: LapseResult | None = None
        self.setWindowTitle(self.tr("Review long-overdue follow-ups"))
        self.resize(960, 600)

        rows = self.lapsed.for_review(today)
        total = self.lapsed.count(today) if rows else 0
        self.explain = QLabel(
            self.tr(
                "These follow-ups are more than {days} days past their date and nothing was "
                "recorded. Closing one as lapsed records it as missed, with a note that it "
                "lapsed, and takes it off Today. Nothing else is changed, and any of them can "
                "be reopened later from its case."
            ).format(days=LAPSE_AFTER_DAYS),
            self,
        )
        self.explain.setWordWrap(True)
        self.explain.setAccessibleName(self.tr("What closing as lapsed does"))
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Long-overdue follow-ups to review"))
        self.list.setWordWrap(True)
        for row in rows:
            item = QListWidgetItem(self._words(row), self.list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(ROW_ROLE, row)
            item.setToolTip(days_overdue_text(row.days_overdue))
        if self.list.count():
            self.list.setCurrentRow(0)
        self.chosen_label = QLabel(self)
        self.chosen_label.setAccessibleName(self.tr("How many are chosen"))
        self.more_label = QLabel(self)
        self.more_label.setWordWrap(True)
        self.more_label.setAccessibleName(self.tr("Follow-ups not listed"))
        more = total - len(rows)
        self.more_label.setVisible(more > 0)
        if more > 0:
            self.more_label.setText(
                count_text(
                    more,
                    self.tr("1 more is not listed here; it comes up in the next review."),
                    self.tr("{count} more are not listed here; they come up in the next review."),
                )
            )
        self.message = message_label(self, self.tr("Review result"))

        self.all_button = QPushButton(self.tr("Choose &all"), self)
        self.all_button.setAccessibleName(self.tr("Choose every follow-up in the list"))
        self.none_button = QPushButton(self.tr("Choose &none"), self)
        self.none_button.setAccessibleName(self.tr("Choose no follow-up in the list"))
        self.close_button = QPushButton(self)
        self.close_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setAccessibleName(self.tr("Close this review without changing anything"))

        choose = QHBoxLayout()
        choose.addWidget(self.all_button)
        choose.addWidget(self.none_button)
        choose.addWidget(self.chosen_label, 1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addWidget(self.list, 1)
        layout.addLayout(choose)
        layout.addWidget(self.more_label)
        layout.addWidget(self.message)
        layout.addLayout(actions)

        self.all_button.clicked.connect(lambda: self._choose_all(Qt.CheckState.Checked))
        self.none_button.clicked.connect(lambda: self._choose_all(Qt.CheckState.Unchecked))
        self.list.itemChanged.connect(lambda _item: self._update_chosen())
        self.cancel_button.clicked.connect(self.reject)
        self.close_button.clicked.connect(self.close_chosen)
        self._update_chosen()

    def _words(self, row: FollowUpRow) -> str:
        what = row.purpose or self.tr("Follow-up")
        who = row.responsible_name or self.tr("nobody named")
        return self.tr("Due {due} — {what} ({who})").format(
            due=day_text(row.due_on), what=what, who=who
        )

    def _choose_all(self, state: Qt.CheckState) -> None:
        for index in range(self.list.count()):
            self.list.item(index).setCheckState(state)

    def chosen_ids(self) -> list[int]:
        ids = []
        for index in range(self.list.count()):
            item = self.list.item(index)
            if item.checkState() == Qt.CheckState.Checked:
                ids.append(item.data(ROW_ROLE).id)
        return ids

    def _update_chosen(self) -> None:
        chosen = len(self.chosen_ids())
        total = count_text(self.list.count(), "{count}", "{count}")  # the locale's digits
        self.chosen_label.setText(
            count_text(
                chosen,
                self.tr("1 of {total} chosen").replace("{total}", total),
                self.tr("{count} of {total} chosen").replace("{total}", total),
            )
        )
        self.close_button.setText(
            count_text(
                chosen,
                self.tr("Close the chosen one as &lapsed"),
                self.tr("Close the {count} chosen as &lapsed"),
            )
        )
        self.close_button.setAccessibleName(self.tr("Close the chosen follow-ups as lapsed"))
        self.close_button.setEnabled(chosen > 0)

    def close_chosen(self) -> None:
        """Close the chosen follow-ups in one operation; say so plainly if it cannot."""
        try:
            self.result_value = self.lapsed.close_as_lapsed(self.chosen_ids(), today=self.today)
        except (*PROBLEMS, NotPermitted) as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return
        self.accept()
