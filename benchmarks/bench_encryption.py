"""Encryption at rest: opening a database and a facilitation-like write, on vs off.

Run: .venv/bin/python benchmarks/bench_encryption.py [--runs N] [--people N]
Prints medians and on/off ratios for:
- open: ``open_database`` (checks, quick_check, engine; with encryption the passphrase is
  stretched once, ~0.1-0.2 s by design: that is what makes guessing slow) and a first query;
- action: what a facilitation action does: update one row (the circle's live state) and insert
  one (a turn), then commit (synchronous=FULL, WAL);
- tidy: what every opening now adds (looking for an interrupted rewrite's leftovers and a stray
  -wal beside the file), and in-use: the check a rewrite makes before it starts and before its
  swap (SQLite lock probe plus, on Linux, the scan of /proc/*/fd);
- encrypt: one whole rewrite of the file.
The app's ``--self-test`` start-up cannot take a passphrase yet, so start-up is measured here as
the open time (the part encryption changes).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, text, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from circlekeeper.core.store.database import open_database, tidy_beside  # noqa: E402
from circlekeeper.core.store.encryption import encrypt_database  # noqa: E402
from circlekeeper.core.store.holders import refuse_if_in_use  # noqa: E402
from circlekeeper.core.store.models import Circle, Note, Person, Turn  # noqa: E402

PASSPHRASE = "benchmark passphrase"


def build(path: Path, people: int) -> int:
    db = open_database(path)
    with db.sessions.begin() as session:
        session.execute(
            insert(Person),
            [
                {"first_name": f"First{n}", "last_name": f"Last{n}", "search_text": f"f{n} l{n}"}
                for n in range(people)
            ],
        )
        circle = Circle(kind="community", title="Benchmark", live_state="{}")
        session.add(circle)
        session.flush()
        session.execute(
            insert(Note),
            [{"circle_id": circle.id, "text": f"note {n} " * 20} for n in range(people // 2)],
        )
        circle_id = circle.id
    db.close()
    return circle_id


def time_open(path: Path, passphrase: str | None, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        db = open_database(path, passphrase=passphrase)
        with db.engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM person")).scalar()
        times.append(time.perf_counter() - start)
        db.close()
    return times


def time_action(path: Path, passphrase: str | None, circle_id: int, runs: int) -> list[float]:
    db = open_database(path, passphrase=passphrase)
    times = []
    try:
        for n in range(runs):
            start = time.perf_counter()
            with db.sessions.begin() as session:
                session.execute(
                    update(Circle).where(Circle.id == circle_id).values(live_state=f'{{"n": {n}}}')
                )
                session.execute(
                    insert(Turn).values(
                        circle_id=circle_id, stage_index=1, started_at=datetime.now(UTC)
                    )
                )
            times.append(time.perf_counter() - start)
    finally:
        db.close()
    return times


def time_call(call, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--people", type=int, default=5000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ck-bench-enc-"))
    try:
        plain = folder / "plain.sqlite3"
        circle_id = build(plain, args.people)
        secret = folder / "secret.sqlite3"
        shutil.copyfile(plain, secret)
        start = time.perf_counter()
        encrypt_database(secret, PASSPHRASE)
        encrypt_seconds = time.perf_counter() - start
        size = plain.stat().st_size / 1e6
        print(f"database: {args.people} people, {args.people // 2} notes, {size:.1f} MB")
        results = {}
        for label, path, phrase in (("off", plain, None), ("on", secret, PASSPHRASE)):
            opens = statistics.median(time_open(path, phrase, args.runs))
            actions = statistics.median(time_action(path, phrase, circle_id, args.actions))
            results[label] = (opens, actions)
            print(
                f"encryption {label:>3}: open {opens * 1000:7.1f} ms   "
                f"action {actions * 1000:6.2f} ms"
            )
        print(
            f"ratio on/off: open {results['on'][0] / results['off'][0]:.2f}x   "
            f"action {results['on'][1] / results['off'][1]:.2f}x"
        )
        tidy = time_call(lambda: tidy_beside(plain), args.runs)
        in_use = time_call(lambda: refuse_if_in_use(plain.resolve(), None), args.runs)
        print(
            f"tidy at opening {tidy * 1000:.2f} ms   in-use check {in_use * 1000:.2f} ms   "
            f"encrypt (one rewrite, key stretch included) {encrypt_seconds:.2f} s"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
