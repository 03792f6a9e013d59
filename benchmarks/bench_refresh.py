"""What one announced change costs the open screens: Today, Circles, People and Cases each
reloading what they show (the work ``on_changes`` does), on the small demo database.

Run: .venv/bin/python benchmarks/bench_refresh.py [--database PATH] [--rounds N]
Builds benchmarks/.data/small.sqlite3 with ``circlekeeper demo --size small`` if missing.
A talking-piece move (next speaker, pass, back) refreshes none of them; a stage change, a note,
the start or the end of a circle refreshes each list on show once (changes arriving together
are merged over 50 ms), so the sum of the shown screens' medians is what such a move costs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SMALL = HERE / ".data" / "small.sqlite3"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", type=Path, default=SMALL)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    if not args.database.exists():
        args.database.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "circlekeeper", "demo", "--database", str(args.database),
             "--size", "small"],
            check=True,
        )  # fmt: skip
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from circlekeeper.core.operations import Changes
    from circlekeeper.core.store.database import open_database
    from circlekeeper.ui.cases.area import CasesArea
    from circlekeeper.ui.circles.area import CirclesArea
    from circlekeeper.ui.people.area import PeopleArea
    from circlekeeper.ui.today.area import TodayArea

    app = QApplication.instance() or QApplication([])
    db = open_database(args.database)
    screens = {
        "today": TodayArea(db),
        "circles": CirclesArea(db),
        "people": PeopleArea(db),
        "cases": CasesArea(db),
    }
    change = Changes.of("circle", "person", "case", ids={"circle": [1], "person": [1]})
    for name, screen in screens.items():
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            screen.on_changes(change)  # type: ignore[attr-defined]
            app.processEvents()
            times.append((time.perf_counter() - start) * 1000)
        print(f"{name}_refresh_ms median={statistics.median(times):.1f} max={max(times):.1f}")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
