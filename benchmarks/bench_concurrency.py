"""Many schools at once on one district server: 20 keepers running their circles together.

Run: ``.venv/bin/python benchmarks/bench_concurrency.py [--database URL] [--clients 20]
[--actions 200] [--threads] [--every MS ...]``. Goal: p99 <= 16 ms per action.

Each client is a keeper running their own circle (started beforehand through the real planner
and facilitation service) pressing keys: record a turn (the next speaker), pass the piece, add
a note, and every fifth time advance a stage (then step back, untimed, to stay in a round).
Every action is one operation of the real ``FacilitationService`` on its own connection, timed
from the call to its commit.

How fast they press is the pace: by default (``--every 0``) as fast as the server answers,
about 90 presses a second from each keeper, 1,800 a second for the server: a measure of how
much the server takes, where the wait is mostly each press queueing behind the other
nineteen's for the two cores. ``--every 100`` has each keeper press every 100 ms (ten presses
a second, still many times faster than a keeper follows a circle), the keepers out of step
with each other as schools are, timed from the moment each press was due (a press held up
behind a slow one counts its wait). ``benchmarks/run.py`` reports both.

Clients are separate **processes** by default (each keeper is a laptop of their own; threads
would queue on one interpreter's lock and measure that instead); ``--threads`` runs them as
threads in one process to compare.

Without ``--database`` a throwaway cluster is started (``tests/pg_cluster.py``) with the
server's durable defaults (fsync and synchronous commit on, unlike the tests' cluster). A
``--database`` URL must name a database the benchmark may write into (it plans its own circles
there): an empty one made for it, never a school's.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests.pg_cluster, tests.core.held

GOAL_MS = 16
ACTIONS = ("record_turn", "pass_piece", "add_note", "advance_stage")


def prepare(url: str, clients: int) -> list[int]:
    """``clients`` circles, each planned, started and at its first round: their ids."""
    from tests.core.held import running_circle

    from circlekeeper.core.store.database import open_database

    db = open_database(url)
    try:
        with tempfile.TemporaryDirectory() as scripts:
            return [
                running_circle(db, Path(scripts), members=12, actor=f"Keeper {n}")
                for n in range(clients)
            ]
    finally:
        db.close()


def _keeper(
    url: str,
    circle_id: int,
    n: int,
    actions: int,
    start: Any,
    every_ms: float = 0.0,
    n_clients: int = 1,
) -> dict[str, list[float]]:
    from circlekeeper.core.facilitation.commands import FacilitationService
    from circlekeeper.core.operations import Context
    from circlekeeper.core.problems import InvalidInput
    from circlekeeper.core.store.database import open_database

    db = open_database(url)
    live = FacilitationService(Context(db.sessions, actor=f"Keeper {n}"), circle_id)
    times: dict[str, list[float]] = {name: [] for name in ACTIONS}

    # When the next press is meant to happen (paced keepers). Keepers in different schools
    # do not press in step: each starts at its own point of the interval.
    due = [0.0]
    phase = every_ms / 1000 * n / max(1, n_clients)

    def timed(name: str, action: Callable[[], object]) -> None:
        began = time.perf_counter()
        if every_ms:
            # A keeper pressing on a schedule: wait for the moment, and count from it, so a
            # press held up behind a slow one counts the wait too.
            due[0] = max(due[0] + every_ms / 1000, began) if due[0] else began + phase
            if due[0] > began:
                time.sleep(due[0] - began)
            began = due[0]
        try:
            action()
        except InvalidInput:  # not possible now (the round just ended): hand the piece on
            live.next_speaker()
            return
        times[name].append((time.perf_counter() - began) * 1000)

    live.state()  # the connection is open before the clock starts
    start.wait()
    for i in range(actions):
        timed("record_turn", live.next_speaker)
        timed("pass_piece", live.pass_turn)
        note = f"Round note {i}"
        timed("add_note", lambda note=note: live.add_note(note, privacy="record"))
        if i % 5 == 4:
            timed("advance_stage", live.next_stage)
            with contextlib.suppress(InvalidInput):
                live.previous_stage()
    db.close()
    return times


def _process_keeper(
    args: tuple[str, int, int, int, Any, float, int],
) -> dict[str, list[float]]:
    return _keeper(*args)


def measure(
    url: str, clients: int, actions: int, *, threads: bool, every_ms: float = 0.0
) -> dict[str, list[float]]:
    """Every action's latency in milliseconds, all clients together."""
    circles = prepare(url, clients)
    merged: dict[str, list[float]] = {name: [] for name in ACTIONS}
    if threads:
        barrier = threading.Barrier(clients)
        found: list[dict[str, list[float]]] = []
        workers = [
            threading.Thread(
                target=lambda c=c, n=n: found.append(_keeper(url, c, n, actions, barrier, every_ms))
            )
            for n, c in enumerate(circles)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    else:
        context = multiprocessing.get_context("spawn")
        with context.Manager() as manager:
            start = manager.Barrier(clients)
            with context.Pool(clients) as pool:
                found = pool.map(
                    _process_keeper,
                    [(url, c, n, actions, start, every_ms, clients) for n, c in enumerate(circles)],
                )
    for one in found:
        for name, values in one.items():
            merged[name].extend(values)
    return merged


def _pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def report(
    merged: dict[str, list[float]],
    report_times: Callable[..., None] | None = None,
    every_ms: float = 0.0,
) -> None:
    prefix = f"concurrency_every_{every_ms:g}ms_" if every_ms else "concurrency_"
    for name in ACTIONS:
        values = merged[name]
        if not values:
            continue
        if report_times is not None:
            report_times(f"{prefix}{name}", values, GOAL_MS, key="p99")
            continue
        print(
            f"BENCH {prefix}{name} p50_ms={statistics.median(values):.2f} "
            f"p95_ms={_pct(values, 0.95):.2f} p99_ms={_pct(values, 0.99):.2f} "
            f"goal_ms={GOAL_MS} n={len(values)}",
            flush=True,
        )


def run(
    url: str | None,
    clients: int,
    actions: int,
    *,
    threads: bool = False,
    report_times: Callable[..., None] | None = None,
    every: tuple[float, ...] = (0.0,),
) -> None:
    """Measure on ``url``, or on a throwaway durable cluster when it is None (and one can start).

    ``every``: each figure's pace in milliseconds between one keeper's presses (0: as fast as
    answered); each pace is measured on circles of its own.
    """

    def each_pace(target: str) -> None:
        for every_ms in every:
            found = measure(target, clients, actions, threads=threads, every_ms=every_ms)
            report(found, report_times, every_ms)

    if url is not None:
        each_pace(url)
        return
    from tests.pg_cluster import start_cluster, why_no_server

    reason = why_no_server()
    if reason is not None:
        print(f"concurrency: skipped, no PostgreSQL server to measure on ({reason})", flush=True)
        return
    cluster = start_cluster(durable=True)
    try:
        cluster.sql("CREATE DATABASE bench_concurrency")
        each_pace(cluster.url("bench_concurrency"))
    finally:
        cluster.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="a postgresql+psycopg:// URL of a throwaway database")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--actions", type=int, default=200, help="rounds of actions per client")
    parser.add_argument("--threads", action="store_true", help="clients as threads, not processes")
    parser.add_argument(
        "--every",
        type=float,
        action="append",
        metavar="MS",
        help="each keeper presses every MS milliseconds (repeat for several paces; 0, the "
        "default, presses as fast as the server answers)",
    )
    args = parser.parse_args()
    print(
        f"concurrency: {args.clients} keepers as {'threads' if args.threads else 'processes'}, "
        f"{args.actions} rounds of actions each",
        flush=True,
    )
    every = tuple(args.every or (0.0,))
    run(args.database, args.clients, args.actions, threads=args.threads, every=every)
    return 0


if __name__ == "__main__":
    sys.exit(main())
