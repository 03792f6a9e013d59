"""``circlekeeper db merge SOURCE --into TARGET [--dry-run]``: take another laptop's records in.

SOURCE is a laptop's database file (an encrypted one's passphrase is read from
``$CIRCLEKEEPER_MERGE_PASSPHRASE`` or asked on the terminal); TARGET is a file or the district
server's URL (its own passphrase, for an encrypted file, from ``$CIRCLEKEEPER_PASSPHRASE``).
``--dry-run`` prints exactly what the merge would change and writes nothing. The rules (matching,
conflicts, one transaction) live in ``core/merge``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from circlekeeper.cli import PASSPHRASE_ENV, UsageProblem, ask_secret, database_argument
from circlekeeper.commands.acting import acting_context, add_profile_option

SOURCE_PASSPHRASE_ENV = "CIRCLEKEEPER_MERGE_PASSPHRASE"


def register(actions: Any) -> None:
    merge: argparse.ArgumentParser = actions.add_parser(
        "merge", help="merge another laptop's database into this one (or into the server)"
    )
    merge.add_argument("source", metavar="SOURCE", help="the other laptop's database file")
    merge.add_argument(
        "--into",
        metavar="TARGET",
        required=True,
        type=database_argument,
        help="the database to merge into: a file, or postgresql+psycopg://USER@HOST:PORT/NAME",
    )
    merge.add_argument(
        "--dry-run", action="store_true", help="print what would change; write nothing"
    )
    add_profile_option(merge)
    merge.set_defaults(func=run)


def _passphrase(path: Path | str, env: str) -> str | None:
    from circlekeeper.core.store.database import is_encrypted

    if isinstance(path, str) or not path.exists() or not is_encrypted(path):
        return None
    return ask_secret(f"Passphrase for {path}: ", env)


def run(args: argparse.Namespace) -> int:
    from circlekeeper.core.merge import merge_database, open_source, preview_merge
    from circlekeeper.core.merge.source import same_file
    from circlekeeper.core.store.addresses import is_server_url
    from circlekeeper.core.store.database import open_database
    from circlekeeper.core.store.server import describe

    into = args.into
    source = database_argument(args.source)
    if isinstance(into, Path):
        into = into.expanduser()
        if not into.exists():
            raise UsageProblem(
                f"{into} does not exist, so there is nothing to merge into. Nothing was "
                "created. Check the path given with --into."
            )
        if isinstance(source, Path) and source.exists() and same_file(source, into):
            raise UsageProblem(
                f"{source} is the database being merged into: a database cannot be merged "
                "into itself. Nothing was changed. Choose the other laptop's file."
            )
    target = open_database(
        into,
        passphrase=_passphrase(into, PASSPHRASE_ENV),
        create=False,
        defer_check=False,
    )
    try:
        where = describe(str(into)) if is_server_url(into) else str(into)
        ctx = acting_context(args, target)
        origin = open_source(source, target, _passphrase(source, SOURCE_PASSPHRASE_ENV))
        try:
            if args.dry_run:
                report = preview_merge(ctx, origin, where)
            else:
                report = merge_database(ctx, origin, where)
        finally:
            origin.close()
    finally:
        target.close()
    for line in report.lines():
        print(line)
    return 0
