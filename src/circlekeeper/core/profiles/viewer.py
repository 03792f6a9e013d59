"""Who is looking, and what they may see: the one place the school's sharing rules live.

A private note is its author's memory aid and not an education record, so only its author sees
it, and never a school resource officer. By the school's agreement with the police (the MOU) an
SRO sees no demographic (equity) fields and gets only the copy of an agreement made for
sharing. Every read that returns notes, people or agreement exports takes a :class:`Viewer` and
filters here, so the GUI, the command line and every export obey the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.domain.enums import NotePrivacy
from circlekeeper.core.i18n import _
from circlekeeper.core.problems import NotPermitted

SCHOOL_COPY = "school"
SHARING_COPY = "sharing"

# The equity fields of a person (``PersonData`` / ``Person``): never shown to an SRO.
DEMOGRAPHIC_FIELDS: tuple[str, ...] = (
    "gender",
    "race_ethnicity",
    "disability",
    "english_learner",
    "low_income",
)


class ProfileRole(StrEnum):
    COUNSELOR = "counselor"
    SRO = "sro"
    ADMINISTRATOR = "administrator"


def same_name(a: str | None, b: str | None) -> bool:
    """Whether two names are the same person's (spaces at the ends and case ignored)."""
    return (a or "").strip().casefold() == (b or "").strip().casefold()


class _NoteLike(Protocol):
    @property
    def privacy(self) -> str: ...

    @property
    def author(self) -> str | None: ...


N = TypeVar("N", bound=_NoteLike)
T = TypeVar("T")


@dataclass(frozen=True)
class Viewer:
    """The person looking at the screen or running a command, and the rules for what they see."""

    name: str = ""
    role: str = ProfileRole.COUNSELOR.value
    # True for the single user of an installation without profiles: private notes kept before
    # anyone's name was recorded are theirs.
    sees_unattributed: bool = False

    @property
    def is_sro(self) -> bool:
        return self.role == ProfileRole.SRO.value

    def can_see_note(self, note_privacy: str, note_author: str | None) -> bool:
        """Record notes: everyone. Private notes: only their author, and never an SRO."""
        if note_privacy != NotePrivacy.PRIVATE.value:
            return True
        if self.is_sro:
            return False
        if not (note_author or "").strip():
            return self.sees_unattributed
        return same_name(note_author, self.name)

    def visible_notes(self, notes: Iterable[N]) -> list[N]:
        """The notes (anything with ``privacy`` and ``author``) this viewer may see, in order."""
        return [n for n in notes if self.can_see_note(n.privacy, n.author)]

    @property
    def can_see_demographics(self) -> bool:
        """Equity fields (gender, race, disability, ...) are not shared with an SRO."""
        return not self.is_sro

    def without_demographics(self, data: T) -> T:
        """``data`` (a dataclass with the equity fields) as this viewer may see it."""
        if self.can_see_demographics:
            return data
        return replace(data, **dict.fromkeys(DEMOGRAPHIC_FIELDS))  # type: ignore[type-var]

    @property
    def private_notes_author(self) -> str | None:
        """Whose private notes this viewer may find (their own), or None for none at all."""
        return None if self.is_sro else self.name

    def can_see_hand_off_detail(self, handed_to: str) -> bool:
        """What was shared in a hand-off (and the threat behind it): an SRO only sees it for a
        hand-off to the police; the others (BTAM, Title IX, child protection, mental health)
        stay with school staff. Everyone sees that a hand-off happened, to whom and when."""
        return not self.is_sro or handed_to == "police"

    @property
    def can_see_screen_details(self) -> bool:
        """The eligibility screen's notes and its Title IX and child-protection answers stay
        with school staff; an SRO sees only whether the case may go to a conference."""
        return not self.is_sro

    @property
    def can_see_disclosures(self) -> bool:
        """A student's record of disclosures is kept for the student and family by school
        staff; an SRO does not read it."""
        return not self.is_sro

    @property
    def can_keep_records(self) -> bool:
        """Setting how long records are kept and removing old ones is the school's own work
        (a counselor's or an administrator's); an SRO does neither."""
        return not self.is_sro

    def check_keeps_records(self) -> None:
        """Refuse, in plain words, the record-keeping work an SRO does not do."""
        if not self.can_keep_records:
            raise NotPermitted(
                _(
                    "Only a counselor or an administrator can set how long records are kept or "
                    "remove old records; a school resource officer's profile cannot. Nothing was "
                    "changed. Ask a counselor or an administrator to do it.",
                )
            )

    def check_closes_lapsed(self) -> None:
        """Refuse closing follow-ups in bulk to an SRO: reviewing the school's follow-ups is
        the school's own record-keeping."""
        if not self.can_keep_records:
            raise NotPermitted(
                _(
                    "Only a counselor or an administrator can close follow-ups as lapsed; a "
                    "school resource officer's profile cannot. Nothing was changed."
                )
            )

    @property
    def can_write_family_letter(self) -> bool:
        """A letter to a student's family comes from the counseling office, not from an SRO."""
        return not self.is_sro

    def check_writes_family_letter(self) -> None:
        """Refuse, in plain words, a family letter from an SRO's profile."""
        if not self.can_write_family_letter:
            raise NotPermitted(
                _(
                    "A letter to a family comes from the counseling office; a school resource "
                    "officer's profile cannot write one. Nothing was written. Ask a counselor.",
                )
            )

    def check_writes_consent_form(self) -> None:
        """Refuse, in plain words, a consent form from an SRO's profile: like the family
        letter (:attr:`can_write_family_letter`, the one rule), it goes to a student's family
        from the counseling office."""
        if not self.can_write_family_letter:
            raise NotPermitted(
                _(
                    "A consent form goes to a family from the counseling office; a school "
                    "resource officer's profile cannot print one. Nothing was written. Ask a "
                    "counselor."
                )
            )

    def check_merges(self) -> None:
        """Refuse, in plain words, merging another laptop's records (the school's own record
        keeping, like retention: a counselor's or an administrator's work)."""
        if not self.can_keep_records:
            raise NotPermitted(
                _(
                    "Only a counselor or an administrator can merge another "
                    "laptop's records; a school resource officer's profile "
                    "cannot. Nothing was changed. Ask a counselor or an "
                    "administrator to do it."
                )
            )

    @property
    def audiences(self) -> tuple[str, ...]:
        """The copies of an agreement this viewer may export: an SRO gets the sharing copy only."""
        return (SHARING_COPY,) if self.is_sro else (SCHOOL_COPY, SHARING_COPY)

    def export_audience(self, wanted: str) -> str:
        """``wanted`` if this viewer may have that copy; refused in plain words otherwise."""
        if wanted not in self.audiences:
            raise NotPermitted(
                _(
                    "A school resource officer's profile can export only the copy for sharing "
                    "(no private notes, no demographic fields, marked as an education record). "
                    "Nothing was written. Choose the copy for sharing (--sharing on the command "
                    "line), or ask a counselor for the school's copy.",
                )
            )
        return wanted


# Whoever has not said who they are, where profiles exist: no more than an SRO may see.
NOBODY = Viewer("", ProfileRole.SRO.value)


def default_viewer(sessions: sessionmaker[Session]) -> Viewer:
    """The viewer of an installation without profiles: the facilitator named in Settings."""
    from circlekeeper.core.settings.settings import SettingsService

    name = SettingsService(sessions).load().facilitator_name
    return Viewer(name, ProfileRole.COUNSELOR.value, sees_unattributed=True)


def viewer_before_sign_in(sessions: sessionmaker[Session]) -> Viewer:
    """Whom to show records to when no profile was chosen (a screen with no window behind it).

    Without profiles, the one user (the facilitator named in Settings); once profiles exist,
    :data:`NOBODY`: nobody sees more than an SRO may without saying who they are.
    """
    from sqlalchemy import select

    from circlekeeper.core.store.models import Profile

    with sessions() as session:
        has_profiles = session.scalar(
            select(Profile.id).where(Profile.archived_at.is_(None)).limit(1)
        )
    return NOBODY if has_profiles is not None else default_viewer(sessions)
