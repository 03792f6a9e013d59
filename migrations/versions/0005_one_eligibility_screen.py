"""One eligibility screen: both old formats become the one the case page and the panel share

Revision ID: 0005_one_eligibility_screen
Revises: 0004_person_directory_index

Until now the case page and a conference's preparation panel wrote two different screens into
the same field: the case page's (seven exclusions, three consent answers) and the panel's (four
exclusions, one box for "Title IX, child protection or the police", ``answered``). A case
screened as a Title IX matter then looked unscreened to its conference, and saving the panel
wrote over the case's answers. Every stored screen is rewritten here in the one format
(``{"format": 2, "consent": {...}, "exclusions": [...], "halted": ..., "notes": ...}``)
without losing an answer:

- the case page's answers are kept exactly (``None`` stays "not known yet");
- the panel's single referral box becomes ``referral_unspecified`` (a Title IX, child
  protection or police matter whose kind was not recorded: it still blocks the case);
- the panel's unticked "admits their part" becomes "not known yet" (the box could not say no);
- a conference linked to a case that also kept its own screen has the two combined on the
  case, keeping every exclusion either set and a refusal over a yes.

The conversion is written out here, frozen, so the migration keeps doing the same thing when
the application code changes later.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005_one_eligibility_screen"
down_revision = "0004_person_directory_index"
branch_labels = None
depends_on = None

FORMAT = 2
CONSENTS = ("responsibility_admitted", "participation_voluntary", "guardian_consent")
EXCLUSIONS = (
    "weapons",
    "sexual_harm",
    "serious_injury",
    "credible_threat",
    "title_ix",
    "child_protection",
    "police_matter",
    "referral_unspecified",
)
_PANEL_KEYS = {"must_refer", "answered"}
_REFERRALS = ("title_ix", "child_protection", "police_matter")


def _answer(value: Any) -> bool | None:
    return None if value is None else bool(value)


def convert(data: Any) -> dict[str, Any] | None:
    """One stored screen of either old format in the new format (``None``: no screen)."""
    if not isinstance(data, dict):
        return None
    if data.get("format") == FORMAT:
        return data
    if _PANEL_KEYS & data.keys():
        admitted = True if data.get("responsibility_admitted") else None
        consent = {
            "responsibility_admitted": admitted,
            "participation_voluntary": None,
            "guardian_consent": None,
        }
        excluded = [
            name
            for name in ("weapons", "sexual_harm", "serious_injury", "credible_threat")
            if data.get(name)
        ]
        if data.get("must_refer"):
            excluded.append("referral_unspecified")
        notes = str(data.get("notes") or "")
        if not data.get("answered", True) and not excluded and not notes and admitted is None:
            return None
    else:
        consent = {name: _answer(data.get(name)) for name in CONSENTS}
        excluded = [name for name in EXCLUSIONS if data.get(name)]
        notes = str(data.get("notes") or "")
    return {
        "format": FORMAT,
        "consent": consent,
        "exclusions": [name for name in EXCLUSIONS if name in excluded],
        "halted": bool(data.get("halted", False)),
        "notes": notes,
    }


def combine(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """Two new-format screens as one, losing no answer (a refusal wins over a yes)."""
    consent = {}
    for name in CONSENTS:
        a, b = first["consent"].get(name), second["consent"].get(name)
        consent[name] = False if False in (a, b) else (a if a is not None else b)
    excluded = set(first["exclusions"]) | set(second["exclusions"])
    notes = [n for n in (first["notes"].strip(), second["notes"].strip()) if n]
    return {
        "format": FORMAT,
        "consent": consent,
        "exclusions": [name for name in EXCLUSIONS if name in excluded],
        "halted": bool(first["halted"] or second["halted"]),
        "notes": " / ".join(dict.fromkeys(notes)),
    }


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _load(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return None  # left exactly as it was; the application reports it as unreadable


def upgrade() -> None:
    conn = op.get_bind()
    cases = sa.table("case_file", sa.column("id"), sa.column("eligibility"))
    circles = sa.table("circle", sa.column("id"), sa.column("case_id"), sa.column("summary"))
    screens: dict[int, dict[str, Any] | None] = {}  # case id -> its screen, converted
    for case_id, text in list(conn.execute(sa.select(cases.c.id, cases.c.eligibility))):
        data = _load(text)
        if data is None:
            if not text:
                screens[case_id] = None
            continue  # unreadable text is left exactly as it was
        screens[case_id] = convert(data)
        conn.execute(
            cases.update()
            .where(cases.c.id == case_id)
            .values(eligibility=None if screens[case_id] is None else _dump(screens[case_id]))
        )
    query = sa.select(circles.c.id, circles.c.case_id, circles.c.summary).where(
        circles.c.summary.is_not(None)
    )
    for circle_id, case_id, text in list(conn.execute(query)):
        summary = _load(text)
        if not isinstance(summary, dict) or "eligibility" not in summary:
            continue
        own = convert(summary["eligibility"])
        if own is None:
            summary.pop("eligibility")
        elif case_id in screens:  # linked to a case whose screen can be read: one screen
            stored = screens[case_id]
            merged = own if stored is None else combine(stored, own)
            screens[case_id] = merged
            conn.execute(
                cases.update().where(cases.c.id == case_id).values(eligibility=_dump(merged))
            )
            summary.pop("eligibility")
        else:
            summary["eligibility"] = own
        conn.execute(
            circles.update()
            .where(circles.c.id == circle_id)
            .values(summary=_dump(summary) if summary else None)
        )


def _to_case_page(data: dict[str, Any]) -> dict[str, Any]:
    old: dict[str, Any] = {name: data["consent"].get(name) for name in CONSENTS}
    for name in EXCLUSIONS[:-1]:
        old[name] = name in data["exclusions"]
    notes = [data.get("notes") or ""]
    if "referral_unspecified" in data["exclusions"]:
        notes.append("Must go to Title IX, child protection or the police.")
    if data.get("halted"):
        notes.append("The facilitator stopped the process: not safe.")
    old["notes"] = " ".join(n for n in notes if n)
    return old


def _to_panel(data: dict[str, Any]) -> dict[str, Any]:
    excluded = set(data["exclusions"])
    return {
        "responsibility_admitted": bool(data["consent"].get("responsibility_admitted")),
        "weapons": "weapons" in excluded,
        "sexual_harm": "sexual_harm" in excluded,
        "serious_injury": "serious_injury" in excluded,
        "credible_threat": "credible_threat" in excluded,
        "must_refer": bool(excluded & {*_REFERRALS, "referral_unspecified"}),
        "notes": data.get("notes") or "",
        "answered": True,
    }


def downgrade() -> None:
    # Back to the case page's format for cases and the panel's for conferences on their own
    # (the halt and the unspecified referral are kept as words in the notes).
    conn = op.get_bind()
    cases = sa.table("case_file", sa.column("id"), sa.column("eligibility"))
    circles = sa.table("circle", sa.column("id"), sa.column("summary"))
    for case_id, text in list(conn.execute(sa.select(cases.c.id, cases.c.eligibility))):
        data = _load(text)
        if isinstance(data, dict) and data.get("format") == FORMAT:
            conn.execute(
                cases.update()
                .where(cases.c.id == case_id)
                .values(eligibility=_dump(_to_case_page(data)))
            )
    query = sa.select(circles.c.id, circles.c.summary).where(circles.c.summary.is_not(None))
    for circle_id, text in list(conn.execute(query)):
        summary = _load(text)
        if not isinstance(summary, dict):
            continue
        screen = summary.get("eligibility")
        if isinstance(screen, dict) and screen.get("format") == FORMAT:
            summary["eligibility"] = _to_panel(screen)
            conn.execute(
                circles.update().where(circles.c.id == circle_id).values(summary=_dump(summary))
            )
