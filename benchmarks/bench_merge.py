"""Merging a district's laptops into its PostgreSQL server: time, and how it grows from 5 to 20.

Run: .venv/bin/python benchmarks/bench_merge.py [--laptops 20] [--database URL] [--data DIR]

Builds (once, cached in ``--data``) N small demo laptops, each a school year of one counselor,
with different seeds. As the laptops of one district would, they share people: the same 40
students appear on laptop 0 and on every other laptop under another UUID but the same student
ID (five of them with another grade, so each merge has conflicts to settle), and each laptop's
staff carry district IDs of their own. The laptops are then merged one after the other into a
fresh database on a throwaway PostgreSQL cluster (``tests/pg_cluster.py``) or on ``--database
URL`` (an empty database the URL's user owns). Prints each merge's time, then
``BENCH merge_<n>`` lines (the median merge among the first n laptops, and the total) and
``BENCH merge_growth``: the median merge of laptops 16-20 over that of laptops 1-5 (1.0 means a
merge costs the same however full the server already is).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_STUDENTS = 40
OTHER_GRADE = 5
GROWTH_GOAL = 1.5  # the 20th laptop's merge may cost at most 1.5 times the first ones'


def _share_people(path: Path, laptop: int, first: Path | None) -> None:
    """Make a built demo one district's laptop: its own staff IDs, laptop 0's shared students."""
    conn = sqlite3.connect(path)
    try:
        # Each laptop's own people carry IDs of their own (another school's staff and students).
        conn.execute(
            "UPDATE person SET external_id = substr(external_id, 1, 1) || ? || "
            "substr(external_id, 2) WHERE external_id IS NOT NULL",
            (f"{laptop:02d}",),
        )
        if first is not None:
            columns = (
                "first_name, last_name, preferred_name, pronouns, grade, external_id, "
                "birth_date, email, phone, title, gender, race_ethnicity, disability, "
                "english_learner, low_income, search_text, archived_at"
            )
            source = sqlite3.connect(first)
            shared = source.execute(
                f"SELECT {columns} FROM person WHERE kind = 'student' ORDER BY id LIMIT ?",
                (SHARED_STUDENTS,),
            ).fetchall()
            source.close()
            mine = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM person WHERE kind = 'student' ORDER BY id DESC LIMIT ?",
                    (SHARED_STUDENTS,),
                )
            ]
            names = [c.strip() for c in columns.split(",")]
            for n, (person_id, values) in enumerate(zip(mine, shared, strict=True)):
                row = dict(zip(names, values, strict=True))
                if n < OTHER_GRADE:
                    row["grade"] = f"{row['grade']}b"
                conn.execute(
                    "UPDATE person SET external_id = NULL WHERE external_id = ? AND id != ?",
                    (row["external_id"], person_id),
                )
                assignments = ", ".join(f"{name} = ?" for name in names)
                conn.execute(
                    f"UPDATE person SET {assignments} WHERE id = ?", [*row.values(), person_id]
                )
        conn.commit()
    finally:
        conn.close()


def laptops(data: Path, count: int) -> list[Path]:
    """The demo laptops, built once and kept in ``data/merge-laptops`` (upgraded when older,
    as a laptop is when it first opens with this version)."""
    from circlekeeper.core.demo.demo import build_demo
    from circlekeeper.core.store.database import open_database

    folder = data / "merge-laptops"
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for laptop in range(count):
        path = folder / f"laptop-{laptop:02d}.sqlite3"
        if path.exists():
            open_database(path).close()
        else:
            began = time.perf_counter()
            building = folder / f"building-{laptop:02d}.sqlite3"
            for stale in folder.glob(f"building-{laptop:02d}*"):
                stale.unlink()
            build_demo(building, "small", seed=1000 + laptop)
            _share_people(building, laptop, made[0] if made else None)
            os.replace(building, path)
            print(f"built {path.name} in {time.perf_counter() - began:.0f} s", flush=True)
        made.append(path)
    return made


def merge_all(url: str, files: list[Path]) -> list[float]:
    """Merge every laptop into the database at ``url``, one after the other; seconds each."""
    from circlekeeper.core.merge import merge_database, open_source
    from circlekeeper.core.operations import Context
    from circlekeeper.core.store.database import open_database

    target = open_database(url)
    seconds = []
    try:
        ctx = Context(target.sessions, actor="District IT")
        for n, path in enumerate(files, 1):
            began = time.perf_counter()
            source = open_source(path, target)
            try:
                report = merge_database(ctx, source, target.location)
            finally:
                source.close()
            seconds.append(time.perf_counter() - began)
            print(
                f"merge {n:2d}: {seconds[-1]:6.1f} s, {sum(report.added.values())} records "
                f"added, {len(report.matched)} people matched, {len(report.conflicts)} "
                "conflicts",
                flush=True,
            )
    finally:
        target.close()
    return seconds


def report(seconds: list[float]) -> None:
    for n in (5, 10, 20):
        if len(seconds) < n:
            continue
        first = [s * 1000 for s in seconds[:n]]
        print(
            f"BENCH merge_{n} p50_ms={statistics.median(first):.0f} "
            f"p95_ms={max(first):.0f} p99_ms={max(first):.0f} goal_ms=60000 "
            f"total_s={sum(seconds[:n]):.1f}",
            flush=True,
        )
    if len(seconds) >= 10:
        early = statistics.median(seconds[:5])
        late = statistics.median(seconds[-5:])
        print(f"BENCH merge_growth ratio={late / early:.2f} goal={GROWTH_GOAL}", flush=True)


def run(count: int, data: Path, url: str | None) -> list[float]:
    """Build (or reuse) the laptops and merge them into a fresh server database."""
    files = laptops(data, count)
    if url is not None:
        return merge_all(url, files)
    sys.path.insert(0, str(ROOT))
    from tests.pg_cluster import start_cluster, why_no_server

    reason = why_no_server()
    if reason is not None:
        print(f"merge benchmark skipped: {reason}", flush=True)
        return []
    cluster = start_cluster()
    try:
        cluster.sql("CREATE DATABASE bench_merge")
        return merge_all(cluster.url("bench_merge"), files)
    finally:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--laptops", type=int, default=20, help="how many laptops to merge")
    parser.add_argument("--database", help="an empty PostgreSQL database's URL to merge into")
    parser.add_argument("--data", help="where the built laptops are cached")
    parser.add_argument("--fresh", action="store_true", help="build the laptops again")
    args = parser.parse_args()
    data = Path(
        args.data
        or os.environ.get("CIRCLEKEEPER_BENCH_DATA")
        or Path.home() / ".cache" / "circlekeeper-bench"
    )
    if args.fresh:
        shutil.rmtree(data / "merge-laptops", ignore_errors=True)
    report(run(args.laptops, data, args.database))


if __name__ == "__main__":
    main()
