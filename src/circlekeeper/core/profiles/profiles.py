"""Who is using circlekeeper: facilitator profiles, their PINs, and who may change them.

A profile is a name and a role (counselor, SRO, administrator) with an optional PIN that unlocks
the app lock when the database is not encrypted. A PIN is never stored: only a salted scrypt hash.

What each role may see lives in :mod:`circlekeeper.core.profiles.viewer`. This module keeps the
profile list honest, so nobody can give themselves more than their role:

- once any counselor or administrator has a PIN, every change to the profiles (adding, renaming,
  a role, a PIN, archiving) needs an :class:`Approval`, made only from a counselor's or an
  administrator's PIN;
- while a school resource officer's profile exists, every counselor and administrator profile
  has a PIN (so an approval is always possible and an SRO cannot take an unguarded profile);
- wrong PINs make the next try wait longer (the first is free, a typo; then 1 s, 2 s, 4 s ... at
  most 30 s), per profile; the count and the time are kept in the database, so restarting the
  program does not reset them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.problems import InvalidInput, NotFound, NotPermitted
from circlekeeper.core.profiles.pin_attempts import PinAttempts
from circlekeeper.core.profiles.viewer import ProfileRole, Viewer, same_name
from circlekeeper.core.store.models import Profile
from circlekeeper.core.store.types import utcnow

__all__ = [
    "Approval",
    "ProfileRole",
    "ProfileRow",
    "ProfileService",
    "Viewer",
    "check_pin",
    "hash_pin",
]

# The roles whose PIN approves changes to the profiles (an SRO's never does).
KEEPER_ROLES = frozenset({ProfileRole.COUNSELOR.value, ProfileRole.ADMINISTRATOR.value})

MAX_NAME_LENGTH = 200
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12
# scrypt cost: about 20 ms on an old laptop, 16 MiB of memory.
_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1


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

    @property
    def approves(self) -> bool:
        """Whether this profile's PIN can approve changes to the profiles."""
        return self.role in KEEPER_ROLES and self.has_pin and not self.archived


@dataclass(frozen=True)
class Approval:
    """A counselor's or an administrator's PIN was given for changes to the profiles.

    Made only by :meth:`ProfileService.approve` (an approval built by hand is refused); each
    change checks it again against the database, so an approval from a profile archived since
    then no longer counts.
    """

    profile_id: int
    name: str
    seal: object = field(default=None, repr=False, compare=False)


# Marks the approvals made by ProfileService.approve, so one built from a name alone is refused.
_SEAL = object()


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
        raise InvalidInput(_("Give the profile a name."))
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(_("That name is too long."))
    return name


def _clean_role(role: str) -> str:
    if role not in set(ProfileRole):
        raise InvalidInput(
            _(
                "Unknown role: {role}.",
                role=repr(role),
            )
        )
    return role


def clean_pin(pin: str) -> str:
    """The PIN without outer spaces, or refused in plain words if it is not 4 to 12 digits."""
    pin = pin.strip()
    if not (pin.isdigit() and PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS):
        raise InvalidInput(
            _(
                "A PIN is {pin_min_digits} to {pin_max_digits} digits, with no letters or spaces.",
                pin_min_digits=PIN_MIN_DIGITS,
                pin_max_digits=PIN_MAX_DIGITS,
            )
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
    """Create, rename and archive profiles; set and check their PINs (see the module's rules).

    ``clock`` gives the time (tests pass their own, so the growing wait after wrong PINs is
    tested without waiting).
    """

    def __init__(
        self,
        context: Context | sessionmaker[Session],
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.ctx = as_context(context)
        self._attempts = PinAttempts(clock or (lambda: utcnow()))

    # -- reading -----------------------------------------------------------------------------

    def list(self, *, include_archived: bool = False) -> list[ProfileRow]:
        query = select(Profile).order_by(Profile.name, Profile.id)
        if not include_archived:
            query = query.where(Profile.archived_at.is_(None))
        with self.ctx.read() as session:
            return [_row(p) for p in session.scalars(query)]

    def get(self, profile_id: int) -> ProfileRow:
        with self.ctx.read() as session:
            return _row(self._get(session, profile_id))

    def find(self, name: str) -> ProfileRow | None:
        """The active profile with this name (case and outer spaces ignored), or None."""
        return next((row for row in self.list() if same_name(row.name, name)), None)

    def approvers(self) -> tuple[ProfileRow, ...]:
        """The profiles whose PIN approves changes: active counselors and administrators."""
        return tuple(row for row in self.list() if row.approves)

    def approval_needed(self) -> bool:
        """Whether changes to the profiles need an :class:`Approval` (a keeper has a PIN)."""
        return bool(self.approvers())

    # -- PINs --------------------------------------------------------------------------------

    def verify_pin(self, profile_id: int, pin: str) -> bool:
        """Whether the PIN is this profile's (False if it has none or it is archived).

        After wrong PINs the next try must wait (see :mod:`pin_attempts`): a try too soon
        raises :class:`TryLater` without looking at the PIN. An empty PIN is not a try.
        """
        pin = pin.strip()
        with self.ctx.write("check a PIN") as session:
            profile = session.get(Profile, profile_id)
            if profile is None or profile.archived_at is not None or not profile.pin_hash:
                return False
            if not pin:
                return False
            self._attempts.check_wait(session, profile)
            right = check_pin(pin, profile.pin_hash)
            if right:
                self._attempts.succeeded(session, profile)
            else:
                self._attempts.failed(session, profile)
            return right

    def approve(self, profile_id: int, pin: str) -> Approval:
        """An approval for changes, from a counselor's or an administrator's own PIN."""
        row = self.get(profile_id)
        if not row.approves:
            raise NotPermitted(
                _(
                    "Only a counselor's or an administrator's PIN can approve changes to the "
                    "profiles. Nothing was changed.",
                )
            )
        if not self.verify_pin(profile_id, pin):
            raise NotPermitted(
                _(
                    "That is not {name}'s PIN. Nothing was changed.",
                    name=row.name,
                )
            )
        return Approval(row.id, row.name, _SEAL)

    def sign_in(self, name: str, pin: str | None) -> ProfileRow:
        """The profile named ``name`` once its PIN (if it has one) is given right."""
        row = self.find(name)
        if row is None:
            raise NotFound(
                _(
                    "There is no profile named {name} in this database. Use the name "
                    'shown in Settings under "Who uses circlekeeper".',
                    name=repr(name.strip()),
                )
            )
        if row.has_pin and not self.verify_pin(row.id, pin or ""):
            raise NotPermitted(
                _(
                    "That is not {name}'s PIN. Nothing was done.",
                    name=row.name,
                )
            )
        return row

    # -- changing ----------------------------------------------------------------------------

    def create(
        self,
        name: str,
        role: str = ProfileRole.COUNSELOR.value,
        pin: str | None = None,
        *,
        approval: Approval | None = None,
    ) -> ProfileRow:
        name, role = _clean_name(name), _clean_role(role)
        pin_hash = hash_pin(clean_pin(pin)) if pin else None
        with self.ctx.write("add a profile") as session:
            before = self._guard(session, approval)
            self._check_unique(session, name, None)
            profile = Profile(name=name, role=role, pin_hash=pin_hash)
            session.add(profile)
            session.flush()
            self._check_sro_rule(session, before)
            audit.record(session, "create", "profile", profile.uuid, actor=self._by(approval))
            return _row(profile)

    def update(
        self,
        profile_id: int,
        *,
        name: str | None = None,
        role: str | None = None,
        archived: bool | None = None,
        approval: Approval | None = None,
    ) -> ProfileRow:
        with self.ctx.write("change a profile") as session:
            profile = self._get(session, profile_id)
            changed: list[str] = []
            if name is not None:
                name = _clean_name(name)
                self._check_unique(session, name, profile_id)
                if name != profile.name:
                    changed.append("name")
            if role is not None and _clean_role(role) != profile.role:
                changed.append("role")
            if archived is not None and archived != (profile.archived_at is not None):
                changed.append("archived_at")
            if not changed:
                return _row(profile)
            before = self._guard(session, approval)
            if "name" in changed and name is not None:
                profile.name = name
            if "role" in changed and role is not None:
                profile.role = role
            if "archived_at" in changed:
                profile.archived_at = utcnow() if archived else None
            session.flush()
            self._check_sro_rule(session, before)
            audit.record(
                session, "update", "profile", profile.uuid, actor=self._by(approval), fields=changed
            )
            return _row(profile)

    def set_pin(
        self, profile_id: int, pin: str | None, *, approval: Approval | None = None
    ) -> None:
        """Set a new PIN, or remove it with ``None`` or an empty string."""
        pin_hash = hash_pin(clean_pin(pin)) if pin else None
        with self.ctx.write("set a PIN") as session:
            profile = self._get(session, profile_id)
            before = self._guard(session, approval)
            profile.pin_hash = pin_hash
            session.flush()
            self._check_sro_rule(session, before)
            self._attempts.succeeded(session, profile)  # a new PIN starts with no wrong tries
            action = "set_pin" if pin_hash else "remove_pin"
            audit.record(session, action, "profile", profile.uuid, actor=self._by(approval))

    # -- the rules ---------------------------------------------------------------------------

    def _by(self, approval: Approval | None) -> str:
        """Who made the change for the audit line: the actor, and who approved it if another."""
        actor = self.ctx.actor()
        if approval is None or same_name(approval.name, actor):
            return actor
        return f"{actor} (approved by {approval.name})" if actor else approval.name

    def _guard(self, session: Session, approval: Approval | None) -> set[tuple[str, int]]:
        """Refuse a change without a valid approval once one is needed; the SRO rule's state."""
        keepers = [p for p in _active(session) if _approves(p)]
        if keepers and (
            approval is None
            or approval.seal is not _SEAL
            or approval.profile_id not in {p.id for p in keepers}
        ):
            raise NotPermitted(
                _(
                    "Changing the profiles needs the PIN of a counselor or an administrator. "
                    "Nothing was changed. Ask one of them to give their PIN.",
                )
            )
        return _sro_problems(session)

    @staticmethod
    def _check_sro_rule(session: Session, before: set[tuple[str, int]]) -> None:
        """Refuse a change that leaves an SRO beside an unguarded counselor or administrator.

        Only problems the change makes count, so an older database that already breaks the rule
        can still be put right one step at a time.
        """
        new = sorted(_sro_problems(session) - before)
        if not new:
            return
        kind, profile_id = new[0]
        if kind == "no keeper":
            raise NotPermitted(
                _(
                    "Add a counselor or administrator profile with a PIN before a school resource "
                    "officer's profile: changes to the profiles are approved with that PIN. "
                    "Nothing was changed.",
                )
            )
        profile = session.get(Profile, profile_id)
        who = profile.name if profile is not None else "that profile"
        raise NotPermitted(
            _(
                "While a school resource officer has a profile, every counselor and administrator "
                "profile needs a PIN, so nobody can use a profile that sees more. Give {who} a PIN "
                "of {pin_min_digits} to {pin_max_digits} digits first. Nothing was changed.",
                who=who,
                pin_min_digits=PIN_MIN_DIGITS,
                pin_max_digits=PIN_MAX_DIGITS,
            )
        )

    @staticmethod
    def _get(session: Session, profile_id: int) -> Profile:
        profile = session.get(Profile, profile_id)
        if profile is None:
            raise NotFound(
                _(
                    "There is no profile with id {profile_id} in this database.",
                    profile_id=profile_id,
                )
            )
        return profile

    @staticmethod
    def _check_unique(session: Session, name: str, own_id: int | None) -> None:
        for other_id, other_name in session.execute(select(Profile.id, Profile.name)):
            if other_id != own_id and same_name(other_name, name):
                raise InvalidInput(
                    _(
                        "There is already a profile named {name}.",
                        name=name,
                    )
                )


def _active(session: Session) -> list[Profile]:
    return list(session.scalars(select(Profile).where(Profile.archived_at.is_(None))))


def _approves(profile: Profile) -> bool:
    return profile.role in KEEPER_ROLES and bool(profile.pin_hash)


def _sro_problems(session: Session) -> set[tuple[str, int]]:
    """What breaks the SRO rule now: keepers without a PIN, or no keeper with one at all."""
    active = _active(session)
    if not any(p.role == ProfileRole.SRO.value for p in active):
        return set()
    problems = {("no pin", p.id) for p in active if p.role in KEEPER_ROLES and not p.pin_hash}
    if not any(_approves(p) for p in active):
        problems.add(("no keeper", 0))
    return problems
