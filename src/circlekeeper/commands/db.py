"""``circlekeeper db ...``: database upkeep for IT staff.

upgrade, check, backup, backups (list), restore, encrypt, decrypt, passphrase (change),
retention (preview, then ``--apply --yes``) and merge (another laptop's database, see
``db_merge.py``). An encrypted database's passphrase is read from
``$CIRCLEKEEPER_PASSPHRASE`` or asked for on the terminal; a new one from
``$CIRCLEKEEPER_NEW_PASSPHRASE`` or asked twice.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from circlekeeper.cli import (
    PASSPHRASE_ENV,
    UsageProblem,
    add_database_option,
    ask_secret,
    database_path,
    database_target,
    passphrase_for,
)

NEW_PASSPHRASE_ENV = "CIRCLEKEEPER_NEW_PASSPHRASE"


def register(sub: Any) -> None:
    parser = sub.add_parser("db", help="upgrade, check, back up, restore or protect the database")
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)

    def action(name: str, help_text: str, func: Any) -> argparse.ArgumentParser:
        sub_parser: argparse.ArgumentParser = actions.add_parser(name, help=help_text)
        add_database_option(sub_parser)
        sub_parser.set_defaults(func=func)
        return sub_parser

    action("upgrade", "back up, then bring the schema up to date", _upgrade)
    action("check", "check the schema version and the file's integrity", _check)
    backup = action("backup", "write a consistent copy of the database", _backup)
    backup.add_argument("-o", "--output", type=Path, help="backup file (default: backups folder)")
    action("backups", "list the backups of the database, newest first", _backups)
    restore = action("restore", "put a backup in place of the database (kept aside)", _restore)
    restore.add_argument("file", type=Path, metavar="FILE", help="the backup to restore")
    action("encrypt", "protect the database (and its backups) with a passphrase", _encrypt)
    action("decrypt", "remove the passphrase; the database is stored plain again", _decrypt)
    action("passphrase", "change the passphrase (re-key the database and backups)", _rekey)
    from circlekeeper.commands import db_retention

    retention = action(
        "retention", "list (or with --apply, remove) records older than N years", _retention
    )
    db_retention.register(retention)
    from circlekeeper.commands import db_roles

    db_roles.register(action("roles", "give each person their own role on a server", _no_action))
    from circlekeeper.commands import db_merge

    db_merge.register(actions)
    add_database_option(parser)


def _no_action(_args: argparse.Namespace) -> int:  # a sub-command is required
    return 2


def _new_passphrase() -> str:
    """A new passphrase from $CIRCLEKEEPER_NEW_PASSPHRASE, or typed twice; checked by core."""
    from circlekeeper.core.store.crypto import passphrase_problem

    value = os.environ.get(NEW_PASSPHRASE_ENV)
    if not value:
        value = ask_secret("New passphrase: ", NEW_PASSPHRASE_ENV)
        if ask_secret("The same passphrase again: ", NEW_PASSPHRASE_ENV) != value:
            raise UsageProblem("The two passphrases differ; nothing was changed.")
    problem = passphrase_problem(value)
    if problem is not None:
        raise UsageProblem(f"{problem} Nothing was changed.")
    return value


def _existing(args: argparse.Namespace, what: str) -> Path:
    from circlekeeper.core.store.location import refuse_dangling_link

    path = database_path(args, what)
    refuse_dangling_link(path)
    if not path.exists():
        raise UsageProblem(f"{path} does not exist; there is nothing to {what}.")
    return path


def _upgrade(args: argparse.Namespace) -> int:
    from circlekeeper.core.store.database import (
        DatabaseProblem,
        SchemaState,
        inspect_schema,
        open_database,
        tidy_beside,
    )

    target = database_target(args)
    if isinstance(target, str):
        return _upgrade_server(target)
    path = target
    passphrase = passphrase_for(path) if path.exists() else None
    if path.exists():
        for notice in tidy_beside(path):
            print(f"circlekeeper: {notice}", file=sys.stderr)
    try:
        before = inspect_schema(path, passphrase)
    except DatabaseProblem:
        # open_database says more (a damaged file is moved aside, a backup offered).
        open_database(path, passphrase=passphrase).close()
        raise
    db = open_database(path, passphrase=passphrase)
    db.close()
    if before.state is SchemaState.CURRENT:
        print(f"{path}: already up to date.")
    else:
        where = f" (backup: {db.backup})" if db.backup else ""
        print(f"{path}: upgraded to the current schema{where}.")
    return 0


def _upgrade_server(url: str) -> int:
    from circlekeeper.core.store.database import SchemaState
    from circlekeeper.core.store.server import describe, make_server_engine, server_version
    from circlekeeper.core.store.server_schema import inspect_server, open_server

    engine = make_server_engine(url)
    try:
        server_version(engine)
        before = inspect_server(engine)
    finally:
        engine.dispose()
    open_server(url).close()
    if before.state is SchemaState.CURRENT:
        print(f"{describe(url)}: already up to date.")
    else:
        print(f"{describe(url)}: upgraded to the current schema (in one transaction).")
    return 0


def _check_server(url: str) -> int:
    from circlekeeper.core.store.schema_version import HEAD
    from circlekeeper.core.store.server_schema import open_server, server_checks

    db = open_server(url, migrate=False, create=False)
    try:
        problems = server_checks(db)
    finally:
        db.close()
    if problems:
        raise UsageProblem(f"{db.location}: " + "; ".join(problems) + ".")
    print(f"{db.location}: ok (schema {HEAD}, checked by the server).")
    return 0


def _check(args: argparse.Namespace) -> int:
    from circlekeeper.core.store import crypto

    target = database_target(args)
    if isinstance(target, str):
        return _check_server(target)
    from circlekeeper.core.store.database import SchemaState, inspect_schema, tidy_beside
    from circlekeeper.core.store.leftovers import find_leftovers

    path = _existing(args, "check")
    for notice in tidy_beside(path):
        print(f"circlekeeper: {notice}", file=sys.stderr)
    passphrase = passphrase_for(path)
    key = crypto.key_for(path, passphrase) if passphrase else None
    state = inspect_schema(path, key=key)
    if key is not None:
        from circlekeeper.core.store.encryption import encrypt_plain_backups

        encrypted_backups = encrypt_plain_backups(path, key)
        if encrypted_backups:
            print(f"circlekeeper: {encrypted_backups}", file=sys.stderr)
    problems = []
    if state.state is SchemaState.NEWER:
        problems.append(f"made by a newer circlekeeper (schema {state.revision})")
    elif state.state is SchemaState.OUTDATED:
        problems.append("needs upgrading: run 'circlekeeper db upgrade'")
    elif state.state is SchemaState.EMPTY:
        problems.append("holds no circlekeeper data yet")
    integrity, foreign = _integrity(path, key)
    if integrity != ["ok"]:
        raise UsageProblem(_damage_report(path, integrity))
    if foreign:
        problems.append(f"{len(foreign)} broken references between records")
    remaining = find_leftovers(path)
    if remaining:
        problems.append(
            "an unfinished change of protection is still beside it ("
            + ", ".join(leftover.name for leftover in remaining)
            + "; another window may be making it)"
        )
    if problems:
        raise UsageProblem(f"{path}: " + "; ".join(problems) + ".")
    protected = ", encrypted" if key else ""
    print(f"{path}: ok (schema {state.revision}{protected}).")
    return 0


def _integrity(path: Path, key: str | None) -> tuple[list[str], list[Any]]:
    """SQLite's full integrity check (every page, not only the header), then references."""
    from circlekeeper.core.store.database import _connect_ro

    conn = _connect_ro(path, key)
    try:
        try:
            integrity = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
        except Exception as exc:  # damage so bad the check itself stops (sqlite3 or sqlcipher3)
            if not any(c.__name__ == "DatabaseError" for c in type(exc).__mro__):
                raise
            return [str(exc)], []
        if integrity != ["ok"]:
            return integrity, []  # references cannot be checked on damaged pages
        return integrity, conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()


def _damage_report(path: Path, integrity: list[str]) -> str:
    from circlekeeper.core.store.problems import integrity_summary

    return (
        f"{path} is damaged: {integrity_summary(integrity)}. Nothing was changed. Records on "
        "the damaged pages may be lost or wrong, so do not keep working in this file: list the "
        "backups with 'circlekeeper db backups' and put the newest good one back with "
        "'circlekeeper db restore FILE' (the damaged file is kept aside)."
    )


def _backup(args: argparse.Namespace) -> int:
    from circlekeeper.core.store.database import backup_database, inspect_schema

    target = database_target(args)
    if isinstance(target, str):
        from circlekeeper.core.store.server import describe, pg_dump_command

        print(pg_dump_command(target))
        raise UsageProblem(
            f"{describe(target)} is on the district's server, so circlekeeper does not copy it: "
            "back it up with the district's pg_dump routine (the command above, run by IT or "
            "its nightly job; the password comes from ~/.pgpass). Nothing was changed."
        )
    path = _existing(args, "back up")
    passphrase = passphrase_for(path)
    inspect_schema(path, passphrase)  # refuses files that are not circlekeeper databases
    target = backup_database(path, args.output, reason="manual", passphrase=passphrase)
    print(f"Backed up {path} to {target}.")
    return 0


def _backups(args: argparse.Namespace) -> int:
    from circlekeeper.core.store.backups import list_backups

    path = database_path(args, "list backups")
    found = list_backups(path)
    if not found:
        print(f"No backups of {path} yet.")
        return 0
    for backup in found:
        size = f"{backup.size / 1024:.0f} KiB"
        print(f"{backup.at:%Y-%m-%d %H:%M:%S}  {size:>10}  {backup.reason:<24} {backup.path}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from circlekeeper.core.store.backups import restore_backup
    from circlekeeper.core.store.database import is_encrypted

    path = database_path(args, "restore a backup")
    source: Path = args.file.expanduser()
    passphrase = (
        ask_secret(f"Passphrase for {source}: ", PASSPHRASE_ENV)
        if source.exists() and is_encrypted(source)
        else None
    )
    result = restore_backup(path, source, passphrase=passphrase)
    aside = (
        f" The database it replaced was kept as {result.moved_aside}." if result.moved_aside else ""
    )
    print(f"Restored {path} from {source}.{aside}")
    return 0


def _encrypt(args: argparse.Namespace) -> int:
    from circlekeeper.core.store.encryption import encrypt_database

    path = _existing(args, "encrypt")
    count = encrypt_database(path, _new_passphrase())
    print(f"{path} is now protected with a passphrase ({count} backups encrypted too).")
    return 0


def _decrypt(args: argparse.Namespace) -> int:
    from circlekeeper.core.store.encryption import decrypt_database

    path = _existing(args, "decrypt")
    decrypt_database(path, ask_secret(f"Passphrase for {path}: ", PASSPHRASE_ENV))
    print(f"{path} is no longer protected by a passphrase; its backups still are.")
    return 0


def _rekey(args: argparse.Namespace) -> int:
    from circlekeeper.core.store.encryption import change_passphrase

    path = _existing(args, "re-key")
    old = ask_secret(f"Current passphrase for {path}: ", PASSPHRASE_ENV)
    count = change_passphrase(path, old, _new_passphrase())
    print(f"The passphrase of {path} was changed ({count} backups re-keyed too).")
    return 0


def _retention(args: argparse.Namespace) -> int:
    from circlekeeper.commands import db_retention

    return db_retention.run(args)
