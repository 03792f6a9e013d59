"""The incident vocabulary: the school's editable list of incident types, mapped to SWIS codes.

Each type carries its SWIS problem behaviour (major or minor) and, where the school sets one, the
state's reporting category, so reports count referrals the way schools already report them.
Words typed at intake that match no type are kept as a new type flagged for the counselor to map,
exactly as the migration did for old referrals: nothing a person wrote is lost or guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.models import Case, IncidentType
from circlekeeper.core.text import fold

SWIS_LEVELS = ("major", "minor")
# SWIS problem behaviours a type can count as (majors and minors share some names).
SWIS_BEHAVIORS = (
    "Abusive language/Inappropriate language/Profanity",
    "Arson",
    "Bomb threat/False alarm",
    "Bullying",
    "Defiance/Insubordination/Non-compliance",
    "Disrespect",
    "Disruption",
    "Dress code violation",
    "Fighting",
    "Forgery/Theft/Plagiarism",
    "Harassment",
    "Inappropriate display of affection",
    "Inappropriate location/Out of bounds",
    "Lying/Cheating",
    "Physical aggression",
    "Physical contact",
    "Property damage/Vandalism",
    "Property misuse",
    "Skip class",
    "Tardy",
    "Technology violation",
    "Truancy",
    "Use/Possession of alcohol",
    "Use/Possession of drugs",
    "Use/Possession of tobacco",
    "Use/Possession of weapons",
    "Other behavior",
)
MAX_LABEL = 60
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class IncidentTypeRow:
    id: int
    key: str
    label: str
    label_es: str | None
    swis_behavior: str | None
    swis_level: str | None
    state_category: str | None
    needs_mapping: bool
    archived: bool


def folded_words(text: str) -> str:
    """Lower case, no accents, single spaces: how typed words are matched to a type."""
    return " ".join(fold(text).split())


def clean_time_of_day(text: str | None) -> str | None:
    """A time of day as "HH:MM" (24-hour), None when not given; InvalidInput otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    match = _TIME.match(text)
    if not match:
        raise InvalidInput(
            _(
                "{text} is not a time of day. Write it as hours and minutes, for example 13:45.",
                text=repr(text),
            )
        )
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _row(item: IncidentType) -> IncidentTypeRow:
    return IncidentTypeRow(
        item.id,
        item.key,
        item.label,
        item.label_es,
        item.swis_behavior,
        item.swis_level,
        item.state_category,
        item.needs_mapping,
        item.archived_at is not None,
    )


def _new_key(session: Session, label: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", folded_words(label)).strip("_")[:40] or "type"
    taken = set(session.scalars(select(IncidentType.key).where(IncidentType.key.like(f"{base}%"))))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def resolve_incident_type(session: Session, text: str) -> IncidentType:
    """The type a referral's typed category means; unknown words become a new flagged type."""
    wanted = folded_words(text)
    for item in session.scalars(select(IncidentType)):
        if wanted in (
            folded_words(item.label),
            folded_words(item.label_es or ""),
            folded_words(item.key.replace("_", " ")),
        ):
            return item
    position = session.scalar(select(func.max(IncidentType.position))) or 0
    label = " ".join(text.split())[:MAX_LABEL]
    item = IncidentType(
        key=_new_key(session, label), label=label, needs_mapping=True, position=position + 1
    )
    session.add(item)
    session.flush()
    return item


def _check_mapping(swis_level: str | None) -> str | None:
    level = (swis_level or "").strip().lower() or None
    if level is not None and level not in SWIS_LEVELS:
        raise InvalidInput(
            _(
                "{swis_level} is not a SWIS level. Use major or minor.",
                swis_level=repr(swis_level),
            )
        )
    return level


class IncidentVocabulary:
    """Read and edit the school's list of incident types."""

    def __init__(self, context: Context | sessionmaker[Session]) -> None:
        self.ctx = as_context(context)

    def types(self, *, include_archived: bool = False) -> list[IncidentTypeRow]:
        query = select(IncidentType).order_by(IncidentType.position, IncidentType.label)
        if not include_archived:
            query = query.where(IncidentType.archived_at.is_(None))
        with self.ctx.read() as session:
            return [_row(item) for item in session.scalars(query)]

    def unmapped(self) -> list[IncidentTypeRow]:
        """Types still waiting for a counselor to give them a SWIS code."""
        return [row for row in self.types() if row.needs_mapping]

    def add(
        self,
        label: str,
        *,
        label_es: str | None = None,
        swis_behavior: str | None = None,
        swis_level: str | None = None,
        state_category: str | None = None,
    ) -> IncidentTypeRow:
        label = " ".join((label or "").split())
        if not label:
            raise InvalidInput(_("Give the incident type a name."))
        if len(label) > MAX_LABEL:
            raise InvalidInput(
                _(
                    "The name is too long (at most {max_label} characters).",
                    max_label=MAX_LABEL,
                )
            )
        level = _check_mapping(swis_level)
        with self.ctx.write("add") as session:
            wanted = folded_words(label)
            for item in session.scalars(select(IncidentType)):
                if wanted in (folded_words(item.label), folded_words(item.label_es or "")):
                    raise InvalidInput(
                        _(
                            "{label} is already in the list; nothing was added.",
                            label=repr(item.label),
                        )
                    )
            position = session.scalar(select(func.max(IncidentType.position))) or 0
            behavior = (swis_behavior or "").strip() or None
            item = IncidentType(
                key=_new_key(session, label),
                label=label,
                label_es=(label_es or "").strip() or None,
                swis_behavior=behavior,
                swis_level=level,
                state_category=(state_category or "").strip() or None,
                needs_mapping=behavior is None or level is None,
                position=position + 1,
            )
            session.add(item)
            session.flush()
            audit.record(session, "create", "incident_type", item.uuid)
            return _row(item)

    def map(
        self,
        type_id: int,
        *,
        swis_behavior: str,
        swis_level: str,
        state_category: str | None = None,
        label_es: str | None = None,
    ) -> IncidentTypeRow:
        """Give a type its SWIS problem behaviour and level (and state category); unflags it."""
        behavior = (swis_behavior or "").strip()
        if not behavior:
            raise InvalidInput(_("Choose the SWIS problem behaviour this type counts as."))
        level = _check_mapping(swis_level)
        if level is None:
            raise InvalidInput(_("Say whether it is a major or a minor problem behaviour."))
        with self.ctx.write("map") as session:
            item = session.get(IncidentType, type_id)
            if item is None:
                raise NotFound(
                    _(
                        "Incident type {type_id} is not in this database.",
                        type_id=type_id,
                    )
                )
            item.swis_behavior = behavior
            item.swis_level = level
            if state_category is not None:
                item.state_category = state_category.strip() or None
            if label_es is not None:
                item.label_es = label_es.strip() or None
            item.needs_mapping = False
            audit.record(session, "map", "incident_type", item.uuid)
            session.flush()
            return _row(item)

    def usage(self, type_id: int) -> int:
        """How many referrals use a type."""
        with self.ctx.read() as session:
            query = select(func.count()).where(Case.incident_type_id == type_id)
            return int(session.scalar(query) or 0)
