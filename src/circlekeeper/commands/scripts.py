"""``circlekeeper scripts list|validate|export|import``: share circle and conference scripts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from circlekeeper.cli import UsageProblem, add_database_option


def register(sub: Any) -> None:
    parser = sub.add_parser("scripts", help="list, check, export or import circle scripts")
    actions = parser.add_subparsers(dest="scripts_action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="list the built-in and custom scripts")
    add_database_option(listing)
    listing.set_defaults(func=_list)

    check = actions.add_parser("validate", help="check script files; exit 2 if any is invalid")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    add_database_option(check)
    check.set_defaults(func=_validate)

    export = actions.add_parser("export", help="write a script to a TOML file to share")
    export.add_argument("key", metavar="KEY")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    add_database_option(export)
    export.set_defaults(func=_export)

    importing = actions.add_parser("import", help="add a shared script file to your scripts")
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument("--as", dest="new_key", metavar="KEY", help="import under this key")
    importing.add_argument(
        "--replace", action="store_true", help="replace your custom script with the same key"
    )
    add_database_option(importing)
    importing.set_defaults(func=_import)
    add_database_option(parser)


def _list(args: argparse.Namespace) -> int:
    from circlekeeper.core.scripts.scripts import ScriptLibrary

    library = ScriptLibrary()
    rows = library.scripts()
    width = max((len(r.key) for r in rows), default=3)
    for row in rows:
        origin = "built-in" if row.builtin else "custom  "
        print(
            f"{row.key:<{width}}  {origin}  {row.kind:<18}  "
            f"{row.stage_count:>2} stages  ~{row.suggested_minutes} min  {row.title}"
        )
    for problem in library.problems():
        print(f"skipped {problem}", file=sys.stderr)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from circlekeeper.core.domain.script import InvalidScript
    from circlekeeper.core.domain.script_checks import load_script

    invalid = 0
    for path in args.files:
        try:
            script = load_script(path)
        except InvalidScript as exc:
            invalid += 1
            for error in exc.errors:
                print(error, file=sys.stderr)
            continue
        print(f"{path}: ok ({script.key}, {len(script.stages)} stages)")
    if invalid:
        print(f"{invalid} of {len(args.files)} files are not valid scripts.", file=sys.stderr)
        return 2
    return 0


def _export(args: argparse.Namespace) -> int:
    from circlekeeper.core.scripts.scripts import ScriptLibrary

    target = ScriptLibrary().export(args.key, args.output, overwrite=args.force)
    print(f"Wrote {args.key} to {target}.")
    return 0


def _import(args: argparse.Namespace) -> int:
    from circlekeeper.core.scripts.scripts import ScriptInvalid, ScriptLibrary

    if not args.file.is_file():
        raise UsageProblem(f"{args.file} is not a file.")
    try:
        script = ScriptLibrary().import_file(
            args.file, new_key=args.new_key, replace_existing=args.replace
        )
    except ScriptInvalid as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        print(f"{args.file} was not imported; nothing was changed.", file=sys.stderr)
        return 2
    print(f"Imported {script.key!r} ({script.title}).")
    return 0
