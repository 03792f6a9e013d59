"""The facilitator window's screens: the projector, its languages and guidelines, full screen,
and what closing the window says. Mixed into :class:`FacilitatorWindow` (``facilitator.py``)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from circlekeeper.ui.live.facilitator import FacilitatorWindow


log = logging.getLogger(__name__)


class FacilitatorScreens:
    """The projector, the language key, full screen and the close question."""

    close_box: QWidget | None = None  # the "still running" question while it is open

    def _guidelines_stage(self: FacilitatorWindow) -> Any:  # type: ignore[misc]
        if not self.buttons["guidelines"].isChecked():
            return None
        return next((s for s in self.script.stages if s.type.value == "guidelines"), None)

    def _update_projector(self: FacilitatorWindow) -> None:  # type: ignore[misc]
        if self.state is None:
            return
        stage = self.script.stages[self.state.stage_index]
        self.projector.show_stage(stage, self.languages, self._guidelines_stage())

    def toggle_projector(self: FacilitatorWindow) -> None:  # type: ignore[misc]
        if self.projector.isVisible():
            self.projector.hide()
        else:
            self._update_projector()
            self.projector.present()
            self.activateWindow()
        self.buttons["projector"].setChecked(self.projector.isVisible())
        self._remember_display()

    def toggle_languages(self: FacilitatorWindow) -> None:  # type: ignore[misc]
        """The screens' language, then both languages, then the other one only, and back.

        The first language is the one the keeper's words, titles and tips are shown in.
        """
        home = self.home_language
        available = [lang for lang in self.script.languages if lang != home]
        if not available:
            self.languages = [home]
            self._say(self.tr("This script has only one language."))
        elif self.languages == [home]:
            self.languages = [home, available[0]]
        elif len(self.languages) > 1:
            self.languages = [available[0]]
        else:
            self.languages = [home]
        self._show_languages()
        self._say(self.buttons["languages"].text())
        self._render_stage(self.live.state)
        self._update_projector()
        self._remember_display()

    def _show_languages(self: FacilitatorWindow) -> None:  # type: ignore[misc]
        names = {"en": "English", "es": "Español"}
        shown = " + ".join(names.get(code, code) for code in self.languages)
        button = self.buttons["languages"]
        button.setText(self.tr("Languages: {shown}").format(shown=shown))
        button.setAccessibleName(button.text())
        button.setChecked(self.languages != [self.home_language])

    def toggle_guidelines(self: FacilitatorWindow) -> None:  # type: ignore[misc]
        self._update_projector()
        self._remember_display()

    def _remember_display(self: FacilitatorWindow) -> None:  # type: ignore[misc]
        """Keep how the screens are set with the circle, so resuming brings them back."""
        from circlekeeper.core.problems import InvalidInput
        from circlekeeper.core.store.problems import DatabaseProblem

        try:
            state = self.service.set_display(
                projector=self.projector.isVisible(),
                languages=self.languages,
                guidelines=self.buttons["guidelines"].isChecked(),
            )
        except InvalidInput:
            return  # the circle has ended: nothing to resume
        except DatabaseProblem:
            log.exception("How the screens are set could not be kept with the circle")
            return
        self.live.state = state
        self.state = state

    def _leave_out_downtime(self: FacilitatorWindow) -> None:  # type: ignore[misc]
        """The clocks leave out the time the program was not running (a crash, a closed lid)."""
        from circlekeeper.core.problems import InvalidInput
        from circlekeeper.core.store.problems import DatabaseProblem

        gap = self.heartbeat.gap(self._clock())
        if not gap:
            return
        try:
            self.live.state = self.service.skip_downtime(gap)
        except (InvalidInput, DatabaseProblem):
            log.exception("The clocks could not leave out the time circlekeeper was closed")

    def restore_display(self: FacilitatorWindow) -> None:  # type: ignore[misc]
        """A resumed circle comes back on the screens the keeper had: the projector open,
        in the same languages, with the guidelines shown or not."""
        assert self.state is not None
        display = self.state.display
        if not display:
            return
        languages = [x for x in display.get("languages", []) if x in self.script.languages]
        if languages:
            self.languages = languages
            self._show_languages()
            self._render_stage(self.state)
        self.buttons["guidelines"].setChecked(bool(display.get("guidelines")))
        if display.get("projector"):
            self._update_projector()
            self.projector.present()
            self.activateWindow()
        self.buttons["projector"].setChecked(self.projector.isVisible())

    def _confirm_close(self: FacilitatorWindow) -> bool:  # type: ignore[misc]
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("The circle is still running"))
        box.setText(
            self.tr(
                "The circle has not ended. Everything so far is saved; closing pauses it, and "
                "you can resume it from Today where it stopped."
            )
        )
        close = box.addButton(self.tr("&Pause and close"), QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(self.tr("&Keep going"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self.close_box = box
        box.exec()
        self.close_box = None
        return box.clickedButton() is close

    def escape(self: FacilitatorWindow) -> None:  # type: ignore[misc]
        """Esc leaves full screen; otherwise it only says how to end, and changes nothing."""
        if self.isFullScreen():
            self.toggle_full_screen()
        else:
            self._say(self.tr("To end the circle, press Ctrl+W."))

    def toggle_full_screen(self: FacilitatorWindow) -> None:  # type: ignore[misc]
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self.buttons["fullscreen"].setChecked(self.isFullScreen())
