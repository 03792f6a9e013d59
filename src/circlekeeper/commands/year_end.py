"""``circlekeeper people end-of-year``: move every student up a grade and archive leavers."""

from __future__ import annotations

import argparse
from typing import Any

from circlekeeper.cli import add_database_option
from circlekeeper.commands.acting import acting_context, add_profile_option


def register(actions: Any) -> None:
    closing = actions.add_parser(
        "end-of-year",
        help="move every student up one grade and archive those leaving (12th grade)",
        description="Close the school year in one reviewed step: PK and TK move to K, K to 1, "
        "and so on; 12th graders are archived (their records kept). Run with --dry-run first "
        "to see who moves where. To archive students who left for other reasons, import the "
        "new roster with --archive-missing.",
    )
    closing.add_argument(
        "--dry-run", action="store_true", help="only list who would move and who would leave"
    )
    closing.add_argument(
        "--again",
        action="store_true",
        help="close the year even though it was already closed less than 200 days ago",
    )
    add_database_option(closing)
    add_profile_option(closing)
    closing.set_defaults(func=_end_of_year)


def _end_of_year(args: argparse.Namespace) -> int:
    from circlekeeper.cli import open_db
    from circlekeeper.core.roster.year_end import close_school_year, plan_year_end

    db = open_db(args, create=False, migrate=not args.dry_run)
    try:
        context = acting_context(args, db)
        plan = plan_year_end(context)
        if args.dry_run:
            for move in plan.moves:
                where = (
                    f"grade {move.old} → {move.new}" if move.new else f"grade {move.old}, leaves"
                )
                print(f"{move.name}: {where}")
            counts = ", ".join(f"{n} in {g}" for g, n in plan.counts().items()) or "none"
            closed = f" The last year was closed on {plan.last_closed}." if plan.last_closed else ""
            print(
                f"Dry run, nothing changed: {len(plan.promoted)} students would move up a "
                f"grade and {len(plan.leavers)} would be archived as leaving ({counts}).{closed}"
            )
            return 0
        moved, archived = close_school_year(context, plan, again=args.again)
    finally:
        db.close()
    print(f"School year closed: {moved} students moved up a grade, {archived} archived as leaving.")
    return 0
