"""Each person's own role on a district's server: who they are is who the database says.

On a server every person signs in with their own PostgreSQL login role, a member of one of
circlekeeper's group roles (migration 0014) and mapped in ``server_sign_in`` to the profile it
acts as. The server checked their password, so the app takes the profile from the connection
itself: the URL's user is the person. The role that owns the database (the district's IT, who
runs the migrations) is no one's profile and keeps the usual profiles of Settings.

A role in no circlekeeper group, or in none matching its profile, is refused in plain words
before anything is read.
"""

from __future__ import annotations

import re

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.i18n import _
from circlekeeper.core.problems import InvalidInput, NotFound, NotPermitted
from circlekeeper.core.profiles.viewer import ProfileRole, Viewer, same_name
from circlekeeper.core.store.models import Profile

GROUPS: dict[str, str] = {
    ProfileRole.COUNSELOR.value: "circlekeeper_counselor",
    ProfileRole.ADMINISTRATOR.value: "circlekeeper_administrator",
    ProfileRole.SRO.value: "circlekeeper_sro",
}
# A login role's name as IT types it: plain lower-case letters, digits and underscores.
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

_MEMBER_OF = text(
    "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
    "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = current_user"
)
_KEEPER = text(
    "SELECT r.rolsuper OR pg_has_role(current_user, d.datdba, 'MEMBER') "
    "FROM pg_roles r, pg_database d "
    "WHERE r.rolname = current_user AND d.datname = current_database()"
)


def is_server(sessions: sessionmaker[Session]) -> bool:
    """Whether these sessions are a district's server (PostgreSQL), not a file."""
    bind = sessions.kw.get("bind")
    return bind is not None and bind.dialect.name == "postgresql"


def _refused(head: str, role: str) -> NotPermitted:
    """``head`` (already in the reader's language) and what to ask IT for."""
    ask = _(
        "Nothing was read or changed. Ask the district's IT to run: circlekeeper db roles "
        "add {role} --as 'YOUR NAME' (with the server's URL).",
        role=role,
    )
    return NotPermitted(" ".join((head, ask)))


def server_viewer(sessions: sessionmaker[Session]) -> Viewer | None:
    """The viewer a server connection signs in as (None: a file, or the database's owner).

    Raises NotPermitted for a role in no circlekeeper group, not mapped to a profile, or mapped
    to a profile of another kind than its group.
    """
    signed_in = server_sign_in(sessions)
    return signed_in[0] if signed_in is not None else None


def server_sign_in(sessions: sessionmaker[Session]) -> tuple[Viewer, int] | None:
    """The viewer and profile id a server connection signs in as: see :func:`server_viewer`."""
    if not is_server(sessions):
        return None
    with sessions() as session:
        if session.scalar(_KEEPER):
            return None
        role = str(session.scalar(text("SELECT current_user")))
        groups = {str(g) for g in session.scalars(_MEMBER_OF)} & set(GROUPS.values())
        if not groups:
            raise _refused(
                _(
                    "The server role {role} is in none of circlekeeper's groups (counselor, "
                    "administrator, SRO), so it may not open circlekeeper's records.",
                    role=role,
                ),
                role,
            )
        # Only the columns every group may read (an SRO role may not read the PIN hashes).
        found = session.execute(
            text(
                "SELECT p.name, p.role, p.id FROM server_sign_in s"
                " JOIN profile p ON p.id = s.profile_id"
                " WHERE s.role_name = current_user AND p.archived_at IS NULL"
            )
        ).first()
    if found is None:
        raise _refused(
            _(
                "The server role {role} is not linked to anyone's profile, so it may not open "
                "circlekeeper's records.",
                role=role,
            ),
            role,
        )
    name, kind = str(found[0]), str(found[1])
    if GROUPS.get(kind) not in groups:
        raise _refused(
            _(
                "The server role {role} is not in the group its profile ({name}, {kind}) needs, "
                "so it may not open circlekeeper's records.",
                role=role,
                name=name,
                kind=kind,
            ),
            role,
        )
    return Viewer(name, kind), int(found[2])


def add_person_role(
    sessions: sessionmaker[Session], login: str, profile_name: str, password: str | None
) -> str:
    """Make (or bring up to date) ``login``: a login role in the group of ``profile_name``'s
    kind, linked to that profile. Run by the database's owner. Returns the group's name."""
    if not ROLE_NAME.match(login):
        raise InvalidInput(
            _(
                "{login} is not a plain role name: use lower-case letters, digits and "
                "underscores, starting with a letter (for example dana_whitfield).",
                login=repr(login),
            )
        )
    if login in GROUPS.values():
        raise InvalidInput(
            _(
                "{login} is one of circlekeeper's groups, not a person's role.",
                login=login,
            )
        )
    with sessions.begin() as session:
        if not session.scalar(_KEEPER):
            raise NotPermitted(
                _(
                    "Only the database's owner (the role that runs circlekeeper db upgrade) may "
                    "add people's roles. Nothing was changed.",
                )
            )
        profile = next(
            (
                p
                for p in session.scalars(select(Profile).where(Profile.archived_at.is_(None)))
                if same_name(p.name, profile_name)
            ),
            None,
        )
        if profile is None:
            raise NotFound(
                _(
                    "There is no profile called {profile_name}. Add the person in Settings, "
                    "under 'Who uses circlekeeper', then run this again. Nothing was changed.",
                    profile_name=repr(profile_name),
                )
            )
        group = GROUPS[profile.role]
        exists = session.scalar(
            text("SELECT count(*) FROM pg_roles WHERE rolname = :r"), {"r": login}
        )
        secret = (
            " PASSWORD " + str(session.scalar(text("SELECT quote_literal(:p)"), {"p": password}))
            if password
            else ""
        )
        if exists:
            session.execute(text(f"ALTER ROLE {login} LOGIN{secret}"))
            for other in GROUPS.values():
                if other != group:
                    session.execute(text(f"REVOKE {other} FROM {login}"))
        else:
            session.execute(text(f"CREATE ROLE {login} LOGIN{secret}"))
        session.execute(text(f"GRANT {group} TO {login}"))
        session.execute(
            text(
                "INSERT INTO server_sign_in (role_name, profile_id) VALUES (:r, :p) "
                "ON CONFLICT (role_name) DO UPDATE SET profile_id = excluded.profile_id"
            ),
            {"r": login, "p": profile.id},
        )
        return group
