"""``circlekeeper db retention``: preview, then remove records older than the rule.

Nothing changes without ``--apply --yes``. The preview lists what would go (cases, circles tied
to no case, people who left: by id and kind, never by name), what the backups still hold, and
what each ``--backups`` choice would do with them.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from circlekeeper.cli import UsageProblem
from circlekeeper.commands.acting import acting_context, add_profile_option


def register(retention: argparse.ArgumentParser) -> None:
    retention.add_argument("--years", type=int, help="keep records this many years")
    retention.add_argument("--anonymise", action="store_true", help="anonymise, do not delete")
    retention.add_argument("--apply", action="store_true", help="act on the listed records")
    retention.add_argument("--yes", action="store_true", help="confirm --apply without asking")
    retention.add_argument(
        "--backups",
        choices=("keep", "prune", "rewrite"),
        default="keep",
        help="what to do with backups that still hold the removed records (default: keep)",
    )
    add_profile_option(retention)


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _print_plan(plan: Any) -> None:
    print(
        f"Rule: keep records {plan.years} years. Due today: anything closed (or, for a circle "
        f"tied to no case, held; for a person, archived) on or before {plan.last_due_day}."
    )
    for case in plan.cases:
        print(
            f"case {case.case_id} ({case.incident_category}), closed {case.closed_on}: "
            f"{_plural(case.circles, 'circle')}, {_plural(case.agreements, 'agreement')}, "
            f"{_plural(case.notes, 'note')}, {_plural(case.follow_ups, 'follow-up')}"
        )
    for circle in plan.circles:
        print(
            f"circle {circle.circle_id} ({circle.kind.replace('_', ' ')}, tied to no case), "
            f"{circle.day}: {_plural(circle.notes, 'note')}, "
            f"{_plural(circle.agreements, 'agreement')}"
        )
    for person in plan.people:
        print(
            f"{person.kind} {person.person_id}, archived {person.left_on}: no kept record "
            "names them"
        )


def _describe(plan: Any) -> str:
    return (
        f"{_plural(len(plan.cases), 'closed case')}, "
        f"{_plural(len(plan.circles), 'circle')} tied to no case and "
        f"{_plural(len(plan.people), 'person', 'people')} who left"
    )


def _print_backups(holding: list[Any], *, choice: str | None) -> None:
    if not holding:
        print("Backups: none of them holds records older than the rule.")
        return
    dates = ", ".join(f"{b.at:%Y-%m-%d %H:%M}" for b in holding)
    unreadable = sum(not b.readable for b in holding)
    extra = (
        f" ({unreadable} could not be read with this passphrase, so they may hold them)"
        if unreadable
        else ""
    )
    verb = "holds" if len(holding) == 1 else "hold"
    print(
        f"Backups: {_plural(len(holding), 'backup')} still {verb} records older than the rule "
        f"(made {dates}){extra}."
    )
    if choice is None:
        count = "that backup" if len(holding) == 1 else f"those {len(holding)} backups"
        print(
            "  --backups keep (the default): leave them; they keep those records until they "
            "rotate out or are deleted.\n"
            f"  --backups prune: delete {count}, then make one fresh backup of the "
            "purged database.\n"
            f"  --backups rewrite: apply the same rule to {count} and wipe the files "
            "(encrypted ones stay encrypted)."
        )


def _print_aside(aside: list[Any]) -> None:
    if aside:
        names = ", ".join(p.name for p in aside)
        print(
            f"Also beside the database: {_plural(len(aside), 'copy', 'copies')} moved aside by "
            f"a restore or when it was found damaged ({names}). They may hold the old records; "
            "circlekeeper never deletes them: delete them yourself once you no longer need them."
        )


def run(args: argparse.Namespace) -> int:
    from circlekeeper.cli import database_target, open_db
    from circlekeeper.commands.db import _existing
    from circlekeeper.core.retention.backups import (
        backups_holding,
        copies_aside,
        handle_backups,
    )
    from circlekeeper.core.retention.retention import (
        Mode,
        apply_retention,
        plan_retention,
        retention_years,
        wipe_file,
    )

    if isinstance(database_target(args), str):
        return _run_on_server(args)
    _existing(args, "review")
    db = open_db(args, create=False)  # the passphrase as every command reads it (cli.py)
    try:
        # Who acts is named in the audit lines; keeping records is not an SRO's work.
        context = acting_context(args, db)
        context.viewer().check_keeps_records()
        if args.years is not None and args.years < 1:
            raise UsageProblem("Keep records for at least one year: give --years 1 or more.")
        years = args.years or retention_years(context)
        if not years:
            raise UsageProblem("No retention rule is set; give --years N.")
        today = date.today()
        plan = plan_retention(context, years, today)
        mode: Mode = "anonymise" if args.anonymise else "purge"
        _print_plan(plan)
        holding = backups_holding(db.path, db.key, years, today)
        if plan.empty:
            print(f"Nothing in the database is older than {years} years.")
        aside = copies_aside(db.path)
        if not args.apply:
            if not plan.empty:
                print(f"Would {mode}: {_describe(plan)}.")
            _print_backups(holding, choice=None)
            _print_aside(aside)
            if not plan.empty or holding:
                print("Nothing was changed. Run again with --apply --yes to do it.")
            return 0
        if plan.empty and (args.backups == "keep" or not holding):
            wipe_file(db.sessions)  # finishes a wipe an earlier run could not complete
            _print_backups(holding, choice="keep")
            _print_aside(aside)
            return 0
        if not args.yes:
            raise UsageProblem(
                f"Add --yes to confirm: {_describe(plan)} will be {mode}d "
                f"(backups: {args.backups}). Nothing was changed."
            )
        if not plan.empty:
            result = apply_retention(
                context,
                years,
                today,
                mode=mode,
                case_ids=[c.case_id for c in plan.cases],
                circle_ids=[c.circle_id for c in plan.circles],
                person_ids=[p.person_id for p in plan.people],
            )
            print(
                f"{'Purged' if mode == 'purge' else 'Anonymised'} "
                f"{_plural(result.cases, 'case')} and {_plural(result.circles, 'circle')} "
                f"({_plural(result.agreements, 'agreement')}, {_plural(result.notes, 'note')}, "
                f"{_plural(result.follow_ups, 'follow-up')}); removed "
                f"{_plural(result.people, 'person', 'people')} who left. The database file was "
                "wiped: none of the removed words is left in it."
            )
        outcome = handle_backups(
            db.path, db.key, holding, args.backups, years, today, mode=mode, acting=context
        )
        _report(outcome, holding)
        _print_aside(aside)
        if outcome.failed:
            raise UsageProblem(
                "These backups could not be rewritten and still hold the old records: "
                + "; ".join(f"{p.name} ({why})" for p, why in outcome.failed)
                + ". Run again with --backups prune to delete them."
            )
    finally:
        db.close()
    return 0


SERVER_STORAGE = (
    "On the district's server the rows are deleted in one transaction; reclaiming their space "
    "(VACUUM) and the backups made before today (pg_dump files) are the district's own "
    "routine: tell IT the old records are gone so the next backups no longer hold them."
)


def _run_on_server(args: argparse.Namespace) -> int:
    """Retention on a server: the same plan and purge; no file to wipe, no backups to rewrite."""
    from circlekeeper.cli import open_db
    from circlekeeper.core.retention.retention import (
        Mode,
        apply_retention,
        plan_retention,
        retention_years,
    )

    if args.backups != "keep":
        raise UsageProblem(
            "On the district's server circlekeeper keeps no backups of its own, so --backups "
            "prune or rewrite does not apply: the pg_dump files are IT's. Nothing was changed."
        )
    db = open_db(args, create=False)
    try:
        if args.years is not None and args.years < 1:
            raise UsageProblem("Keep records for at least one year: give --years 1 or more.")
        years = args.years or retention_years(db.sessions)
        if not years:
            raise UsageProblem("No retention rule is set; give --years N.")
        today = date.today()
        plan = plan_retention(db.sessions, years, today)
        mode: Mode = "anonymise" if args.anonymise else "purge"
        _print_plan(plan)
        if plan.empty:
            print(f"Nothing in the database is older than {years} years.")
            return 0
        if not args.apply:
            print(f"Would {mode}: {_describe(plan)}.")
            print("Nothing was changed. Run again with --apply --yes to do it.")
            return 0
        if not args.yes:
            raise UsageProblem(
                f"Add --yes to confirm: {_describe(plan)} will be {mode}d. Nothing was changed."
            )
        result = apply_retention(
            db.sessions,
            years,
            today,
            mode=mode,
            case_ids=[c.case_id for c in plan.cases],
            circle_ids=[c.circle_id for c in plan.circles],
            person_ids=[p.person_id for p in plan.people],
            wipe=False,
        )
        print(
            f"{'Purged' if mode == 'purge' else 'Anonymised'} "
            f"{_plural(result.cases, 'case')} and {_plural(result.circles, 'circle')} "
            f"({_plural(result.agreements, 'agreement')}, {_plural(result.notes, 'note')}, "
            f"{_plural(result.follow_ups, 'follow-up')}); removed "
            f"{_plural(result.people, 'person', 'people')} who left."
        )
        print(SERVER_STORAGE)
    finally:
        db.close()
    return 0


def _report(outcome: Any, holding: list[Any]) -> None:
    if outcome.choice == "keep":
        _print_backups(holding, choice="keep")
        if holding:
            print("To remove them too, run again with --backups prune or --backups rewrite.")
    elif outcome.choice == "prune":
        print(f"Backups: deleted {_plural(len(outcome.pruned), 'backup')} that held them.")
        if outcome.fresh:
            print(f"A fresh backup of the purged database was made: {outcome.fresh}.")
    elif outcome.rewritten:
        print(f"Backups: the same rule was applied to {_plural(len(outcome.rewritten), 'backup')}.")
    else:
        print("Backups: none of them held records older than the rule.")
