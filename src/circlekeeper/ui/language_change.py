"""Changing the language of the screens while the program runs.

Every area of the main window is built again in the new language. What that would throw away
stops the change, and nothing is changed: an area with unsaved work, and a circle running in
its facilitator window (a circle is never closed by a setting). Other windows opened from the
areas (an agreement, a follow-up, a plan) save as they go; they would be destroyed with the
areas they came from, so the keeper is asked first, by name, and they close only if the keeper
agrees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from circlekeeper.ui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("LanguageChange", text)


def windows_from_areas(main: MainWindow) -> list[QWidget]:
    """The windows open now that belong to one of the main window's areas."""
    found: list[QWidget] = []
    for slot in main.area_slots():
        area = slot.area
        if area is None:
            continue
        for child in area.findChildren(QWidget):
            if child.isWindow() and child.isVisible() and child not in found:
                found.append(child)
    return found


def _is_live(window: QWidget) -> bool:
    from circlekeeper.ui.live.facilitator import FacilitatorWindow
    from circlekeeper.ui.live.projector import ProjectorWindow

    return isinstance(window, FacilitatorWindow | ProjectorWindow)


def tell(parent: QWidget, title: str, text: str) -> None:
    """Say why the language did not change."""
    QMessageBox.information(parent, title, text)


def ask_to_close(parent: QWidget, titles: list[str]) -> bool:
    """Whether the keeper lets these windows close for the language change."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        _tr("Close the open windows?"),
        _tr(
            "To change the language, these windows close; everything in them is already "
            "saved, and you can open them again:\n\n{titles}"
        ).format(titles="\n".join(f"• {title}" for title in titles)),
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    close = box.addButton(_tr("Close them and change"), QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton(_tr("Keep them open"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.exec()
    return box.clickedButton() is close


def may_change(main: MainWindow) -> bool:
    """Whether the areas can be built again now; says why not, and closes what may close."""
    busy = [
        main.navigation.item(row).text()
        for row, slot in enumerate(main.area_slots())
        if slot.area is not None and getattr(slot.area, "dirty", False)
    ]
    if busy:
        tell(
            main,
            _tr("Save your changes first"),
            _tr(
                "There are unsaved changes in {areas}. Save or undo them, then choose the "
                "language again. Nothing was changed."
            ).format(areas=", ".join(busy)),
        )
        return False
    windows = windows_from_areas(main)
    if any(_is_live(window) for window in windows):
        tell(
            main,
            _tr("A circle is running"),
            _tr(
                "The language changes once the circle is paused or ended, so its window "
                "stays as it is. Choose the language again afterwards. Nothing was changed."
            ),
        )
        return False
    if windows:
        if not ask_to_close(main, [window.windowTitle() for window in windows]):
            return False
        for window in windows:
            window.close()
    return True
