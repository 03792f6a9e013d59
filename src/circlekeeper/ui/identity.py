"""How the desktop knows the program: its name, its icon, and the desktop entry it belongs to.

The icon is drawn once (``resources/icons/circlekeeper.svg``: a ring of seats around the
talking piece) and kept as PNGs of the usual sizes, so no SVG support is needed to show it.
The desktop-file name lets a Wayland desktop match the window to the installed entry
(``packaging/linux/org.circlekeeper.CircleKeeper.desktop``) and show the same icon.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from circlekeeper.core.paths import APP_NAME, resources_dir

APP_ID = "org.circlekeeper.CircleKeeper"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    """The program's icon at every size that ships (Qt loads each only when it is drawn)."""
    icon = QIcon()
    folder = resources_dir() / "icons"
    for size in ICON_SIZES:
        path = folder / f"{APP_NAME}-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    return icon


def apply_identity(app: QApplication) -> None:
    """Name the application and give every window its icon."""
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
