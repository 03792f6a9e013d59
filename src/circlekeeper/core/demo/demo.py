"""A realistic demonstration database, for trying circlekeeper and for measuring it.

``small`` is about one school year at one secondary school; ``large`` is about ten years of a
district, big enough to show whether lists, searches and reports stay quick. The database is
built beside the target through the real migrations, filled with bulk inserts straight into
SQLite (the ORM would take many minutes for the large one), and renamed into place only when
complete, so a cancelled or failed build leaves nothing behind.
"""

from __future__ import annotations

import random
import sqlite3
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from circlekeeper.core.domain.eligibility import EXCLUSION_NAMES, Eligibility, encode
from circlekeeper.core.domain.enums import (
    AgreementItemKind,
    AgreementStatus,
    Attendance,
    CaseStatus,
    CircleKind,
    CircleStatus,
    ClosureReason,
    ContactMethod,
    Diversion,
    FollowUpStatus,
    NotePrivacy,
    PersonKind,
    ReferralSource,
    Role,
)
from circlekeeper.core.domain.script_snapshot import script_to_json
from circlekeeper.core.files import (
    place_without_overwriting,
    remove_leftovers,
    remove_with_journals,
    temporary_beside,
)
from circlekeeper.core.people.people import PersonData, search_text
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.problems import DatabaseProblem, disk_problem
from circlekeeper.core.text import fold

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class DemoCancelled(Exception):
    """The person asked to stop; the partly built demo was removed."""


@dataclass(frozen=True)
class DemoSummary:
    """What a demo build wrote, and how long it took."""

    path: Path
    size: str
    people: int
    cases: int
    circles: int
    participants: int
    agreements: int
    follow_ups: int
    seconds: float


@dataclass(frozen=True)
class _Plan:
    schools: tuple[tuple[str, tuple[int, ...]], ...]  # name, grades taught
    days: int  # how far back the records go
    students: int
    staff_per_school: int
    community: int
    cases: int
    circles: int
    recorded_share: float  # completed circles whose turns were kept in the app


_SMALL = _Plan(
    schools=(("Cedar Ridge Secondary School", tuple(range(6, 13))),),
    days=300,
    students=420,
    staff_per_school=36,
    community=8,
    cases=120,
    circles=700,
    recorded_share=0.6,
)
_MIDDLE = (6, 7, 8)
_HIGH = (9, 10, 11, 12)
_LARGE = _Plan(
    schools=(
        ("César Chávez Middle School", _MIDDLE),
        ("Maya Angelou Middle School", _MIDDLE),
        ("Sequoyah Middle School", _MIDDLE),
        ("Lakeview Middle School", _MIDDLE),
        ("Riverside Middle School", _MIDDLE),
        ("Pinecrest Middle School", _MIDDLE),
        ("Frederick Douglass High School", _HIGH),
        ("Cedar Ridge High School", _HIGH),
        ("Roosevelt High School", _HIGH),
        ("Westfield High School", _HIGH),
    ),
    days=3650,
    students=36_300,
    staff_per_school=250,
    community=600,
    cases=40_000,
    circles=200_000,
    recorded_share=0.12,
)
SIZES = {"small": _SMALL, "large": _LARGE}

# Given names (F female, M male) and family names (L), by heritage, after the weight and the
# race/ethnicity label (federal categories, with MENA); weights roughly follow a diverse district.
_CULTURE_TEXT = """
28 Hispanic or Latino
F María, Sofía, Valentina, Ximena, Guadalupe, Lucía, Itzel, Renata, Daniela, Camila,
F Araceli, Yesenia
M José, Alejandro, Santiago, Mateo, Francisco, Jesús, Ángel, Diego, Emiliano, Joaquín,
M Héctor, Luis
L Núñez, García, Hernández, López, Martínez, Ramírez, Pérez, Gómez, Sánchez, Castillo,
L Ibáñez, Morales, Ortiz, Peña, Rodríguez, Vargas
33 White
F Emma, Zoë, Olivia, Hannah, Chloé, Abigail, Renée, Madison, Mary-Kate, Anne-Marie, Caitlin,
F Brooke
M Liam, Jack, Owen, Wyatt, Connor, Jean-Luc, Caleb, Ethan, Logan, Mason, Henry, Søren
L Smith, Johnson, Miller, O'Brien, Kowalski, Schmidt, Anderson, Müller, Novak, MacDonald,
L Olsen, Fitzgerald, Brennan, Larsen, Ward, Becker
17 Black or African American
F Aaliyah, Imani, Nia, Zuri, Kiara, Amara, Jada, Destiny, Nneka, Aisha, Ebony, Tiana
M Jamal, DeShawn, Malik, Darnell, Tyrone, Kwame, Jaylen, Andre, Marcus, Elijah, Chinedu,
M Terrell
L Washington, Jackson, Robinson, Okafor, Williams, Banks, Coleman, Mensah, Jefferson, Osei,
L Thompson, Harris, Adeyemi, Brooks
7 Asian
F Mei, Thảo, Yuna, Hana, Linh, Jia, Ji-woo, Xiu, Sakura, Ngọc
M Minh, Wei, Hiroshi, Min-jun, Bao, Jun, Kenji, Tuấn, Hao, Seo-jun
L Nguyễn, Trần, Chen, Wang, Kim, Park, Tanaka, Lê, Zhang, Lee, Yamamoto, Phạm, Liu, Choi
4 Asian
F Priya, Ananya, Aditi, Fatima, Kavya, Sanjana, Ishita, Harpreet
M Arjun, Rohan, Aarav, Vikram, Sai, Imran, Gurpreet, Dev
L Patel, Sharma, Singh, Reddy, Iyer, Chaudhry, Gupta, Banerjee, Khan, Venkataraman
4 Middle Eastern or North African
F Layla, Yasmin, Noor, Mariam, Leila, Rania, Amal, Shirin
M Omar, Yusuf, Karim, Ali, Hassan, Tariq, Samir, Dariush
L Haddad, Al-Masri, Nasser, Khalil, Saleh, Abboud, Rahimi, El-Amin, Hosseini, Mansour
3 American Indian or Alaska Native
F Nizhoni, Shandiin, Kaya, Winona, Tala, Aiyana
M Ahiga, Dakota, Hosteen, Kele, Chayton, Takoda
L Begay, Yazzie, Tsosie, Benally, Harjo, Locklear, Nez, Two Bulls, Oxendine, Cornsilk
1 Native Hawaiian or Other Pacific Islander
F Leilani, Malia, Moana, Sina
M Keanu, Makoa, Sione, Tevita
L Kahale, Fonoti, Tuilagi, Kealoha, Fifita
"""
_EITHER = ("Alex", "Jordan", "River", "Sky", "Rowan", "Quinn", "Sam", "Jesse", "Ari", "Noor")
_NICKNAMES = {
    "Alejandro": "Alex",
    "Guadalupe": "Lupe",
    "Francisco": "Paco",
    "Jesús": "Chuy",
    "Daniela": "Dani",
    "Valentina": "Vale",
    "Abigail": "Abby",
    "Caitlin": "Cait",
    "Elijah": "Eli",
    "Marcus": "Marc",
    "Chinedu": "Chi",
    "Ananya": "Anu",
    "Venkataraman": "Venk",
    "Harpreet": "Preet",
    "Nizhoni": "Niz",
    "Yusuf": "Joe",
    "Kwame": "Kay",
    "Min-jun": "Daniel",
}

_CATEGORIES = (
    ("Conflict between students", 22),
    ("Disrespect to staff", 14),
    ("Bullying", 10),
    ("Social media harassment", 9),
    ("Fighting", 10),
    ("Vandalism", 6),
    ("Theft", 6),
    ("Classroom disruption", 12),
    ("Attendance and truancy", 6),
    ("Harmful language", 5),
)
_DESCRIPTIONS = {
    "Conflict between students": "An argument between students grew over several days.",
    "Disrespect to staff": "A student swore at a teacher after being asked to put a phone away.",
    "Bullying": "A student was repeatedly mocked and left out by a group of classmates.",
    "Social media harassment": "Hurtful posts about a student were shared in a group chat.",
    "Fighting": "Two students fought; both had minor scrapes and no one needed a doctor.",
    "Vandalism": "Graffiti was drawn on the wall of a restroom and a stall door was damaged.",
    "Theft": "Headphones were taken from a backpack during PE.",
    "Classroom disruption": "Repeated outbursts stopped a lesson several times in one week.",
    "Attendance and truancy": "A student has missed many first periods since the term began.",
    "Harmful language": "A slur was used toward a classmate in the hallway.",
}
_LOCATIONS = (
    "Cafeteria",
    "Hallway B",
    "Gym",
    "Bus 14",
    "Room 204",
    "Library",
    "Parking lot",
    "Online",
    "Locker room",
    "Courtyard",
    "Science lab",
    "Main office",
)
# The incident vocabulary entry (migration 0007) each demo category is recorded as.
_CATEGORY_TYPES = {
    "Conflict between students": "conflict",
    "Disrespect to staff": "disrespect",
    "Bullying": "bullying",
    "Social media harassment": "harassment",
    "Fighting": "fighting",
    "Vandalism": "property_damage",
    "Theft": "theft",
    "Classroom disruption": "disruption",
    "Attendance and truancy": "truancy",
    "Harmful language": "harmful_language",
}
# Hour of day and weight: passing times and lunch are when most incidents happen.
_INCIDENT_HOURS = (
    (7, 4),
    (8, 10),
    (9, 8),
    (10, 11),
    (11, 15),
    (12, 17),
    (13, 10),
    (14, 12),
    (15, 9),
    (16, 4),
)
_ROOMS = ("Counseling office", "Room 112", "Library", "Conference room", "Room 204", "Gym")
_PRONOUNS = ("she/her", "he/him", "they/them", "she/they", "he/they")
_RELATIONS = (
    ("Mother", 40),
    ("Father", 30),
    ("Grandmother", 10),
    ("Aunt", 5),
    ("Stepfather", 4),
    ("Foster parent", 4),
    ("Legal guardian", 4),
    ("Uncle", 3),
)
_STAFF_TITLES = (
    ("Counselor", 3),
    ("Restorative practices coordinator", 1),
    ("Principal", 1),
    ("Assistant principal", 2),
    ("Dean of students", 1),
    ("Social worker", 1),
    ("School psychologist", 1),
    ("Campus monitor", 1),
)
_TEACHING = ("Mathematics", "English", "Science", "History", "Art", "Music", "PE", "Spanish")
_COMMUNITY_TITLES = ("Youth pastor", "Soccer coach", "Store manager", "Neighbor", "Mentor")
_PROACTIVE = (
    (CircleKind.COMMUNITY_BUILDING, 30, 14, "Community circle"),
    (CircleKind.CHECK_IN, 18, 9, "Morning check-in"),
    (CircleKind.ACADEMIC, 10, 12, "Content circle"),
    (CircleKind.NORM_SETTING, 8, 14, "Class agreements"),
    (CircleKind.PROBLEM_SOLVING, 7, 7, "Problem-solving circle"),
    (CircleKind.INDIVIDUAL_SUPPORT, 8, 3, "Support circle"),
    (CircleKind.GRIEF, 3, 8, "Grief circle"),
    (CircleKind.CELEBRATION, 6, 12, "Celebration circle"),
    (CircleKind.STAFF, 6, 8, "Staff circle"),
    (CircleKind.FAMILY, 4, 6, "Family circle"),
)
_PURPOSES = {
    CircleKind.COMMUNITY_BUILDING: "Get to know each other and build trust in the group.",
    CircleKind.CHECK_IN: "Start the day by hearing how everyone is arriving.",
    CircleKind.ACADEMIC: "Share what we understood and what still puzzles us.",
    CircleKind.NORM_SETTING: "Agree how we want to treat each other this term.",
    CircleKind.PROBLEM_SOLVING: "Find a way through a problem the group shares.",
    CircleKind.INDIVIDUAL_SUPPORT: "Gather the adults who can help one student succeed.",
    CircleKind.GRIEF: "Make room to remember and support each other after a loss.",
    CircleKind.CELEBRATION: "Mark what the group achieved together.",
    CircleKind.STAFF: "Staff reflect on the week and support each other.",
    CircleKind.FAMILY: "Families and school talk about how to work together.",
    CircleKind.HARM_REPAIR: "Understand the harm done and agree how to repair it.",
    CircleKind.CONFERENCE: "Formal conference: hear from everyone affected and agree on repair.",
    CircleKind.PRE_MEETING: "Prepare one party for the conference and hear their story.",
    CircleKind.COMPLETION_MEETING: "Check that the agreement was kept and close the case.",
    CircleKind.REENTRY: "Welcome the student back and plan support for the return.",
}
_ITEMS = (
    (AgreementItemKind.APOLOGY, "Write a letter of apology, in the form the harmed person chose."),
    (AgreementItemKind.RESTITUTION, "Pay for the damaged item in three instalments."),
    (AgreementItemKind.SERVICE, "Help the custodial staff after school for four afternoons."),
    (AgreementItemKind.COUNSELLING, "Attend three sessions with the school counselor."),
    (AgreementItemKind.BEHAVIOUR, "Stay away from the group chat where the posts were shared."),
    (AgreementItemKind.BEHAVIOUR, "Ask for a break pass instead of leaving class."),
    (AgreementItemKind.SCHOOL_SUPPORT, "The school arranges a weekly check-in with a mentor."),
    (AgreementItemKind.OTHER, "Present what was learned to the advisory class."),
)
_NOTES = (
    "Both students spoke openly in the main round.",
    "Talking piece passed twice in a row at the start; group settled after the values round.",
    "Guardian asked for a copy of the agreement.",
    "Follow up on the student's worry about the bus ride home.",
    "Harmed student said the apology mattered more than anything else.",
    "Group asked to meet again before the holidays.",
)
# What stops a demo case that is "not restorable": one of the screen's exclusions, or the
# facilitator's halt (never the old panel's unspecified referral, which new screens cannot set).
_EXCLUDED = (*(n for n in EXCLUSION_NAMES if n != "referral_unspecified"), "halted")

# Columns written per table, parents before children; every table also gets the four
# record columns (id, uuid, created_at, updated_at) first.
_COLUMN_TEXT = """
person: kind first_name last_name preferred_name pronouns grade school external_id
    birth_date email phone title gender race_ethnicity disability english_learner low_income
    search_text archived_at
guardian_link: student_id guardian_id relationship_label can_consent
case_file: referred_on referral_source referred_by_id incident_category incident_on location
    incident_type_id incident_time
    description status closure_reason closed_on eligibility diverted_from diversion_amount
    consequence_reinstated school
case_party: case_id person_id role
family_contact: case_id person_id contacted_at method outcome staff_name
circle: kind title purpose scheduled_at planned_minutes location status started_at ended_at
    case_id facilitator_id co_facilitator_id script_key script_snapshot
participant: circle_id person_id role supporter_of_id seat_position pre_meeting_held consent
    guardian_consent attendance joined_at left_at
stage_record: circle_id stage_index started_at ended_at
turn: circle_id stage_index round_number participant_id passed started_at duration_ms
note: circle_id stage_index participant_id privacy author text
agreement: circle_id case_id version previous_id status harm_summary if_not_kept
    follow_up_on follow_up_by_id agreed_on closed_on
agreement_item: agreement_id position kind action responsible_id due_on verification
    verifier_id supporter_id completed_on completion_note
signature: agreement_id person_id signed_on as_guardian_of_id
follow_up: due_on status purpose responsible_id case_id circle_id agreement_id
    agreement_item_id done_on outcome
hand_off: case_id circle_id handed_to recipient handed_on shared basis threat returned_on
    return_note reentry_circle_id
disclosure: person_id kind disclosed_on recipient shared basis reason disclosed_by case_id
    hand_off_id agreement_id
"""
_COLUMNS: dict[str, tuple[str, ...]] = {
    table.strip(): ("id", "uuid", "created_at", "updated_at", *names.split())
    for table, names in (
        line.split(":") for line in _COLUMN_TEXT.replace("\n    ", " ").strip().splitlines()
    )
}


Member = tuple[int, str, int | None]  # person, role, supporter of person
Culture = tuple[int, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def _parse_cultures(text: str) -> tuple[Culture, ...]:
    cultures: list[Culture] = []
    lists: dict[str, list[str]] = {}
    head = ""
    for line in text.strip().splitlines():
        if line[0].isdigit():
            if head:
                cultures.append(_culture(head, lists))
            head, lists = line, {"F": [], "M": [], "L": []}
        else:
            lists[line[0]].extend(n.strip() for n in line[2:].split(",") if n.strip())
    cultures.append(_culture(head, lists))
    return tuple(cultures)


def _culture(head: str, lists: dict[str, list[str]]) -> Culture:
    weight, race = head.split(" ", 1)
    return int(weight), race, tuple(lists["F"]), tuple(lists["M"]), tuple(lists["L"])


_CULTURES = _parse_cultures(_CULTURE_TEXT)

# Kinds without a built-in script of their own borrow the nearest one.
_SCRIPT_FOR_KIND: dict[CircleKind, str] = {
    CircleKind.COMMUNITY_BUILDING: "community_building",
    CircleKind.CHECK_IN: "check_in_out",
    CircleKind.ACADEMIC: "academic",
    CircleKind.PROBLEM_SOLVING: "problem_solving",
    CircleKind.HARM_REPAIR: "harm_repair",
    CircleKind.REENTRY: "reentry",
    CircleKind.STAFF: "staff",
    CircleKind.CONFERENCE: "conference",
    CircleKind.PRE_MEETING: "problem_solving",
    CircleKind.COMPLETION_MEETING: "problem_solving",
    CircleKind.INDIVIDUAL_SUPPORT: "problem_solving",
    CircleKind.FAMILY: "community_building",
}


# Where an excluded demo case is handed, and on which FERPA basis.
_HAND_OFF_FOR: dict[str, tuple[str, str]] = {
    "credible_threat": ("btam", "health_safety_emergency"),
    "title_ix": ("title_ix", "school_official"),
    "sexual_harm": ("title_ix", "school_official"),
    "child_protection": ("child_protection", "state_law_report"),
    "police_matter": ("police", "law_enforcement_unit"),
}
_RECIPIENTS = {
    "btam": "Threat assessment team lead",
    "title_ix": "Title IX coordinator",
    "child_protection": "County child protection intake",
    "police": "School resource officer (law-enforcement unit)",
    "mental_health": "School-based mental-health clinician",
}


class _Writer:
    """Buffers rows per table and writes them with executemany in large batches."""

    def __init__(self, conn: sqlite3.Connection, cancelled: Cancelled | None) -> None:
        self._conn = conn
        self._cancelled = cancelled
        self._rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in _COLUMNS}
        self._sql = {
            t: f"INSERT INTO {t} ({', '.join(c)}) VALUES ({', '.join('?' * len(c))})"
            for t, c in _COLUMNS.items()
        }
        self.counts: dict[str, int] = dict.fromkeys(_COLUMNS, 0)

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        rows = self._rows[table]
        rows.append(row)
        self.counts[table] += 1
        if len(rows) >= 20_000:
            # Parents first, so every foreign key already has its row.
            self.flush_all()

    def flush(self, table: str) -> None:
        self.check()
        rows = self._rows[table]
        if rows:
            self._conn.executemany(self._sql[table], rows)
            rows.clear()

    def flush_all(self) -> None:
        for table in _COLUMNS:  # listed parents before children
            self.flush(table)

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise DemoCancelled("The demo build was stopped; nothing was kept.")


def _ts(moment: datetime) -> str:
    # Exactly what UTCDateTime writes, so rows read back the same as ORM-written ones.
    return moment.isoformat(timespec="microseconds")


def _b(value: bool | None) -> int | None:
    return None if value is None else int(value)


class _Builder:
    """Generates the demo's records; ids are assigned here so rows can point at each other."""

    def __init__(self, plan: _Plan, writer: _Writer, seed: int, today: date) -> None:
        self.plan = plan
        self.w = writer
        self.rng = random.Random(seed)
        self.today = today
        self.now = datetime(today.year, today.month, today.day, 12, tzinfo=UTC)
        self.ids: dict[str, int] = dict.fromkeys(_COLUMNS, 0)
        self.library = ScriptLibrary()
        self.snapshots: dict[str, str] = {}
        self.names: dict[int, str] = {}
        self.students: dict[str, list[int]] = {}
        self.students_by_grade: dict[tuple[str, int], list[int]] = {}
        self.guardians_of: dict[int, list[int]] = {}
        self.staff: dict[tuple[str, str], list[int]] = {}  # (school, role) -> ids
        self.teachers: dict[str, list[int]] = {}
        self.community: list[int] = []
        self.student_ids: set[int] = set()
        # How likely each student is to be referred: the disproportion equity reviews look for.
        self.referral_weight: dict[int, float] = {}
        self._pupil_weights: dict[str, list[float]] = {}
        self.incident_types: dict[str, int] = {}
        self.student_numbers = self.rng.sample(range(100_000, 999_999), plan.students + 10)
        culture_weights = [c[0] for c in _CULTURES]
        self._culture_weights = culture_weights

    # -- helpers --------------------------------------------------------------------------------

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def record(self, table: str, moment: datetime) -> tuple[int, str, str, str]:
        rid = self.next_id(table)
        stamp = _ts(moment)
        return rid, str(uuid.UUID(int=self.rng.getrandbits(128), version=4)), stamp, stamp

    def day(self, back_from: int = 0, back_to: int | None = None) -> date:
        """A school day between ``back_to`` and ``back_from`` days before today."""
        span = self.plan.days if back_to is None else back_to
        when = self.today - timedelta(days=self.rng.randint(back_from, max(back_from, span)))
        if when.weekday() >= 5:
            when -= timedelta(days=when.weekday() - 4)
        return when

    def hand_off(
        self, case_id: int, excluded_for: str, referred: date, students: list[int]
    ) -> None:
        """An excluded case handed to the team it belongs with, and its students' disclosure
        lines. A random generator of its own keeps every other demo figure as it was."""
        found = _HAND_OFF_FOR.get(excluded_for)
        if found is None:  # weapons, injury, a halt: school discipline, not a hand-off
            return
        to, basis = found
        rng = random.Random(case_id)
        on = min(self.today, referred + timedelta(days=rng.randint(0, 3)))
        stamp = _ts(self.at_fixed(on))
        recipient = _RECIPIENTS[to]
        shared = "The referral, the incident date and the eligibility screen."
        threat = "A threat of harm was reported." if basis == "health_safety_emergency" else None
        hid = self.next_id("hand_off")
        self.w.add(
            "hand_off",
            (hid, str(uuid.UUID(int=rng.getrandbits(128), version=4)), stamp, stamp, case_id,
             None, to, recipient, on, shared, basis, threat, None, None, None),
        )  # fmt: skip
        for student in students:
            did = self.next_id("disclosure")
            self.w.add(
                "disclosure",
                (did, str(uuid.UUID(int=rng.getrandbits(128), version=4)), stamp, stamp,
                 student, "hand_off", on, recipient, shared, basis, threat, "Demo counselor",
                 case_id, hid, None),
            )  # fmt: skip

    @staticmethod
    def at_fixed(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, 16, tzinfo=UTC)

    def at(self, day: date, hour: int | None = None) -> datetime:
        hour = self.rng.randint(13, 21) if hour is None else hour  # school hours, US, in UTC
        return datetime(
            day.year, day.month, day.day, hour, self.rng.choice((0, 15, 30, 45)), tzinfo=UTC
        )

    def pick(self, items: Sequence[tuple[Any, int]]) -> Any:
        return self.rng.choices([i[0] for i in items], [i[1] for i in items])[0]

    # -- people ---------------------------------------------------------------------------------

    def person(
        self,
        kind: str,
        culture: tuple[int, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]],
        *,
        last: str | None = None,
        grade: int | None = None,
        school: str | None = None,
        title: str | None = None,
        adult: bool = False,
        external_id: str | None = None,
    ) -> int:
        rng = self.rng
        gender = rng.choices(("Female", "Male", "Nonbinary"), (49, 49, 2))[0]
        pool = culture[2] if gender == "Female" else culture[3]
        if gender == "Nonbinary" or rng.random() < 0.03:
            pool = pool + _EITHER
        first = rng.choice(pool)
        if last is None:
            last = rng.choice(culture[4])
            if culture[1] == "Hispanic or Latino" and rng.random() < 0.2:
                last = f"{last}-{rng.choice(culture[4])}"
            elif rng.random() < 0.03:
                last = f"{last}-{rng.choice(rng.choice(_CULTURES)[4])}"
        preferred = None
        pronouns = None
        if kind == PersonKind.STUDENT:
            if first in _NICKNAMES and rng.random() < 0.5:
                preferred = _NICKNAMES[first]
            elif rng.random() < 0.03:
                preferred = rng.choice(_EITHER)
            if gender == "Nonbinary":
                pronouns = "they/them"
            elif rng.random() < 0.15:
                pronouns = rng.choice(_PRONOUNS[:2] if gender == "Female" else _PRONOUNS)
                if gender == "Female" and pronouns == "he/him":
                    pronouns = "she/her"
        elif adult and rng.random() < 0.3:
            pronouns = "she/her" if gender == "Female" else "he/him"
        created = self.at(self.today - timedelta(days=self.plan.days + rng.randint(1, 60)), 14)
        birth = None
        if grade is not None:
            start = self.today.year - (1 if self.today.month < 8 else 0)
            birth = date(start - grade - 6, 9, 1) + timedelta(days=rng.randint(0, 364))
        slug = "".join(c for c in fold(f"{first}.{last}") if c.isalnum() or c == ".")
        email = phone = None
        if kind == PersonKind.STAFF or kind == PersonKind.SRO:
            email = f"{slug}@riverbend.k12.example"
        elif kind == PersonKind.GUARDIAN:
            phone = f"({rng.choice((206, 312, 505, 602, 713))}) 555-01{rng.randint(0, 99):02d}"
            email = f"{slug}{rng.randint(1, 99)}@mail.example" if rng.random() < 0.7 else None
        elif kind == PersonKind.STUDENT and rng.random() < 0.8:
            email = f"{slug}{rng.randint(10, 99)}@students.riverbend.example"
        race = culture[1] if rng.random() > 0.06 else "Two or more races"
        student = kind == PersonKind.STUDENT
        disability, learner, low_income = (
            rng.random() < 0.14,
            rng.random() < 0.11,
            rng.random() < 0.45,
        )
        data = PersonData(first, last, kind, preferred, None, None, None, external_id)
        archived = None
        if student and rng.random() < 0.03:
            archived = _ts(self.now - timedelta(days=rng.randint(1, 120)))
        pid, puuid, stamp, _ = self.record("person", created)
        self.w.add(
            "person",
            (
                pid,
                puuid,
                stamp,
                stamp,
                kind,
                first,
                last,
                preferred,
                pronouns,
                None if grade is None else str(grade),
                school,
                external_id,
                None if birth is None else birth.isoformat(),
                email,
                phone,
                title,
                gender if student or rng.random() < 0.5 else None,
                race if student else None,
                _b(disability) if student else None,
                _b(learner) if student else None,
                _b(low_income) if student else None,
                search_text(data),
                archived,
            ),
        )
        self.names[pid] = f"{preferred or first} {last}"
        if student:
            self.student_ids.add(pid)
            self.referral_weight[pid] = _referral_weight(race, gender, disability, low_income)
        return pid

    def culture(self) -> tuple[int, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        return self.rng.choices(_CULTURES, self._culture_weights)[0]

    def build_people(self, tick: Callable[[int], None]) -> None:
        rng = self.rng
        plan = self.plan
        for school, _grades in plan.schools:
            for title, count in _STAFF_TITLES:
                role = title.split()[0].lower()
                for _ in range(count if len(plan.schools) == 1 else count + 1):
                    sid = self.staff_member(school, title)
                    self.staff.setdefault((school, role), []).append(sid)
            sro = self.person(
                PersonKind.SRO,
                self.culture(),
                school=school,
                adult=True,
                title="School resource officer",
                external_id=f"E{self.ids['person'] + 1:06d}",
            )
            self.staff[(school, "sro")] = [sro]
            teachers = plan.staff_per_school - sum(c for _, c in _STAFF_TITLES) - 1
            self.teachers[school] = [
                self.staff_member(school, f"Teacher, {rng.choice(_TEACHING)}")
                for _ in range(teachers)
            ]
            tick(plan.staff_per_school)
        for _ in range(plan.community):
            self.community.append(
                self.person(
                    PersonKind.COMMUNITY,
                    self.culture(),
                    adult=True,
                    title=rng.choice(_COMMUNITY_TITLES),
                )
            )
        made = 0
        while made < plan.students:
            culture = self.culture()
            school, grades = rng.choice(plan.schools)
            family = rng.choice(culture[4])
            children = []
            for _ in range(rng.choices((1, 2, 3), (70, 25, 5))[0]):
                grade = rng.choice(grades)
                number = self.student_numbers[made]
                sid = self.person(
                    PersonKind.STUDENT,
                    culture,
                    last=family,
                    grade=grade,
                    school=school,
                    external_id=f"S{number}",
                )
                self.students.setdefault(school, []).append(sid)
                self.students_by_grade.setdefault((school, grade), []).append(sid)
                children.append(sid)
                made += 1
            guardians = rng.choices((0, 1, 2), (60, 35, 5))[0]
            for _ in range(guardians):
                same = rng.random() < 0.75
                gid = self.person(
                    PersonKind.GUARDIAN,
                    culture if same else self.culture(),
                    last=family if same else None,
                    adult=True,
                )
                label = self.pick(_RELATIONS)
                for child in children:
                    self.guardians_of.setdefault(child, []).append(gid)
                    lid, luuid, stamp, _ = self.record("guardian_link", self.now)
                    self.w.add(
                        "guardian_link",
                        (
                            lid,
                            luuid,
                            stamp,
                            stamp,
                            child,
                            gid,
                            label,
                            _b(label != "Uncle" or rng.random() < 0.3),
                        ),
                    )
            tick(len(children))

    def staff_member(self, school: str, title: str) -> int:
        return self.person(
            PersonKind.STAFF,
            self.culture(),
            school=school,
            title=title,
            adult=True,
            external_id=f"E{self.ids['person'] + 1:06d}",
        )

    # -- circles --------------------------------------------------------------------------------

    def script_for(self, kind: CircleKind, status: CircleStatus) -> tuple[str | None, str | None]:
        """The built-in script a demo circle uses; only planned circles carry the snapshot.

        A planned demo circle must be startable in the facilitator view, which runs from the
        snapshot; storing it on every past circle would add about a gigabyte to the large demo.
        """
        key = _SCRIPT_FOR_KIND.get(kind, "community_building")
        if status is not CircleStatus.PLANNED:
            return key, None
        if key not in self.snapshots:
            self.snapshots[key] = script_to_json(self.library.get(key))
        return key, self.snapshots[key]

    def circle(
        self,
        kind: CircleKind,
        title: str,
        when: datetime,
        members: list[Member],
        *,
        case_id: int | None = None,
        cancelled: bool = False,
        principals: frozenset[int] = frozenset(),
    ) -> tuple[int, str, dict[int, int]]:
        """Write one circle with its participants (person, role, supporter of person)."""
        rng = self.rng
        planned = when > self.now
        status = (
            CircleStatus.CANCELLED
            if cancelled
            else (CircleStatus.PLANNED if planned else CircleStatus.COMPLETED)
        )
        minutes = {
            CircleKind.CONFERENCE: 90,
            CircleKind.CHECK_IN: 15,
            CircleKind.PRE_MEETING: 30,
        }.get(kind, rng.choice((30, 40, 45, 60)))
        facilitator = members[0][0]
        co = next((m[0] for m in members if m[1] == Role.CO_FACILITATOR), None)
        started = ended = None
        if status is CircleStatus.COMPLETED:
            started = when + timedelta(minutes=rng.randint(0, 8))
            ended = started + timedelta(minutes=max(10, int(minutes * rng.uniform(0.7, 1.3))))
        created = when - timedelta(days=rng.randint(1, 10))
        cid, cuuid, stamp, _ = self.record("circle", created)
        self.w.add(
            "circle",
            (
                cid,
                cuuid,
                stamp,
                _ts(ended or created),
                kind.value,
                title,
                _PURPOSES[kind],
                _ts(when),
                minutes,
                rng.choice(_ROOMS),
                status.value,
                None if started is None else _ts(started),
                None if ended is None else _ts(ended),
                case_id,
                facilitator,
                co,
                *self.script_for(kind, status),
            ),
        )
        first = self.ids["participant"] + 1
        pids = {person: first + n for n, (person, _, _) in enumerate(members)}
        self.ids["participant"] += len(members)
        present: list[tuple[int, int]] = []
        for n, (person, role, supports) in enumerate(members):
            pid = pids[person]
            attendance = Attendance.INVITED
            joined = left = None
            if status is CircleStatus.COMPLETED and started is not None and ended is not None:
                attendance = (
                    Attendance.PRESENT
                    if person in principals or n == 0
                    else self.pick(
                        (
                            (Attendance.PRESENT, 88),
                            (Attendance.ABSENT, 5),
                            (Attendance.JOINED_LATE, 4),
                            (Attendance.LEFT_EARLY, 3),
                        )
                    )
                )
                if attendance is not Attendance.ABSENT:
                    joined, left = started, ended
                    if attendance is Attendance.JOINED_LATE:
                        joined = started + timedelta(minutes=rng.randint(3, 15))
                    elif attendance is Attendance.LEFT_EARLY:
                        left = ended - timedelta(minutes=rng.randint(3, 15))
                    present.append((pid, person))
            student = person in self.student_ids
            consent = status is not CircleStatus.CANCELLED and (not planned or rng.random() < 0.7)
            self.w.add(
                "participant",
                (
                    pid,
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    stamp,
                    stamp,
                    cid,
                    person,
                    role,
                    None if supports is None else pids.get(supports),
                    n,
                    _b(person in principals and kind is not CircleKind.PRE_MEETING),
                    _b(consent),
                    _b(consent) if student else None,
                    attendance.value,
                    None if joined is None else _ts(joined),
                    None if left is None else _ts(left),
                ),
            )
        if (
            status is CircleStatus.COMPLETED
            and started is not None
            and ended is not None
            and rng.random() < self.plan.recorded_share
        ):
            self.record_run(cid, started, ended, present, facilitator)
        return cid, status.value, pids

    def record_run(
        self,
        circle_id: int,
        started: datetime,
        ended: datetime,
        present: list[tuple[int, int]],
        facilitator: int,
    ) -> None:
        """Stages, talking-piece turns and notes of a circle run in the app."""
        rng = self.rng
        stages = 8
        step = (ended - started) / stages
        for index in range(stages):
            rid, ruuid, stamp, _ = self.record("stage_record", started)
            begin = started + step * index
            self.w.add(
                "stage_record",
                (
                    rid,
                    ruuid,
                    stamp,
                    stamp,
                    circle_id,
                    index,
                    _ts(begin),
                    _ts(begin + step),
                ),
            )
        rounds = (
            ((3, 1), (4, 1), (4, 2), (6, 1)) if rng.random() < 0.5 else ((3, 1), (4, 1), (6, 1))
        )
        for stage, round_number in rounds:
            moment = started + step * stage
            for pid, _person in present:
                passed = rng.random() < (0.12 if stage == 3 else 0.06)
                duration = rng.randint(2_000, 6_000) if passed else rng.randint(8_000, 95_000)
                tid, tuuid, stamp, _ = self.record("turn", moment)
                self.w.add(
                    "turn",
                    (
                        tid,
                        tuuid,
                        stamp,
                        stamp,
                        circle_id,
                        stage,
                        round_number,
                        pid,
                        _b(passed),
                        _ts(moment),
                        duration,
                    ),
                )
                moment += timedelta(milliseconds=duration)
        for _ in range(rng.randint(1, 3)):
            nid, nuuid, stamp, _ = self.record("note", ended)
            about = rng.choice(present)[0] if present and rng.random() < 0.4 else None
            privacy = NotePrivacy.PRIVATE if rng.random() < 0.6 else NotePrivacy.RECORD
            self.w.add(
                "note",
                (
                    nid,
                    nuuid,
                    stamp,
                    stamp,
                    circle_id,
                    rng.choice((3, 4, 6)),
                    about,
                    privacy.value,
                    self.names[facilitator],
                    rng.choice(_NOTES),
                ),
            )

    def build_proactive(self, count: int, tick: Callable[[int], None]) -> None:
        rng = self.rng
        kinds = [(k, w) for k, w, _, _ in _PROACTIVE]
        details = {k: (size, label) for k, _, size, label in _PROACTIVE}
        for n in range(count):
            kind = self.pick(kinds)
            size, label = details[kind]
            school, grades = rng.choice(self.plan.schools)
            grade = rng.choice(grades)
            helpers = self.staff[(school, "counselor")] + self.staff[(school, "restorative")]
            keeper = rng.choice(helpers if rng.random() < 0.4 else self.teachers[school])
            members: list[Member] = [(keeper, Role.FACILITATOR, None)]
            wanted = max(2, size + rng.randint(-3, 3))
            if kind is CircleKind.STAFF:
                pool = self.teachers[school] + self.staff[(school, "assistant")]
                people = rng.sample(pool, min(wanted, len(pool)))
                title = f"{label}, {school}"
            elif kind in (CircleKind.FAMILY, CircleKind.INDIVIDUAL_SUPPORT):
                student = rng.choice(self.students_by_grade.get((school, grade), [keeper]))
                people = [student, *self.guardians_of.get(student, [])]
                people.append(rng.choice(self.teachers[school]))
                title = f"{label} for {self.names[student]}"
            else:
                pool = self.students_by_grade.get((school, grade), [])
                people = rng.sample(pool, min(wanted, len(pool)))
                title = f"{label}, grade {grade}"
            seen = {keeper}
            for person in people:
                if person not in seen:
                    seen.add(person)
                    members.append((person, Role.MEMBER, None))
            when = self.at(self.day())
            if rng.random() < 0.04:
                when = self.at(self.today + timedelta(days=rng.randint(1, 14)))
            self.circle(kind, title, when, members, cancelled=rng.random() < 0.03)
            if n % 500 == 499:
                tick(500)
        tick(count % 500)

    # -- cases ----------------------------------------------------------------------------------

    def build_sro_log(self, conn: sqlite3.Connection) -> None:
        """Each school's officer: a year of activities by triad role, and their training."""
        from circlekeeper.core.demo.sro import add_sro_log

        officers = [self.names[ids[0]] for (_s, role), ids in self.staff.items() if role == "sro"]
        add_sro_log(
            conn,
            self.rng,
            officers,
            sorted(self.student_ids),
            self.incident_types,
            self.day,
            self.now,
            per_officer=150 + self.plan.cases // 10,
        )

    def build_cases(self, tick: Callable[[int], None]) -> None:
        for n in range(self.plan.cases):
            self.case()
            if n % 200 == 199:
                tick(200)
        tick(self.plan.cases % 200)

    def case(self) -> None:
        rng = self.rng
        school, _grades = rng.choice(self.plan.schools)
        pupils = self.students[school]
        category = self.pick(_CATEGORIES)
        referred = self.day(1)
        age = (self.today - referred).days
        responsible = [self.referred_pupil(school)]
        harmed: list[int] = []
        mutual = category in ("Fighting", "Conflict between students") and rng.random() < 0.5
        if category in ("Disrespect to staff", "Classroom disruption"):
            harmed = [rng.choice(self.teachers[school])]
        elif category == "Vandalism":
            harmed = [rng.choice(self.staff[(school, "assistant")])]
        elif category == "Attendance and truancy":
            harmed = []
        else:
            harmed = [rng.choice(pupils) for _ in range(rng.choices((1, 2), (80, 20))[0])]
        if mutual or (category == "Fighting" and rng.random() < 0.5):
            responsible.append(rng.choice(pupils))
        harmed = [h for h in dict.fromkeys(harmed) if h not in responsible]
        responsible = list(dict.fromkeys(responsible))

        source = self.pick(
            (
                (ReferralSource.TEACHER, 40),
                (ReferralSource.ADMINISTRATOR, 25),
                (ReferralSource.COUNSELOR, 12),
                (ReferralSource.SRO, 8),
                (ReferralSource.PARENT, 6),
                (ReferralSource.STUDENT, 6),
                (ReferralSource.OTHER, 3),
            )
        )
        by = self.referrer(source, school, responsible[0])

        # Where the case has got to depends on how long ago it was referred.
        if age < 4:
            status = CaseStatus.REFERRED
        elif age < 8:
            status = rng.choice((CaseStatus.REFERRED, CaseStatus.SCREENED))
        elif age < 20:
            status = CaseStatus.PREPARING
        elif age < 45:
            status = self.pick(
                ((CaseStatus.HELD, 30), (CaseStatus.MONITORING, 60), (CaseStatus.CLOSED, 10))
            )
        else:
            status = self.pick(((CaseStatus.CLOSED, 92), (CaseStatus.MONITORING, 8)))
        closure = None
        if status is CaseStatus.CLOSED:
            closure = self.pick(
                (
                    (ClosureReason.COMPLETED, 62),
                    (ClosureReason.PARTIALLY_COMPLETED, 14),
                    (ClosureReason.DECLINED, 9),
                    (ClosureReason.NOT_RESTORABLE, 6),
                    (ClosureReason.NOT_COMPLETED, 9),
                )
            )
        diverted = self.pick(
            (
                (Diversion.NONE, 42),
                (Diversion.SUSPENSION, 44),
                (Diversion.CITATION, 9 if source is ReferralSource.SRO else 3),
                (Diversion.EXPULSION, 1),
                (Diversion.ARREST, 1),
            )
        )
        amount = (
            rng.randint(1, 5)
            if diverted is Diversion.SUSPENSION
            else (1 if diverted is not Diversion.NONE else None)
        )
        eligibility = None
        excluded_for: str | None = None
        if status is not CaseStatus.REFERRED:
            # Written through the same model the case screen reads, so the demo's screened
            # cases show their answers instead of "not yet known".
            answers = Eligibility(
                responsibility_admitted=closure is not ClosureReason.NOT_RESTORABLE,
                participation_voluntary=closure is not ClosureReason.DECLINED,
                guardian_consent=closure is not ClosureReason.DECLINED,
            )
            if closure is ClosureReason.NOT_RESTORABLE and rng.random() < 0.5:
                excluded_for = rng.choice(_EXCLUDED)
                answers = answers.with_changes({excluded_for: True})
            eligibility = encode(answers)

        held = status in (CaseStatus.HELD, CaseStatus.MONITORING, CaseStatus.CLOSED) and (
            closure not in (ClosureReason.DECLINED, ClosureReason.NOT_RESTORABLE)
        )
        main_day = referred + timedelta(days=rng.randint(5, 18))
        if status is CaseStatus.PREPARING:
            main_day = self.today + timedelta(days=rng.randint(1, 10))
        elif held and main_day >= self.today:
            main_day = self.today - timedelta(days=1)
        closed_on = None
        if status is CaseStatus.CLOSED:
            last = main_day if held else referred + timedelta(days=rng.randint(3, 10))
            closed_on = min(
                self.today, last + timedelta(days=rng.randint(0 if not held else 14, 50))
            )
        reinstated = closure is ClosureReason.NOT_COMPLETED and diverted is not Diversion.NONE

        created = self.at(referred)
        case_id, cuuid, stamp, _ = self.record("case_file", created)
        self.w.add(
            "case_file",
            (
                case_id,
                cuuid,
                stamp,
                _ts(self.at(closed_on) if closed_on else created),
                referred.isoformat(),
                source.value,
                by,
                category,
                (referred - timedelta(days=rng.randint(0, 3))).isoformat(),
                rng.choice(_LOCATIONS),
                self.incident_types.get(_CATEGORY_TYPES[category]),
                self.incident_time(),
                _DESCRIPTIONS[category],
                status.value,
                None if closure is None else closure.value,
                None if closed_on is None else closed_on.isoformat(),
                eligibility,
                diverted.value,
                amount,
                _b(reinstated),
                school,
            ),
        )
        parties = [
            (p, Role.HARMED_AND_RESPONSIBLE if mutual else Role.RESPONSIBLE) for p in responsible
        ] + [(p, Role.HARMED) for p in harmed]
        for person, role in parties:
            pid, puuid, pstamp, _ = self.record("case_party", created)
            self.w.add("case_party", (pid, puuid, pstamp, pstamp, case_id, person, role.value))
        if excluded_for is not None:
            self.hand_off(case_id, excluded_for, referred, [p for p, _role in parties])

        counselor = rng.choice(
            self.staff[(school, "counselor")] + self.staff[(school, "restorative")]
        )
        families = [(p, g) for p in responsible + harmed for g in self.guardians_of.get(p, [])]
        if status is not CaseStatus.REFERRED:
            for student, guardian in families[:2]:
                fid, fuuid, fstamp, _ = self.record("family_contact", created)
                method = self.pick(
                    (
                        (ContactMethod.PHONE, 70),
                        (ContactMethod.MEETING, 15),
                        (ContactMethod.EMAIL, 10),
                        (ContactMethod.LETTER, 5),
                    )
                )
                self.w.add(
                    "family_contact",
                    (
                        fid,
                        fuuid,
                        fstamp,
                        fstamp,
                        case_id,
                        guardian,
                        _ts(self.at(referred + timedelta(days=rng.randint(1, 3)))),
                        method.value,
                        f"Explained the restorative process for {self.names[student]}; "
                        + rng.choice(
                            (
                                "family agreed to take part.",
                                "left a message, will call back.",
                                "family has questions about the conference.",
                            )
                        ),
                        self.names[counselor],
                    ),
                )
        if status in (CaseStatus.REFERRED, CaseStatus.SCREENED):
            if status is CaseStatus.SCREENED:
                self.follow_up(
                    referred + timedelta(days=rng.randint(2, 7)),
                    counselor,
                    "Call the families to invite them to a pre-meeting.",
                    case_id,
                )
            return
        self.case_circles(
            case_id,
            category,
            school,
            main_day,
            status,
            closure,
            held,
            diverted,
            responsible,
            harmed,
            counselor,
            mutual,
            closed_on,
        )

    def referred_pupil(self, school: str) -> int:
        """A student of the school, drawn with the demo's (made-up) disproportion."""
        pupils = self.students[school]
        cumulative = self._pupil_weights.get(school)
        if cumulative is None or len(cumulative) != len(pupils):
            cumulative = list(accumulate(self.referral_weight.get(p, 1.0) for p in pupils))
            self._pupil_weights[school] = cumulative
        return self.rng.choices(pupils, cum_weights=cumulative)[0]

    def incident_time(self) -> str | None:
        """A time of day: most incidents at passing times and lunch, some not recorded."""
        if self.rng.random() < 0.08:
            return None
        hour = self.pick(_INCIDENT_HOURS)
        return f"{hour:02d}:{self.rng.randrange(0, 60, 5):02d}"

    def referrer(self, source: ReferralSource, school: str, student: int) -> int | None:
        rng = self.rng
        if source is ReferralSource.TEACHER:
            return rng.choice(self.teachers[school])
        if source is ReferralSource.ADMINISTRATOR:
            return rng.choice(self.staff[(school, "assistant")])
        if source is ReferralSource.COUNSELOR:
            return rng.choice(self.staff[(school, "counselor")])
        if source is ReferralSource.SRO:
            return self.staff[(school, "sro")][0]
        if source is ReferralSource.PARENT:
            return next(iter(self.guardians_of.get(student, [])), None)
        if source is ReferralSource.STUDENT:
            return rng.choice(self.students[school])
        return None

    def follow_up(
        self,
        due: date,
        responsible: int,
        purpose: str,
        case_id: int | None,
        *,
        circle_id: int | None = None,
        agreement_id: int | None = None,
        item_id: int | None = None,
        finished: bool | None = None,
    ) -> None:
        rng = self.rng
        done_on = None
        outcome = None
        if finished is None:
            finished = due < self.today and rng.random() < 0.65
        status = FollowUpStatus.OPEN
        if finished:
            status = FollowUpStatus.DONE if rng.random() < 0.9 else FollowUpStatus.MISSED
            if status is FollowUpStatus.DONE:
                done_on = min(self.today, due + timedelta(days=rng.randint(-2, 4)))
                outcome = rng.choice(
                    (
                        "Checked in; things are going well.",
                        "Student is keeping the agreement.",
                        "Family reports no further problems.",
                        "One item is late; agreed a new date.",
                    )
                )
        fid, fuuid, stamp, _ = self.record("follow_up", self.at(min(due, self.today)))
        self.w.add(
            "follow_up",
            (
                fid,
                fuuid,
                stamp,
                stamp,
                due.isoformat(),
                status.value,
                purpose,
                responsible,
                case_id,
                circle_id,
                agreement_id,
                item_id,
                None if done_on is None else done_on.isoformat(),
                outcome,
            ),
        )

    def case_circles(
        self,
        case_id: int,
        category: str,
        school: str,
        main_day: date,
        status: CaseStatus,
        closure: ClosureReason | None,
        held: bool,
        diverted: Diversion,
        responsible: list[int],
        harmed: list[int],
        counselor: int,
        mutual: bool,
        closed_on: date | None,
    ) -> None:
        rng = self.rng
        kind = self.pick(
            (
                (CircleKind.HARM_REPAIR, 55),
                (CircleKind.CONFERENCE, 35),
                (CircleKind.PROBLEM_SOLVING, 10),
            )
        )
        # A conference is prepared with a pre-meeting per principal (and their guardian);
        # other circles are prepared by phone, kept as family contacts.
        for principal in (responsible + harmed)[:2] if kind is CircleKind.CONFERENCE else []:
            day = main_day - timedelta(days=rng.randint(1, 4))
            members: list[Member] = [
                (counselor, Role.FACILITATOR.value, None),
                (
                    principal,
                    Role.RESPONSIBLE.value if principal in responsible else Role.HARMED.value,
                    None,
                ),
            ]
            members += [
                (g, Role.GUARDIAN.value, principal)
                for g in self.guardians_of.get(principal, [])[:1]
            ]
            self.circle(
                CircleKind.PRE_MEETING,
                f"Pre-meeting with {self.names[principal]}",
                self.at(day),
                members,
                case_id=case_id,
                principals=frozenset({principal}),
            )
        if not held and status is not CaseStatus.PREPARING:
            return
        members = [(counselor, Role.FACILITATOR.value, None)]
        if diverted in (Diversion.CITATION, Diversion.ARREST) or rng.random() < 0.15:
            members.append((self.staff[(school, "sro")][0], Role.CO_FACILITATOR.value, None))
        for principal in responsible + harmed:
            role = (
                Role.HARMED_AND_RESPONSIBLE
                if mutual
                else Role.RESPONSIBLE
                if principal in responsible
                else Role.HARMED
            )
            members.append((principal, role.value, None))
            for guardian in self.guardians_of.get(principal, []):
                members.append((guardian, Role.GUARDIAN.value, principal))
            if rng.random() < 0.4:
                friend = rng.choice(self.teachers[school] + self.students[school])
                members.append((friend, Role.SUPPORTER.value, principal))
        if kind is CircleKind.CONFERENCE and rng.random() < 0.5:
            members.append(
                (rng.choice(self.staff[(school, "assistant")]), Role.ADMINISTRATOR.value, None)
            )
        if rng.random() < 0.05 and self.community:
            members.append((rng.choice(self.community), Role.COMMUNITY.value, None))
        unique: dict[int, Member] = {}
        for member in members:
            unique.setdefault(member[0], member)
        principals = frozenset(responsible + harmed)
        circle_id, circle_status, _ = self.circle(
            kind,
            f"{category}: {self.names[responsible[0]]}",
            self.at(main_day),
            list(unique.values()),
            case_id=case_id,
            principals=principals,
        )
        if circle_status != CircleStatus.COMPLETED:
            self.follow_up(
                main_day - timedelta(days=2),
                counselor,
                "Confirm the conference time with every family.",
                case_id,
                circle_id=circle_id,
            )
            return
        self.agreement(
            case_id,
            circle_id,
            main_day,
            status,
            closure,
            responsible,
            harmed,
            counselor,
            school,
            closed_on,
        )
        if diverted is Diversion.SUSPENSION and rng.random() < 0.2:
            back = main_day + timedelta(days=rng.randint(1, 3))
            members = [
                (counselor, Role.FACILITATOR.value, None),
                (responsible[0], Role.RESPONSIBLE.value, None),
                (rng.choice(self.teachers[school]), Role.SUPPORTER.value, responsible[0]),
            ]
            members += [
                (g, Role.GUARDIAN.value, responsible[0])
                for g in self.guardians_of.get(responsible[0], [])[:1]
            ]
            self.circle(
                CircleKind.REENTRY,
                f"Welcome back, {self.names[responsible[0]]}",
                self.at(back),
                members,
                case_id=case_id,
                principals=frozenset({responsible[0]}),
            )
        if closure is ClosureReason.COMPLETED and closed_on and rng.random() < 0.2:
            members = [(counselor, Role.FACILITATOR.value, None)]
            members += [
                (p, Role.RESPONSIBLE.value if p in responsible else Role.HARMED.value, None)
                for p in principals
            ]
            self.circle(
                CircleKind.COMPLETION_MEETING,
                f"Agreement completed: {category}",
                self.at(closed_on),
                members,
                case_id=case_id,
                principals=principals,
            )

    def agreement(
        self,
        case_id: int,
        circle_id: int,
        agreed: date,
        status: CaseStatus,
        closure: ClosureReason | None,
        responsible: list[int],
        harmed: list[int],
        counselor: int,
        school: str,
        closed_on: date | None,
    ) -> None:
        rng = self.rng
        agreement_status = (
            {
                ClosureReason.COMPLETED: AgreementStatus.COMPLETED,
                ClosureReason.PARTIALLY_COMPLETED: AgreementStatus.PARTIALLY_COMPLETED,
                ClosureReason.NOT_COMPLETED: AgreementStatus.NOT_COMPLETED,
            }.get(closure, AgreementStatus.ACTIVE)
            if closure
            else AgreementStatus.ACTIVE
        )
        follow_on = agreed + timedelta(days=rng.choice((14, 21, 28, 42)))
        aid, auuid, stamp, _ = self.record("agreement", self.at(agreed))
        harm = ", ".join(self.names[p] for p in harmed) or "the school community"
        self.w.add(
            "agreement",
            (
                aid,
                auuid,
                stamp,
                stamp,
                circle_id,
                case_id,
                1,
                None,
                agreement_status.value,
                # Behaviour and its effect, not a verdict on a person (the conference preamble).
                f"What {' and '.join(self.names[p] for p in responsible)} did affected {harm}.",
                "We meet to make a new plan; if that fails, the original consequence applies.",
                follow_on.isoformat(),
                counselor,
                agreed.isoformat(),
                None if closed_on is None else closed_on.isoformat(),
            ),
        )
        for position, (kind, action) in enumerate(rng.sample(_ITEMS, rng.randint(2, 4))):
            doer = rng.choice(responsible)
            if kind is AgreementItemKind.SCHOOL_SUPPORT:
                doer = counselor
            due = agreed + timedelta(days=rng.randint(5, 42))
            done = (
                agreement_status is AgreementStatus.COMPLETED
                or (agreement_status is AgreementStatus.PARTIALLY_COMPLETED and position % 2 == 0)
                or (
                    agreement_status is AgreementStatus.ACTIVE
                    and due < self.today
                    and rng.random() < 0.6
                )
            )
            completed = min(self.today, due + timedelta(days=rng.randint(-4, 3))) if done else None
            supporter = next(iter(self.guardians_of.get(doer, [])), None)
            iid, iuuid, istamp, _ = self.record("agreement_item", self.at(agreed))
            self.w.add(
                "agreement_item",
                (
                    iid,
                    iuuid,
                    istamp,
                    istamp,
                    aid,
                    position,
                    kind.value,
                    action,
                    doer,
                    due.isoformat(),
                    "The counselor checks with the harmed person.",
                    counselor,
                    supporter,
                    None if completed is None else completed.isoformat(),
                    "Done as agreed." if completed else None,
                ),
            )
            if kind is AgreementItemKind.RESTITUTION:
                self.follow_up(
                    due,
                    counselor,
                    "Check the last instalment was paid.",
                    case_id,
                    agreement_id=aid,
                    item_id=iid,
                    finished=True if status is CaseStatus.CLOSED else None,
                )
        for person in responsible + harmed + [counselor]:
            sid, suuid, sstamp, _ = self.record("signature", self.at(agreed))
            self.w.add(
                "signature", (sid, suuid, sstamp, sstamp, aid, person, agreed.isoformat(), None)
            )
            for guardian in self.guardians_of.get(person, [])[:1]:
                sid, suuid, sstamp, _ = self.record("signature", self.at(agreed))
                self.w.add(
                    "signature",
                    (sid, suuid, sstamp, sstamp, aid, guardian, agreed.isoformat(), person),
                )
        self.follow_up(
            follow_on,
            counselor,
            "Check in with everyone on how the agreement is going.",
            case_id,
            circle_id=circle_id,
            agreement_id=aid,
            finished=True if status is CaseStatus.CLOSED else None,
        )


BUILDING = ".building"


def _referral_weight(race: str, gender: str, disability: bool, low_income: bool) -> float:
    """Made-up, but shaped like what equity reviews find: some groups referred far more often."""
    weight = {
        "Black or African American": 2.4,
        "American Indian or Alaska Native": 1.9,
        "Two or more races": 1.3,
        "Asian": 0.5,
    }.get(race, 1.0)
    if gender == "Male":
        weight *= 1.6
    if disability:
        weight *= 1.8
    if low_income:
        weight *= 1.4
    return weight


def build_demo(
    path: Path,
    size: str = "small",
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    seed: int = 7,
    today: date | None = None,
) -> DemoSummary:
    """Build a demo database at ``path`` (which must not exist yet) and say what went in.

    Raises :class:`InvalidInput` when the target exists or the size is unknown, and
    :class:`DemoCancelled` when ``cancelled()`` turns true; either way nothing is left behind.
    The same seed and day always give the same people, cases and circles.
    """
    began = time.perf_counter()
    path = Path(path).expanduser()
    plan = SIZES.get(size)
    if plan is None:
        raise InvalidInput(f"Unknown demo size {size!r}; choose one of: {', '.join(SIZES)}.")
    if path.is_dir():
        raise InvalidInput(
            f"{path} is a folder; give a file name for the demo, "
            f"for example {path / 'demo.sqlite3'}."
        )
    if path.exists():
        raise InvalidInput(
            f"{path} already exists; the demo will not overwrite it. Choose a new file name."
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(path, BUILDING)  # what an earlier build that was killed left behind
        temporary = temporary_beside(path, BUILDING)
    except OSError as exc:
        raise disk_problem(exc, f"The demo could not be written to {path}") or InvalidInput(
            f"The demo could not be written to {path} ({exc.strerror or exc}). "
            "Choose a folder you can write to."
        ) from exc
    try:
        database = open_database(temporary)
        try:
            SettingsService(database.sessions).save(
                SchoolSettings(
                    school_name=plan.schools[0][0]
                    if len(plan.schools) == 1
                    else "Riverbend Unified School District",
                    school_address="1450 Cedar Ridge Road, Riverbend, WA 98000",
                )
            )
        finally:
            database.close()
        counts = _fill(temporary, plan, seed, today or date.today(), progress, cancelled)
        try:
            place_without_overwriting(temporary, path)
        except FileExistsError:
            raise InvalidInput(
                f"{path} already exists (it appeared while this demo was being built, perhaps "
                "by another build); it was left as it is. Choose a new file name."
            ) from None
    except (sqlite3.Error, OSError, DatabaseProblem) as exc:
        remove_with_journals(temporary)
        # The engine has already put a refused write in words; say it about the demo instead.
        cause = exc.__cause__ if isinstance(exc, DatabaseProblem) else exc
        problem = disk_problem(cause or exc, f"The demo could not be written to {path}")
        if problem is None:
            raise
        raise problem from exc
    except BaseException:
        remove_with_journals(temporary)
        raise
    return DemoSummary(
        path=path,
        size=size,
        people=counts["person"],
        cases=counts["case_file"],
        circles=counts["circle"],
        participants=counts["participant"],
        agreements=counts["agreement"],
        follow_ups=counts["follow_up"],
        seconds=round(time.perf_counter() - began, 2),
    )


def _fill(
    path: Path,
    plan: _Plan,
    seed: int,
    today: date,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> dict[str, int]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # The file is private to this build until renamed, so durability can wait for the end.
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA cache_size=-200000")
        conn.execute("BEGIN")
        writer = _Writer(conn, cancelled)
        builder = _Builder(plan, writer, seed, today)
        builder.incident_types = dict(conn.execute("SELECT key, id FROM incident_type").fetchall())
        people = plan.students + plan.staff_per_school * len(plan.schools) + plan.community
        total = people + plan.cases + plan.circles
        done = 0

        def tick(amount: int) -> None:
            nonlocal done
            done = min(total, done + amount)
            writer.check()
            if progress is not None:
                progress(done, total)

        builder.build_people(tick)
        builder.build_cases(tick)
        # Guardians came on top of the planned people; count them as part of that step.
        done = plan.students + plan.staff_per_school * len(plan.schools) + plan.community
        done += plan.cases + writer.counts["circle"]
        tick(0)
        writer.flush_all()
        builder.build_proactive(max(0, plan.circles - writer.counts["circle"]), tick)
        writer.flush_all()
        from circlekeeper.core.demo.evaluation import add_evaluation

        writer.counts.update(add_evaluation(conn, seed))
        builder.build_sro_log(conn)
        writer.check()
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode=WAL")
        if progress is not None:
            progress(total, total)
        return dict(writer.counts)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
