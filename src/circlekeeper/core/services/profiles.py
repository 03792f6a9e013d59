"""Who is using circlekeeper: facilitator profiles, their PINs, and what each role may see.

A profile is a name and a role (counselor, SRO, administrator) with an optional PIN that unlocks
the app lock when the database is not encrypted. A PIN is never stored: only a salted scrypt hash.

:class:`Viewer` holds the sharing rules. A private note is its author's memory aid and not an
education record, so only its author sees it; an SRO sees only what the school may share with
them: no private notes and no demographics.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.domain.enums import NotePrivacy
from circlekeeper.core.services import InvalidInput, NotFound, audit
from circlekeeper.core.store.models import Profile
from circlekeeper.core.store.types import utcnow

MAX_NAME_LENGTH = 200
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12
# scrypt cost: about 20 ms on an old laptop, 16 MiB of memory.
_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1


class ProfileRole(StrEnum):
    COUNSELOR = "counselor"
    SRO = "sro"
    ADMINISTRATOR = "administrator"


def _same_name(a: str | None, b: str | None) -> bool:
    return (a or "").strip().casefold() == (b or "").strip().casefold()


@dataclass(frozen=True)
class Viewer:
    """The person looking at the screen, and the rules for what they may see."""

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
        return _same_name(note_author, self.name)

    @property
    def can_see_demographics(self) -> bool:
        """Equity fields (gender, race, disability, ...) are not shared with an SRO."""
        return not self.is_sro

    @property
    def private_notes_author(self) -> str | None:
        """Whose private notes this viewer may find (their own), or None for none at all."""
        return None if self.is_sro else self.name


@dataclass(frozen=True)
class ProfileRow:
    id: int
    uuid: str
    name: str
    role: str
    has_pin: bool
    archived: bool

    @property
    def viewer(self) -> Viewer:
        return Viewer(self.name, self.role)


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of a PIN, as text: ``scrypt$<salt hex>$<hash hex>``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_pin(pin: str, stored: str | None) -> bool:
    """Whether ``pin`` matches a hash made by :func:`hash_pin` (False when none is stored)."""
    if not stored:
        return False
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
        salt, expected = bytes.fromhex(salt_hex), bytes.fromhex(digest_hex)
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return hmac.compare_digest(digest, expected)


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("Give the profile a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput("That name is too long.")
    return name


def _clean_role(role: str) -> str:
    if role not in set(ProfileRole):
        raise InvalidInput(f"Unknown role: {role!r}.")
    return role


def _clean_pin(pin: str) -> str:
    pin = pin.strip()
    if not (pin.isdigit() and PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS):
        raise InvalidInput(
            f"A PIN is {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits, with no letters or spaces."
        )
    return pin


def _row(profile: Profile) -> ProfileRow:
    return ProfileRow(
        id=profile.id,
        uuid=profile.uuid,
        name=profile.name,
        role=profile.role,
        has_pin=bool(profile.pin_hash),
        archived=profile.archived_at is not None,
    )


class ProfileService:
    """Create, rename and archive profiles; set and check their PINs."""

    def __init__(self, sessions: sessionmaker[Session], actor: str = "") -> None:
        self._sessions = sessions
        self.actor = actor

    def list(self, *, include_archived: bool = False) -> list[ProfileRow]:
        query = select(Profile).order_by(Profile.name, Profile.id)
        if not include_archived:
            query = query.where(Profile.archived_at.is_(None))
        with self._sessions() as session:
            return [_row(p) for p in session.scalars(query)]

    def get(self, profile_id: int) -> ProfileRow:
        with self._sessions() as session:
            return _row(self._get(session, profile_id))

    def create(
        self, name: str, role: str = ProfileRole.COUNSELOR.value, pin: str | None = None
    ) -> ProfileRow:
        name, role = _clean_name(name), _clean_role(role)
        pin_hash = hash_pin(_clean_pin(pin)) if pin else None
        with self._sessions.begin() as session:
            self._check_unique(session, name, None)
            profile = Profile(name=name, role=role, pin_hash=pin_hash)
            session.add(profile)
            session.flush()
            audit.record(session, "create", "profile", profile.uuid, actor=self.actor)
            return _row(profile)

    def update(
        self,
        profile_id: int,
        *,
        name: str | None = None,
        role: str | None = None,
        archived: bool | None = None,
    ) -> ProfileRow:
        with self._sessions.begin() as session:
            profile = self._get(session, profile_id)
            changed: list[str] = []
            if name is not None:
                name = _clean_name(name)
                self._check_unique(session, name, profile_id)
                if name != profile.name:
                    profile.name = name
                    changed.append("name")
            if role is not None and _clean_role(role) != profile.role:
                profile.role = role
                changed.append("role")
            if archived is not None and archived != (profile.archived_at is not None):
                profile.archived_at = utcnow() if archived else None
                changed.append("archived_at")
            if changed:
                audit.record(
                    session, "update", "profile", profile.uuid, actor=self.actor, fields=changed
                )
            return _row(profile)

    def set_pin(self, profile_id: int, pin: str | None) -> None:
        """Set a new PIN, or remove it with ``None`` or an empty string."""
        pin_hash = hash_pin(_clean_pin(pin)) if pin else None
        with self._sessions.begin() as session:
            profile = self._get(session, profile_id)
            profile.pin_hash = pin_hash
            action = "set_pin" if pin_hash else "remove_pin"
            audit.record(session, action, "profile", profile.uuid, actor=self.actor)

    def verify_pin(self, profile_id: int, pin: str) -> bool:
        """Whether the PIN is this profile's (False if it has none or it is archived)."""
        with self._sessions() as session:
            profile = session.get(Profile, profile_id)
            if profile is None or profile.archived_at is not None:
                return False
            stored = profile.pin_hash
        return check_pin(pin.strip(), stored)

    @staticmethod
    def _get(session: Session, profile_id: int) -> Profile:
        profile = session.get(Profile, profile_id)
        if profile is None:
            raise NotFound(f"There is no profile with id {profile_id} in this database.")
        return profile

    @staticmethod
    def _check_unique(session: Session, name: str, own_id: int | None) -> None:
        for other_id, other_name in session.execute(select(Profile.id, Profile.name)):
            if other_id != own_id and _same_name(other_name, name):
                raise InvalidInput(f"There is already a profile named {name}.")
