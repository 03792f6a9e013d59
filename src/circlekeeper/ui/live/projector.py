"""The projector window: only what participants should see, as large as the room needs.

It is given a stage (never the circle's people), so it *cannot* show names, roles or notes.
Screen placement follows OpenLP's display window habit: full screen on a screen other than the
keeper's when there is one, otherwise a normal window; and it follows a projector plugged in or
pulled out mid-circle without losing what it shows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication, QKeySequence, QScreen, QShortcut
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from circlekeeper.core.domain.script import Stage
from circlekeeper.ui.geometry import default_size

LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def other_screen(avoid: QScreen | None) -> QScreen | None:
    """A screen that is not ``avoid`` (the keeper's), preferring the largest; None if only one."""
    screens = [s for s in QGuiApplication.screens() if s is not avoid]
    if avoid is None or not screens:
        return None
    return max(screens, key=lambda s: s.geometry().width() * s.geometry().height())


class ProjectorWindow(QWidget):
    """A second top-level window showing the participant question (and guidelines)."""

    def __init__(self, keeper_window: QWidget | None = None) -> None:
        # The projector never takes the keyboard: Space and Page Down must keep reaching the
        # facilitator window, even when the projector opens on another screen mid-circle.
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._keeper = keeper_window
        self.setWindowTitle(self.tr("circlekeeper — projector"))
        self.setAccessibleName(self.tr("Projector view"))
        self.setObjectName("projector")
        self.setStyleSheet(
            "QWidget#projector { background: #1d2330; } "
            "QLabel { color: #f4f1ea; background: transparent; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(64, 48, 64, 48)
        layout.setSpacing(28)
        layout.addStretch(1)
        self.question = self._label(44, bold=True, name=self.tr("Question"))
        self.second = self._label(34, name=self.tr("Question in a second language"))
        self.second.setStyleSheet("color: #c9d3e3;")
        layout.addWidget(self.question)
        layout.addWidget(self.second)
        layout.addStretch(1)
        self.rule = QFrame(self)
        self.rule.setFrameShape(QFrame.Shape.HLine)
        self.rule.setStyleSheet("color: #4a5468;")
        layout.addWidget(self.rule)
        self.guidelines = self._label(22, name=self.tr("Guidelines"))
        layout.addWidget(self.guidelines)
        self._stage: Stage | None = None
        self._languages: list[str] = ["en"]
        self._guidelines: Stage | None = None
        self.placement = "window"  # "fullscreen" on another screen, or "window"
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenAdded.connect(self._screens_changed)
            app.screenRemoved.connect(self._screens_changed)
        close = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        close.activated.connect(self.hide)
        default_size(self, 1024, 640)
        self._render()

    def _label(self, points: float, *, bold: bool = False, name: str) -> QLabel:
        label = QLabel(self)
        font = QFont(label.font())
        font.setPointSizeF(points)
        font.setBold(bold)
        label.setFont(font)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setAccessibleName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    # --- what it shows ----------------------------------------------------------------

    def show_stage(
        self, stage: Stage, languages: list[str], guidelines: Stage | None = None
    ) -> None:
        """Show this stage's question in the languages asked for (first is the main one)."""
        self._stage = stage
        self._languages = list(languages) or ["en"]
        self._guidelines = guidelines
        self._render()

    def _render(self) -> None:
        stage, languages = self._stage, self._languages
        first = stage.question_in(languages[0]) if stage else ""
        if stage is not None and not first:
            first = stage.title_in(languages[0])  # a stage with no question: only its name
        self.question.setText(first)
        second = ""
        if stage is not None and len(languages) > 1:
            other = stage.question.get(languages[1], "")
            second = other if other and other != first else ""
        self.second.setText(second)
        self.second.setVisible(bool(second))
        rules = ""
        if self._guidelines is not None and self._guidelines is not stage:
            rules = self._guidelines.question_in(languages[0])
        self.guidelines.setText(rules)
        self.guidelines.setVisible(bool(rules))
        self.rule.setVisible(bool(rules))
        # Fit long questions: shrink the type a little rather than cut words off.
        length = max(len(first), 1)
        points = 44.0 if length < 90 else 36.0 if length < 180 else 28.0
        font = self.question.font()
        if font.pointSizeF() != points:
            font.setPointSizeF(points)
            self.question.setFont(font)

    def shown_texts(self) -> list[str]:
        """Every text this window shows, for checking nothing private is on it."""
        texts = [self.windowTitle()]
        texts.extend(label.text() for label in self.findChildren(QLabel))
        return texts

    # --- where it shows ---------------------------------------------------------------

    def present(self) -> None:
        """Show on the best screen: full screen on another one, or a window on this one."""
        keeper_screen = self._keeper.screen() if self._keeper is not None else None
        target = other_screen(keeper_screen)
        if target is not None:
            self.placement = "fullscreen"
            if self.isFullScreen():
                self.showNormal()
            self.setScreen(target)
            self.setGeometry(target.geometry())
            self.showFullScreen()
        else:
            self.placement = "window"
            screen = keeper_screen or QGuiApplication.primaryScreen()
            if self.isFullScreen():
                self.showNormal()
            if screen is not None:
                self.setScreen(screen)
                area = screen.availableGeometry()
                self.resize(min(1024, area.width() * 2 // 3), min(640, area.height() * 2 // 3))
                self.move(area.center() - self.rect().center())
            self.show()
        self.give_back_focus()

    def _screens_changed(self, _screen: QScreen | None = None) -> None:
        """A projector was plugged in or out: re-place, after Qt has settled the screens."""
        if self.isVisible():
            QTimer.singleShot(0, self._replace_if_visible)

    def _replace_if_visible(self) -> None:
        if self.isVisible():
            self.present()
            self.give_back_focus()

    def give_back_focus(self) -> None:
        """Hand the keyboard back to the facilitator window, on the keeper's screen."""
        keeper = self._keeper
        if keeper is not None and keeper.isVisible():
            keeper.activateWindow()
