"""Retention on the small demo database: the purge alone vs the purge and the wipe.

Run: .venv/bin/python benchmarks/bench_retention.py [--runs N] [--years N]
The rule is applied as if a year later than today (the demo's records are all recent), so that
part of the demo is due.
Prints medians for ``apply_retention`` with ``wipe=False`` (the rows only) and with the wipe
(secure delete, FTS5 optimize, VACUUM, checkpoint), the file size before and after, and how many
records went. Each run starts from a fresh copy of the same demo file.

Measured here (2 shared cores, small demo: 104 cases and 270 circles due): purge only about
0.5 s (2.6 s before migration 0006 indexed the references to participants), purge and wipe
about 0.7 s; the file shrinks from 3.7 MB to 1.0 MB.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from circlekeeper.core.demo.demo import build_demo  # noqa: E402
from circlekeeper.core.retention.retention import apply_retention  # noqa: E402
from circlekeeper.core.store.database import open_database  # noqa: E402

TODAY = date.today()
LATER = TODAY.replace(year=TODAY.year + 1, day=min(TODAY.day, 28))


def one_run(template: Path, folder: Path, years: int, wipe: bool) -> tuple[float, int, str]:
    path = folder / f"run-{time.monotonic_ns()}.sqlite3"
    shutil.copyfile(template, path)
    db = open_database(path)
    try:
        start = time.perf_counter()
        result = apply_retention(db.sessions, years, LATER, wipe=wipe)
        elapsed = time.perf_counter() - start
    finally:
        db.close()
    size = path.stat().st_size
    what = f"{result.cases} cases, {result.circles} circles, {result.people} people"
    path.unlink()
    return elapsed, size, what


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--years", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        template = folder / "demo.sqlite3"
        build_demo(template, "small")
        print(f"demo file: {template.stat().st_size / 1e6:.1f} MB")
        for wipe in (False, True):
            runs = [one_run(template, folder, args.years, wipe) for _ in range(args.runs)]
            median = statistics.median(r[0] for r in runs)
            label = "purge + wipe" if wipe else "purge only  "
            print(
                f"{label}: median {median * 1000:.0f} ms over {args.runs} runs; "
                f"file after {runs[0][1] / 1e6:.1f} MB; removed {runs[0][2]}"
            )


if __name__ == "__main__":
    main()
