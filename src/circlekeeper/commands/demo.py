"""``circlekeeper demo --database PATH [--size small|large]``: build a demonstration database."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from circlekeeper.cli import UsageProblem, add_database_option


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "demo",
        help="build a demonstration database (made-up people, cases and circles)",
        description="Build a new database full of made-up but realistic records, for trying "
        "circlekeeper out or for training. It never overwrites an existing file.",
    )
    parser.add_argument(
        "--size",
        choices=("small", "large"),
        default="small",
        help="small: one school for one year (about a second); "
        "large: a district over ten years (a few minutes)",
    )
    parser.add_argument("--seed", type=int, default=7, help=argparse.SUPPRESS)
    add_database_option(parser)
    parser.set_defaults(func=_demo)


def _demo(args: argparse.Namespace) -> int:
    from circlekeeper.core.demo.demo import build_demo

    path = getattr(args, "database", None)
    if path is None:
        raise UsageProblem(
            "Say where to write the demo with --database PATH, for example "
            "'circlekeeper demo --database demo.sqlite3'. It must be a new file."
        )
    if isinstance(path, str):
        raise UsageProblem(
            "The demo is built as a file of its own, never on the district's server: give "
            "--database demo.sqlite3. Nothing was changed."
        )
    shown = {"step": -1}

    def progress(done: int, total: int) -> None:
        # A line every quarter is enough to show it is alive without flooding a log.
        step = done * 4 // total if total else 4
        if step != shown["step"] and step < 4:
            shown["step"] = step
            print(f"Building the demo… {step * 25}%", file=sys.stderr, flush=True)

    summary = build_demo(path.expanduser(), args.size, progress=progress, seed=args.seed)
    print(
        f"Demo database written to {summary.path} ({summary.size}) in {summary.seconds:.1f} s: "
        f"{summary.people} people, {summary.cases} cases, {summary.circles} circles, "
        f"{summary.participants} participants, {summary.agreements} agreements, "
        f"{summary.follow_ups} follow-ups."
    )
    return 0
