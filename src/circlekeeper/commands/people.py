"""``circlekeeper people import ROSTER`` and ``people end-of-year``: the directory from the SIS.

An import reads the file (CSV or Excel), says which system made it and how each column is
used, and lists every line with a problem. ``--dry-run`` is the review: who is new, what
changes for whom field by field, who is unchanged, and which students the roster no longer
lists (archived in the same step with ``--archive-missing``).
"""

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
        help="add or update people from a roster (CSV or Excel) exported from the student "
        "information system",
        description="Read a roster (CSV or .xlsx), check every line, then add new people and "
        "update those already known by their student ID, all at once. If any line has a "
        "problem nothing is imported, unless --skip-bad-rows is given. PowerSchool, Infinite "
        "Campus, Skyward, Aeries and OneRoster exports are recognised from their header.",
    )
    importer.add_argument("roster", type=Path, metavar="ROSTER", help="the roster file")
    importer.add_argument(
        "--dry-run",
        action="store_true",
        help="only show what would happen (new, changed field by field, unchanged, missing); "
        "change nothing",
    )
    importer.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the good lines and leave out the lines with problems",
    )
    importer.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="use the file's COLUMN for FIELD (for example --map 'Perm ID=student ID'); "
        "COLUMN= leaves a column unused. Repeat for more columns; the choices are saved for "
        "the next file from the same system",
    )
    importer.add_argument(
        "--forget-map",
        action="store_true",
        help="read the file without the column choices saved for its system (the import "
        "then keeps only this run's --map choices)",
    )
    importer.add_argument("--sheet", metavar="NAME", help="the sheet to read in an Excel workbook")
    importer.add_argument(
        "--archive-missing",
        action="store_true",
        help="the roster is complete: archive students it no longer lists (of the schools it "
        "names); their records are kept",
    )
    add_database_option(importer)
    add_profile_option(importer)
    importer.set_defaults(func=_import)
    from circlekeeper.commands.year_end import register as register_year_end

    register_year_end(actions)
    add_database_option(parser)


def parse_map(items: list[str]) -> dict[str, str]:
    """``COLUMN=FIELD`` options as a mapping; a malformed one is refused (exit 2)."""
    chosen: dict[str, str] = {}
    for item in items:
        column, sep, field = item.partition("=")
        if not sep or not column.strip():
            raise UsageProblem(
                f"--map {item!r} is not COLUMN=FIELD (for example --map 'Grade_Level=grade'). "
                "Nothing was imported."
            )
        if column.strip().lower() in (c.lower() for c in chosen):
            raise UsageProblem(
                f"--map names the column {column.strip()!r} twice. Nothing was imported."
            )
        chosen[column.strip()] = field.strip()
    return chosen


def _import(args: argparse.Namespace) -> int:
    from circlekeeper.cli import open_db
    from circlekeeper.core.roster.commands import import_roster
    from circlekeeper.core.roster.queries import compare, saved_mappings
    from circlekeeper.core.roster.reading import read_roster
    from circlekeeper.core.roster.rows import RosterComparison
    from circlekeeper.core.roster.sources import SheetChoiceNeeded

    roster: Path = args.roster.expanduser()
    if roster.is_dir():
        raise UsageProblem(f"{roster} is a folder; give the roster file itself (a .csv file).")
    if not roster.exists():
        raise UsageProblem(f"{roster} does not exist. Check the file name and folder.")
    chosen = parse_map(args.map)
    path = database_target(args)
    exists = not isinstance(path, Path) or path.exists()
    db = (
        open_db(args, create=not args.dry_run, migrate=not args.dry_run)
        if exists or not args.dry_run
        else None
    )
    try:
        # --forget-map reads the file with the preset's guess alone; the import then keeps
        # only this run's --map choices for the system.
        saved = saved_mappings(db.sessions) if db is not None and not args.forget_map else {}
        try:
            preview = read_roster(roster, mapping=chosen, saved=saved, sheet=args.sheet)
        except SheetChoiceNeeded as exc:
            names = " ".join(f"--sheet {n!r}" for n in exc.sheets)
            raise UsageProblem(f"{exc} Run again with one of: {names}.") from None
        _describe(roster, preview)
        bad = len(preview.bad_lines)
        if preview.errors and not args.skip_bad_rows:
            raise UsageProblem(
                f"nothing was imported because {bad} line{'s have' if bad != 1 else ' has'} "
                "problems (listed above). Fix them in the file, or run again with "
                "--skip-bad-rows to import only the good lines."
            )
        if args.dry_run:
            plan = (
                compare(db.sessions, preview)
                if db is not None
                else RosterComparison(len(preview.rows), 0, 0)
            )
            _review(preview, plan, archive=args.archive_missing)
            return 0
        assert db is not None
        result = import_roster(
            acting_context(args, db), preview,
            skip_bad_rows=args.skip_bad_rows, archive_missing=args.archive_missing,
        )  # fmt: skip
        location = db.location
    finally:
        if db is not None:
            db.close()
    print(
        f"Imported {roster} into {location}: {result.created} new, {result.updated} updated, "
        f"{result.unchanged} unchanged, {result.skipped} skipped, "
        f"{result.guardians_linked} guardian links made"
        + (f", {result.archived} archived (not on the roster)." if args.archive_missing else ".")
    )
    return 0


def _describe(roster: Path, preview: Any) -> None:
    """How the file was understood, and its problems, on stderr."""
    from circlekeeper.core.roster.presets import FIELDS

    for error in preview.errors:
        print(f"{roster}:{error.line_number}: {error.message}", file=sys.stderr)
    bad = len(preview.bad_lines)
    sheet = f" (sheet {preview.sheet!r})" if preview.sheet else ""
    used = ", ".join(f"{c} → {FIELDS.get(f, f)}" for c, f in preview.mapping.items())
    print(
        f"Read {roster}{sheet} as {preview.encoding}, a {preview.source_label} export: "
        f"{len(preview.rows)} people ready, {bad} line{'s' if bad != 1 else ''} with problems.\n"
        f"Columns used: {used}."
        + (f"\nColumns not used: {', '.join(preview.unmapped)}." if preview.unmapped else ""),
        file=sys.stderr,
    )
    for note in preview.notes:
        print(f"Note: {note}", file=sys.stderr)


def _review(preview: Any, plan: Any, *, archive: bool) -> None:
    """The dry run's review: each change field by field, and who the roster no longer lists."""
    from circlekeeper.core.people.names import display_name
    from circlekeeper.core.roster.presets import FIELDS

    for row in preview.rows:
        data = row.data
        name = display_name(data.first_name, data.preferred_name, data.last_name)
        who = f"{name} ({data.external_id})"
        if row.action == "new":
            print(f"new (line {row.line_number}): {who}")
        elif row.action == "update":
            changes = "; ".join(
                f"{FIELDS.get(c.name, c.name)} {_shown(c.old)} → {_shown(c.new)}"
                for c in row.changes
            )
            print(f"changed (line {row.line_number}): {who}: {changes}")
    for person in plan.missing:
        what = "would be archived" if archive else "not on this roster"
        print(f"{what}: {person.name} ({person.external_id})")
    missing = len(plan.missing)
    print(
        f"Dry run, nothing changed: {plan.new} new, {plan.updated} updated, "
        f"{plan.unchanged} unchanged, {len(preview.bad_lines)} skipped (lines with problems), "
        f"{missing} not on this roster"
        + (" (would be archived)." if archive and missing else ".")
        + ("" if archive or not missing else " Add --archive-missing to archive them.")
    )


def _shown(value: object) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
