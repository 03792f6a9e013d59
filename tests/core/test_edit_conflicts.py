"""Two people editing one record: the first save wins, the second is refused and told why.

Each test runs on SQLite and on PostgreSQL (the ``db`` fixture). Two contexts stand for two
counselors on two laptops: each reads the record (and its version), both edit, and the core
refuses the save made from the older copy with the other person's change named, field by field.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from tests.core.conftest import Conference, draft_with_items

from circlekeeper.core.agreements.commands import AgreementService
from circlekeeper.core.agreements.rows import AgreementHeader, ItemData
from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.domain.eligibility import Eligibility
from circlekeeper.core.followups.commands import FollowUpService
from circlekeeper.core.followups.rows import FollowUpData
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.problems import EditConflict
from circlekeeper.core.profiles.viewer import ProfileRole, Viewer
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Person

TODAY = date(2026, 3, 10)


def _intake(db: Database, **changes: object) -> CaseIntake:
    staff = PeopleService(db.sessions).create(PersonData("Kim", "Osei", kind="staff")).id
    values: dict[str, object] = {
        "referred_on": TODAY,
        "incident_category": "Conflict between students",
        "referral_source": "teacher",
        "referred_by_id": staff,
        "location": "Cafeteria",
        "description": "An argument at lunch.",
    }
    values.update(changes)
    return CaseIntake(**values)  # type: ignore[arg-type]


def _edit(intake: CaseIntake, **changes: object) -> CaseIntake:
    values = dict(vars(intake))
    values.update(changes)
    return CaseIntake(**values)


def test_the_second_save_of_a_case_is_refused_naming_the_first(db: Database) -> None:
    # Given two counselors with the same case open, read at the same version
    dana = CaseService(Context(db.sessions, actor="Dana Whitfield"))
    marcus = CaseService(Context(db.sessions, actor="Marcus Bell"))
    intake = _intake(db)
    case_id = dana.intake(intake).id
    seen_by_dana = dana.detail(case_id)
    seen_by_marcus = marcus.detail(case_id)
    assert seen_by_dana.row_version == seen_by_marcus.row_version

    # When Dana saves first, then Marcus saves his own edit of the copy he loaded
    new_version = dana.update_referral(
        case_id, _edit(intake, location="Library"), loaded_version=seen_by_dana.row_version
    )
    with pytest.raises(EditConflict) as refused:
        marcus.update_referral(
            case_id,
            _edit(intake, location="Gym", description="Marcus's retelling."),
            loaded_version=seen_by_marcus.row_version,
        )

    # Then the message says who changed what, field by field
    message = str(refused.value)
    assert "Dana Whitfield" in message
    assert "location: Cafeteria → Library" in message
    assert "nothing of theirs was overwritten" in message
    assert refused.value.who == ("Dana Whitfield",)
    assert refused.value.current == new_version > seen_by_marcus.row_version
    # and nothing of Marcus's edit was written over Dana's
    stored = dana.detail(case_id)
    assert (stored.location, stored.description) == ("Library", "An argument at lunch.")
    assert stored.row_version == new_version

    # When Marcus loads it again, his save goes through
    marcus.update_referral(
        case_id, _edit(intake, location="Gym"), loaded_version=marcus.detail(case_id).row_version
    )
    assert dana.detail(case_id).location == "Gym"


def test_a_save_from_the_latest_copy_is_never_refused(db: Database) -> None:
    service = CaseService(Context(db.sessions, actor="Dana Whitfield"))
    intake = _intake(db)
    case_id = service.intake(intake).id
    version = service.detail(case_id).row_version
    # Saving twice from one page: each save hands back the version it made
    version = service.update_referral(
        case_id, _edit(intake, location="Library"), loaded_version=version
    )
    version = service.update_referral(
        case_id, _edit(intake, location="Office"), loaded_version=version
    )
    assert service.detail(case_id).row_version == version
    # A change elsewhere in the case (its status) moves the version too: an older copy is stale
    service.record_eligibility(
        case_id,
        Eligibility(
            responsibility_admitted=True, participation_voluntary=True, guardian_consent=True
        ),
    )
    service.move(case_id, "screened")
    with pytest.raises(EditConflict, match="status: referred → screened"):
        service.update_referral(case_id, _edit(intake, location="Gym"), loaded_version=version)


def test_an_officer_is_not_shown_the_demographic_values_another_person_changed(
    db: Database,
) -> None:
    counselor = PeopleService(Context(db.sessions, actor="Dana Whitfield"))
    officer = PeopleService(
        Context(db.sessions, actor="Sam Reyes", viewer=Viewer("Sam Reyes", ProfileRole.SRO.value))
    )
    student = PersonData("José", "Núñez", grade="8", gender="M", phone="555-0100")
    person_id = counselor.create(student).id
    seen_by_officer = officer.details(person_id)
    seen_by_counselor = counselor.details(person_id)
    counselor.update(
        person_id,
        PersonData("José", "Núñez", grade="8", gender="Nonbinary", phone="555-0199"),
        loaded_version=seen_by_counselor.row_version,
    )

    with pytest.raises(EditConflict) as refused:
        officer.update(
            person_id,
            PersonData("José", "Núñez", grade="9"),
            loaded_version=seen_by_officer.row_version,
        )
    message = str(refused.value)
    assert "phone: 555-0100 → 555-0199" in message
    assert "Nonbinary" not in message and "gender" not in message
    assert all(field != "gender" for field, _old, _new in refused.value.changes)
    with db.sessions() as session:
        stored = session.scalars(select(Person).where(Person.id == person_id)).one()
        assert (stored.grade, stored.gender) == ("8", "Nonbinary")

    # A counselor's refused save does name the equity field
    with pytest.raises(EditConflict, match="gender: M → Nonbinary"):
        counselor.update(person_id, student, loaded_version=seen_by_counselor.row_version)


def test_agreement_header_and_items_refuse_a_stale_save(conference: Conference) -> None:
    db = conference.db
    draft_id = draft_with_items(conference, count=2)
    dana = AgreementService(Context(db.sessions, actor="Dana Whitfield"))
    marcus = AgreementService(Context(db.sessions, actor="Marcus Bell"))
    seen_by_dana = dana.get(draft_id)
    seen_by_marcus = marcus.get(draft_id)

    header = seen_by_dana.header
    moved = AgreementHeader(
        harm_summary=header.harm_summary,
        if_not_kept=header.if_not_kept,
        follow_up_on=date(2025, 5, 1),
        follow_up_by_id=header.follow_up_by_id,
    )
    dana.update_header(draft_id, moved, loaded_version=seen_by_dana.summary.row_version)
    with pytest.raises(EditConflict, match="follow up on: 2025-04-15 → 2025-05-01"):
        marcus.update_header(
            draft_id,
            AgreementHeader(harm_summary="Marcus's words", follow_up_on=date(2025, 6, 1)),
            loaded_version=seen_by_marcus.summary.row_version,
        )
    stored = dana.get(draft_id).header
    assert (stored.harm_summary, stored.follow_up_on) == (header.harm_summary, date(2025, 5, 1))

    first, second = seen_by_dana.items
    later = ItemData(**{**vars(first.data), "due_on": first.data.due_on + timedelta(days=7)})
    dana.update_item(first.id, later, loaded_version=first.row_version)
    with pytest.raises(EditConflict, match="Dana Whitfield") as refused:
        marcus.update_item(
            first.id,
            ItemData(**{**vars(first.data), "action": "Marcus's wording"}),
            loaded_version=seen_by_marcus.items[0].row_version,
        )
    assert "due on:" in str(refused.value)
    assert "the text was changed" not in str(refused.value)
    assert dana.get(draft_id).items[0].data == later
    # Another item, untouched by Dana, saves from Marcus's copy
    marcus.update_item(
        second.id,
        ItemData(**{**vars(second.data), "verification": "The office checks."}),
        loaded_version=seen_by_marcus.items[1].row_version,
    )


def test_a_follow_up_saved_by_someone_else_is_not_rescheduled_over(db: Database) -> None:
    people = PeopleService(db.sessions)
    kim = people.create(PersonData("Kim", "Osei", kind="staff")).id
    case_id = CaseService(db.sessions).intake(_intake(db)).id
    dana = FollowUpService(Context(db.sessions, actor="Dana Whitfield"))
    marcus = FollowUpService(Context(db.sessions, actor="Marcus Bell"))
    row = dana.create(FollowUpData(due_on=TODAY, responsible_id=kim, case_id=case_id))

    dana.record_outcome(row.id, "done", "Checked in; all well.", on=TODAY, loaded_version=1)
    with pytest.raises(EditConflict, match="status: open → done"):
        marcus.reschedule(row.id, TODAY + timedelta(days=3), loaded_version=row.row_version)
    stored = dana.get(row.id)
    assert (stored.status, stored.due_on) == ("done", TODAY)


def test_ticking_off_an_item_someone_else_just_reopened_is_refused(
    conference: Conference,
) -> None:
    # Given an active agreement, open in two follow-up windows
    c = conference
    draft_id = draft_with_items(c, count=1)
    on = date(2025, 3, 4)
    for pid in (c.jose, c.amara, c.dana, c.sam):
        c.agreements.record_signature(draft_id, pid, on)
    c.agreements.record_signature(draft_id, c.lucia, on, as_guardian_of_id=c.jose)
    c.agreements.record_signature(draft_id, c.grace, on, as_guardian_of_id=c.amara)
    c.agreements.activate(draft_id)
    dana = AgreementService(Context(c.db.sessions, actor="Dana Whitfield"))
    marcus = AgreementService(Context(c.db.sessions, actor="Marcus Bell"))
    item = marcus.get(draft_id).items[0]

    # When Dana ticks it off first, Marcus's tick from his older copy is refused
    dana.complete_item(item.id, date(2025, 3, 9), "Letter handed over", loaded_version=1)
    with pytest.raises(EditConflict, match="completed on: \\(empty\\) → 2025-03-09"):
        marcus.complete_item(item.id, date(2025, 3, 12), loaded_version=item.row_version)
    assert dana.get(draft_id).items[0].completed_on == date(2025, 3, 9)


def test_two_saves_racing_on_the_server_refuse_the_later_one(pg_url: str) -> None:
    # Given two counselors saving one case at the same instant on the district server: the
    # second has read the case inside its transaction when the first commits
    from circlekeeper.core.store.database import open_database
    from circlekeeper.core.store.models import Case

    db = open_database(pg_url)
    try:
        dana = CaseService(Context(db.sessions, actor="Dana Whitfield"))
        intake = _intake(db)
        case_id = dana.intake(intake).id
        marcus = Context(db.sessions, actor="Marcus Bell")
        with (
            pytest.raises(EditConflict, match="at the same moment"),
            marcus.write("update referral") as session,
        ):
            case = session.get(Case, case_id)
            assert case is not None
            dana.update_referral(case_id, _edit(intake, location="Library"))
            case.location = "Gym"
        # Then the first save stands, and nothing of the second was written
        assert dana.detail(case_id).location == "Library"
    finally:
        db.close()
