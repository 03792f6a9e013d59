"""Records for retention tests: what the rule must remove, with unique words planted in every
kind of field, and what it must keep. Dates are counted back from ``today``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

from circlekeeper.core.audit import audit
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    Case,
    CaseParty,
    Circle,
    FamilyContact,
    FollowUp,
    GuardianLink,
    Note,
    Participant,
    Person,
    Signature,
)

# Each appears once, in one record the rule removes; nothing else in the file contains them.
GONE_WORDS = {
    "note": "Vexilwortha",
    "student_first": "Quorlanthe",
    "student_last": "Brindlemoss",
    "student_renamed": "Oakhurstly",  # the student's earlier last name, kept by the audit trail
    "guardian": "Farthingale",
    "demographic": "Plimsovaray",
    "harm": "Thaxtercove",
    "action": "Gorsewilde",
    "circle_title": "Merrowfield",
    "loose_title": "Juniperquay",
    "loose_note": "Wintercaspe",
    "description": "Tamblethorn",
    "contact": "Ravenhollis",
    "follow_up": "Cindersleat",
}
GONE_BIRTH_DATE = date(2003, 7, 19)
KEPT_WORDS = {
    "note": "Lindqvarrow",
    "student": "Pemberhaldt",
    "loose_title": "Ashcombrey",
    "leaver_in_kept_case": "Holloquist",
}


@dataclass
class Planted:
    gone: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)


def years_ago(today: date, years: int) -> date:
    return today.replace(year=today.year - years)


def at(day: date, hour: int = 15) -> datetime:
    return datetime.combine(day, time(hour), UTC)


def plant(db: Database, today: date, *, years: int = 5) -> Planted:
    """Old records (closed, held or archived years + 1 ago) and kept ones (1 year ago)."""
    old = years_ago(today, years + 1)
    recent = years_ago(today, 1)
    planted = Planted()
    with db.sessions.begin() as s:
        student = Person(
            first_name=GONE_WORDS["student_first"],
            last_name=GONE_WORDS["student_renamed"],
            birth_date=GONE_BIRTH_DATE,
            race_ethnicity=GONE_WORDS["demographic"],
            archived_at=at(old),
        )
        guardian = Person(
            kind="guardian", first_name="Ada", last_name=GONE_WORDS["guardian"], archived_at=at(old)
        )
        keeper = Person(kind="staff", first_name="Morgan", last_name="Keeper")
        stays = Person(first_name=KEPT_WORDS["student"], last_name="Kept")
        leaver = Person(
            first_name=KEPT_WORDS["leaver_in_kept_case"], last_name="Kept", archived_at=at(old)
        )
        s.add_all([student, guardian, keeper, stays, leaver])
        s.flush()
        s.add(GuardianLink(student_id=student.id, guardian_id=guardian.id))
        case = Case(
            referred_on=old,
            incident_category="property",
            description=GONE_WORDS["description"],
            status="closed",
            closed_on=old,
        )
        kept_case = Case(
            referred_on=recent,
            incident_category="conflict",
            description="kept case",
            status="closed",
            closed_on=recent,
        )
        s.add_all([case, kept_case])
        s.flush()
        s.add_all(
            [
                CaseParty(case_id=case.id, person_id=student.id, role="responsible"),
                CaseParty(case_id=kept_case.id, person_id=stays.id, role="harmed"),
                CaseParty(case_id=kept_case.id, person_id=leaver.id, role="responsible"),
                FamilyContact(
                    case_id=case.id,
                    person_id=guardian.id,
                    contacted_at=at(old, 9),
                    method="phone",
                    outcome=GONE_WORDS["contact"],
                ),
            ]
        )
        circle = Circle(
            kind="conference",
            title=GONE_WORDS["circle_title"],
            case_id=case.id,
            status="completed",
            facilitator_id=keeper.id,
            scheduled_at=at(old),
            ended_at=at(old, 16),
        )
        loose = Circle(
            kind="community_building",
            title=GONE_WORDS["loose_title"],
            status="completed",
            scheduled_at=at(old),
            ended_at=at(old, 16),
        )
        kept_loose = Circle(
            kind="check_in",
            title=KEPT_WORDS["loose_title"],
            status="completed",
            scheduled_at=at(recent),
            ended_at=at(recent, 16),
        )
        s.add_all([circle, loose, kept_loose])
        s.flush()
        seat = Participant(circle_id=circle.id, person_id=student.id)
        loose_seat = Participant(circle_id=loose.id, person_id=stays.id)
        kept_seat = Participant(circle_id=kept_loose.id, person_id=stays.id)
        s.add_all([seat, loose_seat, kept_seat])
        s.flush()
        s.add_all(
            [
                Note(circle_id=circle.id, participant_id=seat.id, text=GONE_WORDS["note"]),
                Note(circle_id=loose.id, privacy="record", text=GONE_WORDS["loose_note"]),
                Note(circle_id=kept_loose.id, privacy="record", text=KEPT_WORDS["note"]),
            ]
        )
        agreement = Agreement(circle_id=circle.id, case_id=case.id, harm_summary=GONE_WORDS["harm"])
        s.add(agreement)
        s.flush()
        s.add_all(
            [
                AgreementItem(
                    agreement_id=agreement.id,
                    action=GONE_WORDS["action"],
                    responsible_id=student.id,
                ),
                Signature(
                    agreement_id=agreement.id,
                    person_id=guardian.id,
                    signed_on=old,
                    as_guardian_of_id=student.id,
                ),
                FollowUp(
                    due_on=old,
                    case_id=case.id,
                    agreement_id=agreement.id,
                    purpose=GONE_WORDS["follow_up"],
                    status="done",
                ),
            ]
        )
        planted.gone = {
            "student": student.id,
            "guardian": guardian.id,
            "case": case.id,
            "circle": circle.id,
            "loose": loose.id,
            "agreement": agreement.id,
        }
        planted.kept = {
            "staff": keeper.id,
            "student": stays.id,
            "leaver": leaver.id,
            "case": kept_case.id,
            "loose": kept_loose.id,
        }
    # The student's name is corrected the way a service does it: the audit line copies both.
    with db.sessions.begin() as s:
        person = s.get(Person, planted.gone["student"])
        assert person is not None
        person.last_name = GONE_WORDS["student_last"]
        audit.record(s, "update", "person", person.uuid, actor="Morgan Keeper")
    return planted


def files_holding(folder: Path, words: list[str]) -> dict[str, list[str]]:
    """For each file under ``folder``, the words (or their last six letters) its bytes hold.

    The search index stores a word after the letters it shares with the one before it, so the
    tail is looked for too. Names are folded to lower case, as the index folds them.
    """
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes().lower()
        hits = [w for w in words if w.lower().encode() in data or w[-6:].lower().encode() in data]
        birth = GONE_BIRTH_DATE.isoformat().encode()
        if birth in data:
            hits.append(GONE_BIRTH_DATE.isoformat())
        if hits:
            found[str(path.relative_to(folder))] = hits
    return found
