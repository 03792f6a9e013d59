"""The SRO area: the activity log and the training records, one tab each (Ctrl+Tab between)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.store.database import Database
from circlekeeper.ui.sro.activity_page import ActivityPage
from circlekeeper.ui.sro.training_page import TrainingPage


class SroArea(QWidget):
    """What a school resource officer logs: activities by triad role, and training."""

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        *,
        viewer: Viewer | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self._viewer = viewer
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("SRO activity and training"))
        self.activity = ActivityPage(database, self.viewer, self, today=today)
        self.training = TrainingPage(database, self.viewer, self, today=today)
        self.tabs.addTab(self.activity, self.tr("Activity log"))
        self.tabs.addTab(self.training, self.tr("Training"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.setFocusProxy(self.activity)

    def viewer(self) -> Viewer:
        """Who is using the screen now (the window's profile), asked at each action."""
        if self._viewer is not None:
            return self._viewer
        from circlekeeper.ui.profiles import current_viewer

        return current_viewer(self.database)

    def refresh(self) -> None:
        self.activity.refresh()
        self.training.refresh()
