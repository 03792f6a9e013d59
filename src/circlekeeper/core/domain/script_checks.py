"""Reading a script from TOML (or a table) and checking it, every problem with file and line.

A counselor shares scripts as files, so each problem is reported with the file, the line and
what is wrong, in words they can act on; the limits keep a hostile file from costing much.
"""

from __future__ import annotations

import re
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
from circlekeeper.core.domain.script_fields import (
    STAGE_FIELDS,
    TOP_FIELDS,
    Locator,
    check_length,
    check_text,
    choices,
    kind_name,
    parse_toml,
    read_tips,
)
from circlekeeper.core.domain.script_words import (
    other_languages,
    read_script_words,
    read_stage_words,
)
from circlekeeper.core.text import clean_text


def _read_stage(  # noqa: C901  (one check per field, in the file's order)
    raw: object,
    index: int,
    languages: tuple[str, ...],
    source: str,
    where: Locator,
    errors: list[ScriptError],
    limits: ScriptLimits = LIMITS,
) -> Stage | None:
    label = f"stage {index + 1}"
    line = where.stage(index)
    if not isinstance(raw, dict):
        errors.append(ScriptError(source, line, f"{label} must be a table ([[stages]])."))
        return None
    count = len(errors)
    for name in sorted(set(raw) - STAGE_FIELDS - set(other_languages(raw, languages))):
        errors.append(
            ScriptError(
                source,
                where.stage(index, name),
                f"{label} has an unknown field {name!r} "
                f"(known fields: {', '.join(sorted(STAGE_FIELDS))}).",
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
                f"(use one of: {choices(StageType)}).",
            )
        )
    else:
        stage_type = StageType(raw_type)
    title = check_text(
        errors,
        source,
        where.stage(index, "title"),
        f"{label}'s title",
        raw.get("title"),
        required=True,
        limit=limits.title,
    )
    words = check_text(
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
                        f"{label}'s question in {language!r} must be text, not {kind_name(text)}.",
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
                f'{{en = "...", es = "..."}}, not {kind_name(raw_question)}.',
            )
        )
    for language, text in question.items():
        check_length(
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
                f"(use one of: {choices(AddressedTo)}).",
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
    tips = read_tips(errors, source, tips_line, label, raw.get("tips", []), limits)
    has_round = raw.get("round")
    if has_round is not None and not isinstance(has_round, bool):
        errors.append(
            ScriptError(
                source,
                where.stage(index, "round"),
                f"{label}'s round must be true or false, not {kind_name(has_round)}.",
            )
        )
        has_round = None
    limit_of = {"title": limits.title, "words": limits.words}

    def check(what: str, value: object, name: str) -> str:
        return check_text(
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
        lambda value, what: read_tips(errors, source, tips_line, what, value, limits),
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
    where = Locator(text)
    errors: list[ScriptError] = []
    declared = data.get("languages")
    declared_languages = (
        tuple(x for x in declared if isinstance(x, str)) if isinstance(declared, list) else ()
    )
    for name in sorted(set(data) - TOP_FIELDS - set(other_languages(data, declared_languages))):
        errors.append(
            ScriptError(
                source,
                where.top(name),
                f"unknown field {name!r} (known fields: {', '.join(sorted(TOP_FIELDS))}).",
            )
        )
    key = check_text(errors, source, where.top("key"), "key", data.get("key"), required=True)
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
                f"unknown kind of circle {raw_kind!r} (use one of: {choices(CircleKind)}).",
            )
        )
    else:
        kind = CircleKind(raw_kind)
    title = check_text(
        errors,
        source,
        where.top("title"),
        "title",
        data.get("title"),
        required=True,
        limit=limits.title,
    )
    purpose = check_text(
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
                f"stages must be a list of [[stages]] tables, not {kind_name(raw_stages)}.",
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
        return check_text(
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
