"""SIGKILL the facilitator view at many points of a scripted circle; nothing acknowledged is lost.

A driver process opens the facilitator window offscreen and presses keys (QTest), printing
``ACK <n> <action>`` after each action has returned, i.e. after it was committed. The test kills
it with SIGKILL after a random number of acknowledgements, checks the database, and starts the
driver again, which carries on from what the database says was done.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CirclePlan
from circlekeeper.core.domain.enums import PersonKind, Role
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.store.database import open_database

KILLS = 25
SEED = 20260302

DRIVER = r'''
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select
from circlekeeper.core.domain.live import PieceMode
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.models import Note, StageRecord, Turn
from circlekeeper.ui.live.facilitator import FacilitatorWindow

path, cid, finish = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "finish"
db = open_database(path)
app = QApplication(sys.argv[:1])
window = FacilitatorWindow(db, cid)
window.show()
window.activateWindow()
app.processEvents()


def done():
    """How many actions of the script the database holds: each leaves exactly one row."""
    with db.sessions() as s:
        count = lambda model: s.scalar(
            select(func.count()).select_from(model).where(model.circle_id == cid)
        )
        return count(Turn) + count(Note) + count(StageRecord) - 1


def key(k, mod=Qt.KeyboardModifier.NoModifier, target=None):
    QTest.keyClick(target or window, k, mod)
    app.processEvents()


step = done()
print("START", step, flush=True)
while True:
    state = window.state
    if state.stage.has_round and not state.round_complete and state.mode is PieceMode.RING:
        action = "note" if step % 7 == 3 else "pass" if step % 4 == 1 else "speak"
    elif state.is_last_stage:
        break
    else:
        action = "stage"
    if action == "speak":
        key(Qt.Key.Key_Space)
    elif action == "pass":
        key(Qt.Key.Key_P)
    elif action == "stage":
        key(Qt.Key.Key_PageDown)
    else:
        key(Qt.Key.Key_N)
        dialog = window.dialog
        QTest.keyClicks(dialog.text, f"note {step + 1}")
        key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, dialog.text)
        window.activateWindow()
        app.processEvents()
    step += 1
    print(f"ACK {step} {action}", flush=True)
print("DONE", step, flush=True)
if finish:
    key(Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    # Ending is a deliberate choice (Return keeps going): the keeper clicks "End the circle".
    QTest.mouseClick(window.dialog.end_button, Qt.MouseButton.LeftButton)
    app.processEvents()
    print("ENDED", flush=True)
window.close()
db.close()
'''


def plan(path: Path) -> int:
    db = open_database(path)
    try:
        people = PeopleService(db.sessions)
        planner = CirclePlanner(db.sessions)
        keeper = people.create(PersonData("Kim", "Keeper", kind=PersonKind.STAFF)).id
        cid = planner.plan(
            CirclePlan(kind="harm_repair", script_key="harm_repair", facilitator_id=keeper)
        ).id
        for n in range(8):
            student = people.create(PersonData(f"Student{n}", "Test")).id
            planner.add_participant(cid, student, Role.MEMBER)
        return cid
    finally:
        db.close()


def held(path: Path, cid: int) -> tuple[int, set[str], str, dict[str, object]]:
    """What survived: actions done, note texts, integrity, and the saved live state."""
    with sqlite3.connect(path) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]

        def count(table: str) -> int:
            return int(
                conn.execute(
                    f"SELECT count(*) FROM {table} WHERE circle_id = ?", (cid,)
                ).fetchone()[0]  # noqa: S608
            )

        actions = count("turn") + count("note") + count("stage_record") - 1
        notes = {r[0] for r in conn.execute("SELECT text FROM note WHERE circle_id = ?", (cid,))}
        raw = conn.execute("SELECT live_state FROM circle WHERE id = ?", (cid,)).fetchone()[0]
        turns = count("turn")
        stages = count("stage_record")
    conn.close()
    state = json.loads(raw) if raw else {}
    state["_turns"], state["_stages"] = turns, stages
    return actions, notes, integrity, state


@pytest.mark.slow
def test_sigkill_at_many_points_loses_nothing_acknowledged(tmp_path: Path, home: Path) -> None:
    # Given a planned harm circle with a keeper and eight students
    path = home / "kill.sqlite3"
    cid = plan(path)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CIRCLEKEEPER_HOME=str(home))
    rng = random.Random(SEED)
    acked_total = 0
    acked_notes: set[str] = set()
    kills = lost = 0

    def run(finish: bool) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, str(driver), str(path), str(cid), "finish" if finish else "go"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )

    # When the driver is killed with SIGKILL after a random number of acknowledged actions
    for _ in range(KILLS):
        wanted = rng.randint(1, 4)
        process = run(finish=False)
        assert process.stdout is not None
        start = process.stdout.readline().split()
        assert start[0] == "START", start
        # The driver carries on from exactly what the database held
        assert int(start[1]) >= acked_total
        finished = False
        for seen, line in enumerate(process.stdout, start=1):
            words = line.split()
            if words[0] == "DONE":
                finished = True
                break
            _ack, number, action = words
            acked_total = int(number)
            if action == "note":
                acked_notes.add(f"note {number}")
            if seen >= wanted:
                os.kill(process.pid, signal.SIGKILL)
                kills += 1
                break
        process.wait(timeout=30)
        # On a busy machine the driver may have acknowledged more actions before the signal
        # landed than this loop had read: those lines are still in the pipe, and they count.
        for line in process.stdout:
            words = line.split()
            if words and words[0] == "ACK":
                acked_total = int(words[1])
                if words[2] == "note":
                    acked_notes.add(f"note {words[1]}")
            elif words and words[0] == "DONE":
                finished = True
        process.stdout.close()

        # Then the database is intact and holds every acknowledged action
        actions, notes, integrity, state = held(path, cid)
        assert integrity == "ok"
        lost += max(0, acked_total - actions)
        assert actions >= acked_total  # nothing acknowledged is lost
        assert actions <= acked_total + 1  # at most the one in flight when killed
        assert acked_notes <= notes
        assert state["stage_index"] == state["_stages"] - 1  # the stage and its record agree
        if finished:
            break

    # And a last run finishes the circle from where it stood, and ends it
    process = run(finish=True)
    out, _err = process.communicate(timeout=60)
    assert "ENDED" in out, out[-500:]
    with sqlite3.connect(path) as conn:
        status, summary = conn.execute(
            "SELECT status, summary FROM circle WHERE id = ?", (cid,)
        ).fetchone()
        turns = conn.execute("SELECT count(*) FROM turn WHERE circle_id = ?", (cid,)).fetchone()[0]
    conn.close()
    assert status == "completed"
    assert json.loads(summary)["turns"] == turns
    assert kills >= 20 and lost == 0
    print(f"\nkills={kills} acked={acked_total} lost={lost} turns={turns}")
