"""The facilitator window on a district's server: the network drops, the circle goes on calmly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from tests.tcp_proxy import Proxy

from circlekeeper.core.settings.settings import SettingsService
from circlekeeper.core.store.database import Database, open_database
from circlekeeper.core.store.models import Note, Turn
from circlekeeper.ui.live import connection
from circlekeeper.ui.main_window import MainWindow

from .test_facilitator_helpers import harm_circle, open_window, press, to_first_round

Key = Qt.Key


@pytest.fixture
def proxied(pg_url: str) -> Iterator[tuple[Proxy, Database]]:
    proxy, url = Proxy.in_front_of(pg_url)
    database = open_database(url)
    try:
        yield proxy, database
    finally:
        database.close()
        proxy.close()


def counts(db: Database, cid: int) -> tuple[int, int]:
    with db.sessions() as s:
        turns = s.scalar(select(func.count()).select_from(Turn).where(Turn.circle_id == cid))
        notes = s.scalar(select(func.count()).select_from(Note).where(Note.circle_id == cid))
    return int(turns or 0), int(notes or 0)


def test_the_window_says_offline_calmly_and_back_online_when_sent(
    qtbot: QtBot, proxied: tuple[Proxy, Database], monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    monkeypatch.setattr(connection, "PROBE_SECONDS", 0.0)
    proxy, db = proxied
    cid, ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    to_first_round(qtbot, window)
    assert not window.connection.isVisible()
    press(qtbot, window, Key.Key_Space)
    turns_before, _ = counts(db, cid)

    # When the network drops and the keeper goes on: two turns and a note
    proxy.cut()
    press(qtbot, window, Key.Key_Space)
    press(qtbot, window, Key.Key_P)
    press(qtbot, window, Key.Key_N)
    qtbot.keyClicks(window.dialog.text, "Said on the laptop.")  # type: ignore[union-attr]
    qtbot.keyClick(window.dialog.text, Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.dialog is None)

    # Then the window moved on, with a calm line and no error
    qtbot.waitUntil(window.connection.isVisible)
    assert window.connection.text().startswith("Offline — saving on this laptop.")
    assert "could not be saved" not in window.status.text()
    assert window.state is not None and window.state.passed == [ids["Bea"]]
    speaker = window.state.speaker
    assert "Said on the laptop." in [n.text for n in window.notes]
    window.grab().save(str(Path("/tmp") / "facilitator_offline.png"))

    # And when the network comes back, everything reaches the server and the line says so
    proxy.restore()
    qtbot.waitUntil(lambda: "Back online" in window.connection.text(), timeout=20_000)
    assert window.connection.text() == "Back online — everything saved."
    assert counts(db, cid) == (turns_before + 2, 1)
    assert window.state is not None and window.state.speaker == speaker
    assert window.state.passed == [ids["Bea"]]
    assert "Said on the laptop." in [n.text for n in window.notes]
    window.close()


def test_starting_again_sends_what_the_laptop_kept_and_says_so(
    qtbot: QtBot, proxied: tuple[Proxy, Database], pg_url: str
) -> None:
    proxy, db = proxied
    SettingsService(db.sessions).save(type(SettingsService(db.sessions).load())(welcome_done="1"))
    cid, _ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    to_first_round(qtbot, window)
    proxy.cut()
    press(qtbot, window, Key.Key_Space)
    press(qtbot, window, Key.Key_P)
    assert window.connection.offline
    window.connection.stop()
    window.hide()  # the program is stopped while offline: the journal stays on the disk
    proxy.restore()

    # When circlekeeper starts again on the server
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    assert main.open_database(pg_url, interactive=True)
    qtbot.waitUntil(lambda: getattr(main, "resume_box", None) is not None, timeout=20_000)

    # Then what the laptop kept was sent, and the offer to resume says so
    assert "2 actions of a circle saved on this laptop were sent" in main.resume_box.text()
    assert counts(db, cid) == (2, 0)
    main.resume_box.reject()
    main.close_database()
