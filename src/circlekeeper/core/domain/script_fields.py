"""The checks every field of a script file goes through: where it is, what type, how long.

Each problem names the file and the line it was found on (:class:`Locator`), so a counselor
sharing a script can fix it in any text editor.
"""

from __future__ import annotations

import re
import tomllib
from enum import StrEnum
from typing import Any

from circlekeeper.core.domain.script import (
    ScriptError,
    ScriptLimits,
)
from circlekeeper.core.text import clean_text

TOP_FIELDS = {"key", "kind", "title", "purpose", "languages", "stages"}


STAGE_FIELDS = {
    "type",
    "title",
    "words",
    "question",
    "addressed_to",
    "suggested_minutes",
    "tips",
    "round",
}


TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class Locator:
    """Finds the line a field of the script is on, by reading the text (approximate, honest)."""

    def __init__(self, text: str | None) -> None:
        self.lines = text.splitlines() if text is not None else []
        self.stage_lines: list[int] = []
        self.first_table = len(self.lines) + 1
        for number, line in enumerate(self.lines, start=1):
            stripped = line.strip()
            if re.match(r"^\[\[\s*stages\s*\]\]", stripped):
                self.stage_lines.append(number)
            if stripped.startswith("[") and self.first_table > len(self.lines):
                self.first_table = number

    def _find(self, name: str, start: int, end: int) -> int | None:
        pattern = re.compile(rf"^\s*{re.escape(name)}\s*[=.]")
        for number in range(start, min(end, len(self.lines) + 1)):
            if pattern.match(self.lines[number - 1]):
                return number
        return None

    def top(self, name: str | None = None) -> int:
        if name:
            found = self._find(name, 1, self.first_table)
            if found:
                return found
        return 1

    def stage(self, index: int, name: str | None = None) -> int:
        if index >= len(self.stage_lines):
            return self.top("stages")
        start = self.stage_lines[index]
        end = (
            self.stage_lines[index + 1]
            if index + 1 < len(self.stage_lines)
            else len(self.lines) + 1
        )
        if name:
            found = self._find(name, start + 1, end)
            if found:
                return found
        return start


def kind_name(value: object) -> str:
    """How a TOML value's type is named in a message ("text", "a number")."""
    names = {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


def choices(values: type[StrEnum]) -> str:
    """The values of an enumeration, for a message listing what may be used."""
    return ", ".join(v.value for v in values)


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """TOML text as a dict, or a :class:`ScriptError` naming the line tomllib stopped at."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        # tomllib reads nested arrays and tables by recursion; thousands of levels exhaust it.
        raise ScriptError(
            source,
            1,
            "lists or tables are nested thousands of levels deep, which no script needs; "
            "the file was not read. A script is a few fields and a list of [[stages]].",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = TOML_POSITION.search(message)
        line = int(match.group(1)) if match else max(1, len(text.splitlines()))
        reason = TOML_POSITION.sub("", message).strip()
        reason = reason.replace("(at end of document)", "at the end of the file").strip()
        column = f", column {match.group(2)}" if match else ""
        raise ScriptError(
            source, line, f"this is not valid TOML{column}: {reason[:1].lower()}{reason[1:]}"
        ) from None


def check_text(
    errors: list[ScriptError],
    source: str,
    line: int,
    where: str,
    value: object,
    *,
    required: bool,
    limit: int = 10**9,
    multiline: bool = False,
) -> str:
    """A text field, cleaned of invisible characters; each problem is added to ``errors``."""
    if value is None:
        if required:
            errors.append(ScriptError(source, line, f"{where} is missing."))
        return ""
    if not isinstance(value, str):
        errors.append(ScriptError(source, line, f"{where} must be text, not {kind_name(value)}."))
        return ""
    # Control and invisible characters are dropped (line breaks and tabs kept where the text
    # may span lines): they would garble the projector and can disguise what a text says.
    value = clean_text(value, multiline=multiline)
    if required and not value:
        errors.append(ScriptError(source, line, f"{where} is empty."))
    check_length(errors, source, line, where, value, limit)
    return value


def check_length(
    errors: list[ScriptError], source: str, line: int, where: str, value: str, limit: int
) -> None:
    """Add a problem to ``errors`` when ``value`` is longer than ``limit``."""
    if len(value) > limit:
        errors.append(
            ScriptError(
                source,
                line,
                f"{where} is {len(value):,} characters long; at most {limit:,} fit. Shorten it.",
            )
        )


def read_tips(
    errors: list[ScriptError],
    source: str,
    tips_line: int,
    label: str,
    raw_tips: object,
    limits: ScriptLimits,
) -> tuple[str, ...]:
    """A stage's tips, cleaned and counted; each problem is added to ``errors``."""
    if not isinstance(raw_tips, list) or not all(isinstance(t, str) for t in raw_tips):
        errors.append(
            ScriptError(
                source,
                tips_line,
                f'{label}\'s tips must be a list of texts, such as ["...", "..."].',
            )
        )
        return ()
    tips = tuple(t for t in (clean_text(t, multiline=True) for t in raw_tips) if t)
    if len(tips) > limits.tips:
        errors.append(
            ScriptError(
                source,
                tips_line,
                f"{label} has {len(tips)} tips; at most {limits.tips} fit.",
            )
        )
    for number, tip in enumerate(tips, start=1):
        check_length(errors, source, tips_line, f"{label}'s tip {number}", tip, limits.tip)
    return tips
