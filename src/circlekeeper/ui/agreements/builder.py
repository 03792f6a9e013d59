"""The agreement builder: the header, the items, who signed on paper, activation and exports."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.agreements.commands import AgreementService
from circlekeeper.core.agreements.rows import AgreementDetails, AgreementHeader, ItemData, ItemRow
from circlekeeper.core.domain.enums import AgreementStatus
from circlekeeper.core.problems import EditConflict
from circlekeeper.core.store.database import Database
from circlekeeper.ui.agreements.exporting import ExportBar
from circlekeeper.ui.agreements.item_dialog import (
    ItemDialog,
    ShowsProblems,
    person_combo,
    problem_label,
    select_data,
    two_columns,
)
from circlekeeper.ui.agreements.item_table import (
    fill_item_table,
    item_cells,
    item_table,
    people_choices,
)
from circlekeeper.ui.agreements.labels import (
    day_text,
    from_qdate,
    language_choices,
    status_label,
    to_qdate,
)
from circlekeeper.ui.agreements.signatures import SignaturePanel
from circlekeeper.ui.conflicts import ConflictNotice
from circlekeeper.ui.geometry import default_size, remember_geometry
from circlekeeper.ui.locale import date_text, format_edit, language
from circlekeeper.ui.operations import context_for
from circlekeeper.ui.style import heading, note

log = logging.getLogger(__name__)

HEADER_SAVE_DELAY_MS = 600
ITEM_COLUMNS = 5  # number, kind and action, who (and supporter), by when, how checked


class AgreementBuilder(ShowsProblems, QDialog):
    """Write a draft repair agreement after a circle, record the paper signatures, make it
    active, and print it. Opened on an agreement that is no longer a draft, it is read-only."""

    activated = Signal(int)
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
        self.people = people_choices(self.service, agreement_id)
        self._names = {p.person_id: p.name for p in view.parties}
        self.item_dialog: ItemDialog | None = None
        self._loading = False
        self._close_refused = False

        self.setWindowTitle(self.tr("Repair agreement"))
        self.setAccessibleName(self.windowTitle())
        default_size(self, 1280, 860)
        remember_geometry(self, "agreement-builder")
        title_text = (
            self.tr("Repair agreement — {circle}").format(circle=view.circle_title)
            if view.circle_title
            else self.tr("Repair agreement")
        )
        self.title = heading(title_text, self)
        self.state = QLabel(self)
        self.state.setAccessibleName(self.tr("Agreement status"))
        self.problem = problem_label(self, self.tr("Problem"))
        self.notice = note("", self)
        self.notice.setAccessibleName(self.tr("Last change"))
        self.notice.hide()
        self.conflict = ConflictNotice(self)
        self.conflict.reload_requested.connect(self.load_saved_version)
        self.header_version = 0  # the header's version the fields were filled from

        self._build_header_box()
        self._build_items_box()
        self.signatures = SignaturePanel(self.service, agreement_id, self)
        self.signatures.changed.connect(self._update_state)
        signatures_box = QGroupBox(self.tr("Signatures (on paper)"), self)
        signatures_layout = QVBoxLayout(signatures_box)
        signatures_layout.addWidget(
            note(
                self.tr(
                    "Print the agreement, have everyone sign it, then tick each person who "
                    "signed and the date they signed."
                ),
                signatures_box,
            )
        )
        signatures_layout.addWidget(self.signatures)
        self._build_activation_box()
        self.export = ExportBar(self.service, agreement_id, self, before=self.save_header)

        left = QVBoxLayout()
        left.addWidget(self.header_box)
        left.addWidget(self.items_box, 1)
        right = QVBoxLayout()
        # Activation first: what is still needed, and the button, stay in sight however many
        # people sign below.
        right.addWidget(self.activation_box)
        right.addWidget(signatures_box)
        right.addStretch(1)
        scroll, close_box = two_columns(
            self,
            self.problem,
            left,
            right,
            self.tr("Close the agreement builder"),
            actions=self.export,
        )

        top = QVBoxLayout(self)
        top.addWidget(self.title)
        top.addWidget(self.state)
        top.addWidget(self.notice)
        top.addWidget(self.conflict)
        top.addWidget(scroll, 1)
        top.addWidget(close_box)

        self._header_timer = QTimer(self)
        self._header_timer.setSingleShot(True)
        self._header_timer.setInterval(HEADER_SAVE_DELAY_MS)
        self._header_timer.timeout.connect(self.save_header)
        for signal in (
            self.harm_summary.textChanged,
            self.if_not_kept.textChanged,
            self.has_follow_up.toggled,
            self.follow_up_on.dateChanged,
            self.follow_up_by.currentIndexChanged,
        ):
            signal.connect(self._header_edited)

        self.reload()
        self.harm_summary.setFocus()

    # -- building the parts ----------------------------------------------------------------

    def _build_header_box(self) -> None:
        box = QGroupBox(self.tr("What happened and what follows"), self)
        self.harm_summary = QPlainTextEdit(box)
        self.harm_summary.setTabChangesFocus(True)
        self.harm_summary.setAccessibleName(self.tr("Short description of the harm"))
        self.harm_summary.setPlaceholderText(
            self.tr("In a few neutral sentences: what happened and who was affected.")
        )
        self.if_not_kept = QPlainTextEdit(box)
        self.if_not_kept.setTabChangesFocus(True)
        self.if_not_kept.setAccessibleName(self.tr("What happens if it is not kept"))
        self.if_not_kept.setPlaceholderText(
            self.tr("For example: we meet again, or the original consequence applies.")
        )
        lines = self.fontMetrics().height()
        for edit in (self.harm_summary, self.if_not_kept):
            edit.setMinimumHeight(lines * 3 + 14)
            edit.setMaximumHeight(lines * 4 + 14)
        self.has_follow_up = QCheckBox(self.tr("On"), box)
        self.has_follow_up.setAccessibleName(self.tr("There is a follow-up date"))
        self.follow_up_on = QDateEdit(box)
        self.follow_up_on.setCalendarPopup(True)
        format_edit(self.follow_up_on)
        self.follow_up_on.setDate(QDate.currentDate().addDays(42))
        self.follow_up_on.setAccessibleName(self.tr("Follow-up date"))
        self.follow_up_on.setEnabled(False)
        self.has_follow_up.toggled.connect(self.follow_up_on.setEnabled)
        self.follow_up_by = person_combo(
            box, self.people, self.tr("— choose an adult —"), self.tr("Adult who follows up")
        )
        follow_up = QHBoxLayout()
        follow_up.addWidget(self.has_follow_up)
        follow_up.addWidget(self.follow_up_on)
        follow_up.addSpacing(12)
        by_label = QLabel(self.tr("b&y:"), box)
        by_label.setBuddy(self.follow_up_by)
        follow_up.addWidget(by_label)
        follow_up.addWidget(self.follow_up_by, 1)
        form = QFormLayout(box)
        form.setVerticalSpacing(8)
        form.addRow(self.tr("The &harm:"), self.harm_summary)
        form.addRow(self.tr("If it is &not kept:"), self.if_not_kept)
        follow_up_label = QLabel(self.tr("&Follow-up:"), box)
        follow_up_label.setBuddy(self.has_follow_up)
        form.addRow(follow_up_label, follow_up)
        self.header_box = box

    def _build_items_box(self) -> None:
        box = QGroupBox(self.tr("Items: what will be done"), self)
        self.items = item_table(box, self.tr("Agreement items"))
        self.items.setMinimumHeight(220)
        self.items.doubleClicked.connect(self.edit_selected)
        self.items.installEventFilter(self)
        self.catalogue_language = QComboBox(box)
        for value, label in language_choices()[:2]:
            self.catalogue_language.addItem(label, value)
        self.catalogue_language.setAccessibleName(self.tr("Language of typical items"))
        self.catalogue_language.setCurrentIndex(
            max(self.catalogue_language.findData(language()), 0)
        )
        self.catalogue = QComboBox(box)
        self.catalogue.setAccessibleName(self.tr("Typical items"))
        self.catalogue.setMinimumContentsLength(18)
        self.catalogue.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.catalogue_language.currentIndexChanged.connect(self._fill_catalogue)
        self._fill_catalogue()
        self.add_from_catalogue_button = self._button(
            self.tr("Add &typical item…"), self.tr("Add the chosen typical item"), box
        )
        self.add_blank_button = self._button(
            self.tr("Add &blank item…"), self.tr("Add a blank item"), box
        )
        self.edit_button = self._button(self.tr("&Edit…"), self.tr("Edit the selected item"), box)
        self.remove_button = self._button(
            self.tr("Re&move"), self.tr("Remove the selected item"), box
        )
        self.up_button = self._button(self.tr("Move &up"), self.tr("Move the item up"), box)
        self.down_button = self._button(self.tr("Move do&wn"), self.tr("Move the item down"), box)
        self.add_from_catalogue_button.clicked.connect(self.add_from_catalogue)
        self.add_blank_button.clicked.connect(self.add_blank)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.items.itemSelectionChanged.connect(self._update_item_buttons)

        catalogue_row = QHBoxLayout()
        catalogue_label = QLabel(self.tr("Typical item&s:"), box)
        catalogue_label.setBuddy(self.catalogue)
        catalogue_row.addWidget(catalogue_label)
        catalogue_row.addWidget(self.catalogue, 1)
        catalogue_row.addWidget(self.catalogue_language)
        # The two ways to add an item on a row of their own, and the item's own actions on the
        # next: one row was wider than a laptop leaves the items in a longer language.
        catalogue_add = QHBoxLayout()
        catalogue_add.addWidget(self.add_from_catalogue_button)
        catalogue_add.addWidget(self.add_blank_button)
        catalogue_add.addStretch(1)
        buttons = QHBoxLayout()
        for button in (self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        layout = QVBoxLayout(box)
        layout.addLayout(catalogue_row)
        layout.addLayout(catalogue_add)
        layout.addWidget(self.items, 1)
        layout.addLayout(buttons)
        self.items_box = box

    def _build_activation_box(self) -> None:
        box = QGroupBox(self.tr("Make it active"), self)
        self.reasons = QLabel(box)
        self.reasons.setWordWrap(True)
        self.reasons.setAccessibleName(self.tr("What is still needed"))
        self.activate_button = self._button(
            self.tr("&Activate (signed)"), self.tr("Activate the signed agreement"), box
        )
        self.activate_button.setToolTip(
            self.tr(
                "Once everyone has signed on paper: the text is then fixed and follow-ups "
                "are scheduled."
            )
        )
        self.activate_button.clicked.connect(self.activate)
        layout = QVBoxLayout(box)
        layout.addWidget(self.reasons)
        row = QHBoxLayout()
        row.addWidget(self.activate_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.activation_box = box

    def _button(self, text: str, name: str, parent: QWidget) -> QPushButton:
        button = QPushButton(text, parent)
        button.setAccessibleName(name)
        return button

    def _fill_catalogue(self) -> None:
        self.templates = self.service.catalogue(self.catalogue_language.currentData() or "en")
        self.catalogue.clear()
        for template in self.templates:
            self.catalogue.addItem(template.title)

    # -- reading ---------------------------------------------------------------------------

    @property
    def is_draft(self) -> bool:
        return self.details.summary.status == AgreementStatus.DRAFT.value

    def reload(self) -> None:
        if not self._guard(lambda: setattr(self, "details", self.service.get(self.agreement_id))):
            return
        self._loading = True
        header = self.details.header
        if self.harm_summary.toPlainText() != header.harm_summary:
            self.harm_summary.setPlainText(header.harm_summary)
        if self.if_not_kept.toPlainText() != header.if_not_kept:
            self.if_not_kept.setPlainText(header.if_not_kept)
        self.has_follow_up.setChecked(header.follow_up_on is not None)
        if header.follow_up_on is not None:
            self.follow_up_on.setDate(to_qdate(header.follow_up_on))
        select_data(self.follow_up_by, header.follow_up_by_id)
        self.header_version = self.details.summary.row_version
        self._loading = False
        self._fill_items()
        self.signatures.reload()
        self._update_state()

    def _fill_items(self, select_id: int | None = None) -> None:
        titles = [
            self.tr("#"),
            self.tr("What will be done"),
            self.tr("Who"),
            self.tr("By when"),
            self.tr("How checked"),
        ]
        from circlekeeper.ui.agreements.blanks import blanks_left_text

        rows = [item_cells(item, self._names) for item in self.details.items]
        left = [blanks_left_text(item.data.texts(), most=2) for item in self.details.items]
        fill_item_table(self.items, rows, titles, left)
        if select_id is not None:
            for r, item in enumerate(self.details.items):
                if item.id == select_id:
                    self.items.selectRow(r)
        self._update_item_buttons()

    def selected_item(self) -> ItemRow | None:
        rows = self.items.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.details.items):
            return None
        return self.details.items[rows[0].row()]

    def blocking_reasons(self) -> list[str]:
        """Why the agreement cannot be made active yet, in plain words (empty when it can)."""
        reasons = []
        if not self.details.items:
            reasons.append(self.tr("Add at least one item."))
        unassigned = [str(i.number) for i in self.details.items if i.data.responsible_id is None]
        if unassigned:
            reasons.append(
                self.tr("Choose who does item {numbers}.").format(numbers=", ".join(unassigned))
            )
        unfilled = self.unfilled_items()
        if unfilled:
            reasons.append(
                self.tr("Fill in the [words] highlighted in item {numbers}.").format(
                    numbers=", ".join(str(n) for n in unfilled)
                )
            )
        if not self.details.signatures:
            reasons.append(self.tr("Tick who signed the paper agreement."))
        return reasons

    def unfilled_items(self) -> list[int]:
        """The items that still hold a blank to fill in (the core's rule)."""
        from circlekeeper.core.agreements.placeholders import unfilled_items

        return unfilled_items((i.number, i.data.texts()) for i in self.details.items)

    def _update_state(self) -> None:
        self._guard(lambda: setattr(self, "details", self.service.get(self.agreement_id)))
        summary = self.details.summary
        state = self.tr("{status} · version {version} · {count} items").format(
            status=status_label(summary.status),
            version=summary.version,
            count=len(self.details.items),
        )
        if summary.agreed_on:
            state += self.tr(" · agreed on {day}").format(day=date_text(summary.agreed_on))
        self.state.setText(state)
        self.state.setAccessibleDescription(state)
        editable = self.is_draft
        for widget in (
            self.harm_summary,
            self.if_not_kept,
            self.has_follow_up,
            self.follow_up_by,
            self.catalogue,
            self.catalogue_language,
            self.add_from_catalogue_button,
            self.add_blank_button,
            self.activate_button,
        ):
            widget.setEnabled(editable)
        self.follow_up_on.setEnabled(editable and self.has_follow_up.isChecked())
        # Activation waits until every blank is filled; the reasons below say which items.
        self.activate_button.setEnabled(editable and not self.unfilled_items())
        self.signatures.set_editable(
            summary.status in (AgreementStatus.DRAFT.value, AgreementStatus.ACTIVE.value)
        )
        self._update_item_buttons()
        if not editable:
            self.reasons.setText(
                self.tr("This agreement is no longer a draft; its text cannot be changed.")
            )
            return
        reasons = self.blocking_reasons()
        if reasons:
            text = self.tr("Before it can be made active:") + "\n• " + "\n• ".join(reasons)
        else:
            text = self.tr("Everything needed is there. Activate it once everyone has signed.")
        self.reasons.setText(text)
        self.reasons.setAccessibleDescription(text)
        # A wrapped label in the scrolling column is not given its height: ask for it.
        self.reasons.setMinimumHeight(self.fontMetrics().height() * (text.count("\n") + 2))

    def _update_item_buttons(self) -> None:
        item = self.selected_item()
        editable = self.is_draft
        self.edit_button.setEnabled(editable and item is not None)
        self.remove_button.setEnabled(editable and item is not None)
        self.up_button.setEnabled(editable and item is not None and item.number > 1)
        self.down_button.setEnabled(
            editable and item is not None and item.number < len(self.details.items)
        )

    # -- header ----------------------------------------------------------------------------

    def _header_edited(self, *_: Any) -> None:
        if not self._loading and self.is_draft:
            self._header_timer.start()

    def header(self) -> AgreementHeader:
        return AgreementHeader(
            harm_summary=self.harm_summary.toPlainText(),
            if_not_kept=self.if_not_kept.toPlainText(),
            follow_up_on=(
                from_qdate(self.follow_up_on.date()) if self.has_follow_up.isChecked() else None
            ),
            follow_up_by_id=self.follow_up_by.currentData(),
        )

    def save_header(self) -> bool:
        """Write the header if it changed; return False (and say why) if it could not be."""
        self._header_timer.stop()
        if not self.is_draft:
            return True
        header = self.header()
        if header == self.details.header:
            return True
        version = self.header_version
        saved: list[Any] = []
        save = self.service.update_header
        if not self._guard(
            lambda: saved.append(save(self.agreement_id, header, loaded_version=version))
        ):
            return False
        self.header_version = saved[0].row_version
        self.details = self.service.get(self.agreement_id)
        self.changed.emit(self.agreement_id)
        return True

    def _show_conflict(self, conflict: EditConflict) -> None:
        # The fields keep what was typed; the notice lists it and offers the saved version.
        typed, saved = self.header(), self.details.header
        follow_up_by = self.follow_up_by.currentText() if typed.follow_up_by_id else ""
        fields = [
            (self.tr("The &harm:"), typed.harm_summary, "harm_summary"),
            (self.tr("If it is &not kept:"), typed.if_not_kept, "if_not_kept"),
            (self.tr("&Follow-up:"), day_text(typed.follow_up_on), "follow_up_on"),
            (self.tr("b&y:"), follow_up_by, "follow_up_by_id"),
        ]
        unsaved = [
            (label.replace("&", ""), value or self.tr("(empty)"))
            for label, value, name in fields
            if getattr(typed, name) != getattr(saved, name)
        ]
        self.problem.hide()
        self.conflict.show_conflict(conflict, unsaved)

    def load_saved_version(self) -> None:
        """Fill the form from what is saved now (after someone else's save)."""
        self._header_timer.stop()
        self.reload()
        self.conflict.after_reload()

    # -- items -----------------------------------------------------------------------------

    def add_from_catalogue(self) -> None:
        index = self.catalogue.currentIndex()
        if 0 <= index < len(self.templates):
            template = self.templates[index]
            self._open_item_dialog(
                ItemData.from_template(template),
                self._add,
                self.tr("Add: {title}").format(title=template.title),
            )

    def add_blank(self) -> None:
        self._open_item_dialog(ItemData(action=""), self._add, self.tr("Add an item"))

    def edit_selected(self) -> None:
        item = self.selected_item()
        if item is None or not self.is_draft:
            return
        self._open_item_dialog(
            item.data,
            lambda data: self._update(item.id, data, item.row_version),
            self.tr("Edit item {number}").format(number=item.number),
        )

    def _open_item_dialog(
        self, data: ItemData, save: Callable[[ItemData], None], title: str
    ) -> None:
        if not self.save_header():
            return
        dialog = ItemDialog(data, self.people, save, self, title=title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(lambda _: self.items.setFocus())
        self.item_dialog = dialog
        dialog.open()

    def _add(self, data: ItemData) -> None:
        row = self.service.add_item(self.agreement_id, data)
        self._after_items(row.id, self.tr("Added item {number}.").format(number=row.number))

    def _update(self, item_id: int, data: ItemData, version: int) -> None:
        row = self.service.update_item(item_id, data, loaded_version=version)
        self._after_items(row.id, self.tr("Saved item {number}.").format(number=row.number))

    def remove_selected(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        if self._guard(lambda: self.service.remove_item(item.id)):
            self._after_items(None, self.tr("Removed item {number}.").format(number=item.number))

    def move_selected(self, step: int) -> None:
        item = self.selected_item()
        if item is None:
            return
        ids = [i.id for i in self.details.items]
        at = ids.index(item.id)
        to = at + step
        if not 0 <= to < len(ids):
            return
        ids[at], ids[to] = ids[to], ids[at]
        if self._guard(lambda: self.service.reorder_items(self.agreement_id, ids)):
            self._after_items(item.id, "")
            self.items.setFocus()

    def _after_items(self, select_id: int | None, message: str) -> None:
        self.details = self.service.get(self.agreement_id)
        self._fill_items(select_id)
        self._update_state()
        self._say(message)
        self.changed.emit(self.agreement_id)

    # -- activation ------------------------------------------------------------------------

    def activate(self) -> None:
        if not self.save_header():
            return
        result: list[Any] = []
        if not self._guard(lambda: result.append(self.service.activate(self.agreement_id))):
            return
        activation = result[0]
        self.problem.hide()
        self.reload()
        text = self.tr(
            "The agreement is active from {day}. {count} follow-up checks were scheduled."
        ).format(day=day_text(activation.agreement.agreed_on), count=len(activation.follow_ups))
        if activation.missing_guardian_signatures:
            text += " " + self.tr(
                "A guardian's signature is still missing for {names}; it can be recorded later."
            ).format(
                names=", ".join(m.student_name for m in activation.missing_guardian_signatures)
            )
        self._say(text)
        self.activated.emit(self.agreement_id)
        self.changed.emit(self.agreement_id)

    # -- keyboard, problems, closing ---------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.items
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.edit_selected()
                return True
            if key == Qt.Key.Key_Delete:
                self.remove_selected()
                return True
        return super().eventFilter(watched, event)

    def done(self, result: int) -> None:
        # A header that cannot be saved keeps the window open once, so the words are not lost.
        if self.save_header() or self._close_refused:
            super().done(result)
            return
        self._close_refused = True
