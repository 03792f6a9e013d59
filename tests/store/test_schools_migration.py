"""Migration 0017: the schools typed as free text become one row each, and come back as text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config

from circlekeeper.core.paths import migrations_dir

STAMP = "'2026-01-01T00:00:00+00:00'"


def _config(path: Path) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    return config


def _person(conn: sqlite3.Connection, uuid: str, school: str | None) -> int:
    cursor = conn.execute(
        "INSERT INTO person (uuid, created_at, updated_at, kind, first_name, last_name, school,"
        f" search_text) VALUES (?, {STAMP}, {STAMP}, 'student', 'Ana', 'Ruiz', ?, 'ana ruiz')",
        (uuid, school),
    )
    return int(cursor.lastrowid or 0)


def _case(conn: sqlite3.Connection, uuid: str, school: str | None) -> int:
    cursor = conn.execute(
        "INSERT INTO case_file (uuid, created_at, updated_at, referred_on, referral_source,"
        " incident_category, description, status, diverted_from, consequence_reinstated, school)"
        f" VALUES (?, {STAMP}, {STAMP}, '2026-01-05', 'teacher', 'Fighting', '', 'referred',"
        " 'none', 0, ?)",
        (uuid, school),
    )
    return int(cursor.lastrowid or 0)


def _circle(conn: sqlite3.Connection, uuid: str, case_id: int | None, keeper: int | None) -> None:
    conn.execute(
        "INSERT INTO circle (uuid, created_at, updated_at, kind, title, purpose, status,"
        f" case_id, facilitator_id) VALUES (?, {STAMP}, {STAMP}, 'check_in', '', '', 'planned',"
        " ?, ?)",
        (uuid, case_id, keeper),
    )


def test_free_text_schools_become_one_row_each_and_return_as_text(tmp_path: Path) -> None:
    # Given ten years of schools typed by hand, the same school spelled three ways
    path = tmp_path / "db.sqlite3"
    config = _config(path)
    command.upgrade(config, "0016_item_spanish_wording")
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO setting (key, value) VALUES ('school_name', 'Lakeview High')")
        keeper = _person(conn, "p1", "Riverside Middle School")
        _person(conn, "p2", "  riverside   middle school ")
        _person(conn, "p3", None)
        case_id = _case(conn, "c1", "RIVERSIDE MIDDLE SCHOOL")
        _case(conn, "c2", "Hillside Elementary")
        _circle(conn, "k1", case_id, None)
        _circle(conn, "k2", None, keeper)
        _circle(conn, "k3", None, None)
    # When the schools migration runs
    command.upgrade(config, "0017_schools")
    with sqlite3.connect(path) as conn:
        schools = sorted(r[0] for r in conn.execute("SELECT name FROM school"))
        people = dict(
            conn.execute(
                "SELECT p.uuid, s.name FROM person p LEFT JOIN school s ON s.id = p.school_id"
            ).fetchall()
        )
        cases = dict(
            conn.execute(
                "SELECT c.uuid, s.name FROM case_file c JOIN school s ON s.id = c.school_id"
            ).fetchall()
        )
        circles = dict(
            conn.execute(
                "SELECT c.uuid, s.name FROM circle c LEFT JOIN school s ON s.id = c.school_id"
            ).fetchall()
        )
        uuids = conn.execute("SELECT count(DISTINCT uuid) FROM school").fetchone()[0]
    # Then each school is one row with its own UUID, Settings' school among them
    assert len(schools) == 3 and uuids == 3
    assert "Hillside Elementary" in schools and "Lakeview High" in schools
    riverside = next(s for s in schools if s.casefold() == "riverside middle school")
    # ...every record points at its school, a record naming none stays without one
    assert people == {"p1": riverside, "p2": riverside, "p3": None}
    assert cases == {"c1": riverside, "c2": "Hillside Elementary"}
    # ...and a circle takes its case's school, else its keeper's
    assert circles == {"k1": riverside, "k2": riverside, "k3": None}

    # When it is undone, the names come back as text and the table goes
    command.downgrade(config, "0016_item_spanish_wording")
    with sqlite3.connect(path) as conn:
        back = dict(conn.execute("SELECT uuid, school FROM person").fetchall())
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        triggers = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'person'"
        ).fetchone()[0]
    assert back == {"p1": riverside, "p2": riverside, "p3": None}
    assert "school" not in tables
    # ...and the search index still follows the people directory
    assert triggers > 0
