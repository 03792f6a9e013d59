"""Starting the desktop app: paint the window first, then open the data.

``--self-test`` runs the same path offscreen and prints start-up figures for packaging checks
and benchmarks.
"""

from __future__ import annotations

import sys
from pathlib import Path

from circlekeeper.clock import ms_since_process_start


def run_app(database: Path | str, *, self_test: bool = False, language: str = "system") -> int:
    import gc
    import os

    # Start-up makes a few hundred thousand objects that live as long as the program (Qt's
    # and SQLAlchemy's classes, the models, the first screen) and almost no garbage: the
    # collector, run every few hundred new objects, would walk them again and again (about a
    # third of the start-up's time). It waits until the records are on screen (open_data).
    gc.disable()

    from circlekeeper.core.logs import setup_logging

    # Started from the command line the log is already set up; started any other way
    # (a packaged launcher), the window gets the same private, rotating, value-free log.
    setup_logging()
    if self_test and "QT_QPA_PLATFORM" not in os.environ and not os.environ.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from circlekeeper.ui.pyside_imports import import_plainly

    import_plainly()  # before the hundreds of modules the records bring in
    from circlekeeper.ui.i18n import install_language
    from circlekeeper.ui.identity import apply_identity
    from circlekeeper.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_identity(app)  # type: ignore[arg-type]
    # Before the first window: every label is translated as it is made.
    install_language(language, app)
    from circlekeeper.ui.unexpected import install_error_hooks

    # An error nobody planned for goes to the private log and a calm message, never ends
    # the program in the middle of a circle.
    hooks = install_error_hooks()
    window = MainWindow()
    figures: dict[str, int] = {}
    status = {"code": 0}

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and "first_paint_ms" not in figures:
                figures["first_paint_ms"] = ms_since_process_start()
                window.removeEventFilter(self)
                QTimer.singleShot(0, open_data)
            return False

    def open_data() -> None:
        _derive_key_early(database)  # on a worker, while the data layer loads
        try:
            ok = window.open_database(database, interactive=not self_test)
        finally:
            # What start-up made stays for the program's life: kept out of every later
            # collection (a circle's key presses never wait for a walk over it, nor does
            # quitting); MainWindow._clear_areas hands it back when the records close.
            gc.freeze()
            gc.enable()
        if not ok:
            status["code"] = 2
            if self_test:
                app.quit()
            else:
                window.close()
            return
        figures["data_ready_ms"] = ms_since_process_start()
        if not self_test and window.guard is not None:
            # The daily backup at start, off the UI thread, once the records are on screen.
            window.guard.backup_at_start()
        if self_test:
            print(f"first_paint_ms={figures['first_paint_ms']}", flush=True)
            print(f"data_ready_ms={figures['data_ready_ms']}", flush=True)
            app.quit()

    painter_watch = FirstPaint()
    window.installEventFilter(painter_watch)
    window.show()
    code = app.exec()
    window.close_database()
    hooks.uninstall()
    return status["code"] or code


def _derive_key_early(database: Path | str) -> None:
    """Start an encrypted file's key (``$CIRCLEKEEPER_PASSPHRASE``) as the records open.

    Its PBKDF2 runs on a worker, in C with Python's lock released, while the data layer
    loads (after the first paint, so the paint never shares the processor with it); the
    opening then takes the key ready (``crypto.key_for``). Without the variable (a person
    types the passphrase), nothing is started or imported.
    """
    import os

    from circlekeeper.cli import PASSPHRASE_ENV

    passphrase = os.environ.get(PASSPHRASE_ENV)
    if passphrase and isinstance(database, Path):
        from circlekeeper.core.store import crypto

        crypto.derive_key_early(database.expanduser(), passphrase)
