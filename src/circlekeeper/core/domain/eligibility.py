"""The eligibility screen for a restorative conference, as plain answers and plain-word problems.

A conference needs the responsible person to admit their part and everyone to take part freely
(with a guardian's consent for a minor). Some matters are excluded and must go elsewhere.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass
class Eligibility:
    """Answers to the eligibility screen for a restorative conference.

    ``None`` means "not asked yet". The exclusions are matters that must go elsewhere.
    """

    responsibility_admitted: bool | None = None
    participation_voluntary: bool | None = None
    guardian_consent: bool | None = None  # None also when no minor is involved
    weapons: bool = False
    sexual_harm: bool = False
    serious_injury: bool = False
    credible_threat: bool = False
    title_ix: bool = False
    child_protection: bool = False
    police_matter: bool = False
    notes: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, value: str | None) -> Eligibility | None:
        if not value:
            return None
        data = json.loads(value)
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


_EXCLUSIONS = (
    ("weapons", "A weapon was involved: this goes to the school's discipline process."),
    ("sexual_harm", "The harm is sexual: this must go to the Title IX coordinator."),
    ("serious_injury", "Someone was seriously injured: this goes to the administration."),
    ("credible_threat", "There is a credible threat of harm: follow the threat assessment steps."),
    ("title_ix", "This is a Title IX matter and must go to the Title IX coordinator."),
    ("child_protection", "This must be reported to child protection services."),
    ("police_matter", "This is a police matter and goes to law enforcement."),
)


def eligibility_problems(answers: Eligibility | None) -> list[str]:
    """Why a case cannot go to a restorative conference, in plain words; empty means it can."""
    if answers is None:
        return ["The eligibility screen has not been done yet."]
    problems: list[str] = []
    if answers.responsibility_admitted is None:
        problems.append("It is not yet known whether the responsible person admits their part.")
    elif not answers.responsibility_admitted:
        problems.append("The responsible person does not admit their part.")
    if answers.participation_voluntary is False:
        problems.append("Not everyone is taking part voluntarily.")
    if answers.guardian_consent is False:
        problems.append("A guardian has not consented for a minor taking part.")
    problems.extend(message for name, message in _EXCLUSIONS if getattr(answers, name))
    return problems
