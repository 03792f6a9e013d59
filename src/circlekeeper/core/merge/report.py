"""What a merge did (or, for a dry run, would do), in plain lines for IT and the counselor.

The dry run and the merge print the same lines from the same plan, so the preview is exactly
what the merge then does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from circlekeeper.core.i18n import N_, _
from circlekeeper.core.merge.plan import Conflict, Match, MergePlan

# How each kind of record is counted in the report: singular and plural.
KIND_WORDS: dict[str, tuple[str, str]] = {
    "person": (N_("person"), N_("people")),
    "guardian_link": (N_("guardian link"), N_("guardian links")),
    "incident_type": (N_("incident type"), N_("incident types")),
    "case_file": (N_("case"), N_("cases")),
    "case_party": (N_("person in a case"), N_("people in cases")),
    "family_contact": (N_("family contact"), N_("family contacts")),
    "circle": (N_("circle or conference"), N_("circles and conferences")),
    "participant": (N_("participant"), N_("participants")),
    "stage_record": (N_("stage record"), N_("stage records")),
    "turn": (N_("turn"), N_("turns")),
    "note": (N_("note"), N_("notes")),
    "agreement": (N_("agreement"), N_("agreements")),
    "agreement_item": (N_("agreement item"), N_("agreement items")),
    "signature": (N_("signature"), N_("signatures")),
    "follow_up": (N_("follow-up"), N_("follow-ups")),
    "fidelity_check": (N_("fidelity checklist"), N_("fidelity checklists")),
    "survey_sitting": (N_("survey round"), N_("survey rounds")),
    "survey_response": (N_("survey answer"), N_("survey answers")),
    "sro_activity": (N_("SRO activity"), N_("SRO activities")),
    "training_record": (N_("training record"), N_("training records")),
    "hand_off": (N_("hand-off"), N_("hand-offs")),
    "disclosure": (N_("disclosure"), N_("disclosures")),
}

# The rule each choice of ``keep`` follows, as the report states it.
RULES: dict[str, str] = {
    "newer": N_(
        "Rule for conflicts: a record edited on both laptops since the last merge keeps the "
        "newer change; the other values are kept in the audit trail (free text is only noted "
        "as changed)."
    ),
    "this": N_(
        "Rule for conflicts (chosen for this merge): a record edited on both laptops since the "
        "last merge keeps this database's change; the other laptop's values are kept in the "
        "audit trail (free text is only noted as changed)."
    ),
    "other": N_(
        "Rule for conflicts (chosen for this merge): a record edited on both laptops since the "
        "last merge takes the other laptop's change; this database's values are kept in the "
        "audit trail (free text is only noted as changed)."
    ),
}


def kind_words(table: str, count: int) -> str:
    """``count`` records of ``table`` in words: "3 cases"."""
    one, many = KIND_WORDS.get(table, (table.replace("_", " "), table.replace("_", " ") + "s"))
    return f"{count} {_(one) if count == 1 else _(many)}"


def _counts(tables: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for table in tables:
        found[table] = found.get(table, 0) + 1
    return found


@dataclass(frozen=True)
class MergeReport:
    """What a merge changes: counts per kind, the people matched by ID, each conflict."""

    source: str
    target: str
    added: dict[str, int]
    updated: dict[str, int]
    matched: tuple[Match, ...]
    conflicts: tuple[Conflict, ...]
    audit_lines: int
    skipped: dict[str, int]
    source_newest: datetime | None
    applied: bool  # False for a dry run (or a merge that found nothing to do)
    keep: str = "newer"

    @classmethod
    def of(cls, plan: MergePlan, target: str, *, applied: bool) -> MergeReport:
        return cls(
            source=plan.source,
            target=target,
            added=_counts([r.table for r in plan.inserts]),
            updated=_counts([u.table for u in plan.updates]),
            matched=tuple(m for m in plan.matches if m.entity == "person"),
            conflicts=tuple(plan.conflicts),
            audit_lines=len(plan.audit),
            skipped=dict(plan.skipped),
            source_newest=plan.source_newest,
            applied=applied,
            keep=plan.keep,
        )

    @property
    def nothing_to_do(self) -> bool:
        return not (self.added or self.updated or self.conflicts or self.audit_lines)

    def listing(self) -> list[str]:
        """The changes themselves, the same words for the dry run and the merge."""
        lines = []
        if self.added:
            lines.append(
                _(
                    "Added: {kinds}.",
                    kinds=", ".join(kind_words(t, n) for t, n in self.added.items()),
                )
            )
        if self.updated:
            lines.append(
                _(
                    "Updated: {kinds}.",
                    kinds=", ".join(kind_words(t, n) for t, n in self.updated.items()),
                )
            )
        if self.audit_lines:
            lines.append(_("Audit trail lines brought along: {count}.", count=self.audit_lines))
        if self.matched:
            lines.append(
                _(
                    "The same person with another record on that laptop, matched by "
                    "district ID ({count}); their records now point to this database's "
                    "record:",
                    count=len(self.matched),
                )
            )
            lines += [f"  {m.label} ({m.key})" for m in self.matched]
        if self.conflicts:
            lines.append(
                _(
                    "Edited on both sides since the last merge ({count}):",
                    count=len(self.conflicts),
                )
            )
            for conflict in self.conflicts:
                if self.keep != "newer":
                    winner = (
                        _("the other laptop's change wins, as chosen")
                        if conflict.winner == "source"
                        else _("this database's change stays, as chosen")
                    )
                else:
                    winner = (
                        _("the other laptop's change is newer: it wins")
                        if conflict.winner == "source"
                        else _("this database's change is newer: it stays")
                    )
                fields = ", ".join(f.replace("_", " ") for f in conflict.fields)
                lines.append(f"  {_(conflict.entity)} {conflict.label}: {fields} ({winner})")
            lines.append(_(RULES[self.keep]))
        if self.skipped:
            lines.append(
                _(
                    "Left out because what they belong to is not in that file: {kinds}.",
                    kinds=", ".join(kind_words(t, n) for t, n in self.skipped.items()),
                )
            )
        return lines

    def lines(self) -> list[str]:
        """The whole report: a heading, then :meth:`listing`."""
        if self.nothing_to_do:
            return [
                _(
                    "{source} holds nothing {target} does not already have: nothing to "
                    "merge, nothing was changed.",
                    source=self.source,
                    target=self.target,
                )
            ]
        if self.applied:
            head = _("Merged {source} into {target}.", source=self.source, target=self.target)
        else:
            head = _(
                "Dry run: merging {source} into {target} would make these changes. "
                "Nothing was written.",
                source=self.source,
                target=self.target,
            )
        return [head, *self.listing()]
