"""What matching student IDs by their normal form costs, on a district-sized directory.

Run: .venv/bin/python benchmarks/bench_people_ids.py [--people N] [--rounds N]
Builds a temporary database through the real migrations with N people (default 50,000, a few
hundred of them saved with IDs an older release did not normalise), then prints the median
time of the people form's duplicate-ID check (one ID) and a roster import's lookup (5,000 IDs).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from circlekeeper.core.people.people import people_by_ids
from circlekeeper.core.store.database import open_database


def _fill(path: Path, count: int) -> None:
    conn = sqlite3.connect(path)
    stamp = "2025-01-01T00:00:00+00:00"
    rows = []
    for n in range(count):
        external_id = f"s {n}" if n % 200 == 0 else f"S{n:06d}"
        rows.append((f"p-{n}", "Ana", f"Ruiz{n}", external_id, f"ana ruiz{n}", stamp, stamp))
    conn.executemany(
        "INSERT INTO person (uuid, kind, first_name, last_name, external_id, search_text, "
        "created_at, updated_at) VALUES (?, 'student', ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.commit()
    conn.close()


def _median_ms(action, rounds: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ids.sqlite3"
        open_database(path).close()
        _fill(path, args.people)
        db = open_database(path)
        one = ["s 012345"]
        roster = [f"s{n:06d}" for n in range(0, args.people, max(1, args.people // 5000))]
        with db.sessions() as session:
            single = _median_ms(lambda: people_by_ids(session, one), args.rounds)
            many = _median_ms(lambda: people_by_ids(session, roster), args.rounds)
        db.close()
    print(f"people={args.people}")
    print(f"one_id_check_ms={single:.1f}")
    print(f"roster_lookup_{len(roster)}_ids_ms={many:.1f}")


if __name__ == "__main__":
    main()
