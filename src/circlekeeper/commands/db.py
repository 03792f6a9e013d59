"""``circlekeeper db upgrade|check|backup``: database upkeep for IT staff."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from circlekeeper.cli import UsageProblem, add_database_option, database_path


def register(sub: Any) -> None:
    parser = sub.add_parser("db", help="upgrade, check or back up the database")
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    upgrade = actions.add_parser("upgrade", help="back up, then bring the schema up to date")
    add_database_option(upgrade)
    upgrade.set_defaults(func=_upgrade)
    check = actions.add_parser("check", help="check the schema version and the file's integrity")
    add_database_option(check)
    check.set_defaults(func=_check)
    backup = actions.add_parser("backup", help="write a consistent copy of the database")
    add_database_option(backup)
    backup.add_argument("-o", "--output", type=Path, help="backup file (default: backups folder)")
    backup.set_defaults(func=_backup)
    add_database_option(parser)


def _upgrade(args: argparse.Namespace) -> int:
    from circlekeeper.core.store.database import SchemaState, inspect_schema, open_database

    path = database_path(args)
    before = inspect_schema(path)
    db = open_database(path)
    db.close()
    if before.state is SchemaState.CURRENT:
        print(f"{path}: already up to date.")
    else:
        where = f" (backup: {db.backup})" if db.backup else ""
        print(f"{path}: upgraded to the current schema{where}.")
    return 0


def _check(args: argparse.Namespace) -> int:
    import sqlite3

    from circlekeeper.core.store.database import SchemaState, inspect_schema

    path = database_path(args)
    if not path.exists():
        raise UsageProblem(f"{path} does not exist.")
    state = inspect_schema(path)
    problems = []
    if state.state is SchemaState.NEWER:
        problems.append(f"made by a newer circlekeeper (schema {state.revision})")
    elif state.state is SchemaState.OUTDATED:
        problems.append("needs upgrading: run 'circlekeeper db upgrade'")
    elif state.state is SchemaState.EMPTY:
        problems.append("holds no circlekeeper data yet")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        foreign = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    if integrity != ["ok"]:
        problems.append("damaged: " + "; ".join(integrity[:5]))
    if foreign:
        problems.append(f"{len(foreign)} broken references between records")
    if problems:
        raise UsageProblem(f"{path}: " + "; ".join(problems) + ".")
    print(f"{path}: ok (schema {state.revision}).")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from circlekeeper.core.store.database import backup_database, inspect_schema

    path = database_path(args)
    if not path.exists():
        raise UsageProblem(f"{path} does not exist; there is nothing to back up.")
    inspect_schema(path)  # refuses files that are not circlekeeper databases
    target = backup_database(path, args.output)
    print(f"Backed up {path} to {target}.")
    return 0
