"""``circlekeeper report NAME -o FILE``: a programme report as PDF, CSV, XLSX or HTML;
``circlekeeper report --list`` names the reports.

Everything is checked before anything is read or written (the report's name, the dates, the
smallest figure shown, the output path, the school), so bad input exits with 2 and a plain
message and leaves no file behind. Suppression is always on: the internal view with nothing
hidden is only offered to counselor and administrator profiles in the app.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from circlekeeper.cli import UsageProblem, add_database_option, database_target

FORMATS = ("pdf", "csv", "xlsx", "html")


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "report",
        help="write a programme report (referrals, restorative, diversion, equity, board, monthly)",
        description="Write a programme report with small numbers hidden to protect students. "
        "Use --list to see the reports.",
    )
    parser.add_argument("name", nargs="?", metavar="NAME", help="the report (see --list)")
    parser.add_argument("--list", action="store_true", help="name the reports and stop")
    parser.add_argument(
        "--from",
        dest="start",
        metavar="DATE",
        help="first day counted, YYYY-MM-DD (default: the start of the school year, 1 August)",
    )
    parser.add_argument(
        "--to", dest="end", metavar="DATE", help="last day counted, YYYY-MM-DD (default: today)"
    )
    parser.add_argument("--school", metavar="NAME", help="only this school (default: all)")
    parser.add_argument(
        "--by-school",
        action="store_true",
        help="add the district roll-up: one row per school and the district total "
        "(small numbers hidden per school)",
    )
    parser.add_argument(
        "--min-cell",
        type=int,
        default=None,
        metavar="N",
        help="hide figures about fewer than N students (default: the setting, else 10)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default=None, help="default: from the file name, else pdf"
    )
    parser.add_argument("--lang", choices=("en", "es", "en+es"), default="en")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE")
    add_database_option(parser)
    parser.set_defaults(func=_report)


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageProblem(
            f"{option} {text!r} is not a date. Write it as year-month-day, for example "
            "2025-09-01. Nothing was written."
        ) from None


def school_year_start(today: date) -> date:
    """1 August of the school year ``today`` falls in."""
    year = today.year if today.month >= 8 else today.year - 1
    return date(year, 8, 1)


def _format(args: argparse.Namespace, output: Path) -> str:
    if args.format:
        return str(args.format)
    suffix = output.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "pdf"


def _list() -> int:
    from circlekeeper.core.reports.engine import REPORT_NAMES, describe

    width = max(len(name) for name in REPORT_NAMES)
    for name in REPORT_NAMES:
        print(f"{name:<{width}}  {describe(name).en}")
    return 0


def _report(args: argparse.Namespace) -> int:
    if args.list:
        return _list()
    from circlekeeper.core.export.report_files import check_target
    from circlekeeper.core.reports.engine import (
        DEFAULT_MIN_CELL,
        build_report,
        check_request,
        configured_min_cell,
        title,
    )

    if not args.name:
        raise UsageProblem(
            "Say which report to write, for example 'circlekeeper report referrals -o "
            "referrals.pdf'. 'circlekeeper report --list' names them."
        )
    title(args.name)  # an unknown name is refused before anything else
    today = date.today()
    end = _date(args.end, "--to") or today
    start = _date(args.start, "--from") or school_year_start(end)
    check_request(start, end, DEFAULT_MIN_CELL if args.min_cell is None else args.min_cell)
    if args.output is None:
        raise UsageProblem("Say where to write the report with -o FILE. Nothing was written.")
    output = check_target(args.output)
    path = database_target(args)
    if isinstance(path, Path) and not path.exists():
        raise UsageProblem(f"There is no database at {path}. Nothing was written.")

    from circlekeeper.cli import open_db

    db = open_db(args)
    try:
        # Without --min-cell, the school's own choice in Settings (else 10).
        min_cell = configured_min_cell(db.sessions) if args.min_cell is None else args.min_cell
        report = build_report(
            args.name,
            db.sessions,
            start=start,
            end=end,
            school=args.school,
            min_cell=min_cell,
            by_school=args.by_school,
        )
    finally:
        db.close()
    chosen = _format(args, output)
    _write(report, chosen, args.lang, output)
    if report.empty_message is not None:
        print(report.empty_message.en)
    print(f"Wrote {output}.")
    return 0


def _write(report: Any, chosen: str, lang: str, output: Path) -> None:
    if chosen == "csv":
        from circlekeeper.core.export.report_csv import write_csv

        write_csv(report, output)
    elif chosen == "xlsx":
        from circlekeeper.core.export.report_xlsx import write_xlsx

        write_xlsx(report, lang, output)
    elif chosen == "html":
        # The same self-contained page the Reports area saves: its charts drawn in as pictures.
        from circlekeeper.report_pdf import write_report_html

        write_report_html(report, lang, output)
    else:
        from circlekeeper.report_pdf import write_report_pdf

        write_report_pdf(report, lang, output)
