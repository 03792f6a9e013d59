"""Changing the database file while the app runs: close it, do the work off the UI thread, reopen.

Encryption on or off, a new passphrase, and restoring a backup all need the database closed.
The areas are closed first (so nothing reads the file half-way), the work runs on the thread
pool behind a busy window, and the database is opened again (with the new passphrase, or the
old one if the work failed, which leaves the file as it was).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.background import BackgroundTask


def _tr(text: str) -> str:
    return QCoreApplication.translate("Protection", text)


def tell(parent: QWidget | None, title: str, text: str, *, warning: bool = False) -> None:
    """Tell the person how something went, in a message box they close."""
    if warning:
        QMessageBox.warning(parent, title, text)
    else:
        QMessageBox.information(parent, title, text)


def show_settings(window: Any) -> None:
    """Bring the Settings area (where Protection lives) back after the areas were rebuilt."""
    view = getattr(window, "settings_view", None)
    for row in range(window.navigation.count()):
        if window.stack.widget(row + 1) is view:
            window.navigation.setCurrentRow(row)
            return


def run_busy(parent: QWidget, title: str, text: str, work: Callable[[], object]) -> object:
    """Run ``work`` off the UI thread behind a busy window; return its result or raise."""
    progress = QProgressDialog(text, "", 0, 0, parent)
    progress.setCancelButton(None)  # re-encrypting cannot be stopped half-way
    progress.setWindowTitle(title)
    progress.setAccessibleName(title)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(0)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    outcome: dict[str, object] = {}
    loop = QEventLoop()
    task = BackgroundTask(lambda _report, _cancelled: work())
    task.succeeded.connect(lambda result: outcome.setdefault("result", result))
    task.failed.connect(lambda error: outcome.setdefault("error", error))
    task.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    task.start()
    progress.show()
    if task.running or not outcome:
        loop.exec()
    progress.close()
    progress.deleteLater()
    error = outcome.get("error")
    if isinstance(error, BaseException):
        raise error
    return outcome.get("result")


def change_file(
    window: Any,
    *,
    title: str,
    text: str,
    work: Callable[[Path], object],
    passphrase_after: str | None,
    passphrase_if_failed: str | None,
    done: str,
    encrypted_after: bool | None = None,
) -> bool:
    """Close the records, run ``work(path)``, reopen them; tell the person how it went.

    ``window`` is the main window (``database``, ``guard``, ``close_database``,
    ``switch_database``).
    """
    database = window.database
    if database is None:
        return False
    path = database.path
    window.guard.wait_for_backup()
    window.close_database()
    try:
        result = run_busy(window, title, text, lambda: work(path))
    except DatabaseProblem as problem:
        tell(window, title, str(problem), warning=True)
        window.switch_database(path, passphrase=passphrase_if_failed)
        show_settings(window)
        return False
    except Exception as error:  # noqa: BLE001 - said in words; logged by BackgroundTask
        tell(
            window,
            title,
            _tr("That did not work ({problem}). Your records were not changed.").format(
                problem=error
            ),
            warning=True,
        )
        window.switch_database(path, passphrase=passphrase_if_failed)
        show_settings(window)
        return False
    del result
    opened = window.switch_database(path, passphrase=passphrase_after)
    show_settings(window)
    reopened = window.database if opened else None
    if (
        reopened is not None
        and encrypted_after is not None
        and reopened.encrypted != encrypted_after
    ):
        # Say only what is true of the file now open, never what was meant to happen.
        tell(
            window,
            title,
            _tr("{file} is not as expected: it is {state}. Please try again.").format(
                file=reopened.path,
                state=_tr("encrypted") if reopened.encrypted else _tr("not encrypted"),
            ),
            warning=True,
        )
        return False
    if opened:
        tell(window, title, done)
    return bool(opened)
