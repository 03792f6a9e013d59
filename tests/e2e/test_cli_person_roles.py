"""Each person signs in to a district's server with their own role (``db roles add``).

The server's own rules (migration 0014) and the app's rules (core/profiles/viewer.py) agree:
an SRO's role reads no private note and no demographic, through the app's own reads too, and
a role that belongs to no circlekeeper group is refused in plain words.
"""

from __future__ import annotations

import uuid

import pytest
from tests.pg_cluster import Cluster

from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.problems import NotPermitted
from circlekeeper.core.profiles.profiles import ProfileService
from circlekeeper.core.search.search import everywhere
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.models import Circle, Note
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.core.store.server_roles import server_viewer

PRIVATE = "Dana worries about the stepfather"


@pytest.fixture
def district(pg_cluster: Cluster, pg_url: str) -> dict[str, object]:
    db = open_database(pg_url)
    try:
        person = PeopleService(Context(db.sessions, actor="test")).create(
            PersonData("José", "Núñez", gender="Male", race_ethnicity="Zapotec")
        )
        with db.sessions.begin() as session:
            circle = Circle(kind="check_in", title="Check-in")
            session.add(circle)
            session.flush()
            session.add(
                Note(circle_id=circle.id, text=PRIVATE, privacy="private", author="Dana Whitfield")
            )
        profiles = ProfileService(db.sessions)
        dana = profiles.create("Dana Whitfield", pin="1111")
        approval = profiles.approve(dana.id, "1111")
        profiles.create("Sam Reyes", "sro", pin="2222", approval=approval)
    finally:
        db.close()
    suffix = uuid.uuid4().hex[:8]
    return {
        "owner": pg_url,
        "database": pg_url.rsplit("/", 1)[1],
        "dana": f"dana_{suffix}",
        "sam": f"sam_{suffix}",
        "stray": f"stray_{suffix}",
        "person": person.id,
    }


def _url(cluster: Cluster, district: dict[str, object], who: str) -> str:
    return cluster.url(str(district["database"]), str(district[who]), f"pw-{who}")


def test_each_person_signs_in_as_their_own_profile_and_an_sro_sees_no_private_words(
    run_cli, pg_cluster: Cluster, district: dict[str, object]
) -> None:
    # Given IT adds a role for a counselor and one for the school's officer
    for who, name in (("dana", "Dana Whitfield"), ("sam", "Sam Reyes")):
        done = run_cli(
            "db", "roles", "add", str(district[who]), "--as", name,
            "--database", str(district["owner"]), CIRCLEKEEPER_ROLE_PASSWORD=f"pw-{who}",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert str(district[who]) in done.stdout
    # When each searches with their own URL, no profile or PIN asked: the server knows them
    dana = run_cli("search", "stepfather", "--database", _url(pg_cluster, district, "dana"))
    sam = run_cli("search", "stepfather", "--database", _url(pg_cluster, district, "sam"))
    # Then the counselor finds her private note, the officer does not
    assert dana.returncode == 0, dana.stderr
    assert "private note" in dana.stdout
    assert sam.returncode == 0, sam.stderr
    assert "Nothing found" in sam.stdout and "worries" not in sam.stdout
    # ...and the officer's role, through the app's own reads, gets no demographic either:
    # the app leaves them out, or the server refuses in plain words; never a crash
    db = open_database(_url(pg_cluster, district, "sam"))
    try:
        viewer = server_viewer(db.sessions)
        assert viewer is not None and viewer.name == "Sam Reyes" and viewer.is_sro
        # (the window's sign-in asks no one: it is the same profile)
        from circlekeeper.ui.profiles import choose_profile

        assert choose_profile(db, None, interactive=False)[0] == viewer
        ctx = Context(db.sessions, actor=viewer.name, viewer=viewer)
        assert everywhere(ctx, "Zapotec") == []
        try:
            details = PeopleService(ctx).details(int(district["person"]))  # type: ignore[call-overload]
        except DatabaseProblem as refused:
            assert "Traceback" not in str(refused) and str(refused)
        else:
            assert details.data.race_ethnicity is None and details.data.gender is None
    finally:
        db.close()


def test_a_role_in_no_circlekeeper_group_is_refused_in_plain_words(
    run_cli, pg_cluster: Cluster, district: dict[str, object]
) -> None:
    # Given a login role someone made by hand, in no circlekeeper group
    stray = str(district["stray"])
    pg_cluster.sql(f"CREATE ROLE {stray} LOGIN PASSWORD 'pw-stray'")
    # (able to read the tables, so only circlekeeper's own check stands in its way)
    pg_cluster.sql(
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {stray}", str(district["database"])
    )
    # When it runs a command on the database
    done = run_cli("search", "nunez", "--database", _url(pg_cluster, district, "stray"))
    # Then it is refused with what to do, and nothing is shown
    assert done.returncode == 2
    assert "none of circlekeeper's groups" in done.stderr
    assert "db roles add" in done.stderr and "Traceback" not in done.stderr
    assert "Núñez" not in done.stdout
    # ...and the app's own sign-in refuses it the same way
    db = open_database(_url(pg_cluster, district, "stray"))
    try:
        with pytest.raises(NotPermitted, match="none of circlekeeper's groups"):
            server_viewer(db.sessions)
    finally:
        db.close()
