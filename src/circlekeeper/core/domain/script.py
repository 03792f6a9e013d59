"""Circle and conference scripts: the model (stages, who they address, the limits).

A script is the keeper's running order: stages in sequence, each with the words the keeper says,
the question participants see, and who it is addressed to. Scripts are shared between
counselors as TOML files, so every problem found in a file is reported with the file, the line
and what is wrong, in words a counselor can act on.
Reading and checking a TOML file is in :mod:`script_checks`; snapshots and writing TOML in
:mod:`script_snapshot`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from circlekeeper.core.domain.enums import CircleKind
from circlekeeper.core.domain.script_words import (
    ScriptWords,
    StageWords,
)

MAX_SCRIPT_BYTES = 256 * 1024


MAX_SUGGESTED_MINUTES = 240


KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")


SNAPSHOT_FORMAT = 1


@dataclass(frozen=True)
class ScriptLimits:
    """How much a script may hold: far more than any circle needs, far less than a screen or a
    projector can be asked to show."""

    stages: int = 60
    title: int = 200  # the script's and each stage's
    purpose: int = 2_000
    words: int = 10_000
    question: int = 2_000  # in each language
    tips: int = 20
    tip: int = 1_000


LIMITS = ScriptLimits()


class StageType(StrEnum):
    """What happens in one stage of a circle or conference."""

    OPENING = "opening"
    GUIDELINES = "guidelines"
    TALKING_PIECE = "talking_piece"
    CHECK_IN = "check_in"
    ROUND = "round"
    CHECK_OUT = "check_out"
    CLOSING = "closing"
    # Conference stages.
    PREAMBLE = "preamble"
    QUESTIONS = "questions"
    AGREEMENT = "agreement"
    INFORMAL = "informal"


class AddressedTo(StrEnum):
    """Who a stage's question is for; conference questions differ by role."""

    ALL = "all"
    RESPONSIBLE = "responsible"
    HARMED = "harmed"
    SUPPORTERS_OF_RESPONSIBLE = "supporters_of_responsible"
    SUPPORTERS_OF_HARMED = "supporters_of_harmed"
    OTHERS = "others"  # community members and other affected people


# Stages where the talking piece goes round by default; a script may say `round = true/false`.
ROUND_STAGES = frozenset(
    {StageType.CHECK_IN, StageType.ROUND, StageType.CHECK_OUT, StageType.QUESTIONS}
)


@dataclass(frozen=True)
class Stage:
    """One step of a script."""

    type: StageType
    title: str
    words: str  # what the keeper says (or says in their own way)
    question: dict[str, str] = field(default_factory=dict)  # language -> participant question
    addressed_to: AddressedTo = AddressedTo.ALL
    suggested_minutes: int | None = None
    tips: tuple[str, ...] = ()
    round: bool | None = None  # None: decided by the stage type
    # The keeper's words in the script's other languages (``[stages.es]``): language -> words.
    spoken: dict[str, StageWords] = field(default_factory=dict)

    def title_in(self, language: str) -> str:
        """The stage's title in a language, falling back to English."""
        found = self.spoken.get(language)
        return (found.title if found else "") or self.title

    def words_in(self, language: str) -> str:
        """What the keeper says, in a language, falling back to English."""
        found = self.spoken.get(language)
        return (found.words if found else "") or self.words

    def tips_in(self, language: str) -> tuple[str, ...]:
        """The keeper's tips in a language, falling back to English."""
        found = self.spoken.get(language)
        return (found.tips if found else ()) or self.tips

    @property
    def has_round(self) -> bool:
        """Whether the talking piece goes round in this stage."""
        return self.round if self.round is not None else self.type in ROUND_STAGES

    def question_in(self, language: str) -> str:
        """The participant question in a language, falling back to English."""
        return self.question.get(language) or self.question.get("en", "")


@dataclass(frozen=True)
class Script:
    """A whole script: what kind of circle it is for, why, and its stages in order."""

    key: str
    kind: CircleKind
    title: str
    purpose: str
    stages: tuple[Stage, ...]
    languages: tuple[str, ...] = ("en",)
    # The title and purpose in the script's other languages (``[es]``).
    translated: dict[str, ScriptWords] = field(default_factory=dict)

    def title_in(self, language: str) -> str:
        """The script's title in a language, falling back to English."""
        found = self.translated.get(language)
        return (found.title if found else "") or self.title

    def purpose_in(self, language: str) -> str:
        """The script's purpose in a language, falling back to English."""
        found = self.translated.get(language)
        return (found.purpose if found else "") or self.purpose

    def untranslated(self, language: str) -> list[str]:
        """Stage titles whose keeper's words have no version in ``language`` (for the editor)."""
        if language == "en":
            return []
        return [s.title for s in self.stages if not (s.spoken.get(language) or StageWords()).words]

    @property
    def suggested_minutes(self) -> int:
        return sum(s.suggested_minutes or 0 for s in self.stages)


class ScriptError(ValueError):
    """One problem in a script file, with where it is: ``file:line: message``."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message


class InvalidScript(ValueError):
    """A script that cannot be used; ``errors`` lists every problem found."""

    def __init__(self, errors: list[ScriptError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors
