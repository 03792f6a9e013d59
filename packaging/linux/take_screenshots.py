"""Take the AppStream screenshots: the real window on a demo database, at 1366x768.

Run on a real screen or under Xvfb (``xvfb-run -s "-screen 0 1366x768x24" python
packaging/linux/take_screenshots.py``); the PNGs go to ``packaging/linux/screenshots/``.
The demo data is fictional, so the pictures show no real student.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Area titles as the navigation shows them, and the file each screenshot is saved as.
SHOTS = (("Today", "today.png"), ("Cases", "cases.png"), ("Circles", "circles.png"))


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="circlekeeper-shots-"))
    os.environ["CIRCLEKEEPER_HOME"] = str(home)
    database = home / "demo.sqlite3"
    subprocess.run(
        [sys.executable, "-m", "circlekeeper", "demo", "--database", str(database)],
        check=True,
        capture_output=True,
    )
    from PySide6.QtWidgets import QApplication

    from circlekeeper.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1366, 768)
    window.move(0, 0)
    window.show()
    if not window.open_database(database, interactive=False):
        print("the demo database did not open", file=sys.stderr)
        return 1
    titles = [window.navigation.item(row).text() for row in range(window.navigation.count())]
    out = HERE / "screenshots"
    out.mkdir(exist_ok=True)
    for title, filename in SHOTS:
        window.show_area(titles.index(title))
        for _ in range(20):
            app.processEvents()
        window.grab().save(str(out / filename))
        print(out / filename)
    window.close_database()
    window.close()
    # Widgets go before the application object, or Qt may crash on the way out.
    del window
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
