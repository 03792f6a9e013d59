"""The ``sro`` report and the board's SRO line, each figure recomputed here from the rows with
plain SQL; and what suppression hides among citations and arrests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.reports.engine import REPORT_NAMES, build_report
from circlekeeper.core.reports.model import Report
from circlekeeper.core.sro.activity import ActivityEntry, SroActivityService
from circlekeeper.core.sro.training import TrainingEntry, TrainingService
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import IncidentType

START, END = date(2025, 8, 1), date(2026, 6, 30)
TODAY = date(2026, 11, 20)
REYES = Viewer("Sam Reyes", "sro")
ORTIZ = Viewer("Lee Ortiz", "sro")
COUNSELOR = Viewer("Dana Whitfield", "counselor")
GROUPS = ("Hispanic or Latino", "Black or African American", "White")


def seed(db: Database) -> None:
    """Two officers' year: outreach, mentoring, community events, citations and arrests."""
    people = PeopleService(db.sessions)
    students = [
        people.create(
            PersonData(f"Student{i}", "Test", kind="student", race_ethnicity=GROUPS[i % 3])
        ).id
        for i in range(30)
    ]
    with db.sessions() as session:
        types = {t.key: t.id for t in session.scalars(select(IncidentType))}
    reyes = SroActivityService(Context(db.sessions, viewer=REYES), today=lambda: TODAY)
    ortiz = SroActivityService(Context(db.sessions, viewer=ORTIZ), today=lambda: TODAY)
    for day in range(1, 21):
        on = date(2025, 9, day)
        reyes.log(ActivityEntry("class_taught", on, 50, place="Room 12", attendance=20 + day))
        ortiz.log(ActivityEntry("mentoring_session", on, 30, student_id=students[day]))
    reyes.log(ActivityEntry("parent_night", date(2025, 10, 2), 120, attendance=64))
    reyes.log(ActivityEntry("community_forum", date(2025, 10, 9), 90, attendance=41))
    ortiz.log(ActivityEntry("student_panel", date(2026, 2, 3), 60, attendance=150))
    ortiz.log(ActivityEntry("safety_drill", date(2026, 3, 3), 20, role="law_enforcement"))
    for i in range(14):
        kind = "citation" if i < 11 else "arrest"
        incident = "fighting" if i % 2 else "drugs_alcohol"
        reyes.log(
            ActivityEntry(
                kind,
                date(2026, 1, 5 + i),
                45,
                student_id=students[i],
                incident_type_id=types.get(incident),
            )
        )
    reyes.log(ActivityEntry("citation", date(2026, 4, 1), 30))  # no student, no type
    # Outside the period: never counted.
    reyes.log(ActivityEntry("class_taught", date(2025, 7, 31), 600, attendance=30))
    reyes.log(ActivityEntry("arrest", date(2026, 7, 1), 60, student_id=students[0]))
    training = TrainingService(Context(db.sessions, viewer=COUNSELOR), today=lambda: TODAY)
    for trainee, course, category, hours, on in (
        ("Sam Reyes", "YMHFA", "mental_health_first_aid", "8", date(2025, 9, 1)),
        ("Sam Reyes", "De-escalation", "de_escalation", "16", date(2025, 11, 1)),
        ("Sam Reyes", "SRO basic", "other", "24", date(2024, 6, 1)),  # before: counts for 40
        ("Lee Ortiz", "Circles 101", "restorative_practice", "7.5", date(2026, 1, 10)),
        ("Kim Lam", "Trauma-informed schools", "trauma_informed", "12", date(2026, 8, 1)),
    ):
        training.record(TrainingEntry(course, category, hours, on, trainee=trainee))


class Rows:
    """Plain SQL on the test's database, file or server, to check the report's figures by."""

    def __init__(self, db: Database) -> None:
        self.conn = db.engine.connect()

    def execute(self, sql: str, params: tuple[object, ...] = ()) -> Any:
        # The checks' SQL uses "?" (sqlite3); psycopg's placeholder is "%s". Sums of integers
        # come back as Decimal from PostgreSQL, as int from SQLite: compare them as numbers.
        marker = "%s" if self.conn.dialect.name == "postgresql" else "?"
        result = self.conn.exec_driver_sql(sql.replace("?", marker), params)
        return _Numbers(result.all())


class _Numbers(list):  # type: ignore[type-arg]
    def __init__(self, rows: list[Any]) -> None:
        super().__init__(
            tuple(float(v) if isinstance(v, Decimal) else v for v in row) for row in rows
        )

    def fetchall(self) -> list[Any]:
        return list(self)

    def fetchone(self) -> Any:
        return self[0] if self else None


@pytest.fixture
def seeded(db: Database) -> Rows:
    seed(db)
    rows = Rows(db)
    yield rows  # type: ignore[misc]
    rows.conn.close()


def report(db: Database, name: str = "sro", min_cell: int = 1) -> Report:
    return build_report(
        name,
        db.sessions,
        start=START,
        end=END,
        min_cell=min_cell,
        viewer=COUNSELOR,
        unsuppressed=False,
        as_of=TODAY,
    )


def one(conn: Rows, sql: str, *args: object) -> float:
    return float(conn.execute(sql, args).fetchone()[0] or 0)


PERIOD = "on_date >= '2025-08-01' AND on_date <= '2026-06-30'"


def test_sro_is_a_report_of_the_engine() -> None:
    assert "sro" in REPORT_NAMES


def test_hours_by_role_and_type_match_the_rows(db: Database, seeded: Rows) -> None:
    built = report(db)
    by_role = built.section("sro_hours_by_role")
    for role in ("law_enforcement", "counseling", "outreach"):
        minutes = one(
            seeded, f"SELECT sum(minutes) FROM sro_activity WHERE {PERIOD} AND role=?", role
        )
        n = one(seeded, f"SELECT count(*) FROM sro_activity WHERE {PERIOD} AND role=?", role)
        assert by_role.cell(role, "hours").value == pytest.approx(minutes / 60, abs=0.01)
        assert by_role.cell(role, "activities").value == n
    total = one(seeded, f"SELECT sum(minutes) FROM sro_activity WHERE {PERIOD}")
    assert by_role.cell("all", "hours").value == pytest.approx(total / 60, abs=0.01)
    by_type = built.section("sro_hours_by_type")
    rows = seeded.execute(
        f"SELECT activity_type, count(*), sum(minutes), sum(coalesce(attendance, 0)) "
        f"FROM sro_activity WHERE {PERIOD} GROUP BY activity_type"
    ).fetchall()
    assert {r.group for r in by_type.rows} == {kind for kind, *_ in rows} | {"all"}
    for kind, n, minutes, attendance in rows:
        assert by_type.cell(kind, "activities").value == n
        assert by_type.cell(kind, "hours").value == pytest.approx(minutes / 60, abs=0.01)
        assert by_type.cell(kind, "attendance").value == attendance


def test_community_engagement_counts_events_and_attendance(db: Database, seeded: Rows) -> None:
    community = report(db).section("sro_community")
    for kind in ("community_forum", "parent_night", "student_panel"):
        n, attendance = seeded.execute(
            f"SELECT count(*), sum(coalesce(attendance, 0)) FROM sro_activity "
            f"WHERE {PERIOD} AND activity_type=?",
            (kind,),
        ).fetchone()
        assert community.cell(kind, "events").value == n
        assert community.cell(kind, "attendance").value == (attendance or 0)
    assert community.cell("all", "attendance").value == 64 + 41 + 150


def test_training_by_category_and_against_the_requirement(db: Database, seeded: Rows) -> None:
    built = report(db)
    training = built.section("sro_training")
    period = "completed_on >= '2025-08-01' AND completed_on <= '2026-06-30'"
    for category, tenths, n in seeded.execute(
        f"SELECT category, sum(tenths), count(*) FROM training_record WHERE {period} "
        "GROUP BY category"
    ):
        assert training.cell(category, "hours").value == pytest.approx(tenths / 10)
        assert training.cell(category, "courses").value == n
    assert training.cell("all", "hours").value == pytest.approx(
        one(seeded, f"SELECT sum(tenths) FROM training_record WHERE {period}") / 10
    )
    # Against the requirement (40 hours): every course up to the period's end.
    totals = seeded.execute(
        "SELECT trainee, sum(tenths) FROM training_record WHERE completed_on <= '2026-06-30' "
        "GROUP BY trainee"
    ).fetchall()
    met = sum(1 for _name, tenths in totals if tenths >= 400)
    requirement = built.section("sro_training_requirement")
    assert requirement.cell("all", "people").value == len(totals) == 2
    assert requirement.cell("all", "met").value == met == 1
    assert requirement.cell("all", "required_hours").value == 40
    assert requirement.cell("all", "met_share").value == pytest.approx(100 * met / len(totals))


def test_citations_and_arrests_by_incident_type_and_group(db: Database, seeded: Rows) -> None:
    built = report(db)
    by_incident = built.section("sro_enforcement_by_incident")
    rows = seeded.execute(
        f"SELECT coalesce(i.key, 'not_given'), a.activity_type, count(*) FROM sro_activity a "
        f"LEFT JOIN incident_type i ON i.id = a.incident_type_id WHERE {PERIOD} AND "
        "a.activity_type IN ('citation', 'arrest') GROUP BY 1, 2"
    ).fetchall()
    expected: dict[tuple[str, str], int] = {(k, t + "s"): n for k, t, n in rows}
    for (group, measure), n in expected.items():
        assert by_incident.cell(group, measure).value == n
    assert by_incident.cell("all", "citations").value == 12
    assert by_incident.cell("all", "arrests").value == 3
    by_group = built.section("sro_enforcement_by_group")
    rows = seeded.execute(
        f"SELECT coalesce(p.race_ethnicity, 'not_recorded'), a.activity_type, count(*) "
        f"FROM sro_activity a LEFT JOIN person p ON p.id = a.student_id WHERE {PERIOD} AND "
        "a.activity_type IN ('citation', 'arrest') GROUP BY 1, 2"
    ).fetchall()
    for group, kind, n in rows:
        assert by_group.cell(group, kind + "s").value == n


def test_small_numbers_of_citations_and_arrests_are_hidden_but_hours_are_not(
    db: Database, seeded: Rows
) -> None:
    built = report(db, min_cell=10)
    by_incident = built.section("sro_enforcement_by_incident")
    # 3 arrests in all: hidden, here and in the other table that shows the same total.
    assert by_incident.cell("all", "arrests").suppressed
    assert built.section("sro_enforcement_by_group").cell("all", "arrests").suppressed
    for row in by_incident.rows:
        for cell in row.cells:
            assert cell.suppressed or cell.value is None or cell.value == 0 or cell.value >= 10
    # No hidden part can be recovered by subtraction from its total.
    for section in (by_incident, built.section("sro_enforcement_by_group")):
        for measure in ("citations", "arrests"):
            parts = [section.cell(r.group, measure) for r in section.rows if r.group != "all"]
            hidden = sum(1 for c in parts if c.suppressed)
            total = section.cell("all", measure)
            assert hidden != 1 or total.suppressed
    # Officers' hours are about their time, not about students: never hidden.
    assert not built.section("sro_hours_by_role").cell("outreach", "hours").suppressed


def test_the_board_report_gains_outreach_and_training_hours(db: Database, seeded: Rows) -> None:
    board = report(db, "board")
    line = board.section("sro_outreach_training")
    outreach = one(
        seeded, f"SELECT sum(minutes) FROM sro_activity WHERE {PERIOD} AND role='outreach'"
    )
    assert line.cell("all", "outreach_hours").value == pytest.approx(outreach / 60, abs=0.01)
    assert line.cell("all", "community_attendance").value == 64 + 41 + 150
    assert line.cell("all", "training_hours").value == pytest.approx(8 + 16 + 7.5)


def test_a_period_with_no_sro_activity_says_so(db: Database) -> None:
    built = report(db)
    assert built.is_empty and built.sections == ()


def test_typed_incident_words_and_groups_never_reach_a_published_sro_report(
    db: Database, seeded: Rows
) -> None:
    # Given two citations under a word nobody has mapped, about a student of a typed group
    with db.sessions.begin() as session:
        typed = IncidentType(
            key="locker_prank_jaylen", label="Locker prank Jaylen", needs_mapping=True
        )
        session.add(typed)
        session.flush()
        typed_id = typed.id
    people = PeopleService(db.sessions)
    student = people.create(
        PersonData("Ana", "Test", kind="student", race_ethnicity="Zapotec heritage")
    ).id
    reyes = SroActivityService(Context(db.sessions, viewer=REYES), today=lambda: TODAY)
    for day in (2, 3):
        reyes.log(
            ActivityEntry(
                "citation",
                date(2026, 5, day),
                30,
                student_id=student,
                incident_type_id=typed_id,
            )
        )
    # When the published report is built, then neither typed name is in it: both are "other"
    published = report(db, min_cell=10)
    words = {row.label.en for section in published.sections for row in section.rows}
    assert "Locker prank Jaylen" not in words and "Zapotec heritage" not in words
    by_incident = published.section("sro_enforcement_by_incident")
    assert "other" in {row.group for row in by_incident.rows}
    # and the counselor's internal view names them
    internal = build_report(
        "sro",
        db.sessions,
        start=START,
        end=END,
        min_cell=10,
        viewer=COUNSELOR,
        unsuppressed=True,
        as_of=TODAY,
    )
    shown = {row.group for row in internal.section("sro_enforcement_by_incident").rows}
    assert "locker_prank_jaylen" in shown
