"""The audit trail field by field: one line per action, old -> new, none for live actions."""

from __future__ import annotations

from sqlalchemy import func, select
from tests.store.seed import HARM, seed

from circlekeeper.core.agreements.commands import AgreementService
from circlekeeper.core.agreements.rows import AgreementHeader, ItemData
from circlekeeper.core.audit import audit
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import AuditEvent, Circle, Person


def _lines(db: Database) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count(AuditEvent.id))) or 0)


def test_a_person_update_is_one_line_with_old_and_new_values(db: Database) -> None:
    people = PeopleService(Context(db.sessions, actor="Dana"))
    row = people.create(PersonData("Ana", "Ruiz", kind="student", grade="7"))
    before = _lines(db)
    people.update(row.id, PersonData("Ana", "Ruiz-Soto", kind="student", grade="8"))
    assert _lines(db) == before + 1
    with db.sessions() as session:
        uuid = session.scalar(select(Person.uuid).where(Person.id == row.id))
    assert uuid is not None
    entries = audit.history(db.sessions, uuid)
    assert [e.action for e in entries] == ["create", "update"]
    last = entries[-1]
    assert last.actor == "Dana"
    assert last.changes == {"last_name": ("Ruiz", "Ruiz-Soto"), "grade": ("7", "8")}
    assert last.detail["fields"] == ["last_name", "grade"]


def test_agreement_item_edits_join_the_services_own_line(db: Database) -> None:
    ids = seed(db)
    service = AgreementService(Context(db.sessions, actor="Dana"))
    draft = service.create_draft(circle_id=ids["circle"], header=AgreementHeader(harm_summary=HARM))
    item = service.add_item(draft.id, ItemData(action="Apologise", kind="apology"))
    before = _lines(db)
    service.update_item(item.id, ItemData(action="Apologise in person", kind="apology"))
    service.update_header(draft.id, AgreementHeader(harm_summary="Shorter words"))
    assert _lines(db) == before + 2
    with db.sessions() as session:
        agreement_uuid = session.scalar(
            select(AuditEvent.entity_uuid).where(AuditEvent.action == "update_item")
        )
    assert agreement_uuid is not None
    entries = audit.history(db.sessions, agreement_uuid)
    update_item = next(e for e in entries if e.action == "update_item")
    # Free text is marked as changed; its words are not copied into the append-only trail.
    assert update_item.changes == {"action": (audit.TEXT_HIDDEN, audit.TEXT_HIDDEN)}
    header = next(e for e in entries if e.action == "update")
    assert set(header.changes) == {"harm_summary"}


def test_a_change_no_service_described_gets_its_own_line(db: Database) -> None:
    ids = seed(db)
    with db.sessions.begin() as session:
        circle = session.get(Circle, ids["circle"])
        assert circle is not None
        circle.location = "Library"
        uuid = circle.uuid
    entries = audit.history(db.sessions, uuid)
    assert [(e.action, e.entity, e.changes) for e in entries] == [
        ("update", "circle", {"location": (None, "Library")})
    ]


def test_live_state_changes_write_no_audit_lines(db: Database) -> None:
    ids = seed(db)
    before = _lines(db)
    for n in range(20):
        with db.sessions.begin() as session:
            circle = session.get(Circle, ids["circle"])
            assert circle is not None
            circle.live_state = f'{{"speaker": {n}}}'
    assert _lines(db) == before


def test_a_rolled_back_change_leaves_nothing_noted(db: Database) -> None:
    ids = seed(db)
    session = db.sessions()
    circle = session.get(Circle, ids["circle"])
    assert circle is not None
    circle.location = "Gym"
    session.flush()
    session.rollback()
    session.close()
    with db.sessions.begin() as other:
        audit.record(other, "note", "circle", "someone-else")
    assert not any(e.changes for e in audit.history(db.sessions, "someone-else"))
