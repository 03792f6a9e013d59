"""Search everywhere: results as you type, FTS characters are harmless, Enter opens."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from sqlalchemy import event
from tests.ui.a11y import unnamed_controls
from tests.ui.conftest import activate, add_person

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.store.database import Database
from circlekeeper.ui.main_window import MainWindow
from circlekeeper.ui.search.popup import HIT_ROLE, SearchPopup


def _kinds(popup: SearchPopup) -> list[tuple[str, str]]:
    found = []
    for row in range(popup.results.count()):
        hit = popup.results.item(row).data(HIT_ROLE)
        if hit is not None:
            found.append((hit.kind, hit.title))
    return found


def test_search_finds_a_person_and_a_case_and_opens_them(
    qtbot, db: Database, people: PeopleService
) -> None:
    # Given a person and a case that mentions the same word
    maria = add_person(people, "María", "Núñez")
    case = CaseService(db.sessions).intake(
        CaseIntake(date(2026, 3, 1), "Lockers damaged", description="Núñez saw it", parties=[])
    )
    popup = SearchPopup(db)
    qtbot.addWidget(popup)
    popup.popup()

    # When "nunez" is typed (no accent), the results appear after a short pause
    qtbot.keyClicks(popup.field, "nunez")
    qtbot.waitUntil(lambda: len(_kinds(popup)) >= 2, timeout=2000)

    # Then the person comes first, grouped under a heading, then the case
    kinds = _kinds(popup)
    assert kinds[0] == ("person", "María Núñez")
    assert any(kind == "case" for kind, _title in kinds)
    assert popup.results.item(0).text().startswith("People")
    assert not unnamed_controls(popup)

    # Enter opens the highlighted result
    with qtbot.waitSignal(popup.chosen) as opened:
        qtbot.keyClick(popup.field, Qt.Key.Key_Return)
    assert opened.args == ["person", maria, None]

    popup.popup()
    popup.field.setText("lockers")
    popup.run_search()
    with qtbot.waitSignal(popup.chosen) as opened:
        qtbot.keyClick(popup.field, Qt.Key.Key_Return)
    assert opened.args[:2] == ["case", case.id]


def test_fts_syntax_characters_do_not_error(qtbot, db: Database, people: PeopleService) -> None:
    add_person(people, "Near", "Star")
    popup = SearchPopup(db)
    qtbot.addWidget(popup)
    for text in ('"', "*", "-", "NEAR", 'near( "star', "a AND -b OR", "*:^"):
        popup.field.setText(text)
        popup.run_search()
        assert "⚠" not in popup.status.text(), text
    popup.field.setText('"near*')
    popup.run_search()
    assert ("person", "Near Star") in _kinds(popup)


def test_ctrl_k_opens_search_and_a_case_opens_on_its_page(
    qtbot, db_path, people: PeopleService, db: Database
) -> None:
    case = CaseService(db.sessions).intake(CaseIntake(date(2026, 3, 1), "Graffiti"))
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_database(db_path, interactive=False)
    # Today is the home screen
    assert window.navigation.item(0).text() == "Today"
    assert window.current_area() is window.today
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = window.search_popup
    assert isinstance(popup, SearchPopup) and popup.isVisible()
    popup.field.setText("graffiti")
    popup.run_search()
    qtbot.keyClick(popup.field, Qt.Key.Key_Return)
    assert window.current_area() is window.cases
    assert window.cases.page.detail is not None and window.cases.page.detail.id == case.id
    assert not popup.isVisible()
    window.close_database()


def test_each_keystroke_runs_one_search_query_for_every_kind(
    qtbot, db: Database, people: PeopleService
) -> None:
    # Given records of several kinds that share a prefix, and every statement counted
    add_person(people, "Nuria", "Okafor")
    CaseService(db.sessions).intake(CaseIntake(date(2026, 3, 1), "Nuisance", parties=[]))
    statements: list[str] = []
    event.listen(
        db.engine,
        "before_cursor_execute",
        lambda _c, _cur, sql, *_rest: statements.append(sql),
    )
    popup = SearchPopup(db)
    qtbot.addWidget(popup)
    popup.popup()
    for typed in ("n", "nu"):
        # When a key is typed and the pause passes
        statements.clear()
        qtbot.keyClick(popup.field, typed[-1])
        qtbot.waitUntil(lambda: not popup.searching, timeout=5000)
        # Then one full-text query asked for every kind at once
        assert len([s for s in statements if "MATCH" in s]) == 1, typed
    assert {hit.kind for hit in popup.hits} == {"person", "case"}


def test_a_stale_search_is_stopped_and_its_results_dropped(
    qtbot, db: Database, people: PeopleService
) -> None:
    # Given two people, and every result list the popup ever shows recorded
    add_person(people, "Wanda", "Zielinski")
    add_person(people, "Orla", "Quinn")
    popup = SearchPopup(db)
    qtbot.addWidget(popup)
    popup.popup()
    shown: list[str] = []
    popup.results.model().rowsInserted.connect(
        lambda _parent, first, last: shown.extend(
            popup.results.item(row).text() for row in range(first, last + 1)
        )
    )
    # When a search starts for one name and the person types another before it is shown
    popup.field.setText("wanda")
    popup.search_in_background()
    stale = popup._task
    assert stale is not None
    popup.field.setText("orla")
    # Then the first search is told to stop, and only the second one's results appear
    assert stale.cancel_requested
    qtbot.waitUntil(lambda: not stale.running, timeout=5000)
    qtbot.waitUntil(lambda: not popup.searching, timeout=5000)
    assert [hit.title for hit in popup.hits] == ["Orla Quinn"]
    assert not any("Wanda" in text for text in shown)


def test_ctrl_k_tells_two_people_of_the_same_name_apart_and_shows_all_results(
    qtbot, db: Database, people: PeopleService
) -> None:
    from circlekeeper.ui.search.popup import SHOW_ALL_ROLE
    from circlekeeper.ui.search.results import SearchResultsDialog

    # Given two students named María Gómez and a guardian of the same name, and many Marías
    first = add_person(people, "María", "Gómez", grade="7", external_id="S1001", school="Lincoln")
    add_person(people, "María", "Gómez", grade="10", external_id="S2002", school="Roosevelt")
    add_person(people, "María", "Gómez", kind="guardian")
    for n in range(12):
        add_person(people, "María", f"Zamora{n}")
    popup = SearchPopup(db)
    qtbot.addWidget(popup)
    popup.resize(640, 520)
    popup.popup()

    # When "maria gomez" is typed
    popup.field.setText("maria gomez")
    popup.run_search()

    # Then each line says who the person is: kind, grade, ID and school
    lines = [popup.results.item(r).text() for r in range(popup.results.count())]
    assert "  María Gómez\n    Student · Grade 7 · ID S1001 · Lincoln" in lines
    assert "  María Gómez\n    Student · Grade 10 · ID S2002 · Roosevelt" in lines
    assert "  María Gómez\n    Guardian" in lines
    # And the last row offers every result, reachable with the arrow keys
    last = popup.results.item(popup.results.count() - 1)
    assert last.text() == "Show all results for “maria gomez”…"
    assert last.data(SHOW_ALL_ROLE) == "maria gomez"

    # When "maria" (more people than the popup lists) is typed and Show all is chosen
    popup.field.setText("maria")
    popup.run_search()
    assert len(popup.hits) == 8  # a few of each kind
    for _ in range(popup.results.count()):
        qtbot.keyClick(popup.field, Qt.Key.Key_Down)
    assert popup.results.currentItem().data(SHOW_ALL_ROLE) == "maria"
    qtbot.keyClick(popup.field, Qt.Key.Key_Return)

    # Then a full list holds all fifteen, and opening one leads to that person
    dialog = popup.results_dialog
    assert isinstance(dialog, SearchResultsDialog) and dialog.isVisible()
    assert len(dialog.hits) == 15 and dialog.status.text() == "15 results"
    assert not unnamed_controls(dialog)
    for row in range(dialog.results.count()):
        hit = dialog.results.item(row).data(HIT_ROLE)
        if hit is not None and hit.id == first:
            dialog.results.setCurrentRow(row)
    with qtbot.waitSignal(popup.chosen) as opened:
        dialog.open_button.click()
    assert opened.args == ["person", first, None]


def test_show_all_lists_a_private_note_under_notes_as_the_popup_does(qtbot, db: Database) -> None:
    # Given the hits of a search: a shared note and a private note the viewer may read
    from circlekeeper.core.search.search import SearchHit
    from circlekeeper.ui.search.results import SearchResultsDialog

    hits = [
        SearchHit("note", 1, "Note in a circle", "shared words", parent_id=3),
        SearchHit("private_note", 2, "Private note", "own words", parent_id=3, private=True),
    ]
    popup = SearchPopup(db)
    qtbot.addWidget(popup)
    dialog = SearchResultsDialog(db, "words", popup)
    qtbot.addWidget(dialog)

    # When the full list shows them
    dialog.results.clear()
    dialog._fill(hits)

    # Then both are listed, under one Notes heading, in the popup's words
    shown = [dialog.results.item(r).data(HIT_ROLE) for r in range(dialog.results.count())]
    assert [h.kind for h in shown if h is not None] == ["note", "private_note"]
    headings = [dialog.results.item(r).text() for r in range(dialog.results.count())]
    assert sum(1 for text in headings if text.endswith("(2)")) == 1
