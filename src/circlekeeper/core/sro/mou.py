"""The school's agreement with the police (the MOU): what it says, and the one place it is enforced.

Federal guidance asks schools and police to write down a school resource officer's role: the
officer keeps the school safe but takes no part in routine school discipline, and a restorative
conference with an officer present says plainly at its opening whether what a student admits
there can be used for a citation or charge. The school records its own answers here (with
defaults from that guidance); the services that lead circles, set a diversion or close a case
call :func:`check_lead` and :func:`check_discipline`, so the GUI and the command line obey the
same rules. Every refusal leaves an audit line saying who tried.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.domain.enums import Attendance, CircleKind, PersonKind
from circlekeeper.core.i18n import N_, _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.problems import InvalidInput, NotFound, NotPermitted
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.store.models import Person, Setting

PREFIX = "mou."
MAX_STATEMENT = 1200

DEFAULT_ADMISSIONS_EN = (
    "What is said in this conference is not used by the officer for a citation or a charge. "
    "The officer is here to help repair the harm, not to investigate. One limit stays: a threat "
    "to someone's safety, or a sign of abuse, must be reported."
)
DEFAULT_ADMISSIONS_ES = (
    "Lo que se diga en esta reunión no se usará para una citación ni para presentar cargos. "
    "El o la oficial está aquí para ayudar a reparar el daño, no para investigar. Hay un "
    "límite: una amenaza a la seguridad de alguien, o una señal de abuso, se tiene que reportar."
)
# The defaults a school has not changed yet are shown in the interface's language (see
# ``defaults``); once saved they are the school's own words, kept as written.
DEFAULT_OFFICER_INFORMATION = N_(
    "Only what the officer needs to take part safely: the date, the place and who attends. "
    "No private notes and no demographic fields; education records shared with the officer "
    "stay education records and are not passed on."
)
DEFAULT_LAW_ENFORCEMENT_TYPES: tuple[str, ...] = (
    N_("weapons"),
    N_("drugs for sale"),
    N_("serious injury"),
    N_("credible threat"),
)


@dataclass(frozen=True)
class Mou:
    """What the school's MOU says, in the program's terms (defaults from federal guidance)."""

    # False: an officer only co-facilitates; a counselor or another staff member leads.
    sro_may_lead: bool = False
    # False: an officer takes no part in school discipline (diversion, consequences, closing).
    sro_in_discipline: bool = False
    # The incident types the MOU names as law-enforcement matters (in the school's words).
    law_enforcement_types: tuple[str, ...] = DEFAULT_LAW_ENFORCEMENT_TYPES
    # What the officer may be told, and when.
    officer_information: str = DEFAULT_OFFICER_INFORMATION
    # Whether what a student admits in a conference can be used for a citation or charge,
    # read at the opening of every conference an officer takes part in.
    admissions_en: str = DEFAULT_ADMISSIONS_EN
    admissions_es: str = DEFAULT_ADMISSIONS_ES

    def admissions(self, language: str = "en") -> str:
        """The admissions statement in ``language`` ("es" or English)."""
        return self.admissions_es if language.lower().startswith("es") else self.admissions_en


def _to_text(mou: Mou) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in fields(Mou):
        value = getattr(mou, f.name)
        if isinstance(value, bool):
            out[f.name] = "1" if value else "0"
        elif isinstance(value, tuple):
            out[f.name] = "\n".join(value)
        else:
            out[f.name] = str(value)
    return out


def defaults() -> Mou:
    """The MOU a school starts from, its texts in the interface's language.

    The admissions statement is written in both languages already; the officer's information
    and the law-enforcement matters are one text each, shown (and saved, when the school saves
    its MOU) in the language the person reads.
    """
    return Mou(
        officer_information=_(DEFAULT_OFFICER_INFORMATION),
        law_enforcement_types=tuple(_(kind) for kind in DEFAULT_LAW_ENFORCEMENT_TYPES),
    )


def _from_text(values: dict[str, str]) -> Mou:
    mou = defaults()
    changes: dict[str, object] = {}
    for f in fields(Mou):
        if f.name not in values:
            continue
        text = values[f.name]
        default = getattr(mou, f.name)
        if isinstance(default, bool):
            changes[f.name] = text == "1"
        elif isinstance(default, tuple):
            changes[f.name] = tuple(line for line in text.splitlines() if line.strip())
        else:
            changes[f.name] = text
    return replace(mou, **changes)  # type: ignore[arg-type]


def clean(mou: Mou) -> Mou:
    """``mou`` with spaces tidied; refused in plain words when a statement is missing or long."""
    types = tuple(
        dict.fromkeys(" ".join(t.split()) for t in mou.law_enforcement_types if t.strip())
    )
    if any(len(t) > 60 for t in types):
        raise InvalidInput(
            _("An incident type is too long (at most 60 characters). Nothing was saved.")
        )
    texts = {
        "officer_information": mou.officer_information.strip(),
        "admissions_en": mou.admissions_en.strip(),
        "admissions_es": mou.admissions_es.strip(),
    }
    if not texts["admissions_en"] or not texts["admissions_es"]:
        raise InvalidInput(
            _(
                "Say in English and in Spanish whether what a student admits in a conference can "
                "be "
                "used for a citation or charge: it is read at the opening when an officer takes "
                "part. "
                "Nothing was saved.",
            )
        )
    for text in texts.values():
        if len(text) > MAX_STATEMENT:
            raise InvalidInput(
                _(
                    "A statement is too long (at most {max_statement} characters); it must fit on "
                    "the "
                    "one-page summary. Nothing was saved.",
                    max_statement=MAX_STATEMENT,
                )
            )
    return replace(
        mou,
        law_enforcement_types=types,
        officer_information=texts["officer_information"],
        admissions_en=texts["admissions_en"],
        admissions_es=texts["admissions_es"],
    )


def load(context: Context | sessionmaker[Session]) -> Mou:
    """The school's MOU as recorded (the defaults for anything not yet recorded)."""
    with as_context(context).read() as session:
        return recorded_in(session)


def recorded_in(session: Session) -> Mou:
    """The MOU as recorded, read in a session already open (a page's read, an operation)."""
    rows = session.execute(
        select(Setting.key, Setting.value).where(Setting.key.startswith(PREFIX))
    ).all()
    return _from_text({key[len(PREFIX) :]: value for key, value in rows})


def who(viewer: Viewer | None, actor: str = "") -> str:
    """The name an audit line gives to the person acting (their profile name and role)."""
    name = (viewer.name if viewer is not None else "") or actor
    if viewer is not None and viewer.is_sro:
        return f"{name or 'unnamed profile'} (school resource officer)"
    return name


def _refuse(
    ctx: Context,
    message: str,
    *,
    attempted: str,
    entity: str,
    entity_uuid: str | None,
    actor: str,
) -> NotPermitted:
    """Write the audit line of a refusal in its own transaction and return the error to raise."""
    with ctx.write("refuse under the MOU") as session:
        audit.record(session, "mou_refused", entity, entity_uuid, actor=actor, attempted=attempted)
    return NotPermitted(message)


def save(context: Context | sessionmaker[Session], mou: Mou) -> Mou:
    """Record what the MOU says. Only a counselor or an administrator may; returns it tidied."""
    ctx = as_context(context)
    viewer = ctx.viewer()
    if viewer.is_sro:
        raise _refuse(
            ctx,
            "The MOU is recorded by a counselor or an administrator, not by a school resource "
            "officer's profile. Nothing was changed.",
            attempted="change the MOU",
            entity="settings",
            entity_uuid=None,
            actor=who(viewer, ctx.actor()),
        )
    tidy = clean(mou)
    values = {PREFIX + key: value for key, value in _to_text(tidy).items()}
    with ctx.write("record the MOU") as session:
        existing = {
            s.key: s for s in session.scalars(select(Setting).where(Setting.key.in_(values)))
        }
        changed = []
        for key, value in values.items():
            row = existing.get(key)
            if row is None:
                session.add(Setting(key=key, value=value))
                changed.append(key)
            elif row.value != value:
                row.value = value
                changed.append(key)
        if changed:
            audit.record(session, "update", "mou", None, keys=changed)
    return tidy


def takes_part_in_discipline(viewer: Viewer, recorded: Mou) -> bool:
    """Whether ``viewer`` may make school-discipline decisions (close or reopen a case, set
    its diversion): everyone but an SRO, and an SRO only where the MOU says so."""
    return not viewer.is_sro or recorded.sro_in_discipline


def check_discipline(
    context: Context | sessionmaker[Session],
    attempted: str,
    *,
    entity: str,
    entity_uuid: str | None,
) -> None:
    """Refuse a school-discipline decision (diversion, closing a case) to an SRO, per the MOU."""
    ctx = as_context(context)
    viewer = ctx.viewer()
    if not viewer.is_sro or takes_part_in_discipline(viewer, load(ctx)):
        return
    raise _refuse(
        ctx,
        f"By the school's MOU, a school resource officer takes no part in school discipline, "
        f"so this profile cannot {attempted}. Nothing was changed. Ask a counselor or an "
        "administrator to do it.",
        attempted=attempted,
        entity=entity,
        entity_uuid=entity_uuid,
        actor=who(viewer, ctx.actor()),
    )


def check_lead(
    context: Context | sessionmaker[Session],
    person_id: int | None,
    *,
    entity: str,
    entity_uuid: str | None,
    actor: str = "",
    viewer: Viewer | None = None,
) -> None:
    """Refuse making a school resource officer the lead facilitator where the MOU says so.

    ``actor`` and ``viewer`` are for a caller still without a context; otherwise both come
    from the context.
    """
    if person_id is None:
        return
    ctx = as_context(context)
    with ctx.read() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(
                _(
                    "The facilitator (person {person_id}) is not in this database.",
                    person_id=person_id,
                )
            )
        is_officer = person.kind == PersonKind.SRO.value
    if not is_officer or load(ctx).sro_may_lead:
        return
    raise _refuse(
        ctx,
        "By the school's MOU, a school resource officer co-facilitates but does not lead a "
        "circle or conference. Nothing was changed. Choose a counselor or another staff member "
        "as the facilitator, and add the officer as co-facilitator.",
        attempted="make a school resource officer the lead facilitator",
        entity=entity,
        entity_uuid=entity_uuid,
        actor=who(viewer or ctx.viewer_or_none(), actor or ctx.actor()),
    )


def officer_attends(session: Session, person_ids: list[int]) -> bool:
    """Whether any of these people is a school resource officer."""
    if not person_ids:
        return False
    found = session.scalar(
        select(Person.id)
        .where(Person.id.in_(person_ids), Person.kind == PersonKind.SRO.value)
        .limit(1)
    )
    return found is not None


def officers_among(rows: list[Any]) -> list[str]:
    """The names of the school resource officers in these participant rows (not the absent)."""
    return [
        r.name
        for r in rows
        if r.person_kind == PersonKind.SRO.value and r.attendance != Attendance.ABSENT.value
    ]


def opening_statement(
    context: Context | sessionmaker[Session], kind: str, rows: list[Any]
) -> dict[str, str]:
    """The MOU's admissions statement by language, for a conference an officer takes part in.

    Empty for a circle that is not a conference, or with no officer taking part.
    """
    if kind != CircleKind.CONFERENCE.value or not officers_among(rows):
        return {}
    recorded = load(context)
    return {"en": recorded.admissions_en, "es": recorded.admissions_es}


def officer_notice(rows: list[Any], recorded: Mou, kind: str) -> str | None:
    """What the readiness panel says when an officer attends (None when none does)."""
    names = officers_among(rows)
    if not names:
        return None
    lead = "may lead" if recorded.sro_may_lead else "co-facilitates and does not lead"
    discipline = (
        "takes part in discipline as the MOU sets out"
        if recorded.sro_in_discipline
        else "takes no part in discipline"
    )
    text = (
        f"A school resource officer attends ({', '.join(names)}). By the school's MOU the "
        f"officer {lead}, and {discipline}."
    )
    if kind == CircleKind.CONFERENCE.value:
        text += (
            " The conference opens by reading the school's statement on whether what is "
            "admitted can be used for a citation or charge."
        )
    return text
