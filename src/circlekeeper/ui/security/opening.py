"""Opening the records at start: the passphrase prompt and what to do with a damaged file.

Used by :meth:`MainWindow.open_database`. Interactively a dialog asks for the passphrase (a wrong
one gets a clear message and another try; Cancel leaves the file untouched) and a damaged file
gets a plain explanation with an offer to restore the newest good backup or to start empty.
Non-interactively (``--self-test``, benchmarks, scripts) the passphrase comes from
``CIRCLEKEEPER_PASSPHRASE`` and problems are written to stderr.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from circlekeeper.core.store import crypto
from circlekeeper.core.store.backups import list_backups, restore_backup, verify_backup
from circlekeeper.core.store.crypto import FileKind
from circlekeeper.core.store.database import Database, is_encrypted, open_database
from circlekeeper.core.store.problems import (
    DamagedDatabase,
    DatabaseProblem,
    WrongPassphrase,
)

PASSPHRASE_ENV = "CIRCLEKEEPER_PASSPHRASE"  # the same name the command line uses


def _tr(text: str) -> str:
    return QCoreApplication.translate("Opening", text)


def _say(parent: QWidget | None, interactive: bool, title: str, text: str) -> None:
    if interactive:
        QMessageBox.critical(parent, title, text)
    else:
        print(f"circlekeeper: {text}", file=sys.stderr)


class _Known(DatabaseProblem):
    """A problem met while trying a passphrase, with the passphrase that got that far."""

    def __init__(self, problem: DatabaseProblem, passphrase: str) -> None:
        super().__init__(str(problem))
        self.problem = problem
        self.passphrase = passphrase


def ask_passphrase(
    path: Path, parent: QWidget | None, check: Callable[[str], object]
) -> tuple[str, object] | None:
    """Show the passphrase dialog until the right passphrase or Cancel: (passphrase, result).

    Another problem than a wrong passphrase (damage, say) is raised as :class:`_Known`.
    """
    from circlekeeper.ui.security.passphrase import PassphraseDialog

    dialog = PassphraseDialog(path.name, check, parent)
    accepted = dialog.exec()
    if dialog.problem is not None:
        raise _Known(dialog.problem, dialog.passphrase)
    if not accepted:
        return None
    return dialog.passphrase, dialog.result_value


def open_with_prompts(
    path: Path | str,
    parent: QWidget | None = None,
    *,
    interactive: bool = True,
    passphrase: str | None = None,
) -> Database | None:
    """Open the database, asking for what is needed; None when it was not opened.

    None means the person cancelled or was told why it could not be opened; the file is then
    exactly as it was (a damaged file is only ever moved aside, never changed). A PostgreSQL
    URL (a district's server) is opened as it is: it has no passphrase and no file to repair.
    """
    if isinstance(path, str):
        try:
            return _told(open_database(path), parent, interactive)
        except DatabaseProblem as problem:
            _say(parent, interactive, _tr("The records could not be opened"), str(problem))
            return None
    path = path.expanduser()
    try:
        if passphrase is None and path.exists() and is_encrypted(path):
            passphrase = os.environ.get(PASSPHRASE_ENV) or None
            if passphrase is None:
                if not interactive:
                    print(
                        f"circlekeeper: {path} is protected with a passphrase. Set "
                        f"{PASSPHRASE_ENV} to open it without a window. Nothing was changed.",
                        file=sys.stderr,
                    )
                    return None
                try:
                    answer = ask_passphrase(
                        path, parent, lambda p: open_database(path, passphrase=p)
                    )
                except _Known as known:
                    passphrase = known.passphrase
                    raise known.problem from None
                if answer is None:
                    return None
                database = answer[1]
                assert isinstance(database, Database)
                return _told(database, parent, interactive)
        return _told(open_database(path, passphrase=passphrase), parent, interactive)
    except WrongPassphrase as problem:
        _say(parent, interactive, _tr("Wrong passphrase"), str(problem))
        return None
    except DamagedDatabase as damage:
        if not interactive:
            print(f"circlekeeper: {damage}", file=sys.stderr)
            return None
        return offer_recovery(path, damage, parent, passphrase)
    except DatabaseProblem as problem:
        _say(parent, interactive, _tr("The records could not be opened"), str(problem))
        return None


def _told(database: Database, parent: QWidget | None, interactive: bool) -> Database:
    """Say what the opening tidied beside the file (an interrupted rewrite, a stray log)."""
    for notice in database.notices:
        if interactive:
            QMessageBox.information(parent, _tr("Tidied beside your records"), notice)
        else:
            print(f"circlekeeper: {notice}", file=sys.stderr)
    return database


def _backup_to_offer(path: Path, damage: DamagedDatabase) -> Path | None:
    if damage.suggested_backup is not None:
        return damage.suggested_backup
    # An encrypted backup cannot be checked without its passphrase; offer the newest one and
    # let restoring check it once the passphrase is known.
    for backup in list_backups(path):
        if crypto.classify(backup.path) is FileKind.ENCRYPTED:
            return backup.path
    return None


def offer_recovery(
    path: Path, damage: DamagedDatabase, parent: QWidget | None, passphrase: str | None
) -> Database | None:
    """Explain the damage and offer the newest good backup or an empty database."""
    from circlekeeper.ui.security.damaged import Choice, DamagedDialog

    backup = _backup_to_offer(path, damage)
    while True:
        dialog = DamagedDialog(path, damage, backup, parent)
        dialog.exec()
        choice = dialog.choice
        if choice is Choice.QUIT:
            return None
        try:
            if choice is Choice.EMPTY:
                return open_database(path, passphrase=passphrase)
            assert backup is not None
            return restore_and_open(path, backup, parent, passphrase)
        except DatabaseProblem as problem:
            QMessageBox.critical(parent, _tr("That did not work"), str(problem))
            backup = None if choice is Choice.RESTORE else backup


def restore_and_open(
    path: Path, backup: Path, parent: QWidget | None, passphrase: str | None
) -> Database | None:
    """Restore a backup over ``path`` (the file there is moved aside) and open it.

    An encrypted backup needs its passphrase: the one given, else the dialog asks.
    """
    if is_encrypted(backup):
        if passphrase is not None:
            try:
                verify_backup(backup, passphrase=passphrase)
            except WrongPassphrase:
                passphrase = None
        if passphrase is None:
            try:
                answer = ask_passphrase(
                    backup, parent, lambda p: verify_backup(backup, passphrase=p)
                )
            except _Known as known:
                raise known.problem from None
            if answer is None:
                return None
            passphrase = answer[0]
    else:
        passphrase = None
    restore_backup(path, backup, passphrase=passphrase)
    return open_database(path, passphrase=passphrase)
