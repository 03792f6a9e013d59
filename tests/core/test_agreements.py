"""Repair agreements through the service: building, signing, life cycle, versions, follow-ups."""

from __future__ import annotations

import json
from datetime import date

import pytest

from circlekeeper.core.agreements.catalogue import item_catalogue
from circlekeeper.core.agreements.rows import AgreementHeader, ItemData
from circlekeeper.core.problems import InvalidInput, NotFound


def _sign_all(c, agreement_id: int, *, guardians: bool = True) -> None:
    on = date(2025, 3, 4)
    for pid in (c.jose, c.amara, c.dana, c.sam):
        c.agreements.record_signature(agreement_id, pid, on)
    if guardians:
        c.agreements.record_signature(agreement_id, c.lucia, on, as_guardian_of_id=c.jose)
        c.agreements.record_signature(agreement_id, c.grace, on, as_guardian_of_id=c.amara)


def test_draft_takes_the_case_from_its_circle(conference, draft_id) -> None:
    details = conference.agreements.get(draft_id)
    assert details.summary.case_id == conference.case_id
    assert details.summary.status == "draft"
    assert [i.number for i in details.items] == [1, 2, 3]
    assert details.header.follow_up_by_id == conference.dana


def test_a_draft_needs_a_circle_or_case(conference) -> None:
    with pytest.raises(InvalidInput, match="circle or a case"):
        conference.agreements.create_draft()
    with pytest.raises(NotFound):
        conference.agreements.create_draft(circle_id=9999)


def test_items_edit_remove_and_reorder(conference, draft_id) -> None:
    svc = conference.agreements
    items = svc.get(draft_id).items
    svc.update_item(
        items[0].id,
        ItemData("Apologise in a letter", kind="apology", responsible_id=conference.jose),
    )
    svc.remove_item(items[1].id)
    rows = svc.reorder_items(draft_id, [items[2].id, items[0].id])
    assert [r.data.action for r in rows] == [items[2].data.action, "Apologise in a letter"]
    assert [r.number for r in svc.get(draft_id).items] == [1, 2]
    with pytest.raises(InvalidInput, match="every item"):
        svc.reorder_items(draft_id, [items[0].id])


def test_item_rules_are_explained(conference, draft_id) -> None:
    svc = conference.agreements
    with pytest.raises(InvalidInput, match="What will be done is required"):
        svc.add_item(draft_id, ItemData("   "))
    with pytest.raises(InvalidInput, match="Unknown kind"):
        svc.add_item(draft_id, ItemData("x", kind="punishment"))
    from circlekeeper.core.people.people import PeopleService, PersonData

    stranger = PeopleService(conference.db.sessions).create(PersonData("Zed", "Stranger")).id
    with pytest.raises(InvalidInput, match="not a participant"):
        svc.add_item(draft_id, ItemData("x", responsible_id=stranger))


def test_catalogue_items_are_editable_starting_points(conference, draft_id) -> None:
    kinds = {t.kind for t in item_catalogue("en")}
    assert {
        "apology",
        "restitution",
        "service",
        "counselling",
        "behaviour",
        "school_support",
    } <= kinds
    assert len(item_catalogue("es")) == len(item_catalogue("en"))
    restitution = next(t for t in item_catalogue() if t.kind == "restitution")
    assert "instalment" in restitution.action
    data = ItemData.from_template(restitution)
    data.action = "Pay $60 in three instalments of $20."
    data.responsible_id = conference.jose
    row = conference.agreements.add_item(draft_id, data)
    assert row.data.kind == "restitution" and row.number == 4


def test_life_cycle_draft_active_completed(conference, draft_id) -> None:
    svc = conference.agreements
    with pytest.raises(InvalidInput, match="must be signed"):
        svc.close(draft_id, "completed")
    with pytest.raises(InvalidInput, match="No signatures"):
        svc.activate(draft_id)
    _sign_all(conference, draft_id)
    result = svc.activate(draft_id)
    assert result.agreement.status == "active"
    assert result.agreement.agreed_on == date(2025, 3, 4)
    assert result.missing_guardian_signatures == []
    with pytest.raises(InvalidInput, match="renegotiate"):
        svc.add_item(draft_id, ItemData("late change", responsible_id=conference.jose))
    with pytest.raises(InvalidInput, match="already active"):
        svc.activate(draft_id)
    items = svc.get(draft_id).items
    with pytest.raises(InvalidInput, match="Only 0 of 3"):
        svc.close(draft_id, "completed")
    svc.complete_item(items[0].id, date(2025, 3, 9), "Letter handed over")
    with pytest.raises(InvalidInput, match="partially completed|not partial"):
        svc.close(draft_id, "completed")
    for item in items[1:]:
        svc.complete_item(item.id, date(2025, 3, 20))
    with pytest.raises(InvalidInput, match="close it as completed"):
        svc.close(draft_id, "not_completed")
    closed = svc.close(draft_id, "completed", date(2025, 4, 15))
    assert (closed.status, closed.closed_on) == ("completed", date(2025, 4, 15))
    with pytest.raises(InvalidInput, match="already closed"):
        svc.close(draft_id, "not_completed")
    with pytest.raises(InvalidInput, match="cannot be renegotiated"):
        svc.renegotiate(draft_id)
    assert svc.get(draft_id).items[0].completion_note == "Letter handed over"


def test_partial_and_not_completed(conference, make_draft) -> None:
    svc = conference.agreements
    for outcome, ticks in (("partially_completed", 1), ("not_completed", 0)):
        aid = make_draft()
        _sign_all(conference, aid)
        svc.activate(aid)
        for item in svc.get(aid).items[:ticks]:
            svc.complete_item(item.id, date(2025, 3, 12))
        assert svc.close(aid, outcome).status == outcome
    with pytest.raises(InvalidInput, match="not a way"):
        svc.close(aid, "vanished")


def test_activation_needs_someone_responsible_for_each_item(conference, draft_id) -> None:
    svc = conference.agreements
    svc.add_item(draft_id, ItemData("Nobody's job"))
    _sign_all(conference, draft_id)
    with pytest.raises(InvalidInput, match="Item 4 has no one responsible"):
        svc.activate(draft_id)


def test_minor_without_guardian_signature_is_flagged(conference, draft_id) -> None:
    svc = conference.agreements
    missing = svc.missing_guardian_signatures(draft_id)
    assert {m.student_name for m in missing} == {"José Núñez", "Amara Okafor"}
    jose = next(m for m in missing if m.student_id == conference.jose)
    assert jose.guardian_names == ["Lucía Núñez"]
    _sign_all(conference, draft_id, guardians=False)
    svc.record_signature(
        draft_id, conference.lucia, date(2025, 3, 4), as_guardian_of_id=conference.jose
    )
    result = svc.activate(draft_id)
    assert [m.student_name for m in result.missing_guardian_signatures] == ["Amara Okafor"]
    assert svc.view(draft_id).missing_guardian_signatures == ["Amara Okafor"]
    # A guardian may sign after the agreement became active.
    svc.record_signature(
        draft_id, conference.grace, date(2025, 3, 5), as_guardian_of_id=conference.amara
    )
    assert svc.missing_guardian_signatures(draft_id) == []


def test_an_adult_student_needs_no_guardian(conference, draft_id) -> None:
    from circlekeeper.core.people.people import PeopleService

    people = PeopleService(conference.db.sessions)
    details = people.details(conference.amara)
    details.data.birth_date = date(2000, 1, 1)
    people.update(conference.amara, details.data)
    names = [m.student_name for m in conference.agreements.missing_guardian_signatures(draft_id)]
    assert names == ["José Núñez"]


def test_signature_rules(conference, draft_id) -> None:
    svc = conference.agreements
    svc.record_signature(draft_id, conference.jose, date(2025, 3, 4))
    with pytest.raises(InvalidInput, match="already recorded"):
        svc.record_signature(draft_id, conference.jose, date(2025, 3, 4))
    with pytest.raises(InvalidInput, match="not on file as a guardian"):
        svc.record_signature(
            draft_id, conference.grace, date(2025, 3, 4), as_guardian_of_id=conference.jose
        )
    with pytest.raises(InvalidInput, match="future"):
        svc.record_signature(draft_id, conference.amara, date(2999, 1, 1))
    sig = svc.get(draft_id).signatures[0]
    svc.remove_signature(sig.id)
    assert svc.get(draft_id).signatures == []


def test_follow_ups_created_on_activation_and_settled(conference, draft_id) -> None:
    svc = conference.agreements
    assert svc.follow_ups(draft_id) == []
    _sign_all(conference, draft_id)
    created = svc.activate(draft_id).follow_ups
    assert len(created) == 4  # three items with due dates, and the agreement's follow-up date
    overall = [f for f in created if f.agreement_item_id is None]
    assert overall[0].due_on == date(2025, 4, 15) and overall[0].responsible_id == conference.dana
    assert sorted(f.due_on for f in created if f.agreement_item_id) == [
        date(2025, 3, 10),
        date(2025, 3, 11),
        date(2025, 3, 12),
    ]
    first = svc.get(draft_id).items[0]
    svc.complete_item(first.id, date(2025, 3, 9), "done early")
    statuses = {f.agreement_item_id: f.status for f in svc.follow_ups(draft_id)}
    assert statuses[first.id] == "done"
    assert statuses[None] == "open"


def test_renegotiation_makes_a_linked_version_and_keeps_history(conference, draft_id) -> None:
    svc = conference.agreements
    _sign_all(conference, draft_id)
    svc.activate(draft_id)
    first = svc.get(draft_id).items[0]
    svc.complete_item(first.id, date(2025, 3, 9))
    new = svc.renegotiate(draft_id)
    assert (new.version, new.previous_id, new.status) == (2, draft_id, "draft")
    old = svc.get(draft_id)
    assert old.summary.status == "superseded"
    assert all(f.status != "open" for f in svc.follow_ups(draft_id))
    copied = svc.get(new.id)
    assert copied.signatures == []
    assert [i.data.action for i in copied.items] == [i.data.action for i in old.items]
    assert copied.items[0].completed_on == date(2025, 3, 9)
    # The superseded version no longer changes.
    with pytest.raises(InvalidInput, match="superseded"):
        svc.update_item(old.items[1].id, ItemData("x", responsible_id=conference.jose))
    with pytest.raises(InvalidInput, match="newest version"):
        svc.renegotiate(draft_id)
    svc.update_header(new.id, AgreementHeader(harm_summary="Revised", follow_up_by_id=None))
    versions, events = svc.history(new.id)
    assert [(v.version, v.status) for v in versions] == [(1, "superseded"), (2, "draft")]
    assert svc.history(draft_id)[0] == versions
    actions = [(e.version, e.action) for e in events]
    assert (1, "create") in actions and (1, "activate") in actions
    assert (1, "supersede") in actions and (2, "renegotiate") in actions
    assert (2, "update") in actions
    assert svc.view(new.id).previous_version == 1


def test_every_change_is_audited(conference, draft_id) -> None:
    from sqlalchemy import select

    from circlekeeper.core.store.models import AuditEvent

    with conference.db.sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.entity == "agreement")).all()
    assert [e.action for e in events] == ["create", "add_item", "add_item", "add_item"]
    assert all(e.actor == "test" for e in events)
    assert json.loads(events[1].detail)["kind"] == "service"


def test_resolve_accepts_id_or_uuid(conference, draft_id) -> None:
    svc = conference.agreements
    uuid = svc.get(draft_id).summary.uuid
    assert svc.resolve(str(draft_id)) == draft_id
    assert svc.resolve(uuid.upper()) == draft_id
    with pytest.raises(NotFound, match="no agreement"):
        svc.resolve("12345")


def test_view_has_everything_an_export_needs(conference, draft_id) -> None:
    svc = conference.agreements
    _sign_all(conference, draft_id)
    svc.activate(draft_id)
    view = svc.view(draft_id, today=date(2025, 3, 5))
    assert view.school.name == "Riverside Middle School"
    assert view.held_on is not None and view.referral_source == "teacher"
    roles = {p.name: p.role for p in view.parties}
    assert roles["José Núñez"] == "responsible" and "Olive Marsh" not in roles  # observer
    assert {p.name: p.is_minor for p in view.parties}["José Núñez"] is True
    assert view.items[0].responsible == "José Núñez" and view.items[0].verifier == "Dana Whitfield"
    lines = {(line.name, line.capacity, line.guardian_of) for line in view.signature_lines}
    assert ("Lucía Núñez", "guardian", "José Núñez") in lines
    assert ("Grace Okafor", "guardian", "Amara Okafor") in lines
    assert ("Lucía Núñez", "participant", None) not in lines  # signs once, as guardian
    assert {line.name for line in view.signature_lines if line.capacity == "participant"} == {
        "José Núñez",
        "Amara Okafor",
        "Dana Whitfield",
        "Sam Reyes",
    }
    assert all(line.signed_on == date(2025, 3, 4) for line in view.signature_lines)
    shared = view.for_sharing()
    assert all(p.grade is None and p.pronouns is None for p in shared.parties)
    assert shared.case_description is None and view.case_description


def test_family_letter_lists_the_students_items(conference, draft_id) -> None:
    letter = conference.agreements.family_letter(draft_id, conference.jose)
    assert letter.guardian_names == ["Lucía Núñez"]
    assert len(letter.items) == 3
    with pytest.raises(InvalidInput, match="not a party"):
        conference.agreements.family_letter(draft_id, conference.olive)
