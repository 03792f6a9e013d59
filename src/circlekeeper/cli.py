"""The command line: start the app, or run one of the subcommands IT staff script.

Exit codes: 0 done, 2 bad input (the message on stderr says what and where), 1 internal error
(the traceback goes to the log file, not the screen).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from pathlib import Path
from typing import NoReturn

from circlekeeper import __version__

# Each module in circlekeeper.commands adds its subcommand; they import heavy things lazily.
COMMAND_MODULES = (
    "calendar",
    "case",
    "db",
    "demo",
    "export",
    "people",
    "report",
    "scripts",
    "search",
    "sro",
)

log = logging.getLogger(__name__)


class UsageProblem(Exception):
    """Bad input from the command line; exits with status 2 and this message."""


DATABASE_ENV = "CIRCLEKEEPER_DATABASE"


def database_argument(value: str) -> Path | str:
    """A ``--database`` value: a file's path, or a district server's PostgreSQL URL as given.

    A URL must stay text: ``Path`` would fold its ``//`` and make a folder of its scheme.
    """
    from circlekeeper.core.store.addresses import is_server_url

    return value if is_server_url(value) else Path(value)


def add_database_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    parser.add_argument(
        "--database",
        metavar="PATH|URL",
        type=database_argument,
        # Subcommands must not overwrite a --database given before the subcommand name.
        default=None if top else argparse.SUPPRESS,
        help="the database file to use (created if missing), or a district server's "
        "postgresql+psycopg://USER@HOST:PORT/NAME; default: $CIRCLEKEEPER_DATABASE, else "
        "circlekeeper.sqlite3 in the user data folder or $CIRCLEKEEPER_HOME",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="circlekeeper",
        description="Restorative circles and conferences for schools.",
    )
    _add_top_level(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"circlekeeper.commands.{name}")
        module.register(sub)
    return parser


class _NotOnlyTopLevel(Exception):
    """The arguments need the whole parser (a command, help, or a mistake to explain)."""


class _TopLevelParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotOnlyTopLevel(message)


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line read: starting the app reads only the top-level options.

    Building every subcommand's parser imports ten command modules, about 25 ms before the
    window can paint; the app's own start (no command) needs none of them. Anything else
    (a command, ``--help``, a mistake) goes to the whole parser, so its answers and messages
    are the same as ever.
    """
    light = _TopLevelParser(prog="circlekeeper", add_help=False)
    _add_top_level(light)
    try:
        args, extra = light.parse_known_args(argv)
    except _NotOnlyTopLevel:
        extra = ["(the whole parser explains)"]
    if extra:
        return build_parser().parse_args(argv)
    args.command = None
    return args


def _add_top_level(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"circlekeeper {__version__}")
    add_database_option(parser, top=True)
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="start the window, load the data, print first_paint_ms and data_ready_ms, and exit",
    )
    parser.add_argument(
        "--language",
        metavar="CODE",
        default=None,
        help="the app's language for this run: en (English), es (Español) or system; "
        "default: $CIRCLEKEEPER_LANGUAGE, else the choice made in Settings",
    )


def database_target(args: argparse.Namespace) -> Path | str:
    """The database a command works on: ``--database``, ``$CIRCLEKEEPER_DATABASE``, the default.

    A file's path, or a PostgreSQL URL (text) for a district's server.
    """
    from circlekeeper.core.paths import default_database_path

    chosen = getattr(args, "database", None) or os.environ.get(DATABASE_ENV) or None
    if chosen is None:
        return default_database_path()
    chosen = database_argument(str(chosen))
    return chosen.expanduser() if isinstance(chosen, Path) else chosen


def database_path(args: argparse.Namespace, what: str = "do that") -> Path:
    """The database file, for what only a file has; a server URL is refused in plain words."""
    target = database_target(args)
    if isinstance(target, str):
        from circlekeeper.core.store.server import describe

        raise UsageProblem(
            f"{describe(target)} is a database on the district's server, and circlekeeper cannot "
            f"{what} there: that is the server's own routine (pg_dump for backups, the server's "
            "disk encryption), run by IT. Nothing was changed."
        )
    return target


PASSPHRASE_ENV = "CIRCLEKEEPER_PASSPHRASE"


def ask_secret(prompt: str, env: str) -> str:
    """A passphrase from ``$env``, else typed on the terminal without echo; exit 2 if neither."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise UsageProblem(
            f"A passphrase is needed and none was given. Set {env}, or run this in a "
            "terminal to type it. Nothing was changed."
        )
    import getpass

    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UsageProblem("No passphrase was typed. Nothing was changed.") from None


def passphrase_for(path: Path | str) -> str | None:
    """The passphrase of an encrypted database (see :func:`ask_secret`); None for a plain one.

    A server has no passphrase: its sign-in is the URL's user (password in ``~/.pgpass``).
    """
    from circlekeeper.core.store.database import is_encrypted

    if isinstance(path, str) or not is_encrypted(path):
        return None
    return ask_secret(f"Passphrase for {path}: ", PASSPHRASE_ENV)


def say_notices(database: object) -> None:
    """Print what opening the database tidied beside it (see ``Database.notices``)."""
    for notice in getattr(database, "notices", ()):
        print(f"circlekeeper: {notice}", file=sys.stderr)


def open_db(args: argparse.Namespace, *, create: bool = True, migrate: bool = True):  # type: ignore[no-untyped-def]
    """Open the database named on the command line, as every command does.

    An encrypted database's passphrase comes from ``$CIRCLEKEEPER_PASSPHRASE`` or the
    terminal. Commands that only read pass ``create=False``: a missing file is refused.
    """
    from circlekeeper.core.store.database import open_database

    target = database_target(args)
    # Checked at once: a command has no screen to show first, and even one that only reads
    # (an export) must not read damaged pages.
    database = open_database(
        target,
        passphrase=passphrase_for(target),
        create=create,
        migrate=migrate,
        defer_check=False,
    )
    say_notices(database)
    return database


def setup_logging() -> Path | None:
    """The rotating, private, value-free log file the app shares (``core/logs.py``)."""
    from circlekeeper.core.logs import setup_logging as setup

    return setup()


def run(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    logfile = setup_logging()
    from circlekeeper.core.problems import InvalidInput, NotFound

    # problems.py imports nothing heavy: SQLAlchemy must not load before the window paints.
    from circlekeeper.core.store.problems import DatabaseProblem

    try:
        from circlekeeper.ui.language_choice import language_for_run

        # Checked for every command, so a typo in a script's CIRCLEKEEPER_LANGUAGE shows at once.
        language = language_for_run(args.language)
        if args.command is None:
            from circlekeeper.app import run_app
            from circlekeeper.ui.last_database import remembered_database

            # The app reopens the database chosen last time (e.g. the demo); scripts don't.
            named = args.database or os.environ.get(DATABASE_ENV)
            chosen = database_target(args) if named else None
            return run_app(
                chosen or remembered_database() or database_target(args),
                self_test=args.self_test,
                language=language,
            )
        return int(args.func(args) or 0)
    except (UsageProblem, DatabaseProblem, InvalidInput, NotFound) as exc:
        print(f"circlekeeper: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("circlekeeper: stopped; nothing half-done was kept.", file=sys.stderr)
        return 130
    except Exception:
        log.exception("internal error running %s", argv if argv is not None else sys.argv[1:])
        where = f" Details are in {logfile}." if logfile else ""
        print(f"circlekeeper: internal error; nothing was changed by it.{where}", file=sys.stderr)
        return 1
