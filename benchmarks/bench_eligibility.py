"""What the one eligibility screen costs the case page and the conference plan.

Run: .venv/bin/python benchmarks/bench_eligibility.py [--database PATH] [--rounds N]
Without --database a small demo database is built in a temporary folder. Prints the median of
each read (case page detail, a conference's readiness, reading the screen) and of a save.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
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
    parser.add_argument("--database", type=Path)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()

    from sqlalchemy import select

    from circlekeeper.core.cases.commands import CaseService
    from circlekeeper.core.cases.eligibility import EligibilityService
    from circlekeeper.core.circles.commands import CirclePlanner
    from circlekeeper.core.demo.demo import build_demo
    from circlekeeper.core.domain.eligibility import Eligibility
    from circlekeeper.core.store.database import open_database
    from circlekeeper.core.store.models import Case, Circle

    with tempfile.TemporaryDirectory() as folder:
        path = args.database
        if path is None:
            path = Path(folder) / "demo.sqlite3"
            build_demo(path, "small")
        db = open_database(path)
        try:
            with db.sessions() as session:
                case_ids = list(session.scalars(select(Case.id).limit(40)))
                open_case = session.scalar(
                    select(Case.id).where(Case.status.in_(("screened", "preparing"))).limit(1)
                )
                conferences = list(
                    session.scalars(select(Circle.id).where(Circle.kind == "conference").limit(40))
                )
            cases = CaseService(db.sessions)
            planner = CirclePlanner(db.sessions)
            screens = EligibilityService(db.sessions)
            assert open_case is not None
            target = open_case

            def each(ids: list[int], read: Callable[[int], object]) -> Callable[[], None]:
                return lambda: [read(i) for i in ids] and None

            rows = {
                "case page detail, per case": (each(case_ids, cases.detail), len(case_ids)),
                "conference readiness, per circle": (
                    each(conferences, planner.readiness),
                    len(conferences),
                ),
                "screen of a conference, per circle": (
                    each(conferences, screens.for_circle),
                    len(conferences),
                ),
                "save a screen (one answer changed)": (
                    lambda: screens.record_for_case(
                        target, Eligibility(notes=str(time.perf_counter())), loaded=Eligibility()
                    ),
                    1,
                ),
            }
            for label, (action, count) in rows.items():
                median = _median_ms(action, max(3, args.rounds // max(1, count // 10)))
                print(f"{label:40s} {median / count:7.2f} ms (median)")
        finally:
            db.close()


if __name__ == "__main__":
    main()
