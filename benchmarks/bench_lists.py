"""The Cases and Agreements lists' search and filters on a district's ten years, as medians.

Run: .venv/bin/python benchmarks/bench_lists.py --database COPY_OF_LARGE_DEMO [--rounds N]
The large demo (ten schools, ten years: 40,000 cases, 34,000 agreements) is upgraded to the
current schema on open, so pass a copy. What the person waits for is one page of the list and
its count, read again each time they stop typing or change a filter.
Goal: p50 <= 500 ms for a page and its count.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from pathlib import Path

GOAL_MS = 500


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    from circlekeeper.core.agreements.listing import agreement_lines
    from circlekeeper.core.cases.commands import CaseService
    from circlekeeper.core.cases.list_filter import ListFilter
    from circlekeeper.core.operations import Context
    from circlekeeper.core.store.database import open_database

    db = open_database(args.database)
    ctx = Context(db.sessions, actor="benchmark")
    cases = CaseService(ctx)
    choices = cases.list_choices()
    year = choices.school_years[min(1, len(choices.school_years) - 1)]
    school = choices.schools[0][0]
    kind = choices.incident_types[0][0]
    searches = {
        "every_case": ListFilter(),
        "a_name": ListFilter(text="maria"),
        "two_words": ListFilter(text="maria fight"),
        "a_case_number": ListFilter(text="#1234"),
        "year_and_school": ListFilter(school_year=year, school_id=school),
        "everything": ListFilter(text="ana", school_year=year, school_id=school,
                                 incident_type_id=kind),
    }  # fmt: skip
    today = date.today()
    for label, filters in searches.items():
        for name, work in (
            (f"cases_{label}", lambda f=filters: (cases.list_cases(filters=f),
                                                 cases.count_cases(filters=f))),
            (f"agreements_{label}", lambda f=filters: agreement_lines(ctx, today, filters=f)),
        ):  # fmt: skip
            times = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                work()
                times.append((time.perf_counter() - start) * 1000)
            ordered = sorted(times)
            print(
                f"BENCH list_{name} p50_ms={statistics.median(times):.1f} "
                f"p95_ms={ordered[int(len(ordered) * 0.95) - 1]:.1f} "
                f"p99_ms={ordered[-1]:.1f} goal_ms={GOAL_MS}",
                flush=True,
            )
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
