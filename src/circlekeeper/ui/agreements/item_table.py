"""The agreement's items as a table, shared by the builder and the follow-up window."""

from __future__ import annotations

import logging

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from circlekeeper.core.agreements.commands import AgreementService
from circlekeeper.core.agreements.rows import ItemRow
from circlekeeper.ui.agreements.item_dialog import (
    PersonChoice,
)
from circlekeeper.ui.agreements.labels import (
    day_text,
    kind_label,
    tr_agreement,
)
from circlekeeper.ui.circles.labels import role_label

log = logging.getLogger(__name__)

HEADER_SAVE_DELAY_MS = 600
ITEM_COLUMNS = 5  # number, kind and action, who (and supporter), by when, how checked


def people_choices(service: AgreementService, agreement_id: int) -> list[PersonChoice]:
    """Everyone who took part in the circle or case, with their role, for the pickers."""
    view = service.view(agreement_id)
    return [(p.person_id, f"{p.name} — {role_label(p.role, p.supporter_of)}") for p in view.parties]


def item_cells(row: ItemRow, names: dict[int, str]) -> list[str]:
    data = row.data

    def name(person_id: int | None) -> str:
        return names.get(person_id, "") if person_id is not None else ""

    checked = data.verification
    if data.verifier_id is not None:
        checked = f"{checked} ({name(data.verifier_id)})" if checked else name(data.verifier_id)
    who = name(data.responsible_id)
    if data.supporter_id is not None:
        supported = tr_agreement("supported by {name}").format(name=name(data.supporter_id))
        who = f"{who}\n{supported}" if who else supported
    # The kind heads the action, as on paper; the supporter sits under who does it.
    return [
        str(row.number),
        f"{kind_label(data.kind)}: {data.action}",
        who,
        day_text(data.due_on),
        checked,
    ]


def item_table(parent: QWidget, name: str) -> QTableWidget:
    table = QTableWidget(0, ITEM_COLUMNS, parent)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setWordWrap(True)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setAccessibleName(tr_agreement("Item columns"))
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    return table


def fill_item_table(
    table: QTableWidget,
    rows: list[list[str]],
    titles: list[str],
    blanks_left: list[str] | None = None,
) -> None:
    """Fill the table; ``blanks_left`` says, per row, what is still to fill in ("" if none),
    and such a row's words are shown on marker yellow with that line under them."""
    from circlekeeper.ui.agreements.blanks import BLANK_BACKGROUND

    table.setHorizontalHeaderLabels(titles)
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        left = blanks_left[r] if blanks_left else ""
        for c, text in enumerate(cells):
            if c == 1 and left:
                text = f"{text}\n⚠ {left}"
            cell = QTableWidgetItem(text)
            cell.setToolTip(text)
            if left and c in (0, 1):
                cell.setBackground(QColor(BLANK_BACKGROUND))
                cell.setForeground(QColor("#3b2a00"))
            table.setItem(r, c, cell)
    metrics = table.fontMetrics()
    char = metrics.horizontalAdvance("n")
    date_width = metrics.horizontalAdvance("2025-03-28") + 18
    for column, width in (
        (0, char * 3),
        (2, char * 16),
        (3, date_width),
        (4, char * 20),
    ):
        table.setColumnWidth(column, width)
    table.resizeRowsToContents()
