"""The eligibility screen for a restorative conference: one model, one stored format, one verdict.

A conference needs the person responsible to admit their part, everyone to take part
voluntarily, and each minor's guardian to consent. Some matters are excluded and go elsewhere
(weapons, sexual harm, serious injury, credible threats, Title IX, child protection, police),
and the facilitator may halt the process when it is not safe. The case page and a conference's
preparation panel both edit this one model; :func:`assess` is the only place that decides
whether the case, and its conference, may go ahead.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from typing import Any

from circlekeeper.core.i18n import _, say_date

# The stored format: {"format": 2, "consent": {...}, "exclusions": [...], "halted": bool,
# "notes": str}. Migration 0005 converted the two earlier formats to this one.
FORMAT = 2

CONSENTS: tuple[str, ...] = (
    "responsibility_admitted",
    "participation_voluntary",
    "guardian_consent",
)

# Matters that must go elsewhere, with why, in the order the screens list them.
EXCLUSIONS: tuple[tuple[str, str], ...] = (
    ("weapons", "A weapon was involved: this goes to the school's discipline process."),
    ("sexual_harm", "The harm is sexual: this must go to the Title IX coordinator."),
    ("serious_injury", "Someone was seriously injured: this goes to the administration."),
    ("credible_threat", "There is a credible threat of harm: follow the threat assessment steps."),
    ("title_ix", "This is a Title IX matter and must go to the Title IX coordinator."),
    ("child_protection", "This must be reported to child protection services."),
    ("police_matter", "This is a police matter and goes to law enforcement."),
    (
        "referral_unspecified",
        "An earlier screen said this must go to Title IX, child protection or the police, "
        "without saying which: tick the one that applies, then clear this one.",
    ),
)
EXCLUSION_NAMES: tuple[str, ...] = tuple(name for name, _ in EXCLUSIONS)

# The answers that stay with school staff (Title IX, child protection, and the earlier screen's
# box naming them): a school resource officer sees that the case goes elsewhere, not why.
STAFF_ONLY: tuple[str, ...] = (
    "sexual_harm",
    "title_ix",
    "child_protection",
    "referral_unspecified",
)
STAFF_MATTER = (
    "A matter that stays with school staff keeps this case from a conference; a counselor or "
    "an administrator can say more."
)

HALTED = (
    "The facilitator has stopped this process because it is not safe to go ahead; it goes "
    "back to the school's usual process."
)
UNREADABLE = (
    "The saved eligibility screen could not be read. Nothing else was changed; do the screen "
    "again before going on."
)


@dataclass(frozen=True)
class Eligibility:
    """The answers of the eligibility screen.

    Consent answers are ``True`` (yes), ``False`` (no, or refused) or ``None`` (not known yet).
    ``guardian_consent`` covers every minor taking part. An exclusion is ``True`` when present.
    ``referral_unspecified`` only comes from the old panel's single "Title IX, child protection
    or the police" box; screens show it only while it is set.
    """

    responsibility_admitted: bool | None = None
    participation_voluntary: bool | None = None
    guardian_consent: bool | None = None
    weapons: bool = False
    sexual_harm: bool = False
    serious_injury: bool = False
    credible_threat: bool = False
    title_ix: bool = False
    child_protection: bool = False
    police_matter: bool = False
    referral_unspecified: bool = False
    halted: bool = False
    notes: str = ""

    def changes_from(self, before: Eligibility) -> dict[str, Any]:
        """The answers that differ from ``before`` (what a person changed on a screen)."""
        mine, theirs = asdict(self), asdict(before)
        return {name: value for name, value in mine.items() if theirs[name] != value}

    def with_changes(self, changes: Mapping[str, Any]) -> Eligibility:
        """These answers with ``changes`` applied; anything not named stays as it is."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"Not answers of the eligibility screen: {sorted(unknown)}")
        for name, value in changes.items():
            if name == "notes":
                ok = isinstance(value, str)
            elif name in CONSENTS:
                ok = value is None or isinstance(value, bool)
            else:
                ok = isinstance(value, bool)
            if not ok:
                raise ValueError(f"{name} cannot be {value!r}")
        return replace(self, **changes)

    @property
    def excluded(self) -> list[str]:
        """The names of the exclusions that are present."""
        return [name for name in EXCLUSION_NAMES if getattr(self, name)]


def combine(first: Eligibility, second: Eligibility) -> Eligibility:
    """Two screens of one matter as one, losing no answer: every exclusion and halt either
    set stays set, a refusal wins over a yes, a known answer over an unknown one."""
    changes: dict[str, Any] = {}
    for name in CONSENTS:
        a, b = getattr(first, name), getattr(second, name)
        changes[name] = False if False in (a, b) else (a if a is not None else b)
    for name in (*EXCLUSION_NAMES, "halted"):
        changes[name] = getattr(first, name) or getattr(second, name)
    notes = [n for n in (first.notes.strip(), second.notes.strip()) if n]
    changes["notes"] = " / ".join(dict.fromkeys(notes))
    return first.with_changes(changes)


def encode(answers: Eligibility) -> str:
    """The stored form of a screen (the one format every place writes)."""
    return json.dumps(
        {
            "format": FORMAT,
            "consent": {name: getattr(answers, name) for name in CONSENTS},
            "exclusions": answers.excluded,
            "halted": answers.halted,
            "notes": answers.notes,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def decode(text: str | None) -> Eligibility | None:
    """A stored screen, or ``None`` when none was recorded.

    Raises :class:`ValueError` for anything that is not the current format: a screen that
    cannot be read is never taken for a blank one (that is how an exclusion gets lost).
    """
    if text is None or not text.strip():
        return None
    data = json.loads(text)
    return from_stored(data)


def from_stored(data: object) -> Eligibility:
    """The answers in an already parsed stored screen (see :func:`decode`)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not an eligibility screen in the current format")
    consent = data.get("consent", {})
    exclusions = data.get("exclusions", [])
    if not isinstance(consent, dict) or not isinstance(exclusions, list):
        raise ValueError("not an eligibility screen in the current format")
    strange = set(exclusions) - set(EXCLUSION_NAMES)
    if strange:
        raise ValueError(f"unknown exclusions {sorted(strange)}")
    changes: dict[str, Any] = {name: consent.get(name) for name in CONSENTS}
    changes.update({name: name in exclusions for name in EXCLUSION_NAMES})
    changes["halted"] = bool(data.get("halted", False))
    changes["notes"] = data.get("notes") or ""
    return Eligibility().with_changes(changes)


@dataclass(frozen=True)
class Verdict:
    """Whether a case, and its conference, may go ahead, and why not, in plain words.

    ``blocked`` are reasons it must not go ahead (an exclusion, the facilitator's halt, a
    refusal, a withdrawn consent); ``missing`` are answers not known yet; ``withdrawn`` are
    the blocked reasons that are withdrawn consents (recorded again in the preparation, not
    on the screen).
    """

    blocked: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()

    @property
    def may_go_ahead(self) -> bool:
        return not self.blocked and not self.missing

    @property
    def problems(self) -> list[str]:
        return [*self.blocked, *self.missing]


NOT_SCREENED = "The eligibility screen has not been done yet."

# Who withdrew a person's consent to a circle (``participant.consent_withdrawn_by``).
WITHDRAWN_BY: tuple[str, ...] = ("participant", "guardian")


@dataclass(frozen=True)
class Withdrawal:
    """One person's consent to a circle, withdrawn on ``on``; ``by`` is ``"participant"``,
    ``"guardian"`` or ``None`` (the keeper did not say). A withdrawn consent is no consent:
    nobody takes part in a circle that deals with harm against their (or their guardian's)
    wish, so it blocks like a refusal until consent is recorded again."""

    name: str
    on: date
    by: str | None = None

    @property
    def reason(self) -> str:
        """The refusal in plain words, naming the person and the date."""
        when = say_date(self.on)
        if self.by == "guardian":
            return _(
                "A guardian of {name} withdrew consent on {date}; record consent again "
                "before this circle is held.",
                name=self.name,
                date=when,
            )
        if self.by == "participant":
            return _(
                "{name} withdrew their consent on {date}; record consent again before this "
                "circle is held.",
                name=self.name,
                date=when,
            )
        return _(
            "Consent for {name} was withdrawn on {date}; record consent again before this "
            "circle is held.",
            name=self.name,
            date=when,
        )


def assess(
    answers: Eligibility | None,
    *,
    minors: bool = True,
    unreadable: bool = False,
    withdrawals: Iterable[Withdrawal] = (),
) -> Verdict:
    """The verdict of the screen. ``minors``: whether anyone taking part is a minor (see
    :func:`circlekeeper.core.people.people.is_minor`); a refused guardian consent blocks
    either way. ``withdrawals``: the consents of the people taking part that were withdrawn
    (each blocks, whatever the screen says)."""
    withdrawn = tuple(w.reason for w in withdrawals)
    if unreadable:
        return Verdict(blocked=(UNREADABLE, *withdrawn), withdrawn=withdrawn)
    if answers is None:
        return Verdict(blocked=withdrawn, missing=(NOT_SCREENED,), withdrawn=withdrawn)
    blocked: list[str] = list(withdrawn)
    missing: list[str] = []
    if answers.halted:
        blocked.append(HALTED)
    blocked.extend(message for name, message in EXCLUSIONS if getattr(answers, name))
    if answers.responsibility_admitted is False:
        blocked.append("The person responsible does not admit their part.")
    elif answers.responsibility_admitted is None:
        missing.append("It is not known yet whether the person responsible admits their part.")
    if answers.participation_voluntary is False:
        blocked.append("Not everyone is taking part voluntarily.")
    elif answers.participation_voluntary is None:
        missing.append("It is not known yet whether everyone takes part voluntarily.")
    if answers.guardian_consent is False:
        blocked.append("A guardian has not given consent for a minor to take part.")
    elif answers.guardian_consent is None and minors:
        missing.append("A guardian's consent for each minor taking part is not recorded yet.")
    return Verdict(tuple(blocked), tuple(missing), withdrawn)


# Circles that deal with harm: each gets the preparation (a meeting with each person, their
# consent, a guardian's for a minor) and the safety screen before it starts.
HARM_KINDS: frozenset[str] = frozenset({"conference", "harm_repair", "reentry"})
# A re-entry circle comes after a case went elsewhere (a threat assessment, a suspension): the
# matters that sent it there and the admission of responsibility do not govern it, but everyone
# still takes part voluntarily, with a guardian's consent for a minor, and the facilitator's
# halt still stops it.
_AFTER_ELSEWHERE: frozenset[str] = frozenset({"reentry"})


def screen_applies(kind: str) -> bool:
    """Whether a circle of this kind is prepared and screened before it starts."""
    return kind in HARM_KINDS


def assess_circle(
    kind: str,
    answers: Eligibility | None,
    *,
    minors: bool = True,
    unreadable: bool = False,
    withdrawals: Iterable[Withdrawal] = (),
) -> Verdict:
    """The screen's verdict for a circle of ``kind`` (see :func:`assess`; a re-entry circle
    is judged on consent and the halt alone, a withdrawn consent included)."""
    if answers is not None and kind in _AFTER_ELSEWHERE:
        cleared: dict[str, Any] = dict.fromkeys(EXCLUSION_NAMES, False)
        answers = replace(answers, responsibility_admitted=True, **cleared)
    return assess(answers, minors=minors, unreadable=unreadable, withdrawals=withdrawals)


def eligibility_problems(answers: Eligibility | None, *, minors: bool = True) -> list[str]:
    """Why a case cannot go to a restorative conference, in plain words; empty means it can."""
    return assess(answers, minors=minors).problems
