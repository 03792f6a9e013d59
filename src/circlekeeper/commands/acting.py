"""Who runs a command: ``--profile NAME`` and the viewer whose limits the command obeys.

Without profiles the command line is one person's tool, as the app is. Once profiles exist, a
command that prints or exports records must say whose profile it acts as, and gets exactly what
that profile may see in the app (an SRO: the copy for sharing only, no private notes, no
demographic fields). The PIN comes from ``CIRCLEKEEPER_PIN`` or, on a terminal, from a prompt
that does not echo. The rules themselves live in ``core/profiles/viewer.py`` and ``profiles.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from circlekeeper.cli import UsageProblem

PIN_VARIABLE = "CIRCLEKEEPER_PIN"


def add_profile_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="the profile this command acts as (needed once the database has profiles); "
        f"its PIN is read from ${PIN_VARIABLE} or asked on the terminal",
    )


def acting_viewer(args: argparse.Namespace, db: Any) -> Any:
    """The :class:`Viewer` this command acts as, once its profile and PIN are checked."""
    from circlekeeper.core.operations import Context
    from circlekeeper.core.profiles.profiles import ProfileService
    from circlekeeper.core.profiles.viewer import default_viewer, same_name
    from circlekeeper.core.store.server_roles import server_viewer

    name = getattr(args, "profile", None)
    # On a server the person signed in with their own role: the server says who they are.
    signed_in = server_viewer(db.sessions)
    if signed_in is not None:
        if name and not same_name(name, signed_in.name):
            raise UsageProblem(
                f"This server connection signs in as {signed_in.name}, not {name}: each person "
                "connects with their own role. Leave out --profile, or use your own URL. "
                "Nothing was written."
            )
        return signed_in
    service = ProfileService(Context(db.sessions, actor="command line"))
    rows = service.list()
    if not rows:
        if name:
            raise UsageProblem(
                f"This database has no profiles, so --profile {name} cannot be used. "
                "Leave it out, or add profiles in Settings first."
            )
        return default_viewer(db.sessions)
    if not name or not name.strip():
        raise UsageProblem(
            "This database has profiles, so say whose this command is: add --profile NAME "
            'with your name as shown in Settings under "Who uses circlekeeper". '
            "Nothing was written."
        )
    row = service.find(name)
    pin = _pin_for(name) if row is not None and row.has_pin else None
    return service.sign_in(name, pin).viewer


def _pin_for(name: str) -> str:
    pin = os.environ.get(PIN_VARIABLE)
    if pin is not None:
        return pin
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        return getpass.getpass(f"PIN for {name.strip()}: ")
    raise UsageProblem(
        f"The profile {name.strip()} has a PIN. Set {PIN_VARIABLE} to it, or run the command in "
        "a terminal to be asked for it. Nothing was written."
    )


def acting_context(args: argparse.Namespace, db: Any) -> Any:
    """The operation :class:`Context` of this command: its audit lines name the acting profile
    (or "command line" without one) and its reads obey that profile's limits."""
    from circlekeeper.core.operations import Context

    viewer = acting_viewer(args, db)
    return Context(db.sessions, actor=viewer.name or "command line", viewer=viewer)
