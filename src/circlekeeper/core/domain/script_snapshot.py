"""A script as a circle keeps it (a JSON snapshot) and as a counselor shares it (TOML).

A circle's snapshot is history: it is read back as it was kept, whatever the limits are now.
"""

from __future__ import annotations

import json
from typing import Any

from circlekeeper.core.domain.script import (
    SNAPSHOT_FORMAT,
    AddressedTo,
    InvalidScript,
    Script,
    ScriptError,
    ScriptLimits,
)
from circlekeeper.core.domain.script_checks import script_from_dict
from circlekeeper.core.domain.script_words import (
    script_words_dict,
    stage_words_dict,
)

# A circle's snapshot is history: it is read back as it was kept, whatever the limits now.
_NO_LIMITS = ScriptLimits(*(10**9 for _ in range(7)))


def script_to_dict(script: Script) -> dict[str, Any]:
    """The script as plain data, in the same shape as its TOML file."""
    stages: list[dict[str, Any]] = []
    for stage in script.stages:
        item: dict[str, Any] = {"type": stage.type.value, "title": stage.title}
        item["words"] = stage.words
        if stage.question:
            item["question"] = dict(stage.question)
        if stage.addressed_to is not AddressedTo.ALL:
            item["addressed_to"] = stage.addressed_to.value
        if stage.suggested_minutes is not None:
            item["suggested_minutes"] = stage.suggested_minutes
        if stage.round is not None:
            item["round"] = stage.round
        if stage.tips:
            item["tips"] = list(stage.tips)
        item.update(stage_words_dict(stage.spoken))
        stages.append(item)
    return {
        "key": script.key,
        "kind": script.kind.value,
        "title": script.title,
        "purpose": script.purpose,
        "languages": list(script.languages),
        **script_words_dict(script.translated),
        "stages": stages,
    }


def script_to_json(script: Script) -> str:
    """A snapshot of the script for ``Circle.script_snapshot``; later edits change no history."""
    data = {"format": SNAPSHOT_FORMAT, **script_to_dict(script)}
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def script_from_json(text: str, source: str = "<snapshot>") -> Script:
    """The script kept in a snapshot written by :func:`script_to_json`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidScript(
            [ScriptError(source, exc.lineno, f"damaged snapshot: {exc.msg}")]
        ) from None
    if not isinstance(data, dict):
        raise InvalidScript([ScriptError(source, 1, "damaged snapshot: not a table")])
    data.pop("format", None)
    script, errors = script_from_dict(data, source, limits=_NO_LIMITS)
    if script is None:
        raise InvalidScript(errors)
    return script


def _toml_string(text: str, *, allow_multiline: bool = True) -> str:
    multiline = allow_multiline and "\n" in text
    out = []
    for char in text:
        code = ord(char)
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\n" if multiline else "\\n")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    body = "".join(out)
    # A newline right after the opening quotes is trimmed by TOML, so the text starts clean.
    return f'"""\n{body}"""' if multiline else f'"{body}"'


def _toml_value(value: object, *, inline: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value, allow_multiline=not inline)
    if isinstance(value, list):
        items = [_toml_value(v, inline=inline) for v in value]
        one_line = "[" + ", ".join(items) + "]"
        if inline or len(one_line) <= 80:
            return one_line
        return "[\n" + "".join(f"  {item},\n" for item in items) + "]"
    if isinstance(value, dict):
        # Inline tables may not span lines, so their texts stay on one line, escaped.
        parts = [f"{k} = {_toml_value(v, inline=True)}" for k, v in value.items()]
        return "{ " + ", ".join(parts) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def script_to_toml(script: Script) -> str:
    """The script as a TOML file that :func:`load_script` reads back to the same script."""
    data = script_to_dict(script)
    lines = ["# circlekeeper script", ""]
    for name in ("key", "kind", "title", "purpose", "languages"):
        lines.append(f"{name} = {_toml_value(data[name])}")
    for language, table in script_words_dict(script.translated).items():
        lines.extend(["", f"[{language}]"])
        lines.extend(f"{name} = {_toml_value(value)}" for name, value in table.items())
    for stage, item in zip(script.stages, data["stages"], strict=True):
        lines.extend(["", "[[stages]]"])
        for name, value in item.items():
            if name not in stage.spoken:
                lines.append(f"{name} = {_toml_value(value)}")
        for language, table in stage_words_dict(stage.spoken).items():
            lines.extend(["", f"[stages.{language}]"])
            lines.extend(f"{name} = {_toml_value(value)}" for name, value in table.items())
    return "\n".join(lines) + "\n"
