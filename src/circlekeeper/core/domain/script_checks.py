"""Reading a script from TOML (or a table) and checking it, every problem with file and line.

A counselor shares scripts as files, so each problem is reported with the file, the line and
what is wrong, in words they can act on; the limits keep a hostile file from costing much.
"""

from __future__ import annotations

import re
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Any

from circlekeeper.core.domain.enums import CircleKind
from circlekeeper.core.domain.script import (
    KEY_PATTERN,
    LIMITS,
    MAX_SCRIPT_BYTES,
    MAX_SUGGESTED_MINUTES,
    AddressedTo,
    InvalidScript,
    Script,
    ScriptError,
    ScriptLimits,
    Stage,
    StageType,
)
from circlekeeper.core.domain.script_words import (
    other_languages,
    read_script_words,
    read_stage_words,
)
from circlekeeper.core.text import clean_text

_TOP_FIELDS = {"key", "kind", "title", "purpose", "languages", "stages"}


_STAGE_FIELDS = {
    "type",
    "title",
    "words",
    "question",
    "addressed_to",
    "suggested_minutes",
    "tips",
    "round",
}


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class _Locator:
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


def _kind_name(value: object) -> str:
    names = {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


def _choices(values: type[StrEnum]) -> str:
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
        match = _TOML_POSITION.search(message)
        line = int(match.group(1)) if match else max(1, len(text.splitlines()))
        reason = _TOML_POSITION.sub("", message).strip()
        reason = reason.replace("(at end of document)", "at the end of the file").strip()
        column = f", column {match.group(2)}" if match else ""
        raise ScriptError(
            source, line, f"this is not valid TOML{column}: {reason[:1].lower()}{reason[1:]}"
        ) from None


def _check_text(
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
    if value is None:
        if required:
            errors.append(ScriptError(source, line, f"{where} is missing."))
        return ""
    if not isinstance(value, str):
        errors.append(ScriptError(source, line, f"{where} must be text, not {_kind_name(value)}."))
        return ""
    # Control and invisible characters are dropped (line breaks and tabs kept where the text
    # may span lines): they would garble the projector and can disguise what a text says.
    value = clean_text(value, multiline=multiline)
    if required and not value:
        errors.append(ScriptError(source, line, f"{where} is empty."))
    _check_length(errors, source, line, where, value, limit)
    return value


def _check_length(
    errors: list[ScriptError], source: str, line: int, where: str, value: str, limit: int
) -> None:
    if len(value) > limit:
        errors.append(
            ScriptError(
                source,
                line,
                f"{where} is {len(value):,} characters long; at most {limit:,} fit. Shorten it.",
            )
        )


def _read_tips(
    errors: list[ScriptError],
    source: str,
    tips_line: int,
    label: str,
    raw_tips: object,
    limits: ScriptLimits,
) -> tuple[str, ...]:
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
        _check_length(errors, source, tips_line, f"{label}'s tip {number}", tip, limits.tip)
    return tips


def _read_stage(
    raw: object,
    index: int,
    languages: tuple[str, ...],
    source: str,
    where: _Locator,
    errors: list[ScriptError],
    limits: ScriptLimits = LIMITS,
) -> Stage | None:
    label = f"stage {index + 1}"
    line = where.stage(index)
    if not isinstance(raw, dict):
        errors.append(ScriptError(source, line, f"{label} must be a table ([[stages]])."))
        return None
    count = len(errors)
    for name in sorted(set(raw) - _STAGE_FIELDS - set(other_languages(raw, languages))):
        errors.append(
            ScriptError(
                source,
                where.stage(index, name),
                f"{label} has an unknown field {name!r} "
                f"(known fields: {', '.join(sorted(_STAGE_FIELDS))}).",
            )
        )
    stage_type: StageType | None = None
    raw_type = raw.get("type")
    if raw_type is None:
        errors.append(ScriptError(source, line, f"{label} has no type."))
    elif not isinstance(raw_type, str) or raw_type not in set(StageType):
        errors.append(
            ScriptError(
                source,
                where.stage(index, "type"),
                f"{label} has an unknown stage type {raw_type!r} "
                f"(use one of: {_choices(StageType)}).",
            )
        )
    else:
        stage_type = StageType(raw_type)
    title = _check_text(
        errors,
        source,
        where.stage(index, "title"),
        f"{label}'s title",
        raw.get("title"),
        required=True,
        limit=limits.title,
    )
    words = _check_text(
        errors,
        source,
        where.stage(index, "words"),
        f"{label}'s words",
        raw.get("words"),
        required=True,
        limit=limits.words,
        multiline=True,
    )
    question: dict[str, str] = {}
    raw_question = raw.get("question")
    q_line = where.stage(index, "question")
    if isinstance(raw_question, str):
        question = {"en": clean_text(raw_question, multiline=True)}
    elif isinstance(raw_question, dict):
        for language, text in raw_question.items():
            if not isinstance(text, str):
                errors.append(
                    ScriptError(
                        source,
                        q_line,
                        f"{label}'s question in {language!r} must be text, not {_kind_name(text)}.",
                    )
                )
            elif language not in languages:
                errors.append(
                    ScriptError(
                        source,
                        q_line,
                        f"{label}'s question is in {language!r}, which is not in the "
                        f"script's languages ({', '.join(languages)}).",
                    )
                )
            else:
                question[language] = clean_text(text, multiline=True)
        missing = [lang for lang in languages if not question.get(lang)]
        if question and missing:
            errors.append(
                ScriptError(
                    source,
                    q_line,
                    f"{label}'s question has no {', '.join(missing)} version.",
                )
            )
    elif raw_question is not None:
        errors.append(
            ScriptError(
                source,
                q_line,
                f"{label}'s question must be a table such as "
                f'{{en = "...", es = "..."}}, not {_kind_name(raw_question)}.',
            )
        )
    for language, text in question.items():
        _check_length(
            errors, source, q_line, f"{label}'s question ({language})", text, limits.question
        )
    addressed_to = AddressedTo.ALL
    raw_to = raw.get("addressed_to", "all")
    if not isinstance(raw_to, str) or raw_to not in set(AddressedTo):
        errors.append(
            ScriptError(
                source,
                where.stage(index, "addressed_to"),
                f"{label} is addressed to an unknown role {raw_to!r} "
                f"(use one of: {_choices(AddressedTo)}).",
            )
        )
    else:
        addressed_to = AddressedTo(raw_to)
    minutes = raw.get("suggested_minutes")
    if minutes is not None and (
        isinstance(minutes, bool)
        or not isinstance(minutes, int)
        or not 0 < minutes <= MAX_SUGGESTED_MINUTES
    ):
        errors.append(
            ScriptError(
                source,
                where.stage(index, "suggested_minutes"),
                f"{label}'s suggested_minutes must be a whole number from 1 to "
                f"{MAX_SUGGESTED_MINUTES}, not {minutes!r}.",
            )
        )
        minutes = None
    tips_line = where.stage(index, "tips")
    tips = _read_tips(errors, source, tips_line, label, raw.get("tips", []), limits)
    has_round = raw.get("round")
    if has_round is not None and not isinstance(has_round, bool):
        errors.append(
            ScriptError(
                source,
                where.stage(index, "round"),
                f"{label}'s round must be true or false, not {_kind_name(has_round)}.",
            )
        )
        has_round = None
    limit_of = {"title": limits.title, "words": limits.words}

    def check(what: str, value: object, name: str) -> str:
        return _check_text(
            errors,
            source,
            line,
            what,
            value,
            required=False,
            limit=limit_of[name],
            multiline=name == "words",
        )

    spoken = read_stage_words(
        raw,
        languages,
        label,
        check,
        lambda value, what: _read_tips(errors, source, tips_line, what, value, limits),
        lambda message: errors.append(ScriptError(source, line, message)),
    )
    if len(errors) > count or stage_type is None:
        return None
    return Stage(stage_type, title, words, question, addressed_to, minutes, tips, has_round, spoken)


def script_from_dict(
    data: dict[str, Any],
    source: str = "<script>",
    text: str | None = None,
    *,
    limits: ScriptLimits = LIMITS,
) -> tuple[Script | None, list[ScriptError]]:
    """Check a script's fields; return the script (if usable) and every problem found.

    ``text`` is the TOML the dict came from, used only to point at the right line.
    """
    where = _Locator(text)
    errors: list[ScriptError] = []
    declared = data.get("languages")
    declared_languages = (
        tuple(x for x in declared if isinstance(x, str)) if isinstance(declared, list) else ()
    )
    for name in sorted(set(data) - _TOP_FIELDS - set(other_languages(data, declared_languages))):
        errors.append(
            ScriptError(
                source,
                where.top(name),
                f"unknown field {name!r} (known fields: {', '.join(sorted(_TOP_FIELDS))}).",
            )
        )
    key = _check_text(errors, source, where.top("key"), "key", data.get("key"), required=True)
    if key and not KEY_PATTERN.match(key):
        errors.append(
            ScriptError(
                source,
                where.top("key"),
                f"key {key!r} may use only lower-case letters, digits, '-' and '_' "
                "(at most 80), starting with a letter or digit.",
            )
        )
    kind: CircleKind | None = None
    raw_kind = data.get("kind")
    if raw_kind is None:
        errors.append(ScriptError(source, where.top(), "kind is missing."))
    elif not isinstance(raw_kind, str) or raw_kind not in set(CircleKind):
        errors.append(
            ScriptError(
                source,
                where.top("kind"),
                f"unknown kind of circle {raw_kind!r} (use one of: {_choices(CircleKind)}).",
            )
        )
    else:
        kind = CircleKind(raw_kind)
    title = _check_text(
        errors,
        source,
        where.top("title"),
        "title",
        data.get("title"),
        required=True,
        limit=limits.title,
    )
    purpose = _check_text(
        errors,
        source,
        where.top("purpose"),
        "purpose",
        data.get("purpose"),
        required=False,
        limit=limits.purpose,
        multiline=True,
    )
    languages: tuple[str, ...] = ("en",)
    raw_languages = data.get("languages", ["en"])
    if (
        not isinstance(raw_languages, list)
        or not raw_languages
        or not all(isinstance(x, str) and re.fullmatch(r"[a-z]{2,3}", x) for x in raw_languages)
    ):
        errors.append(
            ScriptError(
                source,
                where.top("languages"),
                'languages must be a list of language codes, such as ["en", "es"].',
            )
        )
    elif "en" not in raw_languages:
        errors.append(ScriptError(source, where.top("languages"), 'languages must include "en".'))
    else:
        languages = tuple(dict.fromkeys(raw_languages))
    raw_stages = data.get("stages")
    stages: list[Stage] = []
    if raw_stages is None:
        errors.append(
            ScriptError(source, where.top(), "the script has no stages (add [[stages]] tables).")
        )
    elif not isinstance(raw_stages, list):
        errors.append(
            ScriptError(
                source,
                where.top("stages"),
                f"stages must be a list of [[stages]] tables, not {_kind_name(raw_stages)}.",
            )
        )
    elif not raw_stages:
        errors.append(
            ScriptError(source, where.top("stages"), "the script's list of stages is empty.")
        )
    elif len(raw_stages) > limits.stages:
        errors.append(
            ScriptError(
                source,
                where.top("stages"),
                f"the script has {len(raw_stages):,} stages; at most {limits.stages} fit in "
                "one circle. Split it into several scripts.",
            )
        )
    else:
        for index, raw in enumerate(raw_stages):
            stage = _read_stage(raw, index, languages, source, where, errors, limits)
            if stage is not None:
                stages.append(stage)
    top_limits = {"title": limits.title, "purpose": limits.purpose}

    def check_top(what: str, value: object, name: str) -> str:
        return _check_text(
            errors,
            source,
            where.top(what.split(" ")[0]),
            what,
            value,
            required=False,
            limit=top_limits[name],
            multiline=name == "purpose",
        )

    translated = read_script_words(
        data,
        languages,
        check_top,
        lambda message: errors.append(ScriptError(source, where.top(), message)),
    )
    if errors or kind is None:
        return None, errors
    return Script(key, kind, title, purpose, tuple(stages), languages, translated), []


def validate(text: str, source: str = "<text>") -> tuple[Script | None, list[ScriptError]]:
    """Check TOML text as a script: the script if it is usable, and every problem found."""
    if len(text.encode("utf-8")) > MAX_SCRIPT_BYTES:
        return None, [_too_big(source)]
    try:
        data = parse_toml(text, source)
    except ScriptError as exc:
        return None, [exc]
    return script_from_dict(data, source, text)


def _too_big(source: str) -> ScriptError:
    return ScriptError(
        source,
        1,
        f"the file is larger than {MAX_SCRIPT_BYTES // 1024} KB, far more than any script "
        "needs; it was not read.",
    )


def read_script_text(path: Path) -> str:
    """A script file's text, refusing huge or non-UTF-8 files before parsing them."""
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidScript(
            [ScriptError(source, 1, f"the file cannot be read ({exc.strerror or exc}).")]
        ) from None
    if size > MAX_SCRIPT_BYTES:
        raise InvalidScript([_too_big(source)])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidScript(
            [ScriptError(source, 1, f"the file cannot be read ({exc.strerror or exc}).")]
        ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidScript(
            [ScriptError(source, line, "the file is not UTF-8 text; save it as UTF-8.")]
        ) from None


def load_script(text_or_path: str | Path, source: str | None = None) -> Script:
    """Read a script from TOML text (a ``str``) or a file (a ``Path``).

    Raises :class:`InvalidScript` listing every problem, each as ``file:line: message``.
    """
    if isinstance(text_or_path, Path):
        source = source or str(text_or_path)
        text = read_script_text(text_or_path)
    else:
        source = source or "<text>"
        text = text_or_path
    script, errors = validate(text, source)
    if script is None:
        raise InvalidScript(errors)
    return script
