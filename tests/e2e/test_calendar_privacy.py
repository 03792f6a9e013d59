"""What a calendar carries to phones: kind, place and time; never names, titles or incidents.

A demo database is given circle titles full of students' full names and incident words, and
cases whose descriptions say what happened; the calendar is exported through the command line
(a subprocess) and through the Cases area, parsed back with icalendar, and every property of
every event is searched for a family name, an incident word or a piece of a typed title.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import icalendar
import pytest
from sqlalchemy import select

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.domain.enums import CIRCLE_KIND_LABELS, CircleStatus, circle_kind_label
from circlekeeper.core.export.calendar import DESCRIPTION, PRODID
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.models import Case, Circle, Participant, Person
from circlekeeper.core.text import fold

INCIDENT_WORDS = ("Disrespect", "vaping", "bathroom", "punched", "Harassment")


@dataclass
class Leaks:
    """What must never reach a calendar, taken from the database itself."""

    family_names: set[str]
    first_names: set[str]
    titles: list[str]
    incidents: set[str]


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, CIRCLEKEEPER_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "circlekeeper", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@pytest.fixture(scope="module")
def hostile_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database whose titles and cases say who did what to whom."""
    folder = tmp_path_factory.mktemp("calendar-demo")
    path = folder / "demo.sqlite3"
    built = _cli(folder, "demo", "--database", str(path))
    assert built.returncode == 0, built.stderr
    db = open_database(path)
    try:
        with db.sessions.begin() as session:
            for circle in session.scalars(select(Circle)):
                people = session.scalars(
                    select(Person)
                    .join(Participant, Participant.person_id == Person.id)
                    .where(Participant.circle_id == circle.id)
                    .limit(2)
                ).all()
                names = " and ".join(f"{p.first_name} {p.last_name}" for p in people)
                circle.title = f"Disrespect to staff: {names}: punched in the bathroom"
                if people and circle.id % 2:  # a place typed with who will be there
                    circle.location = f"Room 4 with {people[-1].first_name} {people[-1].last_name}"
            for case in session.scalars(select(Case)):
                case.incident_category = "Harassment (vaping)"
                case.description = "Punched a classmate in the bathroom while vaping."
    finally:
        db.close()
    return path


def _leaks(path: Path) -> Leaks:
    db = open_database(path)
    try:
        with db.sessions() as session:
            people = session.execute(select(Person.first_name, Person.last_name)).all()
            titles = list(session.scalars(select(Circle.title)))
    finally:
        db.close()
    family = {fold(w) for _, last in people for w in re.split(r"[\s\-']+", last) if len(w) > 2}
    first = {fold(w) for first, _ in people for w in first.split() if len(w) > 2}
    return Leaks(family, first, titles, {fold(w) for w in INCIDENT_WORDS})


def _property_words(path: Path) -> list[tuple[str, str, set[str]]]:
    """(event uid, property name, its words) for every property of every component."""
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    found = []
    for component in calendar.walk():
        uid = str(component.get("UID", component.name))
        for name, value in component.property_items(recursive=False):
            text = value.to_ical().decode() if hasattr(value, "to_ical") else str(value)
            found.append((uid, name, {fold(w) for w in re.findall(r"[^\W\d_]+", text)}))
    return found


def _assert_clean(path: Path, leaks: Leaks, *, first_names_allowed: bool) -> None:
    raw = path.read_text(encoding="utf-8")
    for title in leaks.titles:
        assert title not in raw
    # Words a calendar may carry whoever is in the school: kinds, "Follow-up", the description
    vocabulary = {
        fold(w)
        for text in [*CIRCLE_KIND_LABELS.values(), "Follow-up", DESCRIPTION, PRODID]
        for w in re.findall(r"[^\W\d_]+", text)
    }
    for uid, name, words in _property_words(path):
        assert not words & leaks.family_names, (uid, name, words & leaks.family_names)
        assert not words & leaks.incidents, (uid, name, words & leaks.incidents)
        if not first_names_allowed:
            assert not words & (leaks.first_names - vocabulary), (uid, name, words)
    if not first_names_allowed:
        # Kind, place and time only: every summary is a kind's label or "Follow-up"
        for event in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            summary = str(event["SUMMARY"])
            assert summary in {*CIRCLE_KIND_LABELS.values(), "Follow-up"}, summary


def _events(path: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_cli_calendar_carries_no_names_titles_or_incidents(
    hostile_demo: Path, tmp_path: Path
) -> None:
    # Given the hostile demo (a copy) with one planned circle about to be cancelled
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(hostile_demo, path)
    leaks = _leaks(path)

    # When the calendar is exported through the command line, by default
    before = tmp_path / "before.ics"
    done = _cli(tmp_path, "calendar", "export", "-o", str(before), "--database", str(path))
    assert done.returncode == 0, done.stderr

    # Then no property of any event holds a family name, an incident word, a title or a name
    events = _events(before)
    assert len(events) > 10
    _assert_clean(before, leaks, first_names_allowed=False)
    assert "no names" in done.stdout
    summaries = {str(e["SUMMARY"]) for e in events.values()}
    # Each circle's event is named by its kind, never its title: the kinds of the planned (and
    # cancelled) circles, read from the rows
    db = open_database(path)
    try:
        with db.sessions() as session:
            planned_kinds = set(
                session.scalars(
                    select(Circle.kind).where(
                        Circle.status.in_([CircleStatus.PLANNED, CircleStatus.CANCELLED]),
                        Circle.scheduled_at.is_not(None),
                    )
                )
            )
    finally:
        db.close()
    kind_labels = {circle_kind_label(kind) for kind in planned_kinds}
    assert kind_labels and summaries - {"Follow-up"} <= kind_labels
    assert len(summaries & kind_labels) >= min(3, len(kind_labels))
    # Places are kept unless typed with someone's name
    locations = {str(e["LOCATION"]) for e in events.values() if "LOCATION" in e}
    assert locations and not any("Room 4 with" in place for place in locations)
    assert all(str(e["DESCRIPTION"]) == "Details are in circlekeeper." for e in events.values())

    # And with --first-names: first names appear, family names still never do
    named = tmp_path / "named.ics"
    done = _cli(tmp_path, "export", "calendar", "-o", str(named), "--first-names",
                "--database", str(path))  # fmt: skip
    assert done.returncode == 0, done.stderr
    _assert_clean(named, leaks, first_names_allowed=True)
    assert any(":" in str(e["SUMMARY"]) for e in _events(named).values())

    # When a planned circle is cancelled and the calendar exported again
    db = open_database(path)
    try:
        with db.sessions() as session:
            circle_id, uuid = session.execute(
                select(Circle.id, Circle.uuid)
                .where(Circle.status == CircleStatus.PLANNED, Circle.scheduled_at.is_not(None))
                .order_by(Circle.scheduled_at)
                .limit(1)
            ).one()
        CirclePlanner(db.sessions).cancel(circle_id)
    finally:
        db.close()
    after = tmp_path / "after.ics"
    done = _cli(tmp_path, "calendar", "export", "-o", str(after), "--database", str(path))
    assert done.returncode == 0, done.stderr
    assert "marked cancelled" in done.stdout

    # Then it keeps its UID, is marked cancelled, and its SEQUENCE went up
    uid = f"circle-{uuid}@circlekeeper"
    old, new = _events(before)[uid], _events(after)[uid]
    assert str(old["STATUS"]) == "CONFIRMED" and str(new["STATUS"]) == "CANCELLED"
    assert int(new["SEQUENCE"]) > int(old["SEQUENCE"])
    assert str(new["SUMMARY"]) == str(old["SUMMARY"])
    _assert_clean(after, leaks, first_names_allowed=False)


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_the_gui_calendar_obeys_the_setting_and_carries_no_family_names(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch, hostile_demo: Path, tmp_path: Path
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    from circlekeeper.ui.cases.area import CasesArea
    from circlekeeper.ui.settings_view import SettingsView

    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(hostile_demo, path)
    leaks = _leaks(path)
    db = open_database(path)
    try:
        area = CasesArea(db)
        qtbot.addWidget(area)
        area.show()
        settings = SettingsView(db)
        qtbot.addWidget(settings)
        target = tmp_path / "gui.ics"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

        # Given the setting as it comes (off): the Cases area's button writes kind, place, time
        assert not settings.calendar_first_names.isChecked()
        qtbot.mouseClick(area.calendar_button, Qt.MouseButton.LeftButton)
        assert "no names" in area.message.text()
        _assert_clean(target, leaks, first_names_allowed=False)

        # When first names are turned on in Settings and the calendar exported again
        settings.calendar_first_names.setChecked(True)
        qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(area.calendar_button, Qt.MouseButton.LeftButton)

        # Then summaries add first names, and still no family name, title or incident word
        assert "first names only" in area.message.text()
        _assert_clean(target, leaks, first_names_allowed=True)
        assert any(":" in str(e["SUMMARY"]) for e in _events(target).values())
    finally:
        db.close()
