"""What speaking Spanish costs at start: compiling the catalogue once, loading it afterwards.

Prints medians in milliseconds: ``first_compile_ms`` (lrelease into an empty cache, once per
new program version) and ``install_ms`` (installing Qt's and the program's translators from
the cache, every start), plus ``english_ms`` (installing English, the default).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from circlekeeper.ui.i18n import install_language

    compiles, installs, english = [], [], []
    for _round in range(5):
        with tempfile.TemporaryDirectory() as cache:
            os.environ["CIRCLEKEEPER_CACHE"] = cache
            began = time.perf_counter()
            install_language("es", app)
            compiles.append((time.perf_counter() - began) * 1000)
            for _again in range(5):
                began = time.perf_counter()
                install_language("es", app)
                installs.append((time.perf_counter() - began) * 1000)
                began = time.perf_counter()
                install_language("en", app)
                english.append((time.perf_counter() - began) * 1000)
    print(f"first_compile_ms={statistics.median(compiles):.1f}")
    print(f"install_ms={statistics.median(installs):.1f}")
    print(f"english_ms={statistics.median(english):.1f}")


if __name__ == "__main__":
    main()
