"""``circlekeeper case close ID`` and ``case divert ID``: the school's discipline decisions.

The command acts as a profile (``--profile NAME``), and the school's MOU applies exactly as in the
app: a school resource officer's profile is refused (exit code 2, an audit line saying who tried).
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from circlekeeper.cli import UsageProblem, add_database_option, open_db
from circlekeeper.commands.acting import acting_context, add_profile_option


def register(sub: Any) -> None:
    parser = sub.add_parser("case", help="close a case or record what it was diverted from")
    actions = parser.add_subparsers(dest="case_action", metavar="ACTION", required=True)
    close = actions.add_parser("close", help="close a case with a reason")
    close.add_argument("id", metavar="ID", type=int, help="the case's number")
    close.add_argument(
        "--reason",
        required=True,
        help="completed, partially_completed, declined, not_completed, ...",
    )
    close.add_argument(
        "--follow-ups",
        choices=("cancel", "keep"),
        help="what to do with follow-ups still open (asked for when there are some)",
    )
    _add_version_option(close)
    add_database_option(close)
    add_profile_option(close)
    close.set_defaults(func=_close)
    divert = actions.add_parser("divert", help="record which consequence the case replaced")
    divert.add_argument("id", metavar="ID", type=int, help="the case's number")
    divert.add_argument("--from", dest="diverted_from", required=True, metavar="CONSEQUENCE")
    divert.add_argument("--amount", type=int, help="how much, for example suspension days")
    _add_version_option(divert)
    add_database_option(divert)
    add_profile_option(divert)
    divert.set_defaults(func=_divert)
    add_database_option(parser)


def _add_version_option(parser: Any) -> None:
    parser.add_argument(
        "--if-version",
        type=int,
        metavar="N",
        help="refuse (exit 2, nothing changed) if anyone saved the case since its version N, "
        "as printed by the last change made here; the refusal says what they changed",
    )


def _close(args: argparse.Namespace) -> int:
    from circlekeeper.core.cases.commands import CaseService, OpenFollowUps

    db = open_db(args, create=False)
    try:
        cases = CaseService(acting_context(args, db))
        try:
            cases.close(
                args.id,
                args.reason,
                today=date.today(),
                open_follow_ups=args.follow_ups,
                loaded_version=args.if_version,
            )
        except OpenFollowUps as exc:
            raise UsageProblem(
                f"{exc} Nothing was changed. Run it again with --follow-ups cancel or "
                "--follow-ups keep."
            ) from None
    finally:
        db.close()
    print(f"Closed case {args.id}.")
    return 0


def _divert(args: argparse.Namespace) -> int:
    from circlekeeper.core.cases.commands import CaseService

    db = open_db(args, create=False)
    try:
        cases = CaseService(acting_context(args, db))
        version = cases.set_diversion(
            args.id, args.diverted_from, args.amount, loaded_version=args.if_version
        )
    finally:
        db.close()
    print(f"Recorded what case {args.id} was diverted from (the case is now at version {version}).")
    return 0
