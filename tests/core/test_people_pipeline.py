"""The people, profiles, settings, roster and retention writes run through the operation
pipeline: each audit line names the context's actor; reads filter for the context's viewer."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from circlekeeper.core.audit import audit
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.problems import NotPermitted
from circlekeeper.core.profiles.profiles import ProfileService
from circlekeeper.core.profiles.viewer import DEMOGRAPHIC_FIELDS, Viewer
from circlekeeper.core.retention.retention import apply_retention, set_retention_years
from circlekeeper.core.roster.commands import import_roster
from circlekeeper.core.roster.reading import read_roster
from circlekeeper.core.settings.settings import SchoolSettings, SettingsService, set_lock_minutes
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import AuditEvent

RIVERA = Viewer("Ms Rivera", "counselor")
SAM = Viewer("Sam Reyes", "sro")


def _actors(db: Database) -> dict[tuple[str, str], set[str]]:
    with db.sessions() as session:
        rows = session.execute(select(AuditEvent.action, AuditEvent.entity, AuditEvent.actor))
        found: dict[tuple[str, str], set[str]] = {}
        for action, entity, actor in rows:
            found.setdefault((action, entity), set()).add(actor)
        return found


def test_every_people_write_names_the_actor(db: Database, tmp_path: Path) -> None:
    # Given a context whose actor is Ms Rivera
    as_rivera = Context(db.sessions, actor="Ms Rivera", viewer=RIVERA)
    people = PeopleService(as_rivera)
    # When she adds, edits, links, unlinks, archives and restores people
    ana = people.create(PersonData("Ana", "Ruiz", grade="7"))
    mum = people.create(PersonData("Rosa", "Ruiz", kind="guardian"))
    people.update(ana.id, replace(people.details(ana.id).data, grade="8"))
    people.link_guardian(ana.id, mum.id, "mother")
    people.unlink_guardian(people.details(ana.id).guardians[0].link_id)
    people.set_archived(ana.id, True)
    people.set_archived(ana.id, False)
    # ... imports a roster, saves settings, sets the lock and the retention rule
    roster = tmp_path / "roster.csv"
    roster.write_text("Student ID,First Name,Last Name\n9001,Leo,Park\n", encoding="utf-8")
    import_roster(as_rivera, read_roster(roster))
    SettingsService(as_rivera).save(SchoolSettings(school_name="Lincoln Middle"))
    set_lock_minutes(as_rivera, 5)
    set_retention_years(as_rivera, 6)
    apply_retention(as_rivera, 6, date(2026, 3, 10), wipe=False)
    ProfileService(as_rivera).create("Dana Whitfield")
    # Then every audit line names her, and the operation said what it changed
    actors = _actors(db)
    for key in (
        ("create", "person"),
        ("update", "person"),
        ("link_guardian", "person"),
        ("unlink_guardian", "person"),
        ("archive", "person"),
        ("restore", "person"),
        ("import", "roster"),
        ("update", "settings"),
        ("retention_purge", "case"),
        ("create", "profile"),
    ):
        assert actors.get(key) == {"Ms Rivera"}, key
    assert as_rivera.last_changes.touches("profile")


def test_an_sro_viewer_gets_no_demographics_from_the_person_detail(db: Database) -> None:
    people = PeopleService(db.sessions)
    jo = people.create(
        PersonData("Jo", "Park", gender="F", race_ethnicity="Asian", low_income=True)
    )
    shown = PeopleService(Context(db.sessions, viewer=SAM)).details(jo.id).data
    assert all(getattr(shown, name) is None for name in DEMOGRAPHIC_FIELDS)
    assert shown.first_name == "Jo"
    full = PeopleService(Context(db.sessions, viewer=RIVERA)).details(jo.id).data
    assert (full.gender, full.race_ethnicity, full.low_income) == ("F", "Asian", True)


def test_an_sro_viewer_gets_no_demographic_values_from_a_record_history(db: Database) -> None:
    # Given a person whose gender was changed (the audit line keeps old and new values)
    people = PeopleService(db.sessions)
    jo = people.create(PersonData("Jo", "Park", gender="F"))
    people.update(jo.id, replace(people.details(jo.id).data, gender="X", grade="7"))
    # When an SRO and a counselor read the history
    as_sam = audit.history(Context(db.sessions, viewer=SAM), jo.uuid)
    as_rivera = audit.history(Context(db.sessions, viewer=RIVERA), jo.uuid)
    # Then the SRO sees that the grade changed, never the gender's values
    assert any("gender" in e.changes for e in as_rivera)
    assert not any(name in e.changes for e in as_sam for name in DEMOGRAPHIC_FIELDS)
    assert any("grade" in e.changes for e in as_sam)


def test_an_sro_may_not_set_or_apply_the_retention_rule(db: Database) -> None:
    as_sam = Context(db.sessions, actor="Sam Reyes", viewer=SAM)
    with pytest.raises(NotPermitted, match="Only a counselor or an administrator"):
        set_retention_years(as_sam, 3)
    with pytest.raises(NotPermitted, match="Nothing was changed"):
        apply_retention(as_sam, 3, date(2026, 3, 10), wipe=False)
    assert ("update", "settings") not in _actors(db)


def test_a_roster_imported_by_an_sro_neither_sets_nor_changes_demographics(
    db: Database, tmp_path: Path
) -> None:
    # Given Jo, whose gender is on file
    people = PeopleService(db.sessions)
    jo = people.create(PersonData("Jo", "Park", external_id="S1", gender="F"))
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Student ID,First Name,Last Name,Grade,Gender\nS1,Jo,Park,7,M\nS2,Kai,Lund,8,M\n",
        encoding="utf-8",
    )
    # When an SRO imports a roster that carries a gender column
    import_roster(Context(db.sessions, actor="Sam Reyes", viewer=SAM), read_roster(roster))
    # Then the other fields are imported, and no gender was written or changed
    saved = people.details(jo.id).data
    assert (saved.grade, saved.gender) == ("7", "F")
    kai = people.find_by_external_id("S2")
    assert kai is not None and people.details(kai.id).data.gender is None
