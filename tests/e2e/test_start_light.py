"""The real program's start: light before the first paint, and the self-test on real records.

The window paints before the data layer loads (``docs/architecture.md``: Start-up); these
tests run the program as a subprocess and look at what was imported by the time the records
began to open, and at what the self-test leaves behind on a demo database.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

# Runs the real command line's start, noting the modules loaded when the window, painted,
# asks for the records (MainWindow.open_database is called from the first paint).
PROBE = r"""
import gc, json, sys
from circlekeeper.ui import main_window
seen = {}
real = main_window.MainWindow.open_database
def opening(self, *args, **kwargs):
    seen.setdefault("modules", sorted(sys.modules))
    # PySide makes its Qt namespace (every enum in it) the first time it is asked for.
    seen.setdefault("qt_namespace", "Qt" in vars(sys.modules["PySide6.QtCore"]))
    return real(self, *args, **kwargs)
main_window.MainWindow.open_database = opening
from circlekeeper.cli import run
code = run(["--self-test", "--database", sys.argv[1]])
print(json.dumps({"code": code, "modules": seen["modules"], "gc_enabled": gc.isenabled(),
                  "qt_namespace": seen["qt_namespace"],
                  "frozen": gc.get_freeze_count(), "at_exit": sorted(sys.modules)}))
"""

HEAVY = ("sqlalchemy", "alembic", "jinja2", "openpyxl", "platformdirs")
HEAVY_OWN = (
    "circlekeeper.commands",  # the subcommands' parsers: not for starting the app
    "circlekeeper.core.store.models",
    "circlekeeper.core.store.database",
    "circlekeeper.ui.security.guard",
    "xml.etree",  # compiling a translation, done once per version, not at each start
)


def _probe(tmp_path: Path, database: Path) -> dict[str, object]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = dict(os.environ, CIRCLEKEEPER_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(database)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    ).stdout
    report: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return report


def test_nothing_heavy_is_imported_before_the_first_paint(tmp_path: Path, db_path: Path) -> None:
    report = _probe(tmp_path, db_path)
    assert report["code"] == 0
    modules = report["modules"]
    assert isinstance(modules, list)
    loaded = [m for m in modules if m.split(".")[0] in HEAVY or m.startswith(HEAVY_OWN)]
    assert loaded == []


def test_the_first_paint_does_not_wait_for_the_qt_namespace(tmp_path: Path, db_path: Path) -> None:
    # PySide builds the Qt namespace and every enum in it the first time a module names
    # ``Qt`` (about 15 ms on a fast laptop, a tenth of a bare window's start): a module the
    # window imports before it paints asks for it inside the function that needs it.
    report = _probe(tmp_path, db_path)
    assert report["code"] == 0
    assert report["qt_namespace"] is False


def test_a_laptop_start_never_loads_the_district_server_code(tmp_path: Path, db_path: Path) -> None:
    # A file on the laptop needs SQLite alone; PostgreSQL's dialect and its drivers (asyncpg,
    # pg8000, psycopg...) cost a school laptop a noticeable share of its start when loaded.
    report = _probe(tmp_path, db_path)
    assert report["code"] == 0
    modules = report["at_exit"]
    assert isinstance(modules, list)
    assert "sqlalchemy.dialects.sqlite" in modules  # the probe saw the records open
    server = [m for m in modules if m.startswith(("sqlalchemy.dialects.postgresql", "psycopg"))]
    assert server == []


def test_collection_runs_again_once_the_records_are_on_screen(
    tmp_path: Path, db_path: Path
) -> None:
    # Start-up holds the garbage collector and freezes what it made (app.py); a program
    # left with collection off would grow without bound during a day of circles.
    report = _probe(tmp_path, db_path)
    assert report["gc_enabled"] is True
    assert isinstance(report["frozen"], int) and report["frozen"] > 0


def _everything(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_the_self_test_opens_a_demo_database_and_changes_no_record(run_cli) -> None:
    # Given the small demo, built by the real program
    demo = Path(run_cli.home) / "demo.sqlite3"
    built = run_cli("demo", "--size", "small", "--database", str(demo), timeout=300)
    assert built.returncode == 0, built.stderr
    before = _everything(demo)
    # When the app starts on it in self-test mode
    result = run_cli("--self-test", "--database", str(demo))
    # Then it paints, opens and shows the records, exits cleanly, and every record is as it was
    assert result.returncode == 0, result.stderr
    figures = dict(line.split("=", 1) for line in result.stdout.split() if "=" in line)
    assert 0 < int(figures["first_paint_ms"]) <= int(figures["data_ready_ms"])
    assert _everything(demo) == before
