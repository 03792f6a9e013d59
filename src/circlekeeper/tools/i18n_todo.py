"""List what is left to translate: ``python -m circlekeeper.tools.i18n_todo [--lang es]``.

Prints each unfinished text with its context and file, one per line, and exits 1 when there is
any (0 when the translation is complete), so a release check can run it. Run
``python -m circlekeeper.tools.i18n_update`` first to pick up new texts from the source.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET

from circlekeeper.tools.i18n_update import ts_file


def unfinished(code: str) -> list[tuple[str, str, str]]:
    """(context, file, source) of every text without a finished translation."""
    path = ts_file(code)
    result = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            node = message.find("translation")
            kind = node.get("type", "") if node is not None else "unfinished"
            text = (node.text or "").strip() if node is not None else ""
            if kind in ("vanished", "obsolete"):
                continue
            if kind == "unfinished" or not text:
                location = message.find("location")
                where = location.get("filename", "") if location is not None else ""
                result.append((name, where, message.findtext("source") or ""))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m circlekeeper.tools.i18n_todo")
    parser.add_argument("--lang", default="es")
    args = parser.parse_args(argv)
    todo = unfinished(args.lang)
    for context, where, source in todo:
        print(f"{where} [{context}] {source!r}")
    print(f"{len(todo)} text(s) left to translate into {args.lang}", file=sys.stderr)
    return 1 if todo else 0


if __name__ == "__main__":
    sys.exit(main())
