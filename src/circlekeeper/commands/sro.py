"""``circlekeeper sro``: the SRO activity log and training records from the command line.

Each command acts as a profile (``--profile NAME`` once the database has profiles) and obeys the
same rules as the SRO area, decided in core: an SRO logs and lists only their own entries.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from circlekeeper.cli import UsageProblem, add_database_option, open_db
from circlekeeper.commands.acting import acting_context, add_profile_option


def register(sub: Any) -> None:
    parser = sub.add_parser("sro", help="the SRO activity log and training records")
    actions = parser.add_subparsers(dest="sro_action", metavar="ACTION", required=True)

    log = actions.add_parser("log", help="log one activity under your profile's name")
    log.add_argument("activity_type", metavar="TYPE", help="class_taught, mentoring_session, ...")
    log.add_argument("--minutes", type=int, required=True, help="how long it took")
    log.add_argument("--date", dest="on_date", metavar="YYYY-MM-DD", help="default: today")
    log.add_argument("--role", help="law_enforcement, counseling or outreach (default: by type)")
    log.add_argument("--place")
    log.add_argument("--attendance", type=int, help="head count, for events")
    log.add_argument("--student", metavar="ID", help="the student's ID, when it is about one")
    log.set_defaults(func=run_log)

    listing = actions.add_parser("list", help="list the activities your profile may see")
    listing.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
    listing.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
    listing.set_defaults(func=run_list)

    training = actions.add_parser("training", help="record a training, or list the totals")
    training.add_argument("course", nargs="?", help="the course's name (leave out to list)")
    training.add_argument("--category", default="other")
    training.add_argument("--hours")
    training.add_argument("--date", dest="on_date", metavar="YYYY-MM-DD", help="default: today")
    training.add_argument("--provider")
    training.add_argument("--trainee", metavar="NAME", help="default: your profile's name")
    training.set_defaults(func=run_training)

    for each in (parser, log, listing, training):
        add_database_option(each)
    for each in (log, listing, training):
        add_profile_option(each)


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageProblem(f"{option} {text!r} is not a date like 2026-09-01.") from None


def run_log(args: argparse.Namespace) -> int:
    from circlekeeper.core.people.people import people_by_ids
    from circlekeeper.core.problems import InvalidInput
    from circlekeeper.core.sro.activity import ActivityEntry, SroActivityService

    on_date = _date(args.on_date, "--date") or date.today()
    db = open_db(args)
    try:
        context = acting_context(args, db)
        student_id = None
        if args.student:
            with db.sessions() as session:
                found = people_by_ids(session, [args.student])
            if not found:
                raise InvalidInput(
                    f"No one has the ID {args.student!r} in this database; nothing was saved. "
                    "Check the student's ID."
                )
            student_id = next(iter(found.values())).id
        row = SroActivityService(context).log(
            ActivityEntry(
                activity_type=args.activity_type,
                on_date=on_date,
                minutes=args.minutes,
                role=args.role,
                place=args.place,
                attendance=args.attendance,
                student_id=student_id,
            )
        )
    finally:
        db.close()
    print(f"Logged {row.activity_type} on {row.on_date.isoformat()}: {row.minutes} minutes.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from circlekeeper.core.sro.activity import SroActivityService

    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    db = open_db(args)
    try:
        rows = SroActivityService(acting_context(args, db)).entries(start, end)
    finally:
        db.close()
    for row in rows:
        cells = (
            row.on_date.isoformat(),
            row.activity_type,
            row.role,
            str(row.minutes),
            row.place or "",
            "" if row.attendance is None else str(row.attendance),
            row.student_name or "",
            row.officer,
        )
        print("\t".join(cells))
    return 0


def run_training(args: argparse.Namespace) -> int:
    from circlekeeper.core.sro.training import TrainingEntry, TrainingService

    on_date = _date(args.on_date, "--date") or date.today()
    db = open_db(args)
    try:
        service = TrainingService(acting_context(args, db))
        if args.course is None:
            for total in service.totals():
                state = "met" if total.met else f"{total.remaining_hours:g} h to go"
                print(f"{total.trainee}\t{total.hours:g} h of {total.required_hours:g} h\t{state}")
            return 0
        row = service.record(
            TrainingEntry(
                course=args.course,
                category=args.category,
                hours=args.hours if args.hours is not None else "",
                completed_on=on_date,
                provider=args.provider,
                trainee=args.trainee,
            )
        )
    finally:
        db.close()
    print(f"Recorded {row.course}: {row.hours:g} hours for {row.trainee}.")
    return 0
