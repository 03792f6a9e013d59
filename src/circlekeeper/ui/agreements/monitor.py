"""Watching a signed agreement be kept: tick items off, close it, renegotiate, read its history."""

from __future__ import annotations

import json
import logging
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.agreements.commands import AgreementService
from circlekeeper.core.agreements.rows import (
    AgreementDetails,
    AgreementSummary,
    HistoryEvent,
    ItemRow,
)
from circlekeeper.core.domain.enums import AgreementStatus
from circlekeeper.core.problems import EditConflict
from circlekeeper.core.store.database import Database
from circlekeeper.ui.agreements.exporting import ExportBar
from circlekeeper.ui.agreements.item_dialog import ShowsProblems, problem_label, two_columns
from circlekeeper.ui.agreements.item_table import fill_item_table, item_cells, item_table
from circlekeeper.ui.agreements.labels import day_text, from_qdate, status_label, tr_agreement
from circlekeeper.ui.agreements.signatures import SignaturePanel
from circlekeeper.ui.geometry import default_size, remember_geometry
from circlekeeper.ui.locale import date_text, datetime_text, format_edit
from circlekeeper.ui.operations import context_for
from circlekeeper.ui.style import heading, note

log = logging.getLogger(__name__)

S = AgreementStatus


def history_words(action: str) -> str:
    """A recorded change in plain words."""
    tr = tr_agreement
    return {
        "create": tr("Started the draft"),
        "update": tr("Changed the header"),
        "add_item": tr("Added an item"),
        "update_item": tr("Edited an item"),
        "remove_item": tr("Removed an item"),
        "reorder_items": tr("Reordered the items"),
        "sign": tr("Recorded a signature"),
        "unsign": tr("Removed a signature"),
        "activate": tr("Made active (signed)"),
        "complete_item": tr("Ticked an item off"),
        "reopen_item": tr("Took the tick off an item"),
        "close": tr("Closed the agreement"),
        "supersede": tr("Replaced by a renegotiated version"),
        "renegotiate": tr("Renegotiated: new version started"),
    }.get(action, action.replace("_", " "))


def history_detail(action: str, detail: str) -> str:
    """The few recorded details worth reading (outcome, dates, notes); never raw ids."""
    try:
        values = json.loads(detail) if detail else {}
    except json.JSONDecodeError:
        return ""
    if not isinstance(values, dict):
        return ""
    parts = []
    for key in ("outcome", "agreed_on", "done_on", "signed_on", "note", "text", "was"):
        value = values.get(key)
        if value:
            shown = status_label(str(value)) if key in ("outcome", "was") else str(value)
            parts.append(shown)
    if action == "update" and values.get("fields"):
        parts.append(", ".join(str(f).replace("_", " ") for f in values["fields"]))
    return "; ".join(parts)


class AgreementMonitor(ShowsProblems, QDialog):
    """An agreement after signing: its items with their ticks, closing, renegotiating, history.

    ``renegotiated`` carries the new draft's id; the area opens the builder on it.
    """

    focus_problems = True

    renegotiated = Signal(int)
    changed = Signal(int)

    def __init__(
        self, database: Database, agreement_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.agreement_id = agreement_id
        self.service = AgreementService(context_for(database))
        self.details: AgreementDetails = self.service.get(agreement_id)
        view = self.service.view(agreement_id)
        self._names = {p.person_id: p.name for p in view.parties}
        self.setWindowTitle(self.tr("Repair agreement — follow-up"))
        self.setAccessibleName(self.windowTitle())
        default_size(self, 1280, 860)
        remember_geometry(self, "agreement-follow-up")

        self.title = heading(
            self.tr("Repair agreement — {circle}").format(circle=view.circle_title)
            if view.circle_title
            else self.tr("Repair agreement"),
            self,
        )
        self.state = QLabel(self)
        self.state.setAccessibleName(self.tr("Agreement status"))
        self.problem = problem_label(self, self.tr("Problem"))
        self.notice = note("", self)
        self.notice.setAccessibleName(self.tr("Last change"))
        self.notice.hide()

        # Items and ticking them off.
        items_box = QGroupBox(self.tr("Items"), self)
        self.items = item_table(items_box, self.tr("Agreement items"))
        self.items.setColumnCount(6)
        self.items.setMinimumHeight(220)
        self.items.itemSelectionChanged.connect(self._update_buttons)
        self.done_on = QDateEdit(items_box)
        self.done_on.setCalendarPopup(True)
        format_edit(self.done_on)
        self.done_on.setDate(QDate.currentDate())
        self.done_on.setMaximumDate(QDate.currentDate())
        self.done_on.setAccessibleName(self.tr("Date the item was done"))
        self.done_note = QLineEdit(items_box)
        self.done_note.setAccessibleName(self.tr("Note about how it was done"))
        self.done_note.setPlaceholderText(self.tr("Optional, e.g. “Librarian signed the log”"))
        self.tick_button = self._button(
            self.tr("&Tick off as done"), self.tr("Tick off the selected item as done"), items_box
        )
        self.reopen_button = self._button(
            self.tr("R&eopen"), self.tr("Take the tick off the selected item"), items_box
        )
        self.tick_button.clicked.connect(self.tick_selected)
        self.reopen_button.clicked.connect(self.reopen_selected)
        self.done_note.returnPressed.connect(self.tick_selected)
        tick = QGridLayout()
        done_label = QLabel(self.tr("&Done on:"), items_box)
        done_label.setBuddy(self.done_on)
        note_label = QLabel(self.tr("Note:"), items_box)
        note_label.setBuddy(self.done_note)
        tick.addWidget(done_label, 0, 0)
        tick.addWidget(self.done_on, 0, 1)
        tick.addWidget(note_label, 0, 2)
        tick.addWidget(self.done_note, 0, 3)
        tick.addWidget(self.tick_button, 0, 4)
        tick.addWidget(self.reopen_button, 0, 5)
        tick.setColumnStretch(3, 1)
        items_layout = QVBoxLayout(items_box)
        items_layout.addWidget(self.items, 1)
        items_layout.addLayout(tick)

        # Ending it: close with an outcome, or renegotiate.
        end_box = QGroupBox(self.tr("Closing or renegotiating"), self)
        self.outcome = QComboBox(end_box)
        for status in (S.COMPLETED, S.PARTIALLY_COMPLETED, S.NOT_COMPLETED):
            self.outcome.addItem(status_label(status.value), status.value)
        self.outcome.setAccessibleName(self.tr("How it ended"))
        self.closed_on = QDateEdit(end_box)
        self.closed_on.setCalendarPopup(True)
        format_edit(self.closed_on)
        self.closed_on.setDate(QDate.currentDate())
        self.closed_on.setAccessibleName(self.tr("Date it was closed"))
        self.close_note = QLineEdit(end_box)
        self.close_note.setAccessibleName(self.tr("Note on closing"))
        self.close_note.setPlaceholderText(self.tr("Optional: what the review found"))
        self.close_button = self._button(
            self.tr("&Close agreement…"), self.tr("Close the agreement with this outcome"), end_box
        )
        self.renegotiate_button = self._button(
            self.tr("Re&negotiate…"), self.tr("Renegotiate: start a new version"), end_box
        )
        self.close_button.clicked.connect(self.close_agreement)
        self.renegotiate_button.clicked.connect(self.renegotiate)
        end = QGridLayout(end_box)
        outcome_label = QLabel(self.tr("O&utcome:"), end_box)
        outcome_label.setBuddy(self.outcome)
        end.addWidget(outcome_label, 0, 0)
        end.addWidget(self.outcome, 0, 1)
        on_label = QLabel(self.tr("On:"), end_box)
        on_label.setBuddy(self.closed_on)
        end.addWidget(on_label, 0, 2)
        end.addWidget(self.closed_on, 0, 3)
        close_note_label = QLabel(self.tr("Note:"), end_box)
        close_note_label.setBuddy(self.close_note)
        end.addWidget(close_note_label, 1, 0)
        end.addWidget(self.close_note, 1, 1, 1, 3)
        end_buttons = QHBoxLayout()
        end_buttons.addWidget(self.close_button)
        end_buttons.addStretch(1)
        end_buttons.addWidget(self.renegotiate_button)
        end.addLayout(end_buttons, 2, 0, 1, 4)
        end.setColumnStretch(1, 1)
        end_note = note(
            self.tr(
                "Renegotiating keeps this version, signed, in the history and starts a new "
                "draft with the same items (ticked items stay ticked); it is signed afresh."
            ),
            end_box,
        )
        end.addWidget(end_note, 3, 0, 1, 4)

        # Signatures stay recordable: a guardian may sign after the circle.
        signatures_box = QGroupBox(self.tr("Signatures (on paper)"), self)
        self.signatures = SignaturePanel(self.service, agreement_id, signatures_box)
        self.signatures.changed.connect(self._update_state)
        QVBoxLayout(signatures_box).addWidget(self.signatures)

        history_box = QGroupBox(self.tr("History"), self)
        self.versions = QListWidget(history_box)
        self.versions.setAccessibleName(self.tr("Versions of this agreement"))
        self.versions.setMaximumHeight(self.fontMetrics().height() * 4 + 16)
        self.versions.setWordWrap(True)
        self.versions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.events = QTableWidget(0, 4, history_box)
        self.events.setAccessibleName(self.tr("Changes to this agreement"))
        self.events.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("v."), self.tr("What"), self.tr("Details")]
        )
        self.events.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.events.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.events.setTabKeyNavigation(False)
        self.events.verticalHeader().setVisible(False)
        self.events.horizontalHeader().setAccessibleName(self.tr("Change columns"))
        self.events.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.events.setMinimumHeight(180)
        history_layout = QVBoxLayout(history_box)
        history_layout.addWidget(self.versions)
        history_layout.addWidget(self.events, 1)

        self.export = ExportBar(self.service, agreement_id, self)

        left = QVBoxLayout()
        left.addWidget(items_box, 1)
        left.addWidget(end_box)
        right = QVBoxLayout()
        right.addWidget(signatures_box)
        right.addWidget(history_box, 1)
        scroll, close_box = two_columns(
            self, self.problem, left, right, self.tr("Close this window"), actions=self.export
        )
        top = QVBoxLayout(self)
        top.addWidget(self.title)
        top.addWidget(self.state)
        top.addWidget(self.notice)
        top.addWidget(scroll, 1)
        top.addWidget(close_box)

        self.reload()
        self.items.setFocus()

    def _button(self, text: str, name: str, parent: QWidget) -> QPushButton:
        button = QPushButton(text, parent)
        button.setAccessibleName(name)
        return button

    # -- reading ---------------------------------------------------------------------------

    def _show_conflict(self, conflict: EditConflict) -> None:
        # Show the item as it is now; the note typed below the list stays where it is.
        item = self.selected_item()
        self.reload(item.id if item is not None else None)
        self._show_problem(str(conflict))

    def reload(self, select_id: int | None = None) -> None:
        if not self._guard(lambda: setattr(self, "details", self.service.get(self.agreement_id))):
            return
        titles = [
            self.tr("#"),
            self.tr("What will be done"),
            self.tr("Who"),
            self.tr("By when"),
            self.tr("How checked"),
            self.tr("Done"),
        ]
        today = date.today()
        rows = []
        for item in self.details.items:
            cells = item_cells(item, self._names)
            if item.completed_on:
                done = self.tr("✓ {day}").format(day=day_text(item.completed_on))
                if item.completion_note:
                    done += f" — {item.completion_note}"
            elif item.data.due_on and item.data.due_on < today:
                done = self.tr("Overdue")
            else:
                done = self.tr("Open")
            rows.append([*cells, done])
        fill_item_table(self.items, rows, titles)
        char = self.fontMetrics().horizontalAdvance("n")
        for column, chars in ((2, 13), (4, 15), (5, 14)):
            self.items.setColumnWidth(column, char * chars)
        self.items.resizeRowsToContents()
        if select_id is not None:
            for r, item in enumerate(self.details.items):
                if item.id == select_id:
                    self.items.selectRow(r)
        self.signatures.reload()
        self._fill_history()
        self._update_state()

    def _fill_history(self) -> None:
        versions: list[AgreementSummary] = []
        events: list[HistoryEvent] = []

        def read() -> None:
            found = self.service.history(self.agreement_id)
            versions.extend(found[0])
            events.extend(found[1])

        if not self._guard(read):
            return
        self.versions.clear()
        for summary in versions:
            text = self.tr("Version {version}: {status}").format(
                version=summary.version,
                status=status_label(summary.status),
            )
            if summary.agreed_on:
                text += self.tr(", agreed on {day}").format(day=date_text(summary.agreed_on))
            if summary.id == self.agreement_id:
                text += self.tr(" (this one)")
            self.versions.addItem(text)
        self.events.setRowCount(len(events))
        for r, event in enumerate(events):
            cells = [
                datetime_text(event.at.astimezone()),
                str(event.version),
                history_words(event.action),
                history_detail(event.action, event.detail),
            ]
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.events.setItem(r, c, cell)
        self.events.resizeColumnsToContents()
        self.events.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

    def selected_item(self) -> ItemRow | None:
        rows = self.items.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.details.items):
            return None
        return self.details.items[rows[0].row()]

    @property
    def is_active(self) -> bool:
        return self.details.summary.status == S.ACTIVE.value

    def _update_state(self) -> None:
        summary = self.details.summary
        done = sum(1 for i in self.details.items if i.completed_on)
        text = self.tr("{status} · version {version} · {done} of {total} items done").format(
            status=status_label(summary.status),
            version=summary.version,
            done=done,
            total=len(self.details.items),
        )
        if summary.agreed_on:
            text += self.tr(" · agreed on {day}").format(day=date_text(summary.agreed_on))
        if summary.closed_on:
            text += self.tr(" · closed on {day}").format(day=date_text(summary.closed_on))
        self.state.setText(text)
        self.state.setAccessibleDescription(text)
        for widget in (self.done_on, self.done_note, self.outcome, self.closed_on, self.close_note):
            widget.setEnabled(self.is_active)
        self.close_button.setEnabled(self.is_active)
        self.renegotiate_button.setEnabled(
            summary.status in (S.ACTIVE.value, S.PARTIALLY_COMPLETED.value, S.NOT_COMPLETED.value)
        )
        self._update_buttons()
        # Suggest the outcome the ticks point to.
        total = len(self.details.items)
        suggested = (
            S.COMPLETED if done == total else S.PARTIALLY_COMPLETED if done else S.NOT_COMPLETED
        )
        self.outcome.setCurrentIndex(max(self.outcome.findData(suggested.value), 0))

    def _update_buttons(self) -> None:
        item = self.selected_item()
        self.tick_button.setEnabled(self.is_active and item is not None and not item.completed_on)
        self.reopen_button.setEnabled(
            self.is_active and item is not None and bool(item.completed_on)
        )

    # -- actions ---------------------------------------------------------------------------

    def tick_selected(self) -> None:
        item = self.selected_item()
        if item is None:
            self._show_problem(self.tr("Choose an item in the list first."))
            return
        on = from_qdate(self.done_on.date())
        note, version = self.done_note.text(), item.row_version
        if self._guard(
            lambda: self.service.complete_item(item.id, on, note, loaded_version=version)
        ):
            self.done_note.clear()
            self.reload(item.id)
            self._say(
                self.tr("Ticked off item {number} as done on {day}.").format(
                    number=item.number, day=date_text(on)
                )
            )
            self.changed.emit(self.agreement_id)

    def reopen_selected(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        if self._guard(lambda: self.service.reopen_item(item.id, loaded_version=item.row_version)):
            self.reload(item.id)
            self._say(self.tr("Item {number} is open again.").format(number=item.number))
            self.changed.emit(self.agreement_id)

    def close_agreement(self) -> None:
        outcome = self.outcome.currentData()
        answer = QMessageBox.question(
            self,
            self.tr("Close the agreement?"),
            self.tr(
                "Close this agreement as “{outcome}”? Its open follow-ups are cancelled and it "
                "can no longer be ticked off. You can still renegotiate it later if it was not "
                "fully kept."
            ).format(outcome=status_label(outcome)),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        on = from_qdate(self.closed_on.date())
        if self._guard(
            lambda: self.service.close(self.agreement_id, outcome, on, self.close_note.text())
        ):
            self.reload()
            self._say(self.tr("Closed as {outcome}.").format(outcome=status_label(outcome)))
            self.changed.emit(self.agreement_id)

    def renegotiate(self) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Renegotiate the agreement?"),
            self.tr(
                "Start version {version} as a new draft? This version stays in the history as it "
                "was signed; the new one is edited and signed afresh."
            ).format(version=self.details.summary.version + 1),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        created: list[int] = []
        if self._guard(lambda: created.append(self.service.renegotiate(self.agreement_id).id)):
            self.reload()
            self.changed.emit(self.agreement_id)
            self.renegotiated.emit(created[0])

    # -- problems --------------------------------------------------------------------------
