"""``circlekeeper search QUERY``: print what Ctrl+K finds, as a profile, on a file or a server.

For IT checking the search index (after a bulk import, on a district's server). The command
acts as a profile (``--profile NAME``) and finds exactly what that profile finds in the app:
private notes only their author's, never an SRO's (decided in ``core/search``).
"""

from __future__ import annotations

import argparse
from typing import Any

from circlekeeper.cli import UsageProblem, add_database_option, open_db
from circlekeeper.commands.acting import acting_context, add_profile_option

KIND_TITLES = {
    "person": "person",
    "case": "case",
    "circle": "circle",
    "agreement": "agreement",
    "agreement_item": "agreement item",
    "note": "note",
}


def register(sub: Any) -> None:
    parser = sub.add_parser("search", help="print what Ctrl+K finds for some words")
    parser.add_argument("query", nargs="+", metavar="QUERY", help="the words to look for")
    parser.add_argument(
        "--per-kind", type=int, default=8, help="at most this many of each kind (default: 8)"
    )
    add_database_option(parser)
    add_profile_option(parser)
    parser.set_defaults(func=_search)


def _search(args: argparse.Namespace) -> int:
    from circlekeeper.core.search.search import everywhere

    if args.per_kind < 1:
        raise UsageProblem("Give --per-kind 1 or more.")
    words = " ".join(args.query)
    if not words.strip():
        raise UsageProblem("Say what to look for, for example 'circlekeeper search nunez'.")
    db = open_db(args, create=False)
    try:
        hits = everywhere(acting_context(args, db), words, per_kind=args.per_kind)
    finally:
        db.close()
    if not hits:
        print(f"Nothing found for {words!r}.")
        return 0
    for hit in hits:
        private = " (private note)" if hit.private else ""
        snippet = " ".join(hit.snippet.split())
        print(f"{KIND_TITLES[hit.kind]:<15} {hit.id:>7}  {hit.title}{private}")
        if snippet and snippet != hit.title:
            print(f"{'':<24}{snippet}")
    print(f"{len(hits)} found.")
    return 0
