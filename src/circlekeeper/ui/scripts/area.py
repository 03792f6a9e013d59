"""The Scripts area: the built-in scripts to read, and the counselor's own to edit, share and
delete."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.domain.script import ScriptError
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.scripts.scripts import ScriptInfo, ScriptInvalid, ScriptLibrary
from circlekeeper.core.store.database import Database
from circlekeeper.ui.circles.labels import kind_label
from circlekeeper.ui.geometry import remember_splitter
from circlekeeper.ui.scripts.editor import ScriptEditor
from circlekeeper.ui.scrolling import down_only
from circlekeeper.ui.style import heading, note

KeyRole = Qt.ItemDataRole.UserRole


class ScriptsArea(QWidget):
    """List the scripts on the left; show or edit the chosen one on the right."""

    def __init__(
        self,
        database: Database | None = None,
        parent: QWidget | None = None,
        library: ScriptLibrary | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database  # scripts are files; kept for the same shape as other areas
        self.library = library or ScriptLibrary()
        self.infos: list[ScriptInfo] = []
        self.dirty = False
        self._shown_key: str | None = None
        self.last_errors: list[str] = []

        self.title = heading(self.tr("Scripts"), self)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Scripts list"))
        self.list.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 18)
        self.duplicate_button = QPushButton(self.tr("Duplicat&e…"), self)
        self.duplicate_button.setAccessibleName(
            self.tr("Duplicate the selected script into one of your own")
        )
        self.import_button = QPushButton(self.tr("Import…"), self)
        self.import_button.setAccessibleName(self.tr("Import a script file"))
        self.export_button = QPushButton(self.tr("E&xport…"), self)
        self.export_button.setAccessibleName(self.tr("Export the selected script to a file"))
        self.delete_button = QPushButton(self.tr("De&lete…"), self)
        self.delete_button.setAccessibleName(self.tr("Delete the selected script of your own"))

        self.banner = note("", self)
        self.editor = ScriptEditor(self)
        self.errors = QLabel(self)
        self.errors.setWordWrap(True)
        self.errors.setTextFormat(Qt.TextFormat.PlainText)
        self.errors.setAccessibleName(self.tr("Problems found"))
        self.errors.setStyleSheet("color: #a01010;")
        self.errors.hide()
        self.save_button = QPushButton(self.tr("S&ave"), self)
        self.save_button.setAccessibleName(self.tr("Save the script"))
        self.save_button.setToolTip(self.tr("Save the script (Ctrl+S)"))
        self.revert_button = QPushButton(self.tr("Re&vert"), self)
        self.revert_button.setAccessibleName(self.tr("Undo the changes since the last save"))

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        for pair in (
            (self.duplicate_button, self.delete_button),
            (self.import_button, self.export_button),
        ):
            row = QHBoxLayout()
            for button in pair:
                row.addWidget(button)
            left_layout.addLayout(row)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.banner)
        # The editor scrolls inside its pane, so a long script never makes the window taller
        # than a laptop's screen.
        right_layout.addWidget(down_only(self.editor, right), 1)
        right_layout.addWidget(self.errors)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.revert_button)
        save_row.addWidget(self.save_button)
        right_layout.addLayout(save_row)
        splitter = QSplitter(self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 900])
        remember_splitter(splitter, "scripts")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(splitter, 1)

        self.list.currentRowChanged.connect(self._selected)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.import_button.clicked.connect(self.import_script)
        self.export_button.clicked.connect(self.export_script)
        self.delete_button.clicked.connect(self.delete_script)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.editor.edited.connect(self._edited)
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save)
        self.reload()

    # -- the list ----------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        current = select or self.current_key()
        self.infos = self.library.scripts()
        self.list.blockSignals(True)
        self.list.clear()
        for builtin, title in ((True, self.tr("Built-in")), (False, self.tr("Your scripts"))):
            group = [i for i in self.infos if i.builtin == builtin]
            header = QListWidgetItem(title, self.list)
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            header.setForeground(self.palette().brush(QPalette.ColorRole.WindowText))
            if not group and not builtin:
                empty = QListWidgetItem(self.tr("  (none yet: duplicate a built-in)"), self.list)
                empty.setFlags(Qt.ItemFlag.NoItemFlags)
            for info in group:
                item = QListWidgetItem("  " + info.title, self.list)
                item.setData(KeyRole, info.key)
                item.setToolTip(kind_label(info.kind))
        self.list.blockSignals(False)
        row = self._row_of(current) if current else -1
        if row < 0:
            row = next((r for r in range(self.list.count()) if self._key_at(r)), -1)
        self.list.blockSignals(True)
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self.dirty = False
        self._selected(row)
        problems = self.library.problems()
        if problems:
            self._show_errors(
                self.tr("Some script files in your folder were left out:"),
                [str(p) for p in problems],
            )

    def _key_at(self, row: int) -> str | None:
        item = self.list.item(row)
        key = item.data(KeyRole) if item is not None else None
        return str(key) if key else None

    def _row_of(self, key: str) -> int:
        return next((r for r in range(self.list.count()) if self._key_at(r) == key), -1)

    def current_key(self) -> str | None:
        return self._key_at(self.list.currentRow())

    def current_info(self) -> ScriptInfo | None:
        key = self.current_key()
        return next((i for i in self.infos if i.key == key), None)

    def _selected(self, row: int) -> None:
        if self.dirty and self._shown_key != self.current_key() and not self._may_discard():
            self.list.blockSignals(True)
            self.list.setCurrentRow(self._row_of(self._shown_key or ""))
            self.list.blockSignals(False)
            return
        info = self.current_info()
        self._shown_key = info.key if info is not None else None
        self.errors.hide()
        script = None
        if info is not None:
            try:
                script = self.library.get(info.key)
            except NotFound:
                script = None
        self.editor.load(script, read_only=info is None or info.builtin)
        self.dirty = False
        if info is None:
            self.banner.setText(self.tr("Choose a script on the left."))
        elif info.builtin:
            self.banner.setText(
                self.tr(
                    "“{title}” is built in and cannot be changed. Duplicate it to make your own "
                    "copy to edit."
                ).format(title=info.title)
            )
        else:
            self.banner.setText(
                self.tr("Your script “{title}”, saved as {file}.").format(
                    title=info.title, file=info.path.name
                )
            )
        self.banner.setAccessibleName(self.banner.text())
        self._update_buttons()

    def revert(self) -> None:
        self.dirty = False
        self._selected(self.list.currentRow())

    def _may_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("Your changes to this script are not saved. Discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def _edited(self) -> None:
        self.dirty = True
        self._update_buttons()

    def _update_buttons(self) -> None:
        info = self.current_info()
        own = info is not None and not info.builtin
        self.duplicate_button.setEnabled(info is not None)
        self.export_button.setEnabled(info is not None)
        self.delete_button.setEnabled(own)
        self.save_button.setEnabled(own and self.dirty)
        self.revert_button.setEnabled(own and self.dirty)

    # -- actions -----------------------------------------------------------------------------

    def duplicate(self) -> None:
        info = self.current_info()
        if info is None:
            return
        try:
            copy = self.library.duplicate(info.key)
        except (InvalidInput, NotFound, OSError) as problem:
            self._warn(str(problem))
            return
        self.dirty = False
        self.reload(select=copy.key)
        self.editor.title_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.editor.title_edit.selectAll()

    def save(self) -> bool:
        info = self.current_info()
        script = self.editor.edited_script()
        if info is None or info.builtin or script is None:
            return False
        try:
            self.library.save(script)
        except ScriptInvalid as invalid:
            self._show_script_errors(invalid.errors)
            return False
        except (InvalidInput, OSError) as problem:
            self._warn(str(problem))
            return False
        self.dirty = False
        self.reload(select=script.key)
        return True

    def _show_script_errors(self, errors: list[ScriptError]) -> None:
        lines, first = [], None
        for error in errors:
            row, text = self.editor.describe(error)
            lines.append(text)
            if first is None and row is not None:
                first = row
        self._show_errors(self.tr("The script was not saved:"), lines)
        if first is not None:
            self.editor.stage_list.setCurrentRow(first)

    def _show_errors(self, title: str, lines: list[str]) -> None:
        self.last_errors = lines
        text = title + "\n" + "\n".join(f"• {line}" for line in lines)
        self.errors.setText(text)
        self.errors.setAccessibleName(text)
        self.errors.show()

    def delete_script(self) -> None:
        info = self.current_info()
        if info is None or info.builtin:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete this script?"),
            self.tr(
                "Delete your script “{title}”? Circles already run with it keep their own copy."
            ).format(title=info.title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.library.delete(info.key)
        except (InvalidInput, NotFound, OSError) as problem:
            self._warn(str(problem))
            return
        self.dirty = False
        self.reload()

    def import_script(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Import a script"), str(Path.home()), self.tr("Scripts (*.toml)")
        )
        if not name:
            return
        try:
            script = self.library.import_file(Path(name))
        except ScriptInvalid as invalid:
            lines = [
                self.tr("{file}, line {line}: {message}").format(
                    file=Path(e.file).name, line=e.line, message=e.message
                )
                for e in invalid.errors
            ]
            self._show_errors(self.tr("The file was not imported; nothing was added:"), lines)
            return
        except (InvalidInput, OSError) as problem:
            self._show_errors(self.tr("The file was not imported:"), [str(problem)])
            return
        self.dirty = False
        self.reload(select=script.key)

    def export_script(self) -> None:
        info = self.current_info()
        if info is None:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export a script"),
            str(Path.home() / f"{info.key}.toml"),
            self.tr("Scripts (*.toml)"),
        )
        if not name:
            return
        try:
            path = self.library.export(info.key, Path(name), overwrite=True)
        except (InvalidInput, NotFound, OSError) as problem:
            self._warn(str(problem))
            return
        self.banner.setText(self.tr("Exported to {file}.").format(file=path))

    def _warn(self, text: str) -> None:
        QMessageBox.warning(self, self.tr("That did not work"), text)
