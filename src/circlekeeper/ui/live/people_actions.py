"""The facilitator window's actions that ask something first: notes, choosing, arriving, leaving,
and ending the circle. Each dialog opens with ``open()`` so the circle's window stays live."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog

from circlekeeper.core.domain.enums import Attendance, Role
from circlekeeper.core.domain.live import PieceMode
from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.ui.circles.labels import role_label
from circlekeeper.ui.live.dialogs import ConfirmEndDialog, NoteDialog, PickPersonDialog
from circlekeeper.ui.operations import context_for

if TYPE_CHECKING:
    from circlekeeper.ui.live.facilitator import FacilitatorWindow

JOIN_ROLES = (
    Role.MEMBER,
    Role.SUPPORTER,
    Role.GUARDIAN,
    Role.COMMUNITY,
    Role.ADMINISTRATOR,
)


def open_dialog(self: FacilitatorWindow, dialog: QDialog, on_accept: Any) -> None:
    if self.summary is not None:
        self._say(self.tr("This circle has ended."))
        return
    if self.dialog is not None and self.dialog.isVisible():
        return  # one question at a time
    self.dialog = dialog
    dialog.accepted.connect(on_accept)
    dialog.finished.connect(lambda _code: _dialog_closed(self, dialog))
    dialog.open()


def _dialog_closed(self: FacilitatorWindow, dialog: QDialog) -> None:
    if self.dialog is dialog:
        self.dialog = None
    dialog.deleteLater()
    self.activateWindow()


# --- notes ------------------------------------------------------------------------


def add_note(self: FacilitatorWindow) -> None:
    assert self.state is not None
    people = [(pid, self.names()[pid]) for pid in self.state.seating if pid in self.names()]
    people += [(pid, self.names()[pid]) for pid in self.state.left if pid in self.names()]
    stage = self.script.stages[self.state.stage_index]
    # Most notes are about whoever holds the piece: the note is about them unless changed.
    dialog = NoteDialog(people, stage.title, self, about=self.state.speaker)

    def save() -> None:
        try:
            note = self.service.add_note(
                dialog.note_text(),
                privacy=dialog.privacy(),
                participant_id=dialog.participant_id(),
            )
        except (InvalidInput, NotFound) as problem:
            self._say(str(problem))
            return
        # Core decides which notes this viewer sees (their own private ones, every record note).
        self.notes = self.service.notes()
        self.stage_panel.set_notes(self.notes, self.names())
        self._say(
            self.tr("Note saved: part of the shared record.")
            if note.privacy == "record"
            else self.tr("Note saved: private memory aid.")
        )

    open_dialog(self, dialog, save)


# --- the talking piece ------------------------------------------------------------


def popcorn(self: FacilitatorWindow) -> None:
    state = self.state
    assert state is not None
    if not state.stage.has_round or state.mode is PieceMode.ASIDE:
        self._do(lambda: self.service.set_mode(PieceMode.POPCORN))  # explains why not
        return
    pool = state.turn_order if state.round_complete else state.remaining
    names = self.names()
    people = [(pid, names.get(pid, "?")) for pid in pool if pid != state.speaker]
    dialog = PickPersonDialog(
        self.tr("Who speaks next?"),
        self.tr("Popcorn order: hand the talking piece to whoever asks for it."),
        people,
        self,
    )

    def choose() -> None:
        chosen = dialog.chosen()
        if chosen is None:
            return
        switch = self.state is not None and self.state.mode is not PieceMode.POPCORN
        if switch and not self._do(lambda: self.service.set_mode(PieceMode.POPCORN)):
            return
        self._do(lambda: self.service.choose_speaker(chosen))

    open_dialog(self, dialog, choose)


# --- people -----------------------------------------------------------------------


def join_late(self: FacilitatorWindow) -> None:
    state = self.state
    assert state is not None
    directory = PeopleService(context_for(self.database))
    invited = [
        (row.person_id, self.tr("{name} (invited)").format(name=row.name))
        for pid, row in self.live.participants.items()
        if pid not in state.seating and row.role != Role.OBSERVER.value
    ]
    taken = {row.person_id for row in self.live.participants.values()}

    def search(text: str) -> list[tuple[int, str]]:
        wanted = text.casefold().strip()
        first = [p for p in invited if wanted in p[1].casefold()]
        found = [
            (row.id, row.display_name)
            for row in directory.search(text, limit=100)
            if row.id not in taken
        ]
        return first + found

    roles = [(r.value, role_label(r.value)) for r in JOIN_ROLES]
    dialog = PickPersonDialog(
        self.tr("Someone joins late"),
        self.tr(
            "Who has arrived? They sit at the end of the ring and get a turn as the "
            "talking piece reaches them."
        ),
        search(""),
        self,
        roles=roles,
        search=search,
    )

    def join() -> None:
        person_id = dialog.chosen()
        if person_id is None:
            return
        role = dialog.chosen_role() or Role.MEMBER.value
        try:
            joined = self.service.join_late(person_id, role=role)
        except (InvalidInput, NotFound) as problem:
            self._say(str(problem))
            return
        self.live.participants[joined.participant.id] = joined.participant
        self._say(self.tr("{name} joined the circle.").format(name=joined.participant.name))
        self._render(joined.state)

    open_dialog(self, dialog, join)


def leave_early(self: FacilitatorWindow) -> None:
    state = self.state
    assert state is not None
    names = self.names()
    people = [(pid, names.get(pid, "?")) for pid in state.seating]
    dialog = PickPersonDialog(
        self.tr("Someone leaves early"),
        self.tr("Who is leaving? They are taken out of the ring; their turns so far stay."),
        people,
        self,
    )

    def leave() -> None:
        chosen = dialog.chosen()
        if chosen is None:
            return
        if self._do(lambda: self.service.leave_early(chosen)):
            row = self.live.participants.get(chosen)
            if row is not None:
                from dataclasses import replace

                self.live.participants[chosen] = replace(
                    row, attendance=Attendance.LEFT_EARLY.value
                )
            self._say(self.tr("{name} left the circle.").format(name=names.get(chosen)))

    open_dialog(self, dialog, leave)


# --- ending -----------------------------------------------------------------------


def confirm_end(self: FacilitatorWindow) -> None:
    dialog = ConfirmEndDialog(self.progress.text(), self)
    open_dialog(self, dialog, lambda: end_circle(self))


def end_circle(self: FacilitatorWindow) -> None:
    from circlekeeper.ui.live.summary import SummaryView

    try:
        summary = self.service.end()
    except (InvalidInput, NotFound) as problem:
        self._say(str(problem))
        return
    self.summary = summary
    self._ticker.stop()
    self.heartbeat.forget()
    self.projector.close()
    view = SummaryView(
        summary,
        self.live,
        self.service.notes(),
        self.parentWidget(),
        database=self.database,
        case_move=self.service.case_move,
    )
    self.summary_view = view
    view.show()
    self.ended.emit(summary)
    self.close()
