"""What the profile rules cost: checking a PIN, approving a change, finding the viewer.

Run: .venv/bin/python benchmarks/bench_profiles.py [--rounds N]
Uses a fresh small database in a temporary folder. Prints medians in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path


def _median_ms(action: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CIRCLEKEEPER_HOME"] = folder
        from circlekeeper.core.profiles.profiles import ProfileService
        from circlekeeper.core.profiles.viewer import viewer_before_sign_in
        from circlekeeper.core.store.database import open_database

        db = open_database(Path(folder) / "bench.sqlite3")
        moment = [datetime(2026, 1, 1, tzinfo=UTC)]

        def clock() -> datetime:  # far enough apart that no try has to wait
            moment[0] += timedelta(hours=1)
            return moment[0]

        profiles = ProfileService(db.sessions, clock=clock)
        dana = profiles.create("Dana", pin="1111")
        profiles.create("Sam", "sro", pin="2222", approval=profiles.approve(dana.id, "1111"))
        figures = {
            "verify_pin_right_ms": _median_ms(
                lambda: profiles.verify_pin(dana.id, "1111"), args.rounds
            ),
            "verify_pin_wrong_ms": _median_ms(
                lambda: profiles.verify_pin(dana.id, "0000"), args.rounds
            ),
            "approve_ms": _median_ms(lambda: profiles.approve(dana.id, "1111"), args.rounds),
            "viewer_before_sign_in_ms": _median_ms(
                lambda: viewer_before_sign_in(db.sessions), args.rounds
            ),
        }
        db.close()
    for name, value in figures.items():
        print(f"{name} {value:.2f}")


if __name__ == "__main__":
    main()
