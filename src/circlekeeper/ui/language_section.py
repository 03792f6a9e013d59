"""Settings → Language: follow the computer, English or Español, applied at once."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from circlekeeper.core import i18n
from circlekeeper.ui.style import heading, note

log = logging.getLogger(__name__)


class LanguageSection(QWidget):
    """The language of the interface on this computer (not the school's printouts)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from circlekeeper.ui.language_choice import remembered_language

        self.choice = QComboBox(self)
        self.choice.setAccessibleName(self.tr("Language of circlekeeper"))
        self.choice.addItem(self.tr("Follow the computer (English or Español)"), i18n.SYSTEM)
        for code, name in i18n.LANGUAGES.items():
            self.choice.addItem(name, code)
        index = self.choice.findData(remembered_language())
        self.choice.setCurrentIndex(max(index, 0))
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Language status"))
        label = QLabel(self.tr("&Language"), self)
        label.setBuddy(self.choice)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(label, self.choice)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(self.tr("Language"), self, level=2))
        layout.addWidget(
            note(
                self.tr(
                    "The language of the screens on this computer. It changes at once. "
                    "Agreements, letters and reports choose their own language when saved "
                    "or printed."
                ),
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.status)
        self.choice.activated.connect(self._chosen)

    def _chosen(self, index: int) -> None:
        choice = str(self.choice.itemData(index))
        from circlekeeper.ui.language_choice import remember_language

        try:
            remember_language(choice)
        except OSError:
            log.exception("Could not remember the language choice")
            self.status.setText(
                self.tr(
                    "The choice could not be saved for the next start; it applies now. "
                    "Check that the data folder can be written to."
                )
            )
        # After this signal returns: changing the language rebuilds the areas, this one too.
        QTimer.singleShot(0, lambda: self._apply(choice))

    def _apply(self, choice: str) -> None:
        window = self.window()
        apply = getattr(window, "apply_language", None)
        if callable(apply):
            apply(choice)
            return
        from circlekeeper.ui.i18n import install_language

        install_language(choice)
