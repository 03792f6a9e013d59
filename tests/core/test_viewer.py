"""The viewer rules hold in core, on every read that returns notes, people or agreement exports."""

from __future__ import annotations

from dataclasses import replace

import pytest

from circlekeeper.core.agreements.commands import AgreementService
from circlekeeper.core.circles.summary import CircleSummaryService
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PERSON_FIELDS, PeopleService
from circlekeeper.core.problems import NotPermitted
from circlekeeper.core.profiles.viewer import DEMOGRAPHIC_FIELDS, Viewer
from circlekeeper.core.search.search import search
from circlekeeper.core.store.models import Note, Person

from .conftest import Conference

DANA = Viewer("Dana Whitfield")
SAM = Viewer("Sam Reyes", "sro")


def _notes(conference: Conference) -> None:
    with conference.db.sessions.begin() as session:
        for text, privacy, author in (
            ("Dana's walnut memory aid", "private", "Dana Whitfield"),
            ("Sam's walnut memory aid", "private", "Sam Reyes"),
            ("Walnut note for the file", "record", "Dana Whitfield"),
        ):
            session.add(
                Note(circle_id=conference.circle_id, text=text, privacy=privacy, author=author)
            )


def test_every_demographic_field_is_a_person_field() -> None:
    assert set(DEMOGRAPHIC_FIELDS) <= set(PERSON_FIELDS)
    assert all(hasattr(Person, name) for name in DEMOGRAPHIC_FIELDS)


def test_an_sro_gets_no_equity_fields_and_cannot_overwrite_them(conference: Conference) -> None:
    people = PeopleService(conference.db.sessions)
    as_sam = PeopleService(Context(conference.db.sessions, viewer=SAM))
    shown = as_sam.details(conference.jose).data
    assert all(getattr(shown, name) is None for name in DEMOGRAPHIC_FIELDS)
    assert shown.first_name == "José" and shown.grade == "8"
    full = PeopleService(Context(conference.db.sessions, viewer=DANA)).details(conference.jose).data
    assert (full.gender, full.race_ethnicity) == ("M", "Hispanic or Latino")
    # What an SRO's screen sends for those fields is ignored; the rest is saved.
    as_sam.update(conference.jose, replace(shown, phone="555-0101", gender="X"))
    saved = people.details(conference.jose).data
    assert (saved.phone, saved.gender, saved.race_ethnicity) == (
        "555-0101",
        "M",
        "Hispanic or Latino",
    )


def test_notes_are_filtered_in_core_on_every_read(conference: Conference) -> None:
    _notes(conference)
    sessions, circle_id = conference.db.sessions, conference.circle_id
    summaries = CircleSummaryService(sessions)

    def summary(viewer: Viewer) -> list[str]:
        looking = Context(sessions, viewer=viewer)
        return [n.text for n in CircleSummaryService(looking).view(circle_id).notes]

    def live(viewer: Viewer) -> list[str]:
        looking = Context(sessions, viewer=viewer)
        return [n.text for n in FacilitationService(looking, circle_id).notes()]

    def found(viewer: Viewer) -> list[str]:
        return sorted(
            h.snippet for h in search(Context(sessions, viewer=viewer), "walnut", kinds=["note"])
        )

    for read in (summary, live):
        assert read(DANA) == ["Dana's walnut memory aid", "Walnut note for the file"]
        assert read(SAM) == ["Walnut note for the file"]  # not even the SRO's own private note
    assert found(DANA) == ["Dana's walnut memory aid", "Walnut note for the file"]
    assert found(SAM) == ["Walnut note for the file"]
    assert [n.text for n in summaries.view(circle_id).notes] == ["Walnut note for the file"]


def test_an_sro_gets_only_the_sharing_copy_of_an_agreement(
    conference: Conference, draft_id: int
) -> None:
    sessions = conference.db.sessions
    school = AgreementService(Context(sessions, viewer=DANA)).view(draft_id)
    shared = AgreementService(Context(sessions, viewer=SAM)).view(draft_id)
    assert school.case_description == "Referral text (school only)"
    assert shared == school.for_sharing() and shared.case_description is None
    assert all(p.pronouns is None and p.grade is None for p in shared.parties)
    assert DANA.export_audience("school") == "school" and SAM.export_audience("sharing")
    with pytest.raises(NotPermitted, match="only the copy for sharing"):
        SAM.export_audience("school")
    assert SAM.audiences == ("sharing",) and DANA.audiences == ("school", "sharing")
