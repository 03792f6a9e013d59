"""Killed while the server was away: the laptop's journal survives, and the next start sends it.

A driver process opens the real facilitator window (offscreen) on the test server through a
proxy. The test cuts the proxy; the driver goes on and prints ``ACK`` after each action has
returned (it is then in the journal, on the disk). The test kills it with SIGKILL, brings the
network back, and starts the driver again: the window sends the journal as it opens.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.tcp_proxy import Proxy

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CirclePlan
from circlekeeper.core.domain.enums import PersonKind, Role
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.models import Note, Turn

DRIVER = r"""
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from circlekeeper.core.store.database import open_database
from circlekeeper.ui.live.facilitator import FacilitatorWindow

url, cid, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
db = open_database(url)
app = QApplication(sys.argv[:1])
window = FacilitatorWindow(db, cid)
window.show()
app.processEvents()


def key(k, mod=Qt.KeyboardModifier.NoModifier, target=None):
    QTest.keyClick(target or window, k, mod)
    app.processEvents()


if mode == "check":
    state = window.state
    print("STATE", state.stage_index, state.speaker, len(state.spoken), len(state.passed),
          window.connection.text() or "-", flush=True)
    window.close()
    db.close()
    sys.exit(0)
while not window.state.stage.has_round:
    key(Qt.Key.Key_PageDown)
key(Qt.Key.Key_Space)
print("READY", flush=True)
sys.stdin.readline()  # the test cuts the network
for n, action in enumerate(["speak", "pass", "note", "speak"], start=1):
    if action == "speak":
        key(Qt.Key.Key_Space)
    elif action == "pass":
        key(Qt.Key.Key_P)
    else:
        key(Qt.Key.Key_N)
        QTest.keyClicks(window.dialog.text, "kept through the drop")
        key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, window.dialog.text)
    print("ACK", n, action, window.connection.isVisible(), flush=True)
state = window.state
print("SHOWN", state.stage_index, state.speaker, len(state.spoken), len(state.passed), flush=True)
time.sleep(600)
"""


def plan(url: str) -> int:
    db = open_database(url)
    try:
        people = PeopleService(db.sessions)
        planner = CirclePlanner(db.sessions)
        keeper = people.create(PersonData("Kim", "Keeper", kind=PersonKind.STAFF)).id
        cid = planner.plan(
            CirclePlan(kind="harm_repair", script_key="harm_repair", facilitator_id=keeper)
        ).id
        for n in range(5):
            student = people.create(PersonData(f"Student{n}", "Test")).id
            planner.add_participant(cid, student, Role.MEMBER)
        return cid
    finally:
        db.close()


def held(url: str, cid: int) -> tuple[int, list[str]]:
    db = open_database(url)
    try:
        with db.sessions() as s:
            turns = len(s.scalars(select(Turn.id).where(Turn.circle_id == cid)).all())
            notes = list(s.scalars(select(Note.text).where(Note.circle_id == cid)))
        return turns, notes
    finally:
        db.close()


@pytest.mark.slow
def test_a_kill_while_offline_keeps_the_journal_and_the_next_start_sends_it(
    pg_url: str, tmp_path: Path, home: Path
) -> None:
    cid = plan(pg_url)
    proxy, url = Proxy.in_front_of(pg_url)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CIRCLEKEEPER_HOME=str(home))

    def run(mode: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, str(driver), url, str(cid), mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )

    try:
        # Given a circle running on the server, one turn taken
        process = run("go")
        assert process.stdout is not None and process.stdin is not None
        assert process.stdout.readline().split() == ["READY"]
        assert held(pg_url, cid) == (1, [])

        # When the network drops, the keeper goes on, and the program is killed
        proxy.cut()
        process.stdin.write("go\n")
        process.stdin.flush()
        acks = [process.stdout.readline().split() for _ in range(4)]
        shown = process.stdout.readline().split()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        process.stdin.close()
        process.stdout.close()
        assert [a[0] for a in acks] == ["ACK"] * 4 and all(a[3] == "True" for a in acks)
        assert shown[0] == "SHOWN"

        # Then the journal is on the disk and the server has none of it yet
        journals = list((home / "journal").glob("*.journal"))
        assert len(journals) == 1 and journals[0].stat().st_size > 0
        assert held(pg_url, cid) == (1, [])

        # And when the network is back, the next start sends everything, once
        proxy.restore()
        check = run("check")
        out, _ = check.communicate(timeout=120)
        line = next(
            words for words in (w.split() for w in out.splitlines()) if words[:1] == ["STATE"]
        )
        assert line[1:5] == shown[1:5]  # the same stage, speaker, spoken and passed
        assert held(pg_url, cid) == (1 + 3, ["kept through the drop"])
        assert not journals[0].exists()
        assert "Back" in out  # the window said it is back online
    finally:
        proxy.close()
