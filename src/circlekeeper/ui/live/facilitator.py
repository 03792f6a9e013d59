"""The facilitator window: one circle, live, keyboard first, large type, one thing at a time.

Every action goes to the :class:`FacilitationService`, which commits it before returning the new
:class:`LiveState`; the window then redraws from that state, touching only what changed. A move
that makes no sense is explained on a quiet status line, never in a box that steals focus.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.domain.enums import CircleStatus, Role
from circlekeeper.core.domain.live import LiveState, PieceMode
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.facilitation.downtime import Heartbeat
from circlekeeper.core.facilitation.rows import LiveSession
from circlekeeper.core.operations import Context
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.profiles.profiles import Viewer
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.geometry import default_size, remember_geometry
from circlekeeper.ui.live import collector, people_actions
from circlekeeper.ui.live.connection import ConnectionLine
from circlekeeper.ui.live.labels import clock_text, seat_list
from circlekeeper.ui.live.projector import ProjectorWindow
from circlekeeper.ui.live.ring import RingWidget
from circlekeeper.ui.live.screens import FacilitatorScreens
from circlekeeper.ui.live.stage_panel import StagePanel
from circlekeeper.ui.locale import language
from circlekeeper.ui.operations import context_for

log = logging.getLogger(__name__)
TITLE_POINTS = 28


@dataclass(frozen=True)
class Action:
    name: str
    text: str
    keys: tuple[str, ...]
    run: Callable[[], None]
    primary: bool = False
    hidden: bool = False  # a key with no button (Esc)


class FacilitatorWindow(FacilitatorScreens, QWidget):
    """Runs one circle; starts it if it is planned, resumes it if it was interrupted."""

    ended = Signal(dict)
    _frozen = False  # whether this window holds the collector's freeze (collector.py)

    def __init__(
        self,
        database: Database,
        circle_id: int,
        parent: QWidget | None = None,
        *,
        present: list[int] | None = None,
        clock: Callable[[], float] = time.time,
        context: Context | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.database = database
        self._clock = clock
        # Who is facilitating (the open database's active profile unless another is given):
        # notes are theirs, and core returns only the notes they may see.
        context = context if context is not None else context_for(database)
        self.service = FacilitationService(context, circle_id, clock=clock)
        self.viewer: Viewer = self.service.viewer
        status = CirclePlanner(context).detail(circle_id).status
        if status == CircleStatus.PLANNED.value:
            self.live: LiveSession = self.service.start(present)
        else:
            self.live = self.service.resume()
        self.resumed = status == CircleStatus.IN_PROGRESS.value
        self.heartbeat = Heartbeat(self.live.uuid)
        if self.resumed:
            self._leave_out_downtime()
        self.script = self.live.script
        self.notes = self.live.notes
        self.state: LiveState | None = None
        self.summary: dict[str, Any] | None = None
        self.summary_view: QWidget | None = None
        self.close_box = None
        self.dialog: QWidget | None = None
        # The question shows first in the language of the screens, when the script has it.
        self.home_language = "es" if language() == "es" and "es" in self.script.languages else "en"
        self.languages = [self.home_language]
        self.projector = ProjectorWindow(self)
        self.setWindowTitle(self.tr("circlekeeper — {title}").format(title=self.live.title))
        self.setAccessibleName(self.tr("Facilitator view"))
        # Large enough for the script beside a readable ring on a laptop; never past its screen.
        default_size(self, 1280, 720)
        remember_geometry(self, "facilitator")
        self._build()
        self._render(self.live.state)
        self._show_languages()
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        if self.resumed:
            self.restore_display()
            self._say(
                self.tr("Resumed where the circle stopped. {n} notes kept.").format(
                    n=len(self.notes)
                )
            )
        # Last, once the window stands: no full collection of what exists now inside a press.
        self._frozen = True
        collector.circle_opened()

    # --- building ---------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 16, 24, 12)
        root.setSpacing(10)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.stage_count = self._label(13, self.tr("Stage number"))
        self.stage_title = self._label(TITLE_POINTS, self.tr("Stage"), bold=True)
        titles.addWidget(self.stage_count)
        titles.addWidget(self.stage_title)
        header.addLayout(titles, 1)
        clocks = QVBoxLayout()
        clocks.setSpacing(2)
        self.round_clock = self._label(13, self.tr("Round timer"))
        self.stage_clock = self._label(12, self.tr("Time in this stage"))
        self.total_clock = self._label(12, self.tr("Total time"))
        for label in (self.round_clock, self.stage_clock, self.total_clock):
            label.setAlignment(Qt.AlignmentFlag.AlignRight)
            label.setWordWrap(False)
            clocks.addWidget(label)
        header.addLayout(clocks)
        root.addLayout(header)

        body = QHBoxLayout()
        body.setSpacing(24)
        self.stage_panel = StagePanel(self)
        body.addWidget(self.stage_panel, 11)
        right = QVBoxLayout()
        self.ring = RingWidget(self)
        right.addWidget(self.ring, 1)
        self.progress = self._label(16, self.tr("Round progress"), bold=True)
        self.progress.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Room for three lines from the start (when a round completes: who spoke, the round
        # and its order, wrapped at 1366x768, then what to press next): the ring above keeps
        # its place instead of jumping under the keeper's eyes at each round's end and start
        # (and being laid out and painted whole at those presses, the slowest of a circle).
        self.progress.setText("M\nM\nM")  # measured as the label lays its lines out
        self.progress.setMinimumHeight(self.progress.sizeHint().height())
        self.progress.clear()
        self.outside = self._label(12, self.tr("Not in the ring"))
        self.outside.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right.addWidget(self.progress)
        right.addWidget(self.outside)
        body.addLayout(right, 10)
        root.addLayout(body, 1)

        self.live_actions = self._actions()
        self.buttons: dict[str, QPushButton] = {}
        piece = QHBoxLayout()
        piece.setSpacing(8)
        for action in (a for a in self.live_actions if a.primary):
            button = self._button(action)
            font = QFont(button.font())
            font.setPointSizeF(15)
            font.setBold(action.name == "next")
            button.setFont(font)
            button.setMinimumHeight(52)
            piece.addWidget(button, 2 if action.name == "next" else 1)
            if action.name == "next":
                piece.addSpacing(24)  # the piece's moves, then the stage's
        root.addLayout(piece)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        others = [a for a in self.live_actions if not a.primary and not a.hidden]
        columns = (len(others) + 1) // 2
        for index, action in enumerate(others):
            grid.addWidget(self._button(action), index // columns, index % columns)
        root.addLayout(grid)
        self.status = self._label(12, self.tr("Status"))
        self.status.setMinimumHeight(self.status.fontMetrics().height() + 4)
        # On a server: the calm line while the laptop keeps the circle (hidden otherwise).
        self.connection = ConnectionLine(self)
        root.addWidget(self.connection)
        root.addWidget(self.status)
        for action in self.live_actions:
            for key in action.keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
                shortcut.setAutoRepeat(False)
                shortcut.activated.connect(action.run)

    def _actions(self) -> list[Action]:
        return [
            Action("back", self.tr("Back"), ("Backspace", "Left"), self.back, True),
            Action("pass", self.tr("Pass"), ("P",), self.pass_turn, True),
            Action("next", self.tr("Next speaker"), ("Space", "Right"), self.next_speaker, True),
            Action(
                "previous_stage",
                self.tr("Previous stage"),
                ("PgUp", "Ctrl+Left"),
                self.previous_stage,
                True,
            ),
            Action(
                "next_stage", self.tr("Next stage"), ("PgDown", "Ctrl+Right"), self.next_stage, True
            ),
            Action("timer", self.tr("Start timer"), ("T",), self.toggle_timer),
            Action("note", self.tr("Note…"), ("N",), self.add_note),
            Action("popcorn", self.tr("Popcorn: choose…"), ("O",), self.popcorn),
            Action("ring", self.tr("Ring order"), ("R",), self.ring_order),
            Action("aside", self.tr("Set piece aside"), ("A",), self.toggle_aside),
            Action("join", self.tr("Joins late…"), ("J",), self.join_late),
            Action("leave", self.tr("Leaves early…"), ("L",), self.leave_early),
            Action("projector", self.tr("Projector"), ("Ctrl+Shift+P",), self.toggle_projector),
            Action(
                "languages", self.tr("Languages: English"), ("Ctrl+Shift+L",), self.toggle_languages
            ),
            Action(
                "guidelines",
                self.tr("Guidelines on projector"),
                ("Ctrl+Shift+G",),
                self.toggle_guidelines,
            ),
            Action("fullscreen", self.tr("Full screen"), ("F11",), self.toggle_full_screen),
            Action("end", self.tr("End circle…"), ("Ctrl+W",), self.confirm_end),
            # Esc never ends a circle: it leaves full screen, or does nothing.
            Action("escape", "", ("Esc",), self.escape, hidden=True),
        ]

    def _button(self, action: Action) -> QPushButton:
        button = QPushButton(action.text, self)
        keys = ", ".join(
            QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in action.keys
        )
        button.setToolTip(f"{action.text.rstrip('…')} ({keys})")
        button.setAccessibleName(action.text.rstrip("…"))
        button.setAccessibleDescription(self.tr("Shortcut: {keys}").format(keys=keys))
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.clicked.connect(action.run)
        if action.name in ("projector", "languages", "guidelines", "fullscreen"):
            button.setCheckable(True)
            button.clicked.disconnect()
            button.clicked.connect(lambda _checked=False, run=action.run: run())
        self.buttons[action.name] = button
        return button

    def _label(self, points: float, name: str, *, bold: bool = False) -> QLabel:
        label = QLabel(self)
        font = QFont(label.font())
        font.setPointSizeF(points)
        font.setBold(bold)
        label.setFont(font)
        label.setWordWrap(True)
        label.setAccessibleName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    # --- rendering --------------------------------------------------------------------

    def names(self) -> dict[int, str]:
        return {pid: row.name for pid, row in self.live.participants.items()}

    def _render(self, state: LiveState) -> None:
        previous, self.state = self.state, state
        if previous is None or previous.stage_index != state.stage_index:
            self._render_stage(state)
        self._render_ring(state)
        self._render_buttons(state)
        self._tick()

    def _render_stage(self, state: LiveState) -> None:
        stage = self.script.stages[state.stage_index]
        self.stage_count.setText(
            self.tr("Stage {n} of {total} · {circle}").format(
                n=state.stage_index + 1, total=len(self.script.stages), circle=self.live.title
            )
        )
        self.stage_title.setText(stage.title_in(self.languages[0]))
        statement = self.live.officer_statement
        read_aloud = ""
        if statement and state.stage_index == 0:
            read_aloud = statement.get(self.languages[0]) or statement.get("en", "")
        self.stage_panel.show_stage(state.stage_index, stage, self.languages[0], read_aloud)
        self.stage_panel.set_notes(self.notes, self.names())
        self._update_projector()

    def _render_ring(self, state: LiveState) -> None:
        rows = self.live.participants
        names = self.names()
        seats = seat_list(state, rows, conference=self.live.kind == "conference")
        speaker = names.get(state.speaker or -1)
        round_stage = state.stage.has_round
        if state.mode is PieceMode.ASIDE:
            centre = self.tr("Talking piece set aside — open conversation")
        elif not round_stage:
            centre = self.tr("No talking-piece round in this stage")
        elif speaker:
            centre = self.tr("Talking piece:\n{name}").format(name=speaker)
        elif state.round_complete:
            centre = self.tr("Everyone has had a turn")
        elif state.mode is PieceMode.POPCORN:
            centre = self.tr("Popcorn: press O to choose who speaks")
        else:
            centre = ""
        self.ring.set_seats(seats, centre, round_stage=round_stage)
        if state.mode is PieceMode.ASIDE:
            progress = self.tr("Open conversation. A picks the talking piece up again.")
        elif not round_stage and state.is_last_stage:
            progress = self.tr("Last stage. End the circle when you are ready (Ctrl+W).")
        elif not round_stage:
            progress = self.tr("Page Down when you are ready for the next stage.")
        else:
            order = state.turn_order
            spoke, passed = len(state.spoken), len(state.passed)
            if state.round_complete:
                progress = self.tr("Everyone has had a turn ({spoke} spoke, {passed} passed)")
                progress = progress.format(spoke=spoke, passed=passed)
            else:
                progress = self.tr("{spoke} of {n} have spoken, {passed} passed").format(
                    spoke=spoke, n=len(order), passed=passed
                )
            if state.round_number > 1:
                progress += self.tr(" · round {n}").format(n=state.round_number)
            if state.mode is PieceMode.POPCORN:
                progress += self.tr(" · popcorn order")
            if state.round_complete:
                # What to press next on a line of its own, after the round's words.
                progress += "\n" + self.tr("Space: another round · Page Down: next stage")
        self.progress.setText(progress)
        outside = []
        for pid, row in rows.items():
            if pid in state.seating:
                continue
            if pid in state.left:
                outside.append(self.tr("{name} (left early)").format(name=row.name))
            elif row.role == Role.OBSERVER.value:
                outside.append(self.tr("{name} (observer)").format(name=row.name))
            else:
                outside.append(self.tr("{name} (absent)").format(name=row.name))
        self.outside.setText(
            self.tr("Not in the ring: {names}").format(names=", ".join(outside)) if outside else ""
        )
        self.outside.setVisible(bool(outside))

    def _render_buttons(self, state: LiveState) -> None:
        round_stage = state.stage.has_round
        aside = state.mode is PieceMode.ASIDE
        enable = {
            "back": state.can_go_back,
            "pass": state.speaker is not None,
            "next": round_stage and not aside,
            "previous_stage": not state.is_first_stage,
            "next_stage": not state.is_last_stage,
            "popcorn": round_stage and not aside,
            "ring": round_stage and state.mode is not PieceMode.RING,
        }
        for name, on in enable.items():
            button = self.buttons[name]
            if button.isEnabled() != on:
                button.setEnabled(on)
        self._retitle(
            "timer", self.tr("Pause timer") if state.timer_running else self.tr("Start timer")
        )
        self._retitle("aside", self.tr("Pick piece up") if aside else self.tr("Set piece aside"))
        next_text = (
            self.tr("Start another round")
            if state.round_complete and not aside
            else self.tr("Next speaker")
        )
        self._retitle("next", next_text)

    def _retitle(self, name: str, text: str) -> None:
        button = self.buttons[name]
        if button.text() != text:
            button.setText(text)
            button.setAccessibleName(text)

    def _tick(self) -> None:
        state = self.state
        if state is None:
            return
        now = self._clock()
        self.heartbeat.beat(now)
        seconds = state.round_elapsed(now)
        if state.timer_running:
            text = self.tr("Round timer {time}").format(time=clock_text(seconds))
        elif seconds:
            text = self.tr("Round timer {time} (paused)").format(time=clock_text(seconds))
        else:
            text = self.tr("Round timer not started (T)")
        stage = self.script.stages[state.stage_index]
        stage_text = self.tr("This stage {time}").format(time=clock_text(state.stage_elapsed(now)))
        if stage.suggested_minutes:
            stage_text += self.tr(" of about {m} min").format(m=stage.suggested_minutes)
        for label, value in (
            (self.round_clock, text),
            (self.stage_clock, stage_text),
            (self.total_clock, self.tr("Circle {t}").format(t=clock_text(state.elapsed(now)))),
        ):
            if label.text() != value:
                label.setText(value)

    def _say(self, text: str) -> None:
        if self.status.text() != text:
            self.status.setText(text)

    # --- actions ----------------------------------------------------------------------

    def _do(self, move: Callable[[], LiveState], done: str = "") -> bool:
        if self.summary is not None:
            self._say(self.tr("This circle has ended."))
            return False
        try:
            state = move()
        except (InvalidInput, NotFound) as problem:
            self._say(str(problem))
            return False
        except DatabaseProblem:
            log.exception("A facilitation action could not be saved")
            self._say(
                self.tr(
                    "That could not be saved; the last saved position is still safe. "
                    "Try again, or restart circlekeeper and resume."
                )
            )
            return False
        self._say(done)
        self._render(state)
        return True

    def next_speaker(self) -> None:
        self._do(self.service.next_speaker)

    def pass_turn(self) -> None:
        self._do(self.service.pass_turn)

    def back(self) -> None:
        self._do(self.service.back, self.tr("Undone."))

    def next_stage(self) -> None:
        self._do(self.service.next_stage)

    def previous_stage(self) -> None:
        self._do(self.service.previous_stage)

    def toggle_timer(self) -> None:
        running = self.state is not None and self.state.timer_running
        self._do(self.service.pause_timer if running else self.service.start_timer)

    def toggle_aside(self) -> None:
        aside = self.state is not None and self.state.mode is PieceMode.ASIDE
        self._do(lambda: self.service.set_piece_aside(not aside))

    def ring_order(self) -> None:
        self._do(lambda: self.service.set_mode(PieceMode.RING))

    def add_note(self) -> None:
        people_actions.add_note(self)

    def popcorn(self) -> None:
        people_actions.popcorn(self)

    def join_late(self) -> None:
        people_actions.join_late(self)

    def leave_early(self) -> None:
        people_actions.leave_early(self)

    def confirm_end(self) -> None:
        people_actions.confirm_end(self)

    def end_circle(self) -> None:
        people_actions.end_circle(self)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # Closing without ending is safe: everything is saved and the circle can be resumed.
        # When the keeper closes the window by hand (its title bar), say so and let them stay.
        asked = event.spontaneous() and self.summary is None and self.isVisible()
        if asked and not self._confirm_close():
            event.ignore()
            return
        self._ticker.stop()
        self.connection.stop()
        self.service.close()  # a server connection kept for the key presses goes back
        self.projector.close()
        if self._frozen:
            self._frozen = False
            collector.circle_closed()
        super().closeEvent(event)
