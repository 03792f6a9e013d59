"""``circlekeeper people import ROSTER.csv``: load the people directory from an SIS export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from circlekeeper.cli import UsageProblem, add_database_option, database_target
from circlekeeper.commands.acting import acting_context, add_profile_option


def register(sub: Any) -> None:
    parser = sub.add_parser("people", help="import people from a roster file")
    actions = parser.add_subparsers(dest="people_action", metavar="ACTION", required=True)
    importer = actions.add_parser(
        "import",
        help="add or update people from a CSV roster exported from the student information system",
        description="Read a CSV roster, check every line, then add new people and update those "
        "already known by their student ID, all at once. If any line has a problem nothing is "
        "imported, unless --skip-bad-rows is given.",
    )
    importer.add_argument("roster", type=Path, metavar="ROSTER.csv", help="the roster file")
    importer.add_argument(
        "--dry-run", action="store_true", help="only report what would happen; change nothing"
    )
    importer.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the good lines and leave out the lines with problems",
    )
    add_database_option(importer)
    add_profile_option(importer)
    importer.set_defaults(func=_import)
    add_database_option(parser)


def _import(args: argparse.Namespace) -> int:
    from circlekeeper.core.roster.commands import import_roster
    from circlekeeper.core.roster.queries import compare
    from circlekeeper.core.roster.reading import read_roster
    from circlekeeper.core.roster.rows import RosterComparison

    roster: Path = args.roster.expanduser()
    if roster.is_dir():
        raise UsageProblem(f"{roster} is a folder; give the roster file itself (a .csv file).")
    if not roster.exists():
        raise UsageProblem(f"{roster} does not exist. Check the file name and folder.")
    preview = read_roster(roster)
    for error in preview.errors:
        print(f"{roster}:{error.line_number}: {error.message}", file=sys.stderr)
    bad = len(preview.bad_lines)
    print(
        f"Read {roster} as {preview.encoding}: {len(preview.rows)} people ready, "
        f"{bad} line{'s' if bad != 1 else ''} with problems."
        + (f" Columns not used: {', '.join(preview.unmapped)}." if preview.unmapped else ""),
        file=sys.stderr,
    )
    if preview.errors and not args.skip_bad_rows:
        raise UsageProblem(
            f"nothing was imported because {bad} line{'s have' if bad != 1 else ' has'} "
            "problems (listed above). Fix them in the file, or run again with --skip-bad-rows "
            "to import only the good lines."
        )
    path = database_target(args)
    if args.dry_run:
        if not isinstance(path, Path) or path.exists():
            from circlekeeper.cli import open_db

            db = open_db(args, create=False, migrate=False)
            try:
                plan = compare(db.sessions, preview)
            finally:
                db.close()
        else:
            plan = RosterComparison(len(preview.rows), 0, 0)
        print(
            f"Dry run, nothing changed: {plan.new} new, {plan.updated} updated, "
            f"{plan.unchanged} unchanged, {bad} skipped (lines with problems)."
        )
        return 0
    from circlekeeper.cli import open_db

    db = open_db(args)
    try:
        result = import_roster(acting_context(args, db), preview, skip_bad_rows=args.skip_bad_rows)
    finally:
        db.close()
    print(
        f"Imported {roster} into {db.location}: {result.created} new, {result.updated} updated, "
        f"{result.unchanged} unchanged, {result.skipped} skipped, "
        f"{result.guardians_linked} guardian links made."
    )
    return 0
