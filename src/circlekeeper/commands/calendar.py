"""``circlekeeper calendar export -o FILE.ics``: planned circles and open follow-ups."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from circlekeeper.cli import UsageProblem, add_database_option, open_db
from circlekeeper.commands.acting import acting_viewer, add_profile_option


def register(sub: Any) -> None:
    parser = sub.add_parser("calendar", help="export circles and follow-ups to a calendar file")
    actions = parser.add_subparsers(dest="calendar_action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export", help="write planned circles and open follow-ups as an .ics file"
    )
    add_export_arguments(export)
    add_database_option(parser)


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of a calendar export (shared with ``circlekeeper export calendar``)."""
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.ics")
    parser.add_argument(
        "--from",
        dest="start",
        metavar="YYYY-MM-DD",
        help="leave out circles and follow-ups before this date (default: include all)",
    )
    parser.add_argument(
        "--first-names",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="add the first names of the students at the centre of each circle or case (never "
        "family names); default: as set in Settings, which is off",
    )
    add_database_option(parser)
    add_profile_option(parser)
    parser.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    from circlekeeper.core.export.calendar import write_calendar
    from circlekeeper.core.settings.settings import SettingsService

    start = None
    if args.start:
        try:
            start = date.fromisoformat(args.start)
        except ValueError:
            raise UsageProblem(f"--from {args.start!r} is not a date like 2026-09-01.") from None
    output = Path(args.output)
    if output.suffix.lower() != ".ics":
        raise UsageProblem(f"{output} should end in .ics so calendar programs recognise it.")
    db = open_db(args, create=False)
    try:
        acting_viewer(args, db)  # once there are profiles, only a signed-in one may export
        first_names = args.first_names
        if first_names is None:
            first_names = SettingsService(db.sessions).load().calendar_names
        result = write_calendar(db.sessions, output, start=start, first_names=first_names)
    finally:
        db.close()
    print(
        f"Wrote {result.circles} circle(s) and {result.follow_ups} follow-up(s) to {result.path}."
    )
    if result.cancelled:
        print(
            f"{result.cancelled} cancelled one(s) are marked cancelled, so calendars remove them."
        )
    print(
        "Events show the kind of circle, the place and the time"
        + (", and first names only." if first_names else "; no names.")
    )
    return 0
