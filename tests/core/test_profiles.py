"""Who is using it: profiles, PINs, and what each role may see."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from circlekeeper.core.circles.summary import CircleSummaryService
from circlekeeper.core.operations import Context
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.profiles.profiles import ProfileService, Viewer, check_pin, hash_pin
from circlekeeper.core.search.search import search
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import AuditEvent, Case, Circle, Note, Profile


def test_create_list_rename_and_archive(db: Database) -> None:
    profiles = ProfileService(Context(db.sessions, actor="Dana"))
    dana = profiles.create("  Dana   Whitfield ", "counselor", pin="1111")
    ok = profiles.approve(dana.id, "1111")
    sam = profiles.create("Sam Reyes", "sro", pin="4321", approval=ok)
    assert dana.name == "Dana Whitfield" and dana.has_pin
    assert sam.has_pin and sam.viewer == Viewer("Sam Reyes", "sro")
    assert [p.name for p in profiles.list()] == ["Dana Whitfield", "Sam Reyes"]
    renamed = profiles.update(dana.id, name="Dana W.", role="administrator", approval=ok)
    assert (renamed.name, renamed.role) == ("Dana W.", "administrator")
    profiles.update(sam.id, archived=True, approval=ok)
    assert [p.name for p in profiles.list()] == ["Dana W."]
    assert len(profiles.list(include_archived=True)) == 2
    assert not profiles.verify_pin(sam.id, "4321")  # an archived profile cannot unlock


def test_bad_input_is_refused_in_plain_words(db: Database) -> None:
    profiles = ProfileService(db.sessions)
    profiles.create("Dana")
    with pytest.raises(InvalidInput, match="already a profile"):
        profiles.create("dana ")
    with pytest.raises(InvalidInput, match="name"):
        profiles.create("   ")
    with pytest.raises(InvalidInput, match="role"):
        profiles.create("Sam", "janitor")
    with pytest.raises(InvalidInput, match="digits"):
        profiles.create("Sam", pin="12a4")
    with pytest.raises(InvalidInput, match="digits"):
        profiles.create("Sam", pin="123")
    with pytest.raises(NotFound):
        profiles.set_pin(999, "1234")
    assert profiles.find(" DANA") is not None and profiles.find("Dan") is None


def test_pins_are_salted_hashes_and_checked(db: Database) -> None:
    # Eight digits, so the PIN cannot turn up by chance inside the hex of its own hash.
    pin = "24681357"
    profiles = ProfileService(db.sessions)
    dana = profiles.create("Dana")
    assert not profiles.verify_pin(dana.id, "")  # no PIN set: nothing unlocks
    profiles.set_pin(dana.id, pin)
    assert profiles.verify_pin(dana.id, pin)
    assert not profiles.verify_pin(dana.id, "24681358")  # the first wrong PIN is free (a typo)
    assert not profiles.verify_pin(999, pin)
    with db.sessions() as session:
        stored = session.scalar(select(Profile.pin_hash).where(Profile.id == dana.id))
        details = " ".join(session.scalars(select(AuditEvent.detail)))
    assert stored is not None and pin not in stored and stored.startswith("scrypt$")
    assert pin not in details and stored not in details  # the audit trail keeps no PIN
    assert hash_pin(pin) != hash_pin(pin)  # a fresh salt each time
    assert not check_pin(pin, "garbage") and not check_pin(pin, None)
    profiles.set_pin(dana.id, None, approval=profiles.approve(dana.id, pin))
    assert not profiles.get(dana.id).has_pin and not profiles.verify_pin(dana.id, pin)


def test_viewer_rules() -> None:
    dana, alex = Viewer("Dana", "counselor"), Viewer("Alex", "counselor")
    sam, boss = Viewer("Sam", "sro"), Viewer("Pat", "administrator")
    assert all(v.can_see_note("record", "Dana") for v in (dana, alex, sam, boss))
    assert dana.can_see_note("private", "dana ")
    assert not alex.can_see_note("private", "Dana")
    assert not boss.can_see_note("private", "Dana")
    assert not sam.can_see_note("private", "Sam")  # an SRO never sees private notes
    assert not dana.can_see_note("private", None)
    assert Viewer("Dana", sees_unattributed=True).can_see_note("private", None)
    assert not Viewer("Sam", "sro", sees_unattributed=True).can_see_note("private", None)
    assert dana.can_see_demographics and boss.can_see_demographics
    assert not sam.can_see_demographics
    assert sam.private_notes_author is None and dana.private_notes_author == "Dana"


def _circle_with_notes(db: Database) -> int:
    with db.sessions.begin() as session:
        case = Case(referred_on=date(2026, 3, 1), incident_category="Vandalism")
        session.add(case)
        session.flush()
        circle = Circle(kind="conference", title="Bleacher repair", case_id=case.id)
        session.add(circle)
        session.flush()
        session.add_all(
            [
                Note(circle_id=circle.id, text="Dana worried tomato", author="Dana"),
                Note(circle_id=circle.id, text="Alex worried tomato", author="Alex"),
                Note(circle_id=circle.id, text="Shared tomato", privacy="record", author="Dana"),
            ]
        )
        return circle.id


def test_search_and_summary_show_private_notes_to_their_author_only(db: Database) -> None:
    circle_id = _circle_with_notes(db)

    def found(viewer: Viewer) -> set[str]:
        hits = search(Context(db.sessions, viewer=viewer), "tomato", kinds=["note"])
        return {h.snippet.split()[0] for h in hits}

    assert found(Viewer("Dana")) == {"Dana", "Shared"}
    assert found(Viewer("alex")) == {"Alex", "Shared"}
    assert found(Viewer("Sam", "sro")) == {"Shared"}
    summaries = CircleSummaryService(db.sessions)
    dana = CircleSummaryService(Context(db.sessions, viewer=Viewer("Dana")))
    texts = [n.text for n in dana.view(circle_id).notes]
    assert texts == ["Dana worried tomato", "Shared tomato"]
    assert [n.text for n in summaries.view(circle_id).notes] == ["Shared tomato"]
