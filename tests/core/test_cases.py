"""Cases: intake, eligibility, the pipeline, closing with open follow-ups, diversion, contacts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from circlekeeper.core.cases.commands import CaseService, OpenFollowUps
from circlekeeper.core.cases.queries import person_usage
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.domain.eligibility import Eligibility, eligibility_problems
from circlekeeper.core.followups.commands import FollowUpService
from circlekeeper.core.followups.rows import FollowUpData
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import AuditEvent, Case, Circle, FollowUp, Participant

TODAY = date(2026, 3, 10)


def _people(db: Database) -> dict[str, int]:
    people = PeopleService(db.sessions)
    return {
        "ana": people.create(PersonData("Ana", "Ruiz", grade="8")).id,
        "ben": people.create(PersonData("Ben", "Lee", grade="8")).id,
        "kim": people.create(PersonData("Kim", "Osei", kind="staff", title="Counselor")).id,
    }


def _eligible() -> Eligibility:
    return Eligibility(
        responsibility_admitted=True, participation_voluntary=True, guardian_consent=True
    )


def _case(db: Database, who: dict[str, int]) -> int:
    return (
        CaseService(db.sessions)
        .intake(
            CaseIntake(
                referred_on=TODAY,
                incident_category="Conflict between students",
                referral_source="teacher",
                referred_by_id=who["kim"],
                incident_on=TODAY - timedelta(days=1),
                location="Cafeteria",
                description="An argument at lunch.",
                parties=[(who["ana"], "responsible"), (who["ben"], "harmed")],
            )
        )
        .id
    )


def test_intake_records_the_referral_with_its_people(db: Database) -> None:
    who = _people(db)
    cases = CaseService(Context(db.sessions, actor="kim"))
    # When a referral comes in
    case_id = _case(db, who)
    detail = cases.detail(case_id)
    # Then it is "referred", with its parties named, and the intake is in the audit trail
    assert detail.status == "referred"
    assert detail.referred_by_name == "Kim Osei"
    assert [(p.name, p.role) for p in detail.parties] == [
        ("Ana Ruiz", "responsible"),
        ("Ben Lee", "harmed"),
    ]
    assert detail.next_status == "screened" and detail.previous_status is None
    assert detail.eligibility_problems == ["The eligibility screen has not been done yet."]
    with db.sessions() as session:
        actions = [e.action for e in session.scalars(select(AuditEvent).filter_by(entity="case"))]
    assert actions == ["intake"]
    rows = cases.list_cases()
    assert rows[0].parties == (("Ana Ruiz", "responsible"), ("Ben Lee", "harmed"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"incident_category": "  "}, "incident category"),
        ({"referral_source": "rumour"}, "not a referral source"),
        ({"incident_on": TODAY + timedelta(days=1)}, "after the referral date"),
        ({"parties": [(1, "facilitator")]}, "not a role in a case"),
        ({"parties": [(1, "harmed"), (1, "responsible")]}, "listed twice"),
    ],
)
def test_intake_refuses_bad_referrals_in_plain_words(
    db: Database, change: dict[str, object], message: str
) -> None:
    _people(db)
    data = CaseIntake(referred_on=TODAY, incident_category="Theft")
    for key, value in change.items():
        setattr(data, key, value)
    with pytest.raises(InvalidInput, match=message):
        CaseService(db.sessions).intake(data)
    assert CaseService(db.sessions).count_cases() == 0


def test_parties_are_added_changed_and_removed(db: Database) -> None:
    who = _people(db)
    cases = CaseService(db.sessions)
    case_id = cases.intake(CaseIntake(referred_on=TODAY, incident_category="Theft")).id
    party = cases.add_party(case_id, who["ana"], "harmed_and_responsible")
    with pytest.raises(InvalidInput, match="already in this case"):
        cases.add_party(case_id, who["ana"], "harmed")
    cases.change_party_role(party.id, "responsible")
    assert [p.role for p in cases.detail(case_id).parties] == ["responsible"]
    cases.remove_party(party.id)
    assert cases.detail(case_id).parties == []
    with pytest.raises(NotFound):
        cases.remove_party(party.id)


def test_eligibility_problems_are_plain_words() -> None:
    assert eligibility_problems(_eligible()) == []
    problems = eligibility_problems(
        Eligibility(responsibility_admitted=False, weapons=True, title_ix=True)
    )
    assert "The person responsible does not admit their part." in problems
    assert any("weapon" in p for p in problems)
    assert any("Title IX" in p for p in problems)


def test_the_pipeline_moves_one_step_at_a_time_and_back_with_a_reason(db: Database) -> None:
    who = _people(db)
    cases = CaseService(db.sessions)
    case_id = _case(db, who)
    # Screening needs the answers; skipping steps is refused
    with pytest.raises(InvalidInput, match="Record the eligibility screen"):
        cases.move(case_id, "screened")
    with pytest.raises(InvalidInput, match="one step at a time"):
        cases.move(case_id, "held")
    with pytest.raises(InvalidInput, match="closure reason"):
        cases.move(case_id, "closed")
    # An excluded case cannot go to preparation
    assert cases.record_eligibility(
        case_id, Eligibility(responsibility_admitted=True, weapons=True)
    )
    assert cases.move(case_id, "screened") == "screened"
    with pytest.raises(InvalidInput, match="cannot go to a conference.*weapon"):
        cases.move(case_id, "preparing")
    assert (
        cases.record_eligibility(
            case_id, _eligible(), loaded=Eligibility(responsibility_admitted=True, weapons=True)
        )
        == []
    )
    for step in ("preparing", "held", "monitoring"):
        assert cases.move(case_id, step) == step
    # Going back needs a reason
    with pytest.raises(InvalidInput, match="Say why"):
        cases.move(case_id, "held")
    assert cases.move(case_id, "held", reason="Agreement to be renegotiated") == "held"
    assert cases.detail(case_id).previous_status == "preparing"


def test_closing_with_open_follow_ups_asks_first_and_changes_nothing(db: Database) -> None:
    who = _people(db)
    cases = CaseService(db.sessions)
    case_id = _case(db, who)
    follow_ups = FollowUpService(db.sessions)
    first = follow_ups.create(FollowUpData(TODAY, who["kim"], "Check in", case_id=case_id))
    second = follow_ups.create(
        FollowUpData(TODAY + timedelta(days=7), who["kim"], "Week", case_id=case_id)
    )
    with pytest.raises(InvalidInput, match="closes with one of these reasons"):
        cases.close(case_id, "finished", today=TODAY)
    # When closing without saying what to do with the open follow-ups
    with pytest.raises(OpenFollowUps) as asked:
        cases.close(case_id, "completed", today=TODAY)
    # Then the question lists them, and the case is still open
    assert [f.id for f in asked.value.follow_ups] == [first.id, second.id]
    assert asked.value.follow_ups[0].responsible_name == "Kim Osei"
    assert "nothing has been changed" in str(asked.value)
    assert cases.detail(case_id).status == "referred"
    # When the person chooses to keep them
    assert cases.close(case_id, "completed", today=TODAY, open_follow_ups="keep") == []
    detail = cases.detail(case_id)
    assert (detail.status, detail.closure_reason, detail.closed_on) == (
        "closed",
        "completed",
        TODAY,
    )
    assert [f.status for f in detail.follow_ups] == ["open", "open"]
    with pytest.raises(InvalidInput, match="already closed"):
        cases.close(case_id, "completed", today=TODAY)
    # Reopening goes one step back with a reason and clears the closure
    cases.move(case_id, "monitoring", reason="Closed by mistake")
    assert cases.detail(case_id).closure_reason is None
    # And cancelling marks them cancelled
    cancelled = cases.close(case_id, "partially_completed", today=TODAY, open_follow_ups="cancel")
    assert sorted(cancelled) == [first.id, second.id]
    assert {f.status for f in cases.detail(case_id).follow_ups} == {"cancelled"}
    assert cases.list_cases(open_only=True) == []
    assert [r.id for r in cases.list_cases(status="closed")] == [case_id]


def test_follow_ups_of_a_case_s_circles_count_as_open_follow_ups(db: Database) -> None:
    who = _people(db)
    case_id = _case(db, who)
    with db.sessions.begin() as session:
        circle = Circle(kind="conference", title="Conference", case_id=case_id)
        session.add(circle)
        session.flush()
        session.add(FollowUp(due_on=TODAY, circle_id=circle.id, responsible_id=who["kim"]))
    with pytest.raises(OpenFollowUps):
        CaseService(db.sessions).close(case_id, "declined", today=TODAY)


def test_diversion_is_recorded_and_checked(db: Database) -> None:
    who = _people(db)
    cases = CaseService(db.sessions)
    case_id = _case(db, who)
    cases.set_diversion(case_id, "suspension", 3)
    detail = cases.detail(case_id)
    assert (detail.diverted_from, detail.diversion_amount) == ("suspension", 3)
    cases.set_diversion(case_id, "suspension", 3, consequence_reinstated=True)
    assert cases.detail(case_id).consequence_reinstated
    with pytest.raises(InvalidInput, match="Diverted from"):
        cases.set_diversion(case_id, "detention")
    with pytest.raises(InvalidInput, match="negative"):
        cases.set_diversion(case_id, "suspension", -1)
    with pytest.raises(InvalidInput, match="Nothing was diverted"):
        cases.set_diversion(case_id, "none", 2)


def test_family_contacts_keep_their_time_zone_and_order(db: Database) -> None:
    who = _people(db)
    cases = CaseService(db.sessions)
    case_id = _case(db, who)
    pacific = timezone(timedelta(hours=-8))
    later = datetime(2026, 3, 11, 16, 30, tzinfo=pacific)
    earlier = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    cases.add_contact(case_id, later, "meeting", "Met mother", staff_name="Kim Osei")
    cases.add_contact(case_id, earlier, "phone", "Left a message", person_id=who["ana"])
    contacts = cases.contacts(case_id)
    assert [c.method for c in contacts] == ["phone", "meeting"]
    assert contacts[1].contacted_at == later
    assert contacts[0].person_name == "Ana Ruiz"
    with pytest.raises(InvalidInput, match="time zone"):
        cases.add_contact(case_id, datetime(2026, 3, 10, 9), "phone")
    with pytest.raises(InvalidInput, match="contact method"):
        cases.add_contact(case_id, earlier, "pigeon")


def test_person_usage_counts_what_a_person_appears_in(db: Database) -> None:
    who = _people(db)
    case_id = _case(db, who)
    with db.sessions.begin() as session:
        circle = Circle(kind="conference", case_id=case_id, facilitator_id=who["kim"])
        session.add(circle)
        session.flush()
        session.add(Participant(circle_id=circle.id, person_id=who["ana"], role="responsible"))
    FollowUpService(db.sessions).create(FollowUpData(TODAY, who["kim"], case_id=case_id))
    assert person_usage(db.sessions, who["ana"]) == {
        "cases": 1,
        "circles": 1,
        "agreements": 0,
        "follow_ups": 0,
    }
    assert person_usage(db.sessions, who["kim"])["cases"] == 1  # referred it
    assert person_usage(db.sessions, who["kim"])["follow_ups"] == 1
    with pytest.raises(NotFound):
        person_usage(db.sessions, 9999)


def test_a_case_page_reads_in_six_statements_whatever_the_case_holds(db: Database) -> None:
    # Opening a case is a record view a district opens on a server, where each statement is
    # a round trip: its school, its referrer and the names on its contacts come with the rows
    # they belong to, and the MOU is read only for an officer, whose actions it decides.
    from tests.query_plans import statements

    from circlekeeper.core.schools.schools import school_named

    who = _people(db)
    cases = CaseService(Context(db.sessions, actor="kim"))
    case_id = _case(db, who)
    when = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    cases.add_contact(case_id, when, "phone", "Left a message", person_id=who["ana"])
    cases.add_contact(case_id, when, "meeting", "Met", person_id=who["ben"])
    cases.add_contact(case_id, when, "email", "Wrote", staff_name="Kim Osei")
    with db.sessions.begin() as session:
        session.get_one(Case, case_id).school_ref = school_named(session, "Riverside Middle School")

    seen: list[object] = []
    read = statements(db, lambda: seen.append(cases.detail(case_id)))

    (detail,) = seen
    assert detail.school == "Riverside Middle School"  # type: ignore[attr-defined]
    assert detail.referred_by_name == "Kim Osei"  # type: ignore[attr-defined]
    assert [c.person_name for c in detail.contacts] == ["Ana Ruiz", "Ben Lee", None]  # type: ignore[attr-defined]
    assert len(read) <= 6, "\n".join(s for s, _ in read)
