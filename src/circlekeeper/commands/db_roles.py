"""``circlekeeper db roles add LOGIN --as NAME``: give a person their own role on the server.

Run by the district's IT with the owner's URL. The role joins the group of the profile's kind
(counselor, administrator or SRO), so a person's rights on the server are always those of
their profile; the password comes from $CIRCLEKEEPER_ROLE_PASSWORD or is typed twice.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from circlekeeper.cli import UsageProblem, add_database_option, ask_secret, database_target

PASSWORD_ENV = "CIRCLEKEEPER_ROLE_PASSWORD"


def register(roles: argparse.ArgumentParser) -> None:
    actions = roles.add_subparsers(dest="roles_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="make a person's login role, in their profile's group")
    add.add_argument("login", metavar="LOGIN", help="the role name, e.g. dana_whitfield")
    add.add_argument(
        "--as",
        dest="profile",
        required=True,
        metavar="NAME",
        help="the profile it signs in as (its kind decides the group)",
    )
    add.add_argument(
        "--no-password",
        action="store_true",
        help="the server checks this person another way (certificate, peer); set no password",
    )
    add_database_option(add)
    add.set_defaults(func=_add)


def _password(args: argparse.Namespace) -> str | None:
    if args.no_password:
        return None
    value = os.environ.get(PASSWORD_ENV)
    if not value:
        value = ask_secret(f"Password for {args.login}: ", PASSWORD_ENV)
        if ask_secret("The same password again: ", PASSWORD_ENV) != value:
            raise UsageProblem("The two passwords differ; nothing was changed.")
    return value


def _add(args: argparse.Namespace) -> int:
    from circlekeeper.core.store.server import describe
    from circlekeeper.core.store.server_roles import add_person_role

    target: Any = database_target(args)
    if not isinstance(target, str):
        raise UsageProblem(
            "People's roles live on a district's server: give its URL with --database "
            "postgresql+psycopg://OWNER@HOST/DATABASE. A file on this laptop has no roles. "
            "Nothing was changed."
        )
    from circlekeeper.core.store.server_schema import open_server

    db = open_server(target, migrate=False, create=False)
    try:
        group = add_person_role(db.sessions, args.login, args.profile, _password(args))
    finally:
        db.close()
    print(
        f"{args.login} signs in to {describe(target)} as {args.profile} ({group}). Their URL: "
        f"postgresql+psycopg://{args.login}@HOST/DATABASE (the server's host and database)."
    )
    return 0
