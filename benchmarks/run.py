"""Start-up and people-search figures on the large demo database, printed as medians and ratios.

Run: .venv/bin/python benchmarks/run.py [--runs N] [--skip-build]
The large demo database is built once into benchmarks/.data/ and reused.
Targets (issue 2): first paint <= 1.5x a bare Qt window process; the whole --self-test process
<= 3x the whole bare window process; search as you type <= 30 ms median.
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
DATA = HERE / ".data"
LARGE = DATA / "large.sqlite3"

BARE_WINDOW = """
import sys, time
t0 = time.monotonic()
from circlekeeper.clock import ms_since_process_start
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1100, 720)
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(f"first_paint_ms={ms_since_process_start()}", flush=True)
            w.removeEventFilter(self); QTimer.singleShot(0, app.quit)
        return False
watch = Watch(); w.installEventFilter(watch); w.show(); app.exec()
"""


def _env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", CIRCLEKEEPER_HOME=str(DATA / "home"))


def _timed(cmd: list[str]) -> tuple[float, dict[str, int]]:
    start = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=_env(), check=True)
    wall = (time.perf_counter() - start) * 1000
    figures = {k: int(v) for k, v in (ln.split("=", 1) for ln in out.stdout.split() if "=" in ln)}
    return wall, figures


def startup(runs: int) -> None:
    bare_wall, bare_paint, self_wall, self_paint, self_ready = [], [], [], [], []
    for _ in range(runs):  # interleaved, so machine noise hits both alike
        wall, fig = _timed([sys.executable, "-c", BARE_WINDOW])
        bare_wall.append(wall)
        bare_paint.append(fig["first_paint_ms"])
        wall, fig = _timed(
            [sys.executable, "-m", "circlekeeper", "--self-test", "--database", str(LARGE)]
        )
        self_wall.append(wall)
        self_paint.append(fig["first_paint_ms"])
        self_ready.append(fig["data_ready_ms"])
    med = statistics.median
    print(f"start-up on the large demo database, median of {runs} runs each:")
    print(
        f"  bare Qt window process:  first paint {med(bare_paint):.0f} ms, "
        f"whole {med(bare_wall):.0f} ms"
    )
    print(
        f"  circlekeeper --self-test: first paint {med(self_paint):.0f} ms, "
        f"data ready {med(self_ready):.0f} ms, whole {med(self_wall):.0f} ms"
    )
    print(f"  first paint ratio:   {med(self_paint) / med(bare_paint):.2f}x  (target <= 1.5x)")
    print(f"  whole process ratio: {med(self_wall) / med(bare_wall):.2f}x  (target <= 3x)")


def search() -> None:
    from circlekeeper.core.people.people import PeopleService
    from circlekeeper.core.store.database import open_database

    db = open_database(LARGE)
    people = PeopleService(db.sessions)
    typed = [
        "m",
        "ma",
        "mar",
        "mari",
        "maria",
        "maria g",
        "maria ga",
        "ng",
        "ngu",
        "nguy",
        "jos",
        "jose",
        "jose n",
        "jose nu",
        "o",
        "ok",
        "oka",
        "okaf",
        "zz",
        "smi",
    ]
    timings = []
    for _ in range(10):
        for prefix in typed:
            start = time.perf_counter()
            people.search(prefix, limit=200)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    total = people.count()
    db.close()
    print(f"people search as you type on {total:,} people ({len(timings)} searches, first page):")
    print(
        f"  median {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)]:.1f} ms, max {timings[-1]:.1f} ms "
        "(target median <= 30 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    if not LARGE.exists():
        print("building the large demo database (once)…", flush=True)
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "circlekeeper",
                "demo",
                "--size",
                "large",
                "--database",
                str(LARGE),
            ],
            check=True,
            env=_env(),
        )
        print(f"  built in {time.perf_counter() - start:.0f} s")
    # Bring an older copy up to the current schema once, so no run times a migration.
    subprocess.run(
        [sys.executable, "-m", "circlekeeper", "db", "upgrade", "--database", str(LARGE)],
        check=True,
        env=_env(),
        capture_output=True,
    )
    startup(args.runs)
    search()


if __name__ == "__main__":
    main()
