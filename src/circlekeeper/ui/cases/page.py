"""One case on one page: the referral, its people, the screen, the pipeline and what follows."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.eligibility import EligibilityService
from circlekeeper.core.cases.handoffs import HandOffService
from circlekeeper.core.cases.rows import PIPELINE, CaseAction, CaseDetail
from circlekeeper.core.domain.enums import CaseStatus, FollowUpStatus
from circlekeeper.core.followups.commands import FollowUpService
from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.problems import EditConflict
from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.common import (
    PROBLEMS,
    Clock,
    agreement_status_label,
    circle_kind_label,
    circle_status_label,
    closure_label,
    contact_method_label,
    day_text,
    days_overdue_text,
    follow_up_status_label,
    inert_item_flags,
    local_now,
    message_label,
    problem_text,
    role_label,
    show_message,
    source_label,
    status_label,
    time_text,
)
from circlekeeper.ui.cases.handoffs import HandOffSection
from circlekeeper.ui.cases.page_actions import PARTY_ROLE, CasePageActions
from circlekeeper.ui.cases.sections import DiversionSection, EligibilitySection
from circlekeeper.ui.lists import keep_place
from circlekeeper.ui.locale import datetime_text
from circlekeeper.ui.operations import Changes, context_for, listen
from circlekeeper.ui.style import heading

# What the page reads out: the case, its people, circles, agreements and follow-ups.
SHOWN_KINDS = ("case", "person", "follow_up", "agreement", "circle")


def _table(
    parent: QWidget, name: str, titles: list[str], stretch: int | None = None
) -> QTableWidget:
    table = QTableWidget(0, len(titles), parent)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(titles)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setAccessibleName(table.tr("{name}: columns").format(name=name))
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], empty: str) -> None:
    table.clearContents()
    if not rows:
        table.setRowCount(1)
        item = QTableWidgetItem(empty)
        item.setFlags(inert_item_flags())
        table.setItem(0, 0, item)
        table.setSpan(0, 0, 1, table.columnCount())
    else:
        table.clearSpans()
        table.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
    lines = max(1, min(len(rows), 6))
    height = table.horizontalHeader().sizeHint().height()
    table.resizeRowsToContents()
    height += sum(table.rowHeight(r) for r in range(min(table.rowCount(), lines)))
    table.setFixedHeight(height + 2 * table.frameWidth() + 2)


class CasePage(CasePageActions, QScrollArea):
    """Everything about one case; ``changed`` after anything is saved, ``back`` to the list."""

    changed = Signal()
    back = Signal()
    open_record = Signal(str, int, object)  # kind, id, parent id

    def __init__(
        self, database: Database, parent: QWidget | None = None, *, clock: Clock | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.clock = clock or local_now
        self.cases = CaseService(context_for(database))
        self.follow_ups = FollowUpService(context_for(database))
        self.people = PeopleService(context_for(database))
        self.detail: CaseDetail | None = None
        self.setWidgetResizable(True)
        # The page scrolls down, never sideways: everything fits the width it is given.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(self.tr("Case page"))
        body = QWidget(self)
        self.setWidget(body)

        self.back_button = QPushButton(self.tr("← &All cases"), body)
        self.back_button.setAccessibleName(self.tr("Back to the list of cases"))
        self.title = heading("", body)
        self.summary = QLabel(body)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAccessibleName(self.tr("Referral"))

        # The pipeline: where the case is, and the one step forward or back.
        self.pipeline = QLabel(body)
        self.pipeline.setAccessibleName(self.tr("Pipeline"))
        self.pipeline.setTextFormat(Qt.TextFormat.RichText)
        self.previous_button = QPushButton(body)
        self.next_button = QPushButton(body)
        self.close_button = QPushButton(self.tr("Close &case…"), body)
        self.close_button.setAccessibleName(self.tr("Close the case with a reason"))
        self.changes_button = QPushButton(self.tr("Chan&ges…"), body)
        self.changes_button.setAccessibleName(self.tr("Every saved change to this case"))
        self.message = message_label(body, self.tr("Last change"))

        self.parties = QListWidget(body)
        self.parties.setAccessibleName(self.tr("People involved"))
        self.add_party_button = QPushButton(self.tr("Add &person…"), body)
        self.add_party_button.setAccessibleName(self.tr("Add a person to the case"))
        self.remove_party_button = QPushButton(self.tr("Remo&ve"), body)
        self.remove_party_button.setAccessibleName(self.tr("Remove the selected person"))
        self.history_button = QPushButton(self.tr("Student &history…"), body)
        self.history_button.setAccessibleName(self.tr("Show the selected person's history"))

        self.eligibility = EligibilitySection(EligibilityService(context_for(database)), body)
        self.diversion = DiversionSection(self.cases, body)
        self.hand_offs = HandOffSection(HandOffService(context_for(database)), self.clock, body)

        self.contacts = _table(
            body,
            self.tr("Family contact log"),
            [self.tr("When"), self.tr("Who"), self.tr("How"), self.tr("Outcome")],
        )
        self.contact_button = QPushButton(self.tr("&Log a contact…"), body)
        self.contact_button.setAccessibleName(self.tr("Log a family contact"))

        self.circles = _table(
            body, self.tr("Circles of this case"), [self.tr("When"), self.tr("Circle"),
                                                    self.tr("Status")]
        )  # fmt: skip
        self.agreements = _table(
            body,
            self.tr("Agreements of this case"),
            [self.tr("Version"), self.tr("Agreed"), self.tr("Items done"), self.tr("Status")],
        )
        self.letter_button = QPushButton(self.tr("Famil&y letter…"), body)
        self.letter_button.setAccessibleName(self.tr("Save the letter to the family as PDF"))
        self.follow_up_table = _table(
            body,
            self.tr("Follow-ups of this case"),
            [self.tr("Due"), self.tr("What"), self.tr("Who"), self.tr("Status")],
        )
        self.add_follow_up_button = QPushButton(self.tr("Add &follow-up…"), body)
        self.add_follow_up_button.setAccessibleName(self.tr("Add a follow-up"))
        self.reopen_follow_up_button = QPushButton(self.tr("Reopen follo&w-up"), body)
        self.reopen_follow_up_button.setAccessibleName(
            self.tr("Reopen the selected follow-up (done, missed, lapsed or cancelled)")
        )
        self.schedule_button = QPushButton(self.tr("Schedule check-ins after the conference"), body)
        self.schedule_button.setAccessibleName(
            self.tr("Schedule the default check-ins after the conference")
        )

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        steps = QHBoxLayout()
        steps.addWidget(self.previous_button)
        steps.addWidget(self.next_button)
        steps.addStretch(1)
        steps.addWidget(self.close_button)
        steps.addWidget(self.changes_button)
        pipeline_box = QGroupBox(self.tr("Pipeline"), body)
        pipeline_layout = QVBoxLayout(pipeline_box)
        pipeline_layout.addWidget(self.pipeline)
        pipeline_layout.addLayout(steps)
        pipeline_layout.addWidget(self.message)

        people_box = QGroupBox(self.tr("People involved"), body)
        people_layout = QHBoxLayout(people_box)
        people_layout.addWidget(self.parties, 1)
        people_buttons = QVBoxLayout()
        for button in (self.add_party_button, self.remove_party_button, self.history_button):
            people_buttons.addWidget(button)
        people_buttons.addStretch(1)
        people_layout.addLayout(people_buttons)

        def box(title: str, table: QWidget, *buttons: QPushButton) -> QGroupBox:
            group = QGroupBox(title, body)
            group_layout = QVBoxLayout(group)
            group_layout.addWidget(table)
            if buttons:
                row = QHBoxLayout()
                for button in buttons:
                    row.addWidget(button)
                row.addStretch(1)
                group_layout.addLayout(row)
            return group

        # One under the other: side by side they need more width than a laptop gives the page.
        screen_row = QVBoxLayout()
        screen_row.addWidget(self.eligibility)
        screen_row.addWidget(self.diversion)

        layout = QVBoxLayout(body)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(pipeline_box)
        layout.addWidget(people_box)
        layout.addLayout(screen_row)
        layout.addWidget(self.hand_offs)
        layout.addWidget(
            box(
                self.tr("Follow-ups"),
                self.follow_up_table,
                self.add_follow_up_button,
                self.reopen_follow_up_button,
                self.schedule_button,
            )
        )
        layout.addWidget(box(self.tr("Family contact log"), self.contacts, self.contact_button))
        layout.addWidget(box(self.tr("Circles"), self.circles))
        layout.addWidget(box(self.tr("Agreements"), self.agreements, self.letter_button))
        layout.addStretch(1)

        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.move_forward)
        self.previous_button.clicked.connect(self.move_back)
        self.close_button.clicked.connect(self.close_case)
        self.changes_button.clicked.connect(self.show_changes)
        self.add_party_button.clicked.connect(self.add_party)
        self.remove_party_button.clicked.connect(self.remove_party)
        self.history_button.clicked.connect(self.show_history)
        # Opening a person in the case shows their page (their story), as it does everywhere.
        self.parties.itemActivated.connect(lambda _item: self.open_party())
        self.parties.currentRowChanged.connect(lambda _row: self._update_party_buttons())
        self.contact_button.clicked.connect(self.add_contact)
        self.letter_button.clicked.connect(self.family_letter)
        self.add_follow_up_button.clicked.connect(self.add_follow_up)
        self.reopen_follow_up_button.clicked.connect(self.reopen_follow_up)
        self.follow_up_table.itemSelectionChanged.connect(self._update_reopen)
        self.schedule_button.clicked.connect(self.schedule_default_follow_ups)
        self.circles.cellActivated.connect(self._open_circle)
        self.agreements.cellActivated.connect(self._open_agreement)
        for section in (self.eligibility, self.diversion, self.hand_offs):
            section.saved.connect(self._section_saved)
        listen(self, database, SHOWN_KINDS, self.on_changes)

    # -- loading ---------------------------------------------------------------------------

    def on_changes(self, changes: Changes) -> None:
        """Something this page shows changed (in any window): show it, keeping the place.

        The forms on the page (eligibility, diversion, hand-offs) keep what is being typed;
        only what the page reads out is refreshed.
        """
        shown = self.detail
        if shown is None:
            return
        if not (
            changes.touched("case", shown.id)
            or any(changes.touched("person", party.person_id) for party in shown.parties)
            or changes.touches("follow_up", "agreement", "circle")
        ):
            return

        def refresh() -> None:
            try:
                detail = self.cases.detail(shown.id)
            except PROBLEMS:
                return  # the case is gone or unreadable; what is on screen stays
            self.detail = detail
            self._show_summary(detail)
            self._show_pipeline(detail)
            self._show_parties(detail)
            self._show_lists(detail)

        keep_place(self, refresh)

    def show_changes(self) -> QWidget | None:
        """The audit trail of this case: who changed what, and when."""
        from circlekeeper.ui.security.history import HistoryDialog

        if self.detail is None:
            return None
        title = self.title.text()
        self.changes_dialog = HistoryDialog(self.database.sessions, self.detail.uuid, title, self)
        self.changes_dialog.open()
        return self.changes_dialog

    def load(self, case_id: int) -> bool:
        try:
            detail = self.cases.detail(case_id)
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return False
        if self.detail is None or self.detail.id != case_id:
            show_message(self.message, "")
        self.detail = detail
        self.title.setText(
            self.tr("Case {number}: {category}").format(
                number=detail.id, category=detail.incident_category
            )
        )
        self.title.setAccessibleName(self.title.text())
        self._show_summary(detail)
        self._show_pipeline(detail)
        self._show_parties(detail)
        self.eligibility.load(detail)
        self.diversion.load(detail)
        self.hand_offs.load(detail)
        self._show_lists(detail)
        return True

    def reload(self) -> None:
        if self.detail is not None:
            self.load(self.detail.id)

    def _show_summary(self, d: CaseDetail) -> None:
        source = source_label(d.referral_source)
        if d.referred_by_name:
            source = self.tr("{source} ({name})").format(source=source, name=d.referred_by_name)
        lines = [
            self.tr("Referred on {day} by {source}.").format(
                day=day_text(d.referred_on), source=source
            )
        ]
        where = []
        if d.incident_on:
            where.append(self.tr("on {day}").format(day=day_text(d.incident_on)))
        if d.location:
            where.append(self.tr("at {place}").format(place=d.location))
        if where:
            lines.append(self.tr("Incident {when}.").format(when=" ".join(where)))
        if d.description:
            lines.append(d.description)
        self.summary.setText("\n".join(lines))
        self.summary.setAccessibleDescription(self.summary.text())

    def _show_pipeline(self, d: CaseDetail) -> None:
        parts = []
        for step in PIPELINE:
            label = status_label(step.value)
            if step.value == d.status:
                # The current step is marked by shape and weight, not by colour alone.
                parts.append(f"<b>[ {label} ]</b>")
            else:
                parts.append(label)
        text = " → ".join(parts)
        if d.status == CaseStatus.CLOSED and d.closure_reason:
            text += "<br>" + self.tr("Closed on {day}: {reason}.").format(
                day=day_text(d.closed_on), reason=closure_label(d.closure_reason)
            )
        self.pipeline.setText(text)
        self.pipeline.setAccessibleDescription(
            self.tr("Now: {status}").format(status=status_label(d.status))
        )
        if d.next_status:
            label = status_label(d.next_status)
            self.next_button.setText(self.tr("Move to {step} →").format(step=label))
            self.next_button.setAccessibleName(self.tr("Move to {step}").format(step=label))
        else:
            self.next_button.setText(self.tr("No next step"))
            self.next_button.setAccessibleName(self.tr("No next step"))
        self.next_button.setEnabled(d.next_status is not None)
        if d.previous_status:
            label = status_label(d.previous_status)
            self.previous_button.setText(self.tr("← Back to {step}…").format(step=label))
            self.previous_button.setAccessibleName(
                self.tr("Go back to {step}, with a reason").format(step=label)
            )
        else:
            self.previous_button.setText(self.tr("First step"))
            self.previous_button.setAccessibleName(self.tr("No step before this one"))
        self.previous_button.setEnabled(d.previous_status is not None)
        closed = d.status == CaseStatus.CLOSED
        self.previous_button.setText(
            self.tr("← Reopen…") if closed else self.previous_button.text()
        )
        # Only what the core says this person may do (the MOU keeps an SRO out of discipline).
        allowed = d.allowed_actions
        self.next_button.setVisible(CaseAction.MOVE in allowed)
        self.previous_button.setVisible(
            CaseAction.REOPEN in allowed if closed else CaseAction.MOVE in allowed
        )
        self.close_button.setVisible(CaseAction.CLOSE in allowed)
        self.close_button.setEnabled(not closed)

    def _show_parties(self, d: CaseDetail) -> None:
        self.parties.clear()
        for party in d.parties:
            item = QListWidgetItem(f"{party.name} — {role_label(party.role)}", self.parties)
            item.setData(PARTY_ROLE, party)
        if not d.parties:
            item = QListWidgetItem(self.tr("Nobody added yet."), self.parties)
            item.setFlags(inert_item_flags())
        else:
            self.parties.setCurrentRow(0)
        rows = max(3, min(self.parties.count(), 7))
        self.parties.setFixedHeight(rows * (self.fontMetrics().height() + 8) + 8)
        self._update_party_buttons()

    def _update_party_buttons(self) -> None:
        selected = self.selected_party() is not None
        self.remove_party_button.setEnabled(selected)
        self.history_button.setEnabled(selected)

    def _show_lists(self, d: CaseDetail) -> None:
        _fill(
            self.contacts,
            [
                [
                    datetime_text(c.contacted_at.astimezone(self.clock().tzinfo)),
                    c.person_name or self.tr("(not listed)"),
                    contact_method_label(c.method),
                    c.outcome + (f" — {c.staff_name}" if c.staff_name else ""),
                ]
                for c in d.contacts
            ],
            self.tr("No contact with the family logged yet."),
        )
        zone = self.clock().tzinfo
        _fill(
            self.circles,
            [
                [
                    (
                        day_text(c.scheduled_at.astimezone(zone).date())
                        + " "
                        + time_text(c.scheduled_at.astimezone(zone))
                    )
                    if c.scheduled_at
                    else self.tr("Not scheduled"),
                    c.title or circle_kind_label(c.kind),
                    circle_status_label(c.status),
                ]
                for c in d.circles
            ],
            self.tr("No circles yet. Plan pre-meetings and the conference in Circles."),
        )
        _fill(
            self.agreements,
            [
                [
                    str(a.version),
                    day_text(a.agreed_on),
                    self.tr("{done} of {items}").format(done=a.items_done, items=a.items),
                    agreement_status_label(a.status),
                ]
                for a in d.agreements
            ],
            self.tr("No agreement yet."),
        )
        # A letter home comes from the counseling office (the core's rule for who may write one).
        self.letter_button.setVisible(self.cases.ctx.viewer().can_write_family_letter)
        self.letter_button.setEnabled(bool(d.agreements))
        today = self.clock().date()
        rows = []
        for f in d.follow_ups:
            status = follow_up_status_label(f.status)
            if f.status == FollowUpStatus.OPEN and f.due_on < today:
                status = "⚠ " + days_overdue_text((today - f.due_on).days)
            elif f.outcome:
                status += f": {f.outcome}"
            rows.append(
                [
                    day_text(f.due_on),
                    f.purpose or self.tr("Follow-up"),
                    f.responsible_name or "",
                    status,
                ]
            )
        _fill(self.follow_up_table, rows, self.tr("No follow-ups yet."))
        self._update_reopen()
        self.schedule_button.setEnabled(self._conference_id() is not None)
        self.schedule_button.setToolTip(
            self.tr("One and four weeks after the conference")
            if self._conference_id() is not None
            else self.tr("Plan the conference first; the check-ins are counted from it.")
        )

    # -- pipeline --------------------------------------------------------------------------

    def _open_circle(self, row: int, _column: int) -> None:
        if self.detail is not None and 0 <= row < len(self.detail.circles):
            self.open_record.emit("circle", self.detail.circles[row].id, self.detail.id)

    def _open_agreement(self, row: int, _column: int) -> None:
        if self.detail is not None and 0 <= row < len(self.detail.agreements):
            self.open_record.emit("agreement", self.detail.agreements[row].id, self.detail.id)

    # -- helpers ---------------------------------------------------------------------------

    def _section_saved(self) -> None:
        self.reload()
        self.changed.emit()

    def _run(self, action: object) -> bool:
        try:
            action()  # type: ignore[operator]
        except EditConflict as conflict:
            # Someone else changed the case since it was shown: show it as it is now, with
            # what they changed (the buttons hold nothing typed, so nothing is lost).
            self.reload()
            show_message(self.message, str(conflict), problem=True)
            return False
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return False
        return True

    def _after(self, text: str) -> None:
        self.reload()
        show_message(self.message, text)
        self.changed.emit()
