"""Settings → Merge another laptop: choose its file, read the preview, then Merge.

The preview is the dry run of ``core/merge`` (exactly what the merge would change), the merge
its one transaction; both run off the UI thread. The screen decides nothing itself: who may
merge, how records match and which change wins are the core's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.merge import (
    KEEP_NEWER,
    KEEP_OTHER,
    KEEP_THIS,
    MergeReport,
    merge_database,
    open_source,
    preview_merge,
)
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.database import Database, is_encrypted
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.background import BackgroundTask
from circlekeeper.ui.looking import screen_context
from circlekeeper.ui.style import heading, note


class MergeDialog(QDialog):
    """The preview of merging one laptop's file, and the Merge button that does it."""

    def __init__(self, database: Database, source: Database, parent: QWidget) -> None:
        super().__init__(parent)
        self.database = database
        self.source = source
        # Who acts (named in the merge's audit lines; the core refuses an SRO).
        self.context = screen_context(database)
        self.report: MergeReport | None = None
        self.merged: MergeReport | None = None
        self.task: BackgroundTask | None = None
        self.setWindowTitle(self.tr("Merge another laptop's database"))
        self.setAccessibleName(self.windowTitle())
        self.resize(820, 560)
        self.status = QLabel(self.tr("Reading what the merge would change…"), self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Merge status"))
        # The rule for records edited on both sides: the newer change, unless the person
        # chooses one side for this merge.
        self.keep = QComboBox(self)
        self.keep.addItem(self.tr("Keep the newer change (the usual rule)"), KEEP_NEWER)
        self.keep.addItem(self.tr("Keep this database's change"), KEEP_THIS)
        self.keep.addItem(self.tr("Take the other laptop's change"), KEEP_OTHER)
        self.keep.setAccessibleName(self.tr("When a record was edited on both laptops"))
        keep_label = QLabel(self.tr("When a record was edited on &both laptops:"), self)
        keep_label.setBuddy(self.keep)
        self.keep.currentIndexChanged.connect(self._keep_changed)
        self.listing = QPlainTextEdit(self)
        self.listing.setReadOnly(True)
        self.listing.setAccessibleName(self.tr("What the merge changes"))
        self.listing.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.buttons = QDialogButtonBox(self)
        self.merge_button = self.buttons.addButton(
            self.tr("&Merge"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.merge_button.setAccessibleName(self.tr("Merge"))
        self.merge_button.setEnabled(False)
        self.close_button = self.buttons.addButton(
            self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.close_button.setAccessibleName(self.tr("Close"))
        self.buttons.accepted.connect(self.merge)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            note(
                self.tr(
                    "Nothing has been written yet. Below is exactly what merging {file} "
                    "would change here. Press Merge to do it, all at once: if it is "
                    "interrupted, nothing is half-merged."
                ).format(file=source.location),
                self,
            )
        )
        keep_row = QHBoxLayout()
        keep_row.addWidget(keep_label)
        keep_row.addWidget(self.keep, 1)
        layout.addLayout(keep_row)
        layout.addWidget(self.status)
        layout.addWidget(self.listing, 1)
        layout.addWidget(self.buttons)
        self._start(self._preview, self._previewed)

    # -- work off the UI thread -------------------------------------------------------------

    def _start(self, work: Any, done: Any) -> None:
        self.merge_button.setEnabled(False)
        self.keep.setEnabled(False)
        self.task = BackgroundTask(lambda _progress, _cancelled: work(), self)
        self.task.succeeded.connect(done)
        self.task.failed.connect(self._failed)
        self.task.start()

    @property
    def chosen_rule(self) -> str:
        return str(self.keep.currentData())

    def _preview(self) -> MergeReport:
        return preview_merge(self.context, self.source, self.database.location, self.chosen_rule)

    def _merge(self) -> MergeReport:
        return merge_database(self.context, self.source, self.database.location, self.chosen_rule)

    def _keep_changed(self, _index: int) -> None:
        """Another rule: read the preview again, so Merge does what is shown."""
        if self.merged is not None or self.busy:
            return
        self.report = None
        self.status.setText(self.tr("Reading what the merge would change…"))
        self._start(self._preview, self._previewed)

    @property
    def busy(self) -> bool:
        return self.task is not None and self.task.running

    def _previewed(self, report: MergeReport) -> None:
        self.report = report
        self.keep.setEnabled(True)
        self.listing.setPlainText("\n".join(report.lines()))
        if report.nothing_to_do:
            self.status.setText(self.tr("This database already has everything in that file."))
            return
        self.status.setText(self.tr("Read the changes below, then press Merge."))
        self.merge_button.setEnabled(True)
        self.merge_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def merge(self) -> None:
        if self.report is None or self.busy:
            return
        self.keep.setEnabled(False)
        self.status.setText(self.tr("Merging… (this can take a minute for a whole school year)"))
        self.close_button.setEnabled(False)
        self._start(self._merge, self._done)

    def _done(self, report: MergeReport) -> None:
        self.merged = report
        self.close_button.setEnabled(True)
        self.listing.setPlainText("\n".join(report.lines()))
        self.status.setText(self.tr("Merged. The changes below are saved."))
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _failed(self, error: BaseException) -> None:
        self.close_button.setEnabled(True)
        self.keep.setEnabled(self.merged is None)
        if isinstance(error, DatabaseProblem | InvalidInput):
            self.status.setText(str(error))
        else:
            self.status.setText(
                self.tr(
                    "The merge stopped on an unexpected problem; nothing was changed. The "
                    "details are in the log (Settings, About)."
                )
            )

    def done(self, result: int) -> None:
        if self.busy:
            return  # the merge's one transaction finishes (or fails) first
        self.source.close()
        super().done(result)


class MergeSection(QWidget):
    """The Settings section that starts a merge."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.dialog: MergeDialog | None = None
        self.setAccessibleName(self.tr("Merge another laptop"))
        self.choose_button = QPushButton(self.tr("Merge another laptop's database…"), self)
        self.choose_button.setAccessibleName(self.tr("Merge another laptop's database"))
        self.choose_button.clicked.connect(self.choose)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Merge message"))
        box = QGroupBox(self)
        inner = QVBoxLayout(box)
        inner.addWidget(
            note(
                self.tr(
                    "Bring another counselor's records into this database: a copy of their "
                    "laptop's file. The same student on both is recognised by student ID. "
                    "You see every change before anything is written."
                ),
                box,
            )
        )
        inner.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignLeft)
        inner.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(self.tr("Merge another laptop"), self, level=2))
        layout.addWidget(box)

    def choose(self) -> MergeDialog | None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the other laptop's database"),
            "",
            self.tr("circlekeeper databases (*.sqlite3 *.db);;All files (*)"),
        )
        return self.open_merge(Path(chosen)) if chosen else None

    def open_merge(self, path: Path) -> MergeDialog | None:
        """Check the file (asking its passphrase when it has one), then show the preview."""
        self.message.clear()
        try:
            source = self._open(path)
        except DatabaseProblem as problem:
            self.message.setText(str(problem))
            return None
        if source is None:
            return None
        self.dialog = MergeDialog(self.database, source, self)
        self.dialog.open()
        return self.dialog

    def _open(self, path: Path) -> Database | None:
        if not (path.exists() and path.is_file() and is_encrypted(path)):
            return open_source(path, self.database)
        from circlekeeper.ui.security.passphrase import PassphraseDialog

        asking = PassphraseDialog(
            path.name,
            lambda passphrase: open_source(path, self.database, passphrase),
            self,
            explanation=self.tr(
                "The other laptop's records in {file} are protected with a passphrase. Type "
                "it to read them; nothing there is changed."
            ).format(file=path.name),
        )
        if asking.exec() != QDialog.DialogCode.Accepted:
            return None
        if asking.problem is not None:
            raise asking.problem
        found = asking.result_value
        return found if isinstance(found, Database) else None
