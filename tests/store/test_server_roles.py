"""The server itself keeps who may read what, for anyone with plain SQL (``psql``).

Each person signs in with their own PostgreSQL login role, a member of circlekeeper's counselor,
administrator or SRO group role, mapped to a profile in ``server_sign_in`` (migration 0012).
"""

from __future__ import annotations

import uuid

import pytest
from tests.pg_cluster import Cluster

from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.profiles.profiles import ProfileService
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.models import Circle, Note

DANA_PRIVATE = "Dana worries about the stepfather"
LEE_PRIVATE = "Lee heard about a fight at home"
RECORD = "Agreed to meet again on Friday"
UNSIGNED = "A private note without an author"


@pytest.fixture
def district(pg_cluster: Cluster, pg_url: str) -> dict[str, str]:
    """Two counselors' private notes, a note for the record, an SRO, each with a login role."""
    db = open_database(pg_url)
    try:
        people = PeopleService(Context(db.sessions, actor="test"))
        people.create(
            PersonData("José", "Núñez", kind="student", gender="M", race_ethnicity="Zapotec")
        )
        with db.sessions.begin() as session:
            circle = Circle(kind="check_in", title="Check-in")
            session.add(circle)
            session.flush()
            for text, privacy, author in (
                (DANA_PRIVATE, "private", "Dana Whitfield"),
                (LEE_PRIVATE, "private", "Lee Ortiz"),
                (RECORD, "record", "Dana Whitfield"),
                (UNSIGNED, "private", None),
            ):
                session.add(Note(circle_id=circle.id, text=text, privacy=privacy, author=author))
        profiles = ProfileService(db.sessions)
        dana = profiles.create("Dana Whitfield", pin="1111")
        approval = profiles.approve(dana.id, "1111")
        lee = profiles.create("Lee Ortiz", pin="3333", approval=approval)
        sam = profiles.create("Sam Reyes", "sro", pin="2222", approval=approval)
    finally:
        db.close()
    name = pg_url.rsplit("/", 1)[1]
    suffix = uuid.uuid4().hex[:8]
    logins = {}
    for who, group, profile_id in (
        ("dana", "circlekeeper_counselor", dana.id),
        ("lee", "circlekeeper_counselor", lee.id),
        ("sam", "circlekeeper_sro", sam.id),
    ):
        role = f"{who}_{suffix}"
        pg_cluster.sql(f"CREATE ROLE {role} LOGIN PASSWORD 'pw-{who}' IN ROLE {group}")
        pg_cluster.sql(
            f"INSERT INTO server_sign_in (role_name, profile_id) VALUES ('{role}', {profile_id})",
            name,
        )
        logins[who] = role
    logins["database"] = name
    return logins


def _psql(cluster: Cluster, district: dict[str, str], who: str, sql: str) -> tuple[int, str]:
    done = cluster.psql(sql, district["database"], district[who], f"pw-{who}")
    return done.returncode, done.stdout + done.stderr


def test_an_sro_role_reads_neither_private_notes_nor_demographics(
    pg_cluster: Cluster, district: dict[str, str]
) -> None:
    code, out = _psql(pg_cluster, district, "sam", "SELECT text FROM note ORDER BY id")
    assert code == 0, out
    assert out.split("\n")[0] == RECORD
    assert "stepfather" not in out and "fight" not in out and "without an author" not in out
    # Nor through the search index's copies of them
    code, out = _psql(pg_cluster, district, "sam", "SELECT body FROM search_index")
    assert code == 0, out
    assert RECORD in out and "stepfather" not in out and "fight" not in out
    # Demographic columns are refused; the rest of the roster is readable
    for column in ("gender", "race_ethnicity", "disability", "english_learner", "low_income"):
        code, out = _psql(pg_cluster, district, "sam", f"SELECT {column} FROM person")
        assert code != 0 and "permission denied" in out, (column, out)
    code, out = _psql(pg_cluster, district, "sam", "SELECT * FROM person")
    assert code != 0 and "permission denied" in out
    code, out = _psql(pg_cluster, district, "sam", "SELECT first_name, last_name FROM person")
    assert code == 0 and "José|Núñez" in out
    code, out = _psql(pg_cluster, district, "sam", "SELECT pin_hash FROM profile")
    assert code != 0 and "permission denied" in out


def test_a_private_note_is_read_only_by_its_authors_role(
    pg_cluster: Cluster, district: dict[str, str]
) -> None:
    code, dana = _psql(pg_cluster, district, "dana", "SELECT text FROM note")
    assert code == 0, dana
    assert DANA_PRIVATE in dana and RECORD in dana
    assert LEE_PRIVATE not in dana and UNSIGNED not in dana
    code, lee = _psql(pg_cluster, district, "lee", "SELECT text FROM note")
    assert code == 0, lee
    assert LEE_PRIVATE in lee and DANA_PRIVATE not in lee
    code, found = _psql(pg_cluster, district, "lee", "SELECT body FROM search_index")
    assert code == 0 and LEE_PRIVATE in found and DANA_PRIVATE not in found
    # A counselor can see demographics (equity reports)
    code, out = _psql(pg_cluster, district, "dana", "SELECT race_ethnicity FROM person")
    assert code == 0 and "Zapotec" in out


def test_no_role_may_change_the_audit_trail(pg_cluster: Cluster, district: dict[str, str]) -> None:
    for who in ("dana", "sam"):
        for sql in (
            "UPDATE audit_event SET actor = 'x'",
            "DELETE FROM audit_event",
            "TRUNCATE audit_event",
        ):
            code, out = _psql(pg_cluster, district, who, sql)
            assert code != 0 and "permission denied" in out, (who, sql, out)
    # Writing a new line is how the app works, so a counselor may add one
    code, out = _psql(
        pg_cluster,
        district,
        "dana",
        "INSERT INTO audit_event (uuid, at, actor, action, entity, detail) "
        "VALUES (gen_random_uuid()::text, now(), 'Dana Whitfield', 'test', 'case', '{}')",
    )
    assert code == 0, out


def test_the_word_list_of_a_private_note_follows_the_note(
    pg_cluster: Cluster, district: dict[str, str]
) -> None:
    # Ctrl+K's word list on a server (migration 0022) holds every word of every document:
    # an SRO role reads no word of a private note through it, a counselor only her own
    sql = "SELECT string_agg(word, ' ' ORDER BY word) FROM search_word WHERE kind LIKE '%note'"
    code, sam = _psql(pg_cluster, district, "sam", sql)
    assert code == 0, sam
    assert "friday" in sam and "stepfather" not in sam and "fight" not in sam
    code, lee = _psql(pg_cluster, district, "lee", sql)
    assert code == 0 and "fight" in lee and "stepfather" not in lee, lee
    # A counselor's own role writes a note: the triggers keep the index and the list with it
    code, out = _psql(
        pg_cluster,
        district,
        "dana",
        "INSERT INTO note (uuid, created_at, updated_at, circle_id, text, privacy, author) "
        "SELECT 'n-dana', now(), now(), id, 'Quetzalli left early', 'private', "
        "'Dana Whitfield' FROM circle LIMIT 1",
    )
    assert code == 0, out
    code, dana = _psql(pg_cluster, district, "dana", sql)
    assert code == 0 and "quetzalli" in dana, dana
    code, sam = _psql(pg_cluster, district, "sam", sql)
    assert code == 0 and "quetzalli" not in sam, sam


def test_deleting_a_circle_takes_every_note_out_of_the_search_lists(
    pg_cluster: Cluster, district: dict[str, str]
) -> None:
    # A counselor's role deletes a circle: its notes go with it, the other counselor's private
    # one and the unsigned one too. Their copies in the search index and its word list must go
    # as well, though that role may not read them (row-level security hid them from the
    # triggers' deletes, and their text stayed on the server).
    code, out = _psql(pg_cluster, district, "lee", "DELETE FROM circle")
    assert code == 0, out
    database = district["database"]
    assert pg_cluster.sql("SELECT count(*) FROM note", database) == [(0,)]
    left = pg_cluster.sql("SELECT kind, body FROM search_index WHERE kind <> 'person'", database)
    assert left == [], left
    words = pg_cluster.sql("SELECT kind, word FROM search_word WHERE kind <> 'person'", database)
    assert words == [], words
