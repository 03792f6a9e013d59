"""Moving the write-ahead log into the database file on a worker, not inside a commit.

In WAL mode a commit appends its pages to the ``-wal`` file and makes that durable
(``synchronous=FULL``); now and then the log has to be copied back into the database file (a
checkpoint). SQLite's own rule does that inside the commit that takes the log past 1000 pages:
on the large demo, one facilitation key press in about sixty paid 5-25 ms for it (the live
state's JSON spans a few pages, so a press writes about 16).

So an engine's commits are counted and a worker runs a PASSIVE checkpoint (it never blocks a
writer or a reader) after a quiet moment, or after a batch of commits, whichever comes first.
The log then starts again from its beginning at the next commit and does not reach SQLite's
threshold (raised to 2000 pages, about 8 MB), which stays as the safety net should the worker
fall behind. Nothing about
durability changes: each commit is on disk in the log before it returns, checkpointed or not.

The worker opens a connection of its own for each checkpoint and closes it (it never takes or
closes one of the pool's, which the next key press would then have to open again). It ends
when the engine has been idle a while (the next commit starts it again), and is stopped and
joined when the engine is disposed: nothing has the file open after :meth:`Database.close`,
and a rewrite or wipe that disposes the engine first (``scrub``) never meets a checkpoint of
ours.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event

log = logging.getLogger(__name__)

# Commits: about 800 pages of the large demo's key presses, under SQLITE_THRESHOLD. Fewer,
# larger checkpoints in a burst: one running meanwhile slows a press's own commit a little
# (both sync the same disk), so the fewer presses meet one the better.
BATCH = 50
SQLITE_THRESHOLD = 2000  # pages: SQLite's own rule (the safety net), set on every connection
QUIET_SECONDS = 0.25  # no commit for this long: the keeper is listening, nobody is waiting
IDLE_SECONDS = 5.0  # nothing left to do for this long: the worker ends until the next commit


_engines: weakref.WeakKeyDictionary[Engine, WalCheckpoints] = weakref.WeakKeyDictionary()


def checkpoints_of(engine: Engine) -> WalCheckpoints | None:
    """The worker that checkpoints this engine's file (None: SQLite's own rule does it)."""
    return _engines.get(engine)


class WalCheckpoints:
    """Runs an engine's checkpoints on a worker thread, after a quiet moment or a batch."""

    def __init__(
        self,
        engine: Engine,
        connect: Callable[[], Any],
        *,
        batch: int = BATCH,
        quiet: float = QUIET_SECONDS,
        idle: float = IDLE_SECONDS,
    ) -> None:
        self._connect = connect  # a DBAPI connection to the same file (keyed, if encrypted)
        self.batch = batch
        self.quiet = quiet
        self.idle = idle
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._pending = 0  # commits since the last checkpoint began
        self._last_commit = 0.0
        self._idle = False  # the worker waits for a commit (not for quiet)
        self._told = False  # the worker was woken for a full batch
        self._thread: threading.Thread | None = None
        self._stopping = False
        self.done = 0  # checkpoints run (tests and benchmarks read it)
        event.listen(engine, "commit", self._committed)
        event.listen(engine, "checkin", self._checked_in)
        event.listen(engine, "engine_disposed", self._disposed)
        _engines[engine] = self

    @property
    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    # On the committing thread, inside the key press: count, and at most wake the worker.

    def _committed(self, _connection: Any) -> None:
        with self._lock:
            self._pending += 1
            self._last_commit = time.monotonic()

    def _checked_in(self, _dbapi_connection: Any, _record: Any) -> None:
        # The connection is back in the pool, so its commit has finished: a checkpoint begun
        # now takes that commit along (one begun at the commit event would race it).
        with self._lock:
            if not self._pending:
                return
            if self._thread is None:
                self._stopping = False
                self._idle = self._told = False
                self._thread = threading.Thread(
                    target=self._run, name="circlekeeper-wal-checkpoint", daemon=True
                )
                self._thread.start()
            elif self._idle or (self._pending >= self.batch and not self._told):
                self._told = not self._idle
                self._idle = False
                self._wake.notify()

    def _disposed(self, _engine: Any) -> None:
        self.stop()

    def stop(self) -> None:
        """End the worker and wait for it (a checkpoint under way finishes first)."""
        with self._lock:
            thread = self._thread
            self._stopping = True
            self._wake.notify()
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _next(self) -> bool:
        """Wait until a checkpoint is due; False when the worker should end."""
        with self._lock:
            while not self._stopping:
                if not self._pending:
                    self._idle = True
                    woken = self._wake.wait(self.idle)
                    self._idle = False
                    if not woken and not self._pending:
                        break  # idle: end; the next commit starts a new worker
                    continue
                wait = self._last_commit + self.quiet - time.monotonic()
                if self._pending >= self.batch or wait <= 0:
                    self._pending = 0
                    self._told = False
                    return True
                self._wake.wait(wait)
            self._thread = None
            return False

    def _run(self) -> None:
        while self._next():
            self.checkpoint()

    def checkpoint(self) -> None:
        """Copy what the log holds into the file now, without blocking anyone (PASSIVE)."""
        try:
            connection = self._connect()
            try:
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            finally:
                connection.close()
        except Exception:  # noqa: BLE001 - the commit's own rule will checkpoint instead
            log.warning("The write-ahead log could not be checkpointed now", exc_info=True)
            return
        self.done += 1
