"""The facilitator window's calm line about the server: offline, saving here; back online.

On a district's server the window's circle gets an :class:`OfflineCircle`. While the server
cannot be reached, every action is kept on the laptop and this line says so (never an error
box). Every few seconds a worker thread asks the server whether it answers; when it does, the
journal is sent in order on the window's own thread and the line says everything is saved.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

from circlekeeper.core.facilitation.offline import OfflineCircle, Sent
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.problems import DatabaseProblem

if TYPE_CHECKING:
    from circlekeeper.ui.live.facilitator import FacilitatorWindow

log = logging.getLogger(__name__)
PROBE_SECONDS = 5.0  # how often the server is asked again while the laptop keeps the circle
SHOW_BACK_MS = 10_000  # how long "Back online" stays


class ConnectionLine(QLabel):
    """Hidden while the server answers; a calm sentence while the laptop keeps the circle."""

    def __init__(self, window: FacilitatorWindow, passphrase: str | None = None) -> None:
        super().__init__(window)
        self.window_ = window
        font = QFont(self.font())
        font.setPointSizeF(13)
        font.setBold(True)
        self.setFont(font)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName(self.tr("Connection to the server"))
        self.setObjectName("connection_line")
        self.setStyleSheet("#connection_line { color: #7a4a00; }")
        self.hide()
        self.keeper: OfflineCircle | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._probe: Future[bool] | None = None
        self._asked = 0.0
        self.last_sent: Sent | None = None
        try:
            self.keeper = OfflineCircle.attach(window.service, window.live, passphrase=passphrase)
        except DatabaseProblem:
            log.exception("The laptop's journal for this circle cannot be used")
        if self.keeper is None:
            return
        self.keeper.on_lost = self.check
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        if self.keeper.active:  # a journal left waiting (a crash, a kill): send it first
            self.send()

    # --- showing ---------------------------------------------------------------------------

    @property
    def offline(self) -> bool:
        return self.keeper is not None and self.keeper.active

    def check(self) -> None:
        """Each second: show the line while offline; ask the server again now and then."""
        if not self.offline:
            return
        self._show(
            self.tr(
                "Offline — saving on this laptop. Everything will be sent when the server is back."
            )
        )
        if self._probe is not None:
            if self._probe.done():
                answered = not self._probe.exception() and self._probe.result()
                self._probe = None
                if answered:
                    self.send()
            return
        if time.monotonic() - self._asked >= PROBE_SECONDS:
            self._asked = time.monotonic()
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="probe")
            assert self.keeper is not None
            self._probe = self._pool.submit(self.keeper.server_answers)

    def _show(self, text: str) -> None:
        if self.text() != text:
            self.setText(text)
        if not self.isVisible():
            self.show()

    # --- back online -----------------------------------------------------------------------

    def send(self) -> None:
        """Send what the laptop kept, in order; redraw the window from the server's state."""
        keeper = self.keeper
        if keeper is None:
            return
        window = self.window_
        try:
            sent = keeper.try_to_send()
        except (InvalidInput, DatabaseProblem) as problem:
            log.warning("The laptop's journal was not sent: %s", problem)
            window._say(str(problem))
            return
        if sent is None:
            return
        self.last_sent = sent
        window.live = window.service.resume()
        window.notes = window.live.notes
        window.stage_panel.set_notes(window.notes, window.names())
        window.state = None  # redraw everything from the server's state
        window._render(window.live.state)
        self._show(self.tr("Back online — everything saved."))
        if sent.problems:
            window._say(" ".join(sent.problems))
        QTimer.singleShot(SHOW_BACK_MS, self._hide_if_online)

    def _hide_if_online(self) -> None:
        if not self.offline:
            self.hide()

    def stop(self) -> None:
        if self.keeper is not None:
            self._timer.stop()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
