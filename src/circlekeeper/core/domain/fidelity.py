"""The fidelity checklist: was a circle or conference run the way the practice asks?

Pure rules. :func:`prefill` answers each item from what the live record can know (which script
stages were reached, who took a turn, who was prepared); the keeper confirms or corrects every
item in one screen at the end. Items the record cannot know start unanswered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from circlekeeper.core.domain.enums import CircleKind


class FidelityItem(StrEnum):
    """One item of the fidelity checklist a keeper answers after a held circle."""

    OPENING = "opening"
    CONFIDENTIALITY_LIMITS = "confidentiality_limits"
    GUIDELINES = "guidelines"
    TALKING_PIECE = "talking_piece"
    EVERYONE_INVITED = "everyone_invited"
    EVERY_STAGE = "every_stage"
    CLOSING = "closing"
    PARTICIPANTS_PREPARED = "participants_prepared"


class Answer(StrEnum):
    """A fidelity answer: yes, no, or not applicable."""

    YES = "yes"
    NO = "no"
    NOT_APPLICABLE = "n/a"


CIRCLE_ITEMS: tuple[FidelityItem, ...] = (
    FidelityItem.OPENING,
    FidelityItem.CONFIDENTIALITY_LIMITS,
    FidelityItem.GUIDELINES,
    FidelityItem.TALKING_PIECE,
    FidelityItem.EVERYONE_INVITED,
    FidelityItem.EVERY_STAGE,
    FidelityItem.CLOSING,
)
# A conference has a preamble in place of guidelines and a talking piece, and its people are
# prepared beforehand.
CONFERENCE_ITEMS: tuple[FidelityItem, ...] = (
    FidelityItem.OPENING,
    FidelityItem.CONFIDENTIALITY_LIMITS,
    FidelityItem.EVERYONE_INVITED,
    FidelityItem.EVERY_STAGE,
    FidelityItem.CLOSING,
    FidelityItem.PARTICIPANTS_PREPARED,
)

# Script stage types that count as each item being held.
_STAGES_FOR: dict[FidelityItem, frozenset[str]] = {
    FidelityItem.OPENING: frozenset({"opening", "preamble"}),
    FidelityItem.GUIDELINES: frozenset({"guidelines"}),
    FidelityItem.TALKING_PIECE: frozenset({"talking_piece"}),
    FidelityItem.CLOSING: frozenset({"closing"}),
}


def items_for(kind: str) -> tuple[FidelityItem, ...]:
    """The checklist's items for a kind of circle, in the order the screen shows them."""
    return CONFERENCE_ITEMS if kind == CircleKind.CONFERENCE.value else CIRCLE_ITEMS


@dataclass(frozen=True)
class Prefill:
    """What the record says about one item: True, False, or None when it cannot know."""

    value: bool | None
    reason: str = ""


@dataclass(frozen=True)
class HeldRecord:
    """The facts of a held circle the prefill reads (all plain values)."""

    kind: str
    stage_types: Sequence[str]  # the script's stages, in order
    visited: frozenset[int]  # indexes of the stages the keeper reached
    present: int  # participants present, keepers and observers left out
    took_turn: int  # of those, how many spoke or passed at least once
    prepared: Sequence[bool]  # per participant to prepare: whether a pre-meeting was held


def _stage_item(record: HeldRecord, item: FidelityItem) -> Prefill:
    wanted = _STAGES_FOR[item]
    indexes = [i for i, t in enumerate(record.stage_types) if t in wanted]
    if not indexes:
        return Prefill(False, "The script has no such stage.")
    if any(i in record.visited for i in indexes):
        return Prefill(True, "The stage was reached.")
    return Prefill(False, "The stage was not reached.")


def prefill(record: HeldRecord) -> dict[FidelityItem, Prefill]:
    """Each item of the checklist, answered from the live record where it can be known."""
    found: dict[FidelityItem, Prefill] = {}
    for item in items_for(record.kind):
        if item in _STAGES_FOR:
            found[item] = _stage_item(record, item)
        elif item is FidelityItem.EVERY_STAGE:
            missed = len(record.stage_types) - len(
                [i for i in range(len(record.stage_types)) if i in record.visited]
            )
            found[item] = (
                Prefill(True, "Every stage was reached.")
                if record.stage_types and not missed
                else Prefill(False, f"{missed} of {len(record.stage_types)} stages not reached.")
            )
        elif item is FidelityItem.EVERYONE_INVITED:
            if record.present == 0:
                found[item] = Prefill(None)
            else:
                found[item] = Prefill(
                    record.took_turn >= record.present,
                    f"{record.took_turn} of {record.present} people present took a turn.",
                )
        elif item is FidelityItem.PARTICIPANTS_PREPARED:
            done = sum(1 for p in record.prepared if p)
            found[item] = Prefill(
                bool(record.prepared) and done == len(record.prepared),
                f"{done} of {len(record.prepared)} people had a preparation meeting.",
            )
        else:
            found[item] = Prefill(None)  # only the keeper knows (said aloud)
    return found


def check_answers(kind: str, answers: Mapping[str, str]) -> dict[str, str]:
    """The keeper's answers, checked: every item answered yes, no or n/a, nothing unknown.

    Raises ValueError with a plain message naming what is missing or wrong.
    """
    items = items_for(kind)
    known = {i.value for i in items}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ValueError(f"This checklist has no item {unknown[0]!r}.")
    values = {a.value for a in Answer}
    for key, value in answers.items():
        if value not in values:
            raise ValueError(f"Answer {key!r} with yes, no or n/a (not {value!r}).")
    missing = [i.value for i in items if i.value not in answers]
    if missing:
        raise ValueError(
            f"{len(missing)} item(s) of the checklist are not answered yet; "
            "answer each one with yes, no or not applicable."
        )
    return {i.value: answers[i.value] for i in items}


def score(answers: Iterable[str]) -> tuple[int, int]:
    """(items answered yes, items that applied): n/a counts in neither."""
    kept = [a for a in answers if a != Answer.NOT_APPLICABLE.value]
    return sum(1 for a in kept if a == Answer.YES.value), len(kept)
