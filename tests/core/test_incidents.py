"""The incident vocabulary: referrals get a SWIS-mapped type; unknown words are kept and flagged."""

from __future__ import annotations

from datetime import date

import pytest

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.incidents import IncidentVocabulary
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.operations import Context
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Case, IncidentType


def _type_of(db: Database, case_id: int) -> IncidentType:
    with db.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.incident_type_id is not None
        found = session.get(IncidentType, case.incident_type_id)
        assert found is not None
        return found


def test_intake_maps_a_known_category_and_records_the_time_of_day(db: Database) -> None:
    cases = CaseService(Context(db.sessions, actor="test"))
    detail = cases.intake(
        CaseIntake(date(2026, 3, 2), "  fighting ", location="Cafeteria", incident_time="9:05")
    )
    kind = _type_of(db, detail.id)
    assert (kind.key, kind.swis_behavior, kind.swis_level) == ("fighting", "Fighting", "major")
    assert detail.incident_time == "09:05"
    assert detail.location == "Cafeteria"
    assert detail.incident_category == "fighting"  # what the person typed is kept


def test_intake_keeps_unknown_words_as_a_flagged_type_for_the_counselor(db: Database) -> None:
    cases = CaseService(Context(db.sessions, actor="test"))
    vocabulary = IncidentVocabulary(Context(db.sessions, actor="test"))
    first = cases.intake(CaseIntake(date(2026, 3, 2), "Locker prank"))
    second = cases.intake(CaseIntake(date(2026, 3, 3), "locker PRANK"))
    assert _type_of(db, first.id).id == _type_of(db, second.id).id
    assert [row.label for row in vocabulary.unmapped()] == ["Locker prank"]
    locker = _type_of(db, first.id).id
    mapped = vocabulary.map(locker, swis_behavior="Disruption", swis_level="minor")
    assert not mapped.needs_mapping
    assert vocabulary.unmapped() == []
    assert vocabulary.usage(mapped.id) == 2


def test_a_bad_time_of_day_is_refused_and_nothing_is_saved(db: Database) -> None:
    cases = CaseService(Context(db.sessions, actor="test"))
    with pytest.raises(InvalidInput, match="13:45"):
        cases.intake(CaseIntake(date(2026, 3, 2), "Fighting", incident_time="25:99"))
    assert cases.count_cases() == 0


def test_the_vocabulary_refuses_a_duplicate_and_a_bad_level(db: Database) -> None:
    vocabulary = IncidentVocabulary(Context(db.sessions, actor="test"))
    with pytest.raises(InvalidInput, match="already in the list"):
        vocabulary.add("Pelea")
    with pytest.raises(InvalidInput, match="major or minor"):
        vocabulary.add("Dress code", swis_behavior="Dress code", swis_level="medium")
    added = vocabulary.add("Dress code", swis_behavior="Dress code violation", swis_level="Minor")
    assert (added.swis_level, added.needs_mapping) == ("minor", False)
