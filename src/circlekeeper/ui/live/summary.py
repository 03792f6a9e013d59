"""The summary shown when a circle ends: who spoke, who passed, time per stage, notes.

It is drawn from the summary dict that :meth:`FacilitationService.end` stored with the circle,
plus names and note texts, which the stored summary leaves out on purpose.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.cases.holding import CaseMove
from circlekeeper.core.domain.enums import CircleKind
from circlekeeper.core.facilitation.rows import LiveSession, NoteRow
from circlekeeper.core.store.database import Database
from circlekeeper.ui.agreements import open_agreement_for_circle
from circlekeeper.ui.circles.labels import attendance_label, role_label
from circlekeeper.ui.geometry import default_size
from circlekeeper.ui.live.labels import clock_text

AGREEMENT_KINDS = {
    CircleKind.CONFERENCE.value,
    CircleKind.HARM_REPAIR.value,
    CircleKind.PROBLEM_SOLVING.value,
    CircleKind.REENTRY.value,
}


class SummaryView(QDialog):
    """A readable, printable-looking page about the circle that just ended."""

    def _case_text(self, move: CaseMove | None) -> str:
        from circlekeeper.ui.cases.common import status_label

        if move is None:
            return ""
        if move.moved:
            return self.tr("The case moved on to “{step}”: its circle was held.").format(
                step=status_label(move.after)
            )
        return self.tr(
            "This circle's case is still at “{step}”. Holding the circle does not skip the "
            "screen or the preparation, so the case was not moved. Open it in Cases and move "
            "it along when it is ready."
        ).format(step=status_label(move.before))

    def __init__(
        self,
        summary: dict[str, Any],
        live: LiveSession,
        notes: list[NoteRow],
        parent: QWidget | None = None,
        *,
        database: Database | None = None,
        case_move: CaseMove | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.summary = summary
        self.setWindowTitle(self.tr("Summary — {title}").format(title=live.title))
        self.setAccessibleName(self.tr("Circle summary"))
        default_size(self, 760, 640)
        layout = QVBoxLayout(self)
        self.text = QTextBrowser(self)
        self.text.setAccessibleName(self.tr("Circle summary"))
        self.text.setOpenLinks(False)
        self.text.setHtml(self.html(summary, live, notes))
        # What holding the circle did to its case: moved it along, or asks the keeper to.
        self.case_note = QLabel(self._case_text(case_move), self)
        self.case_note.setWordWrap(True)
        self.case_note.setAccessibleName(self.tr("The case of this circle"))
        self.case_note.setVisible(case_move is not None)
        layout.addWidget(self.case_note)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        self.agreement_button: QPushButton | None = None
        if database is not None and live.kind in AGREEMENT_KINDS:
            # After harm is talked through, the group writes the agreement next.
            button = buttons.addButton(
                self.tr("Write the repair &agreement…"), QDialogButtonBox.ButtonRole.ActionRole
            )
            button.setAccessibleName(self.tr("Write the repair agreement"))
            button.clicked.connect(lambda: self._open_agreement(database, live.circle_id))
            self.agreement_button = button
        self.agreement_window: QWidget | None = None
        self.evaluation: list[QPushButton] = []
        if database is not None:
            from circlekeeper.ui.evaluation.actions import evaluation_buttons

            # The checklist and the survey belong to the end of the circle, while it is fresh.
            self.evaluation = evaluation_buttons(self, database, live.circle_id)
            for button in self.evaluation:
                buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            # The summary for the file, the same document as ``export summary``.
            self.save_summary_button = buttons.addButton(
                self.tr("Save su&mmary PDF…"), QDialogButtonBox.ButtonRole.ActionRole
            )
            self.save_summary_button.setAccessibleName(self.tr("Save the circle summary as PDF"))
            self.save_summary_button.clicked.connect(
                lambda: self._save_summary(database, live.circle_id)
            )
        self.summary_window: QWidget | None = None
        layout.addWidget(buttons)

    def _save_summary(self, database: Database, circle_id: int) -> None:
        from circlekeeper.ui.documents import open_circle_summary

        self.summary_window = open_circle_summary(self, database, circle_id)

    def _open_agreement(self, database: Database, circle_id: int) -> None:
        # Kept on self: a top-level window with no owner would be collected at once.
        self.agreement_window = open_agreement_for_circle(database, circle_id, self.parentWidget())

    def html(self, summary: dict[str, Any], live: LiveSession, notes: list[NoteRow]) -> str:
        names = {pid: row.name for pid, row in live.participants.items()}
        stage_titles = {s["index"]: s["title"] for s in summary.get("stages", [])}
        parts = [
            f"<h1>{escape(live.title)}</h1>",
            "<p>"
            + escape(
                self.tr("Lasted {time}. {turns} turns taken; {notes} notes.").format(
                    time=clock_text(summary.get("duration_seconds", 0)),
                    turns=summary.get("turns", 0),
                    notes=summary.get("notes", {}).get("total", 0),
                )
            )
            + "</p>",
            f"<h2>{escape(self.tr('Who spoke and who passed'))}</h2>",
            "<table cellpadding='4'>",
            "<tr>"
            + "".join(
                f"<th align='left'>{escape(h)}</th>"
                for h in (
                    self.tr("Name"),
                    self.tr("Role"),
                    self.tr("Attendance"),
                    self.tr("Spoke"),
                    self.tr("Passed"),
                )
            )
            + "</tr>",
        ]
        for person in summary.get("participants", []):
            cells = (
                names.get(person["participant_id"], "?"),
                role_label(str(person["role"])),
                attendance_label(str(person["attendance"])),
                str(person["spoke"]),
                str(person["passed"]),
            )
            parts.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
        parts.append("</table>")
        parts.append(f"<h2>{escape(self.tr('Time per stage'))}</h2><table cellpadding='4'>")
        for stage in summary.get("stages", []):
            shown = clock_text(stage["seconds"]) if stage["visited"] else self.tr("skipped")
            parts.append(
                f"<tr><td>{stage['index'] + 1}. {escape(stage['title'])}</td>"
                f"<td>{escape(shown)}</td></tr>"
            )
        parts.append("</table>")
        parts.append(f"<h2>{escape(self.tr('Notes'))}</h2>")
        if not notes:
            parts.append(f"<p>{escape(self.tr('No notes were taken.'))}</p>")
        for note in notes:
            kind = (
                self.tr("Private memory aid")
                if note.privacy == "private"
                else self.tr("Shared record")
            )
            about = names.get(note.participant_id or -1)
            where = stage_titles.get(note.stage_index or 0, "")
            header = " · ".join(x for x in (kind, where, about or "") if x)
            parts.append(f"<p><b>{escape(header)}</b><br>{escape(note.text)}</p>")
        return "\n".join(parts)
