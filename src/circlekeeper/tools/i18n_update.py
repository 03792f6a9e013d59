"""Bring the translation files up to date: ``python -m circlekeeper.tools.i18n_update``.

Adds every new text (see :mod:`circlekeeper.tools.i18n_extract`) as unfinished, keeps every
translation already written, and marks texts that left the source ``vanished`` (kept in the
file, so a text that comes back keeps its translation; ``--drop-vanished`` removes them). A new
text whose English is already translated under another context starts with that translation,
still marked unfinished for a person to confirm. Then run ``python -m
circlekeeper.tools.i18n_todo`` for what is left to translate.
"""

from __future__ import annotations

import argparse
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from circlekeeper.core.paths import resources_dir
from circlekeeper.tools.i18n_extract import Found, find_all, unique

LANGUAGES = ("es",)


def ts_file(code: str) -> Path:
    return resources_dir() / "i18n" / f"circlekeeper_{code}.ts"


def read_translations(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(context, source) -> (translation, type) of an existing ``.ts`` file."""
    if not path.is_file():
        return {}
    result: dict[tuple[str, str], tuple[str, str]] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            node = message.find("translation")
            text = (node.text or "") if node is not None else ""
            kind = (node.get("type") or "") if node is not None else "unfinished"
            result[(name, source)] = (text, kind)
    return result


def build(
    found: list[Found],
    old: dict[tuple[str, str], tuple[str, str]],
    code: str,
    *,
    drop_vanished: bool = False,
    base: Path | None = None,
) -> ET.Element:
    """The new ``.ts`` root for ``found``, keeping ``old`` translations."""
    # Locations are relative to the .ts file, as Qt Linguist expects.
    base = base or ts_file(code).parent
    by_source: dict[str, str] = {}
    for (_ctx, source), (text, kind) in old.items():
        if text and kind not in ("unfinished", "vanished", "obsolete"):
            by_source.setdefault(source, text)
    contexts: dict[str, list[tuple[str, str, str, str]]] = {}
    present: set[tuple[str, str]] = set()
    for item in unique(found):
        key = (item.context, item.source)
        present.add(key)
        text, kind = old.get(key, ("", "unfinished"))
        if kind in ("vanished", "obsolete"):
            kind = "" if text else "unfinished"
        if not text and item.source in by_source:
            text, kind = by_source[item.source], "unfinished"
        where = Path(os.path.relpath(item.path, base)).as_posix()
        contexts.setdefault(item.context, []).append((item.source, text, kind, where))
    if not drop_vanished:
        for (ctx, source), (text, _kind) in old.items():
            if (ctx, source) not in present and text:
                contexts.setdefault(ctx, []).append((source, text, "vanished", ""))
    root = ET.Element("TS", version="2.1", language=code)
    for name in sorted(contexts):
        context = ET.SubElement(root, "context")
        ET.SubElement(context, "name").text = name
        for source, text, kind, where in contexts[name]:
            message = ET.SubElement(context, "message")
            if where:
                ET.SubElement(message, "location", filename=where)
            ET.SubElement(message, "source").text = source
            translation = ET.SubElement(message, "translation")
            translation.text = text
            if kind:
                translation.set("type", kind)
    ET.indent(root, space="    ")
    return root


def write(root: ET.Element, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ET.tostring(root, encoding="unicode")
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m circlekeeper.tools.i18n_update")
    parser.add_argument("--drop-vanished", action="store_true", help="forget removed texts")
    args = parser.parse_args(argv)
    found, skipped = find_all()
    for path, line in skipped:
        print(f"{path}:{line}: an f-string cannot be translated; use .format()", file=sys.stderr)
    for code in LANGUAGES:
        path = ts_file(code)
        old = read_translations(path)
        root = build(found, old, code, drop_vanished=args.drop_vanished)
        write(root, path)
        messages = list(root.iter("message"))
        todo = sum(1 for m in messages if m.find("translation[@type='unfinished']") is not None)
        print(f"{path.name}: {len(messages)} texts, {todo} to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
