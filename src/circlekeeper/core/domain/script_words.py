"""A script's words in its other languages: the keeper's words, stage titles and tips.

A script's TOML holds its English text at the top and in each ``[[stages]]`` table; each other
language it declares may add a table of the same name (``[es]`` for the script's title and
purpose, ``[stages.es]`` for a stage's title, words and tips). Anything missing falls back to
English, so a partly translated script still runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

SCRIPT_FIELDS = ("title", "purpose")
STAGE_FIELDS = ("title", "words", "tips")

# check(where, value, field) -> the cleaned text (errors noted by the caller's checker)
Check = Callable[[str, object, str], str]
Problem = Callable[[str], None]


@dataclass(frozen=True)
class ScriptWords:
    """The script's title and purpose in one language."""

    title: str = ""
    purpose: str = ""


@dataclass(frozen=True)
class StageWords:
    """A stage's title, the keeper's words and the tips, in one language."""

    title: str = ""
    words: str = ""
    tips: tuple[str, ...] = ()


def other_languages(raw: Mapping[str, Any], languages: tuple[str, ...]) -> list[str]:
    """The keys of ``raw`` that are the script's other languages (``es``), in its order."""
    return [language for language in languages if language != "en" and language in raw]


def _table(
    raw: Mapping[str, Any], language: str, label: str, known: tuple[str, ...], problem: Problem
) -> Mapping[str, Any] | None:
    table = raw.get(language)
    if not isinstance(table, dict):
        problem(
            f"{label}'s {language!r} words must be a table such as [{language}] with "
            f"{', '.join(known)}."
        )
        return None
    for name in sorted(set(table) - set(known)):
        problem(
            f"{label}'s {language!r} words have an unknown field {name!r} "
            f"(known fields: {', '.join(known)})."
        )
    return table


def read_script_words(
    raw: Mapping[str, Any], languages: tuple[str, ...], check: Check, problem: Problem
) -> dict[str, ScriptWords]:
    """The script's title and purpose in each other language it gives them in."""
    found: dict[str, ScriptWords] = {}
    for language in other_languages(raw, languages):
        table = _table(raw, language, "the script", SCRIPT_FIELDS, problem)
        if table is None:
            continue
        found[language] = ScriptWords(
            check(f"title ({language})", table.get("title"), "title"),
            check(f"purpose ({language})", table.get("purpose"), "purpose"),
        )
    return found


def read_stage_words(
    raw: Mapping[str, Any],
    languages: tuple[str, ...],
    label: str,
    check: Check,
    read_tips: Callable[[object, str], tuple[str, ...]],
    problem: Problem,
) -> dict[str, StageWords]:
    """A stage's title, words and tips in each other language it gives them in."""
    found: dict[str, StageWords] = {}
    for language in other_languages(raw, languages):
        table = _table(raw, language, label, STAGE_FIELDS, problem)
        if table is None:
            continue
        found[language] = StageWords(
            check(f"{label}'s title ({language})", table.get("title"), "title"),
            check(f"{label}'s words ({language})", table.get("words"), "words"),
            read_tips(table.get("tips", []), f"{label} ({language})"),
        )
    return found


def script_words_dict(words: Mapping[str, ScriptWords]) -> dict[str, dict[str, Any]]:
    """A script's translated words per language, as its TOML file holds them (empty parts
    left out)."""
    return {
        language: {k: v for k, v in (("title", w.title), ("purpose", w.purpose)) if v}
        for language, w in words.items()
    }


def stage_words_dict(words: Mapping[str, StageWords]) -> dict[str, dict[str, Any]]:
    """A stage's words per language, as its TOML file holds them (empty parts left out)."""
    out: dict[str, dict[str, Any]] = {}
    for language, w in words.items():
        item: dict[str, Any] = {}
        if w.title:
            item["title"] = w.title
        if w.words:
            item["words"] = w.words
        if w.tips:
            item["tips"] = list(w.tips)
        out[language] = item
    return out
