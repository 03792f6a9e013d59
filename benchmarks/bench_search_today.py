"""Search-everywhere latency and Today-view load time on the large demo database.

Run: .venv/bin/python benchmarks/bench_search_today.py [--database PATH] [--rounds N]
The large demo database is benchmarks/.data/large.sqlite3 (built by benchmarks/run.py, or here if
missing). Opening an older one migrates it, which builds the search index for every existing row.
Target (issue 5): search as you type <= 30 ms at the 95th percentile.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
LARGE = HERE / ".data" / "large.sqlite3"

# What people type, one key at a time: names with and without accents, places, incident words,
# agreement actions, and text that looks like FTS syntax.
TYPED = [
    "m", "ma", "mar", "mari", "maria", "maria g", "maria ga",
    "n", "nu", "nun", "nune", "nunez",
    "ng", "ngu", "nguy", "nguyen",
    "jo", "jos", "jose", "jose n",
    "o", "ok", "oka", "okaf",
    "caf", "cafe", "cafeteria",
    "van", "vanda", "vandalism",
    "apo", "apolog", "apology",
    "bus", "bullying", "social media",
    '"', "NEAR", "a -b", "(x", "zz", "s-", "10",
]  # fmt: skip


def _percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * share))]


def _ensure(path: Path) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"building the large demo database at {path} (once)…", flush=True)
    subprocess.run(
        [sys.executable, "-m", "circlekeeper", "demo", "--size", "large", "--database", str(path)],
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", type=Path, default=LARGE)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    _ensure(args.database)

    from circlekeeper.core.search.search import search
    from circlekeeper.core.store.database import open_database
    from circlekeeper.core.today.today import today_view

    start = time.perf_counter()
    db = open_database(args.database)
    opened = (time.perf_counter() - start) * 1000
    note = f" (migrated; backup at {db.backup})" if db.backup else ""
    print(f"opened {args.database.name} in {opened:.0f} ms{note}")
    with db.engine.connect() as conn:
        indexed = conn.exec_driver_sql("SELECT count(*) FROM search_index").scalar()
    print(f"search index: {indexed:,} rows")

    for _ in range(2):  # warm the page cache, as a running app would have
        for typed in TYPED:
            search(db.sessions, typed)
    timings: list[float] = []
    worst: tuple[float, str] = (0.0, "")
    for _ in range(args.rounds):
        for typed in TYPED:
            begin = time.perf_counter()
            search(db.sessions, typed, limit=50)
            elapsed = (time.perf_counter() - begin) * 1000
            timings.append(elapsed)
            worst = max(worst, (elapsed, typed))
    timings.sort()
    print(f"search everywhere, {len(timings)} searches of {len(TYPED)} typed prefixes (limit 50):")
    print(
        f"  median {statistics.median(timings):.1f} ms, p95 {_percentile(timings, 0.95):.1f} ms, "
        f"max {timings[-1]:.1f} ms ({worst[1]!r})  (target p95 <= 30 ms)"
    )

    now = datetime.now().astimezone()
    loads: list[float] = []
    view = None
    for _ in range(args.rounds):
        begin = time.perf_counter()
        view = today_view(db.sessions, now.date(), now)
        loads.append((time.perf_counter() - begin) * 1000)
    loads.sort()
    assert view is not None
    print(
        f"Today view ({len(view.circles)} circles today, {len(view.due_today)} due, "
        f"{len(view.overdue)} overdue follow-ups, {len(view.at_risk)} agreements at risk):"
    )
    print(f"  median {statistics.median(loads):.1f} ms, max {loads[-1]:.1f} ms")
    db.close()


if __name__ == "__main__":
    main()
