"""Running long work (imports, demo data) off the UI thread, with progress and Cancel."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]
Work = Callable[[Progress, IsCancelled], object]


class _Runner(QRunnable):
    def __init__(self, task: BackgroundTask) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task._run()


class BackgroundTask(QObject):
    """One piece of work on the shared thread pool; signals arrive on the UI thread.

    ``work(progress, cancelled)`` receives a progress callback (done, total) and a function
    telling whether Cancel was pressed; it returns a result or raises.
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    finished = Signal()

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._last_progress = 0.0
        self.running = False

    def start(self, pool: QThreadPool | None = None) -> None:
        self.running = True
        self._runner = _Runner(self)
        self._runner.setAutoDelete(False)
        (pool or QThreadPool.globalInstance()).start(self._runner)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int) -> None:
        # Dozens of thousands of rows would flood the UI thread; a few updates a second suffice.
        now = time.monotonic()
        if done >= total or now - self._last_progress >= 0.05:
            self._last_progress = now
            self.progressed.emit(done, total)

    def _run(self) -> None:
        try:
            result = self._work(self._progress, self._cancel.is_set)
        except Exception as exc:  # shown to people in words by the receiver; logged here
            if not self._cancel.is_set():
                log.exception("Background work failed")
            self.running = False
            self.failed.emit(exc)
        else:
            self.running = False
            self.succeeded.emit(result)
        self.finished.emit()
