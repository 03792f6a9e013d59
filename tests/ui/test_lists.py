"""The one paging table model and the list habits every list screen shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.model import CaseTableModel
from circlekeeper.ui.lists import (
    RecordTableModel,
    keep_place,
    open_on_enter,
    select_row,
    selected_row,
)
from circlekeeper.ui.people.model import PeopleTableModel


@dataclass(frozen=True)
class Seat:
    id: int
    name: str


class SeatsModel(RecordTableModel[Seat]):
    NUMBER, NAME = range(2)
    PAGE_SIZE = 10
    HEADERS = (QT_TRANSLATE_NOOP("SeatsModel", "Seat"), QT_TRANSLATE_NOOP("SeatsModel", "Name"))

    def __init__(self, seats: list[Seat]) -> None:
        super().__init__()
        self.seats = seats
        self.reads: list[tuple[int, int]] = []

    def read(self, limit: int, offset: int) -> Sequence[Seat]:
        self.reads.append((limit, offset))
        return self.seats[offset : offset + limit]

    def count(self, loaded: int) -> int:
        return len(self.seats)

    def display(self, record: Seat, column: int) -> str:
        return str(record.id) if column == self.NUMBER else record.name

    def sort_value(self, record: Seat, column: int) -> object:
        return record.name if column == self.NAME else None


SEATS = [Seat(n, f"Person {n:02}") for n in range(1, 26)]


def test_pages_are_read_as_the_view_scrolls_and_roles_give_the_record(qtmodeltester) -> None:
    model = SeatsModel(SEATS)
    model.reload()
    assert (model.rowCount(), model.total, model.canFetchMore()) == (10, 25, True)
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 25 and not model.canFetchMore()
    assert model.reads == [(10, 0), (10, 10), (10, 20)]
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Name"
    index = model.index(12, 1)
    assert model.data(index) == "Person 13"
    assert model.data(index, model.ObjectRole) == SEATS[12]
    assert model.data(index, model.SortRole) == "Person 13"
    assert model.data(model.index(12, 0), model.SortRole) == 12  # the order read
    assert model.row_of(13) == 12 and model.row_of(99) == -1
    model.refresh()  # after a change: as many rows as were loaded
    assert model.rowCount() == 25 and model.reads[-1] == (25, 0)
    qtmodeltester.check(model)


def test_a_list_screen_opens_on_enter_and_keeps_its_place(qtbot: QtBot) -> None:
    model = SeatsModel(SEATS)
    model.reload(25)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(300, 120)
    view.show()
    opened: list[int | None] = []
    open_on_enter(view, lambda: opened.append(selected_row(view)))
    select_row(view, 20)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened == [20]
    position = view.verticalScrollBar().value()
    assert position > 0

    def chosen() -> int | None:
        row = selected_row(view)
        record = model.record_at(row) if row is not None else None
        return record.id if record is not None else None

    keep_place(view, model.refresh, chosen, lambda seat: select_row(view, model.row_of(seat)))
    assert selected_row(view) == 20 and view.verticalScrollBar().value() == position


def test_the_people_and_case_lists_are_sound_models(db: Database, qtmodeltester) -> None:
    people = PeopleService(db.sessions)
    for n in range(3):
        people.create(PersonData(f"Ana{n}", "Lopez"))
    model = PeopleTableModel(people)
    model.set_query("")
    assert model.rowCount() == 3 and model.total == 3
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    qtmodeltester.check(model)
    cases = CaseTableModel(CaseService(db.sessions))
    cases.set_filter(None, open_only=False)
    qtmodeltester.check(cases)


def test_a_first_page_shorter_than_a_page_is_its_own_count(db: Database) -> None:
    # Fewer records came than were asked for, so they are all there are: counting them
    # again is a second statement per keystroke (a round trip on a server) for nothing.
    from tests.query_plans import statements

    people = PeopleService(db.sessions)
    for n in range(3):
        people.create(PersonData(f"Ana{n}", "Lopez"))
    model = PeopleTableModel(people)
    asked = statements(db, lambda: model.set_query("ana"))
    assert model.rowCount() == 3 and model.total == 3 and model.more_than is None
    assert len(asked) == 1, asked  # the page alone (the directory's comes with its count)
    cases = CaseTableModel(CaseService(db.sessions))
    asked = statements(db, lambda: cases.set_filter(None, open_only=False))
    assert cases.total == 0
    assert not [s for s, _ in asked if "count(" in s.lower()], asked

    # A full first page of people comes with its count, in the same one statement
    for n in range(PeopleTableModel.PAGE_SIZE + 4):
        people.create(PersonData(f"Bea{n}", "Marsh"))
    asked = statements(db, lambda: model.set_query("bea"))
    assert model.rowCount() == PeopleTableModel.PAGE_SIZE
    assert model.total == PeopleTableModel.PAGE_SIZE + 4 and model.more_than is None
    assert len(asked) == 1, asked

    full = SeatsModel(SEATS)  # a full first page still asks how many there are in all
    full.reload()
    assert full.rowCount() == 10 and full.total == 25
