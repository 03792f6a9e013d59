"""Build time of each programme report on the large demo database, printed as medians.

Run: .venv/bin/python benchmarks/bench_reports.py [--database PATH] [--rounds N]
The large demo database is benchmarks/.data/large.sqlite3 (built here if missing; a district of
ten schools over ten years). Each report is built for the last full school year, for the whole
district and for one school, with suppression on. Goal (issue 11): <= 2 s for each report.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
LARGE = HERE / ".data" / "large.sqlite3"
GOAL_S = 2.0


def _ensure(path: Path) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"Building the large demo into {path} (a few minutes)…", file=sys.stderr)
    subprocess.run(
        [sys.executable, "-m", "circlekeeper", "demo", "--size", "large", "--database", str(path)],
        check=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=LARGE)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    _ensure(args.database)

    from circlekeeper.core.reports.engine import REPORT_NAMES, build_report
    from circlekeeper.core.reports.facts import known_schools
    from circlekeeper.core.store.database import open_database

    db = open_database(args.database)
    today = date.today()
    year = today.year - 1 if today.month >= 8 else today.year - 2
    start, end = date(year, 8, 1), date(year + 1, 7, 31)
    with db.sessions() as session:
        school = known_schools(session)[0]
    print(f"period {start} – {end}; rounds {args.rounds}; goal <= {GOAL_S:.1f} s each")
    worst = 0.0
    for scope in (None, school):
        for name in REPORT_NAMES:
            # The monthly one-pager is for one month; the others for the school year.
            month = (date(year, 10, 1), date(year, 10, 31))
            period = month if name == "monthly" else (start, end)
            times = []
            for _ in range(args.rounds):
                began = time.perf_counter()
                report = build_report(
                    name, db.sessions, start=period[0], end=period[1], school=scope
                )
                times.append(time.perf_counter() - began)
            median = statistics.median(times)
            worst = max(worst, median)
            figures = sum(1 for _ in report.figures())
            hidden = sum(1 for f in report.figures() if f.suppressed)
            where = scope or "all schools"
            print(
                f"{name:12} {where:32} median {median * 1000:7.0f} ms  "
                f"({figures} figures, {hidden} hidden)"
            )
    db.close()
    print(f"slowest median {worst:.2f} s: {'within' if worst <= GOAL_S else 'OVER'} the goal")
    return 0 if worst <= GOAL_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
