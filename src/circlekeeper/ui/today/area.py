"""Today, the home screen: circles today, follow-ups due and overdue, agreements at risk, and
one clear action to start the next circle."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.domain.enums import CircleStatus, FollowUpStatus
from circlekeeper.core.followups.commands import FollowUpService
from circlekeeper.core.followups.lapsed import LAPSE_AFTER_DAYS
from circlekeeper.core.followups.rows import FollowUpRow
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.core.today.today import TodayCircle, TodayView, today_view
from circlekeeper.ui.cases.common import (
    PROBLEMS,
    Clock,
    circle_kind_label,
    day_text,
    days_overdue_text,
    inert_item_flags,
    local_now,
    long_day_text,
    message_label,
    problem_text,
    show_message,
    time_text,
)
from circlekeeper.ui.lists import keep_place
from circlekeeper.ui.looking import screen_context
from circlekeeper.ui.operations import Changes, context_for, listen
from circlekeeper.ui.people.labels import count_text
from circlekeeper.ui.style import heading

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
# What Today shows: circles, follow-ups (and who is responsible), agreements at risk.
SHOWN_KINDS = ("circle", "follow_up", "agreement", "case", "person")


def _placeholder(widget: QListWidget, text: str) -> None:
    item = QListWidgetItem(text, widget)
    item.setFlags(inert_item_flags())


class TodayArea(QWidget):
    """What a counselor needs at a glance today; ``open_record`` asks to show a record."""

    open_record = Signal(str, int, object)  # kind, id, parent id

    def __init__(
        self, database: Database, parent: QWidget | None = None, clock: Clock | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.clock = clock or local_now
        self.follow_ups = FollowUpService(context_for(database))
        self.view: TodayView | None = None
        self._current = False  # the shown view is fresh: built since the area was last hidden
        self.live_window: QWidget | None = None
        self.review_dialog: QWidget | None = None

        self.title = heading(self.tr("Today"), self)
        self.day = QLabel(self)
        self.day.setAccessibleName(self.tr("Date"))

        self.start_button = QPushButton(self)
        self.start_button.setDefault(True)
        font = QFont(self.start_button.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.start_button.setFont(font)
        self.start_button.setMinimumHeight(self.fontMetrics().height() * 2 + 12)
        self.resume_label = QLabel(self)
        self.resume_label.setWordWrap(True)
        self.resume_label.setAccessibleName(self.tr("Interrupted circle"))
        self.resume_button = QPushButton(self.tr("&Resume"), self)
        self.resume_button.setAccessibleName(self.tr("Resume the interrupted circle"))
        self.resume_box = QGroupBox(self.tr("A circle was interrupted"), self)
        resume_layout = QHBoxLayout(self.resume_box)
        resume_layout.addWidget(self.resume_label, 1)
        resume_layout.addWidget(self.resume_button)

        self.circles = QListWidget(self)
        self.circles.setAccessibleName(self.tr("Circles today"))
        self.circles.setWordWrap(True)
        self.due = QListWidget(self)
        self.due.setAccessibleName(self.tr("Follow-ups due and overdue"))
        self.due.setWordWrap(True)
        self.at_risk = QListWidget(self)
        self.at_risk.setAccessibleName(self.tr("Agreements at risk"))
        self.at_risk.setWordWrap(True)
        self.at_risk.setSpacing(4)
        self.at_risk.setAlternatingRowColors(True)
        self.due.setSpacing(2)

        self.outcome = QLineEdit(self)
        self.outcome.setAccessibleName(self.tr("What came of the follow-up"))
        self.outcome.setPlaceholderText(self.tr("What came of it (needed when missed)"))
        self.done_button = QPushButton(self.tr("&Done"), self)
        self.done_button.setAccessibleName(self.tr("Mark the selected follow-up done"))
        self.missed_button = QPushButton(self.tr("&Missed"), self)
        self.missed_button.setAccessibleName(self.tr("Mark the selected follow-up missed"))
        self.message = message_label(self, self.tr("Last change"))
        # Follow-ups long past their date: one line with a count, and their review.
        self.long_overdue_label = QLabel(self)
        self.long_overdue_label.setWordWrap(True)
        self.long_overdue_label.setAccessibleName(self.tr("Long-overdue follow-ups"))
        self.review_button = QPushButton(self.tr("Re&view…"), self)
        self.review_button.setAccessibleName(
            self.tr("Review the long-overdue follow-ups and close the chosen ones as lapsed")
        )
        self.long_overdue_row = QWidget(self)
        long_layout = QHBoxLayout(self.long_overdue_row)
        long_layout.setContentsMargins(0, 0, 0, 0)
        long_layout.addWidget(self.long_overdue_label, 1)
        long_layout.addWidget(self.review_button)

        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addSpacing(12)
        header.addWidget(self.day, 1, Qt.AlignmentFlag.AlignBottom)

        def section(title: str, *parts: object) -> QGroupBox:
            group = QGroupBox(title, self)
            group_layout = QVBoxLayout(group)
            for part in parts:
                if isinstance(part, QWidget):
                    group_layout.addWidget(part)
                else:
                    group_layout.addLayout(part)  # type: ignore[arg-type]
            return group

        outcome_row = QHBoxLayout()
        outcome_row.addWidget(self.outcome, 1)
        outcome_row.addWidget(self.done_button)
        outcome_row.addWidget(self.missed_button)
        self.circles_box = section(self.tr("Circles today"), self.circles)
        self.due_box = section(
            self.tr("Follow-ups due"), self.due, outcome_row, self.long_overdue_row, self.message
        )
        self.at_risk_box = section(self.tr("Agreements at risk"), self.at_risk)
        left = QVBoxLayout()
        left.addWidget(self.circles_box, 2)
        left.addWidget(self.at_risk_box, 3)
        columns = QHBoxLayout()
        columns.setSpacing(12)
        columns.addLayout(left, 1)
        columns.addWidget(self.due_box, 1)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self.start_button)
        layout.addWidget(self.resume_box)
        layout.addLayout(columns, 1)

        for first, second in (
            (self.start_button, self.resume_button),
            (self.resume_button, self.circles),
            (self.circles, self.at_risk),
            (self.at_risk, self.due),
            (self.due, self.outcome),
            (self.outcome, self.done_button),
            (self.done_button, self.missed_button),
            (self.missed_button, self.review_button),
        ):
            QWidget.setTabOrder(first, second)

        self.start_button.clicked.connect(self.start_next)
        self.resume_button.clicked.connect(self.resume)
        self.review_button.clicked.connect(self.review_long_overdue)
        self.done_button.clicked.connect(lambda: self.record_outcome(FollowUpStatus.DONE.value))
        self.missed_button.clicked.connect(lambda: self.record_outcome(FollowUpStatus.MISSED.value))
        self.due.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.due.itemActivated.connect(self._open_follow_up)
        self.circles.itemActivated.connect(self._open_circle)
        self.at_risk.itemActivated.connect(self._open_agreement)
        listen(self, database, SHOWN_KINDS, self.on_changes)
        self.refresh()

    # -- loading ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Built when made; shown right after, it is still fresh: read again only on a return.
        if not self._current:
            self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if not event.spontaneous():  # another area took its place (not a minimised window)
            self._current = False

    def on_changes(self, _changes: Changes) -> None:
        """Something Today shows changed (in any window): read again, keeping the place."""
        keep_place(self.due, self.refresh, self._selected_follow_up_id, self._select_follow_up)

    def _selected_follow_up_id(self) -> int | None:
        row = self.selected_follow_up()
        return row.id if row is not None else None

    def _select_follow_up(self, follow_up_id: int) -> None:
        for index in range(self.due.count()):
            row = self.due.item(index).data(RECORD_ROLE)
            if isinstance(row, FollowUpRow) and row.id == follow_up_id:
                self.due.setCurrentRow(index)
                return

    def refresh(self) -> None:
        """Read today's items again (on show, after an outcome, and when records change)."""
        now = self.clock()
        today = now.date()
        self.day.setText(long_day_text(today))
        try:
            view = today_view(screen_context(self.database), today, now)
        except (*PROBLEMS, DatabaseProblem) as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return
        self._current = True
        self.view = view
        self._show_start(view)
        self._show_circles(view)
        self._show_follow_ups(view)
        self._show_at_risk(view)
        self._update_buttons()

    def _circle_words(self, circle: TodayCircle, *, with_day: bool = False) -> str:
        title = circle.title or circle_kind_label(circle.kind)
        when = time_text(circle.scheduled_at)
        if with_day and self.view is not None and circle.scheduled_at.date() != self.view.today:
            when = self.tr("{day} at {time}").format(
                day=day_text(circle.scheduled_at.date()), time=when
            )
        text = f"{when}  {title}"
        if circle.location:
            text += f" — {circle.location}"
        return text

    def _show_start(self, view: TodayView) -> None:
        circle = view.next_circle
        if circle is None:
            self.start_button.setText(self.tr("No circle is planned from today on"))
            self.start_button.setAccessibleName(self.tr("No circle to start"))
            self.start_button.setEnabled(False)
        else:
            words = self._circle_words(circle, with_day=True)
            self.start_button.setText(
                self.tr("▶  Start the next circle: {circle}").format(circle=words)
            )
            self.start_button.setAccessibleName(
                self.tr("Start the next circle: {circle}").format(circle=words)
            )
            self.start_button.setEnabled(True)
        running = view.in_progress
        self.resume_box.setVisible(running is not None)
        if running is not None:
            title = running.title or circle_kind_label(running.kind)
            self.resume_label.setText(
                self.tr("“{title}” was left running. Resume it where it stopped; every note "
                        "is kept.").format(title=title)
            )  # fmt: skip

    def _show_circles(self, view: TodayView) -> None:
        self.circles.clear()
        for circle in view.circles:
            text = self._circle_words(circle)
            if circle.status == CircleStatus.COMPLETED:
                text += " " + self.tr("(done)")
            elif circle.status == CircleStatus.IN_PROGRESS:
                text += " " + self.tr("(running now)")
            item = QListWidgetItem(text, self.circles)
            item.setData(RECORD_ROLE, circle)
        if not view.circles:
            _placeholder(self.circles, self.tr("No circles scheduled today."))

    def _show_follow_ups(self, view: TodayView) -> None:
        self.due.clear()
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for row in view.overdue:
            # Overdue stands out by words and an icon, not by colour alone.
            text = f"{days_overdue_text(row.days_overdue)} — {self._follow_up_words(row)}"
            item = QListWidgetItem(warning, text, self.due)
            item.setData(RECORD_ROLE, row)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        for row in view.due_today:
            item = QListWidgetItem(
                self.tr("Due today — {what}").format(what=self._follow_up_words(row)), self.due
            )
            item.setData(RECORD_ROLE, row)
        if view.more_overdue:
            _placeholder(
                self.due,
                count_text(
                    view.more_overdue,
                    self.tr("…and 1 more overdue; its case's page lists it."),
                    self.tr("…and {count} more overdue; each case's page lists its own."),
                ),
            )
        if not view.overdue and not view.due_today:
            _placeholder(self.due, self.tr("Nothing due today. Well done."))
        title = self.tr("Follow-ups due")
        if view.overdue:
            title = count_text(
                len(view.overdue) + view.more_overdue,
                self.tr("Follow-ups due (1 overdue)"),
                self.tr("Follow-ups due ({count} overdue)"),
            )
        self.due_box.setTitle(title)
        self.long_overdue_row.setVisible(view.long_overdue > 0)
        self.long_overdue_label.setText(
            count_text(
                view.long_overdue,
                self.tr("⚠ 1 follow-up overdue for more than {days} days: review it"),
                self.tr("⚠ {count} follow-ups overdue for more than {days} days: review them"),
            ).replace("{days}", str(LAPSE_AFTER_DAYS))
        )

    def _follow_up_words(self, row: FollowUpRow) -> str:
        what = row.purpose or self.tr("Follow-up")
        who = row.responsible_name or self.tr("nobody named")
        return self.tr("{what} ({who})").format(what=what, who=who)

    def _show_at_risk(self, view: TodayView) -> None:
        self.at_risk.clear()
        for agreement in view.at_risk:
            summary = agreement.harm_summary or self.tr("Repair agreement {n}").format(
                n=agreement.id
            )
            text = summary + "\n" + "\n".join(f"⚠ {reason}" for reason in agreement.reasons)
            item = QListWidgetItem(text, self.at_risk)
            item.setData(RECORD_ROLE, agreement)
        if view.more_at_risk_capped:
            # The count stops at its cap (core/today/at_risk.py): say so, never a number of
            # agreements that was not counted.
            more = self.tr(
                "…and more: more than {count} agreements are slipping; "
                "the Agreements area lists them all."
            )
            _placeholder(
                self.at_risk, count_text(len(view.at_risk) + view.more_at_risk, more, more)
            )
        elif view.more_at_risk:
            _placeholder(
                self.at_risk,
                count_text(
                    view.more_at_risk,
                    self.tr("…and 1 more; the Agreements area lists them all."),
                    self.tr("…and {count} more; the Agreements area lists them all."),
                ),
            )
        if not view.at_risk:
            _placeholder(self.at_risk, self.tr("No agreement is slipping."))

    # -- follow-up outcomes ----------------------------------------------------------------

    def selected_follow_up(self) -> FollowUpRow | None:
        item = self.due.currentItem()
        row = item.data(RECORD_ROLE) if item is not None else None
        return row if isinstance(row, FollowUpRow) else None

    def _update_buttons(self) -> None:
        selected = self.selected_follow_up() is not None
        for widget in (self.done_button, self.missed_button, self.outcome):
            widget.setEnabled(selected)

    def record_outcome(self, status: str) -> None:
        row = self.selected_follow_up()
        if row is None:
            return
        try:
            self.follow_ups.record_outcome(
                row.id,
                status,
                self.outcome.text(),
                on=self.clock().date(),
                loaded_version=row.row_version,
            )
        except (*PROBLEMS, DatabaseProblem) as problem:
            show_message(self.message, problem_text(problem), problem=True)
            self.outcome.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.outcome.clear()
        position = self.due.currentRow()
        self.refresh()
        words = self.tr("done") if status == FollowUpStatus.DONE else self.tr("missed")
        show_message(
            self.message,
            self.tr("Recorded “{what}” as {status}.").format(
                what=row.purpose or self.tr("Follow-up"), status=words
            ),
        )
        if self.due.count():
            self.due.setCurrentRow(min(position, self.due.count() - 1))
        self.due.setFocus(Qt.FocusReason.OtherFocusReason)

    def review_long_overdue(self) -> None:
        """Open the review of follow-ups long past their date; say what it closed."""
        from circlekeeper.ui.today.lapse_review import LapseReviewDialog

        dialog = LapseReviewDialog(self.database, self.clock().date(), self)
        self.review_dialog = dialog  # reachable while open (tests, a second click)
        if dialog.exec() != LapseReviewDialog.DialogCode.Accepted or dialog.result_value is None:
            return
        result = dialog.result_value
        text = count_text(
            result.closed,
            self.tr("Closed 1 follow-up as lapsed."),
            self.tr("Closed {count} follow-ups as lapsed."),
        )
        if result.skipped:
            text += " " + count_text(
                result.skipped,
                self.tr("1 had changed meanwhile and was left as it is."),
                self.tr("{count} had changed meanwhile and were left as they are."),
            )
        text += " " + self.tr("To bring one back, reopen it from its case's page.")
        self.refresh()
        show_message(self.message, text)

    # -- circles ---------------------------------------------------------------------------

    def start_next(self) -> None:
        if self.view is not None and self.view.next_circle is not None:
            self._open_live(self.view.next_circle.id, start=True)

    def resume(self) -> None:
        if self.view is not None and self.view.in_progress is not None:
            self._open_live(self.view.in_progress.id, start=False)

    def _open_live(self, circle_id: int, *, start: bool) -> None:
        window: QWidget | None = None
        try:
            if start:
                from circlekeeper.ui.circles.start import start_circle

                window = start_circle(self, self.database, circle_id)
            else:
                from circlekeeper.ui.live.facilitator import FacilitatorWindow

                window = FacilitatorWindow(self.database, circle_id)
                window.show()
        except ImportError:
            show_message(
                self.message,
                self.tr("This copy of circlekeeper cannot run circles yet."),
                problem=True,
            )
            return
        except (*PROBLEMS, DatabaseProblem) as problem:
            # A card that went stale (the circle ended in another window): say so, then show
            # what is true now.
            show_message(self.message, problem_text(problem), problem=True)
            self.refresh()
            return
        if window is not None:
            self.live_window = window
            window.activateWindow()

    # -- opening records -------------------------------------------------------------------

    def _open_circle(self, item: QListWidgetItem) -> None:
        circle = item.data(RECORD_ROLE)
        if isinstance(circle, TodayCircle):
            self.open_record.emit("circle", circle.id, circle.case_id)

    def _open_follow_up(self, item: QListWidgetItem) -> None:
        row = item.data(RECORD_ROLE)
        if isinstance(row, FollowUpRow) and row.case_id is not None:
            self.open_record.emit("case", row.case_id, None)

    def _open_agreement(self, item: QListWidgetItem) -> None:
        agreement = item.data(RECORD_ROLE)
        if agreement is not None and hasattr(agreement, "reasons"):
            self.open_record.emit("agreement", agreement.id, agreement.case_id)
