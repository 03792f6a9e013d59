"""The school's MOU: recorded by staff, enforced in core for every path, each refusal audited."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CirclePlan
from circlekeeper.core.domain.enums import PersonKind, Role
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.problems import InvalidInput, NotPermitted
from circlekeeper.core.profiles.viewer import ProfileRole, Viewer
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.sro import mou
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import AuditEvent, Case, Circle

TODAY = date(2026, 3, 10)
WHEN = datetime(2026, 3, 12, 14, 0, tzinfo=UTC)
OFFICER = Viewer("Officer Reyes", ProfileRole.SRO.value)
COUNSELOR = Viewer("Ms. Ortiz", ProfileRole.COUNSELOR.value)


def _person(db: Database, first: str, kind: str = "student") -> int:
    return PeopleService(db.sessions).create(PersonData(first, "Test", kind=kind)).id  # type: ignore[arg-type]


def _case(db: Database) -> int:
    ana, kim = _person(db, "Ana"), _person(db, "Kim", PersonKind.STAFF)
    return (
        CaseService(db.sessions)
        .intake(
            CaseIntake(
                referred_on=TODAY,
                incident_category="Conflict between students",
                referral_source="teacher",
                referred_by_id=kim,
                parties=[(ana, "responsible")],
            )
        )
        .id
    )


def _refusals(db: Database) -> list[tuple[str, str, str | None, dict[str, object]]]:
    with db.sessions() as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "mou_refused").order_by(AuditEvent.id)
        ).all()
        return [(r.actor, r.entity, r.entity_uuid, json.loads(r.detail)) for r in rows]


def test_defaults_follow_federal_guidance(db: Database) -> None:
    # Given a school that has not recorded its MOU yet
    recorded = mou.load(db.sessions)
    # Then an officer only co-facilitates, takes no part in discipline, and the opening
    # statement on admissions exists in English and Spanish
    assert recorded.sro_may_lead is False
    assert recorded.sro_in_discipline is False
    assert "citation" in recorded.admissions("en")
    assert "citación" in recorded.admissions("es")
    assert recorded.law_enforcement_types


def test_staff_record_the_mou_and_it_reads_back(db: Database) -> None:
    # When a counselor records the school's own words
    saved = mou.save(
        Context(db.sessions, viewer=COUNSELOR),
        mou.Mou(
            sro_may_lead=True,
            law_enforcement_types=("  weapons ", "arson", "weapons", ""),
            admissions_en="  Admissions here may be shared with the police.  ",
            admissions_es="Lo que se admita aquí puede compartirse con la policía.",
        ),
    )
    # Then they read back tidied, and the change is on the audit trail under the counselor
    assert mou.load(db.sessions) == saved
    assert saved.law_enforcement_types == ("weapons", "arson")
    assert saved.admissions_en == "Admissions here may be shared with the police."
    with db.sessions() as session:
        line = session.scalars(select(AuditEvent).where(AuditEvent.entity == "mou")).one()
    assert line.actor == "Ms. Ortiz"


def test_an_officer_cannot_change_the_mou(db: Database) -> None:
    # When an SRO's profile tries to record the MOU
    with pytest.raises(NotPermitted, match="counselor or an administrator"):
        mou.save(Context(db.sessions, viewer=OFFICER), mou.Mou(sro_in_discipline=True))
    # Then nothing changed and the refusal names who tried
    assert mou.load(db.sessions) == mou.Mou()
    assert [(a, d["attempted"]) for a, _, _, d in _refusals(db)] == [
        ("Officer Reyes (school resource officer)", "change the MOU")
    ]


def test_a_missing_admissions_statement_is_refused(db: Database) -> None:
    with pytest.raises(InvalidInput, match="English and in Spanish"):
        mou.save(Context(db.sessions, viewer=COUNSELOR), mou.Mou(admissions_es="  "))
    assert mou.load(db.sessions) == mou.Mou()


def test_an_officer_cannot_close_a_case_or_set_its_diversion(db: Database) -> None:
    case_id = _case(db)
    cases = CaseService(Context(db.sessions, viewer=OFFICER))
    # When an SRO's profile tries to close the case or set what it was diverted from
    with pytest.raises(NotPermitted, match="takes no part in school discipline"):
        cases.close(case_id, "completed", today=TODAY)
    with pytest.raises(NotPermitted, match="takes no part in school discipline"):
        cases.set_diversion(case_id, "suspension", 2)
    # Then the case is as it was, and two audit lines say who tried what on which case
    with db.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert (case.status, case.diverted_from, case.diversion_amount) == (
            "referred",
            "none",
            None,
        )
        uuid = case.uuid
    assert [(a, e, u, d["attempted"]) for a, e, u, d in _refusals(db)] == [
        ("Officer Reyes (school resource officer)", "case", uuid, "close a case"),
        ("Officer Reyes (school resource officer)", "case", uuid, "set the diversion of a case"),
    ]


def test_a_counselor_still_closes_and_diverts(db: Database) -> None:
    case_id = _case(db)
    cases = CaseService(Context(db.sessions, viewer=COUNSELOR))
    cases.set_diversion(case_id, "suspension", 2)
    cases.close(case_id, "declined", today=TODAY)
    assert cases.detail(case_id).status == "closed"
    assert _refusals(db) == []


def test_an_officer_cannot_reopen_a_closed_case(db: Database) -> None:
    case_id = _case(db)
    CaseService(Context(db.sessions, viewer=COUNSELOR)).close(case_id, "declined", today=TODAY)
    officer = CaseService(Context(db.sessions, viewer=OFFICER))
    with pytest.raises(NotPermitted, match="cannot reopen a closed case"):
        officer.move(case_id, "monitoring", reason="changed my mind")
    assert officer.detail(case_id).status == "closed"
    assert [d["attempted"] for _, _, _, d in _refusals(db)] == ["reopen a closed case"]


def test_where_the_mou_allows_it_an_officer_may_close(db: Database) -> None:
    mou.save(Context(db.sessions, viewer=COUNSELOR), mou.Mou(sro_in_discipline=True))
    case_id = _case(db)
    CaseService(Context(db.sessions, viewer=OFFICER)).close(case_id, "declined", today=TODAY)
    assert CaseService(db.sessions).detail(case_id).status == "closed"


def _planner(db: Database, tmp_path: Path) -> CirclePlanner:
    return CirclePlanner(
        Context(db.sessions, actor="Ms. Ortiz", viewer=COUNSELOR),
        ScriptLibrary(custom_dir=tmp_path / "scripts"),
    )


def test_an_officer_cannot_be_made_lead_facilitator(db: Database, tmp_path: Path) -> None:
    planner = _planner(db, tmp_path)
    officer = _person(db, "Ben", PersonKind.SRO)
    counselor = _person(db, "Ana", PersonKind.STAFF)
    # When someone plans a conference led by the officer
    with pytest.raises(NotPermitted, match="does not lead"):
        planner.plan(CirclePlan(kind="conference", scheduled_at=WHEN, facilitator_id=officer))
    with db.sessions() as session:
        assert session.scalars(select(Circle)).all() == []
    # And when a planned circle is changed to make the officer lead, or the officer is
    # added (or re-roled) as its facilitator
    detail = planner.plan(
        CirclePlan(
            kind="conference",
            scheduled_at=WHEN,
            facilitator_id=counselor,
            co_facilitator_id=officer,
        )
    )
    with pytest.raises(NotPermitted, match="does not lead"):
        planner.update_plan(
            detail.id,
            CirclePlan(kind="conference", scheduled_at=WHEN, facilitator_id=officer),
        )
    with pytest.raises(NotPermitted, match="does not lead"):
        planner.add_participant(detail.id, _person(db, "Cal", PersonKind.SRO), Role.FACILITATOR)
    co = next(p for p in planner.detail(detail.id).participants if p.person_id == officer)
    with pytest.raises(NotPermitted, match="does not lead"):
        planner.set_role(co.id, Role.FACILITATOR.value)
    # Then the officer is still co-facilitator, and every refusal is audited with who tried
    after = planner.detail(detail.id)
    with db.sessions() as session:
        circle = session.get(Circle, detail.id)
        assert circle is not None and circle.facilitator_id == counselor
    assert {p.person_id: p.role for p in after.participants}[officer] == "co_facilitator"
    refusals = _refusals(db)
    assert len(refusals) == 4
    assert {a for a, _, _, _ in refusals} == {"Ms. Ortiz"}
    assert [u for _, _, u, _ in refusals][1:] == [detail.uuid] * 3


def test_where_the_mou_allows_it_an_officer_may_lead(db: Database, tmp_path: Path) -> None:
    mou.save(Context(db.sessions, viewer=COUNSELOR), mou.Mou(sro_may_lead=True))
    officer = _person(db, "Ben", PersonKind.SRO)
    detail = _planner(db, tmp_path).plan(
        CirclePlan(kind="community_building", scheduled_at=WHEN, facilitator_id=officer)
    )
    assert [(p.person_id, p.role) for p in detail.participants] == [(officer, "facilitator")]


def _conference(
    db: Database, tmp_path: Path, *, officer: bool = True, kind: str = "conference"
) -> int:
    planner = _planner(db, tmp_path)
    sro = _person(db, "Ben", PersonKind.SRO) if officer else None
    detail = planner.plan(
        CirclePlan(
            kind=kind,
            script_key="conference" if kind == "conference" else "community_building",
            scheduled_at=WHEN,
            facilitator_id=_person(db, "Ana", PersonKind.STAFF),
            co_facilitator_id=sro,
        )
    )
    planner.add_participant(detail.id, _person(db, "Rio"), Role.RESPONSIBLE)
    planner.add_participant(detail.id, _person(db, "Hana"), Role.HARMED)
    return detail.id


def test_a_conference_with_an_officer_opens_with_the_schools_statement(
    db: Database, tmp_path: Path
) -> None:
    # Given the school's own statement on admissions
    mou.save(
        Context(db.sessions, viewer=COUNSELOR),
        mou.Mou(
            admissions_en="Nothing said here goes to a charge.",
            admissions_es="Nada de esto va a un cargo.",
        ),
    )
    # When a conference the officer co-facilitates starts
    live = FacilitationService(db.sessions, _conference(db, tmp_path)).start()
    # Then the opening carries the statement in both languages
    assert live.officer_statement == {
        "en": "Nothing said here goes to a charge.",
        "es": "Nada de esto va a un cargo.",
    }
    # And the readiness panel's notice names the officer
    notice = _planner(db, tmp_path).officer_notice(live.circle_id) or ""
    assert "(Ben Test)" in notice and "does not lead" in notice and "opens by reading" in notice
    # And once the MOU lets the officer lead, the notice says so
    mou.save(Context(db.sessions, viewer=COUNSELOR), mou.Mou(sro_may_lead=True))
    assert "officer may lead" in (_planner(db, tmp_path).officer_notice(live.circle_id) or "")


def test_without_an_officer_there_is_no_statement_and_no_notice(
    db: Database, tmp_path: Path
) -> None:
    circle_id = _conference(db, tmp_path, officer=False)
    assert _planner(db, tmp_path).officer_notice(circle_id) is None
    assert FacilitationService(db.sessions, circle_id).start().officer_statement == {}


def _spanish_catalogue() -> dict[str, str]:
    """The core's Spanish texts from the real translation file."""
    import xml.etree.ElementTree as ET

    from circlekeeper.tools.i18n_update import ts_file

    found: dict[str, str] = {}
    for context in ET.parse(ts_file("es")).getroot().iter("context"):
        if context.findtext("name") != "core":
            continue
        for message in context.iter("message"):
            found[message.findtext("source") or ""] = message.findtext("translation") or ""
    return found


def test_an_unsaved_mou_reads_in_the_interfaces_language_and_a_saved_one_as_written(
    db: Database,
) -> None:
    from circlekeeper.core import i18n

    spanish = _spanish_catalogue()
    i18n.install(lambda text: spanish.get(text, ""))
    try:
        # Given a Spanish interface and a school that has not recorded its MOU
        shown = mou.load(db.sessions)
        # Then the officer's information and the law-enforcement matters are in Spanish
        assert shown.officer_information == spanish[mou.DEFAULT_OFFICER_INFORMATION]
        assert shown.officer_information != mou.DEFAULT_OFFICER_INFORMATION
        assert shown.law_enforcement_types == tuple(
            spanish[kind] for kind in mou.DEFAULT_LAW_ENFORCEMENT_TYPES
        )
        # When the counselor saves what the screen shows
        mou.save(Context(db.sessions, viewer=COUNSELOR), shown)
    finally:
        i18n.install(None)
    # Then it is the school's own words from now on, whatever language reads it
    assert mou.load(db.sessions).officer_information == shown.officer_information
    assert mou.load(db.sessions).law_enforcement_types == shown.law_enforcement_types
