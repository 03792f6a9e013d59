"""The People area driven by keyboard and mouse, on a real migrated database."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.store.database import Database
from circlekeeper.ui.people.area import PeopleArea
from circlekeeper.ui.people.dialog import PersonDialog
from circlekeeper.ui.people.guardian_picker import GuardianPicker
from circlekeeper.ui.people.model import PeopleTableModel

from .conftest import activate, add_person


def make_area(qtbot: QtBot, db: Database) -> PeopleArea:
    area = PeopleArea(db)
    qtbot.addWidget(area)
    area.resize(1000, 640)
    activate(qtbot, area)
    return area


def names(area: PeopleArea) -> list[str]:
    model = area.model
    return [model.index(r, PeopleTableModel.NAME).data() for r in range(model.rowCount())]


class DialogDriver:
    """Acts on the next modal dialog of a kind once it is shown and active.

    A failure inside ``act`` closes the dialog (so ``exec()`` returns) and is raised again by
    :meth:`check`, instead of leaving the test waiting on an open dialog.
    """

    def __init__(self, kind: type, act) -> None:
        self.kind = kind
        self.act = act
        self.seen: list = []
        self.error: BaseException | None = None
        QTimer.singleShot(0, self._poll)

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if (
            isinstance(dialog, self.kind)
            and dialog.isVisible()
            and QApplication.activeWindow() is dialog
        ):
            self.seen.append(dialog)
            try:
                self.act(dialog)
            except BaseException as error:  # re-raised in check()
                self.error = error
                dialog.reject()
        else:
            QTimer.singleShot(20, self._poll)

    def check(self) -> None:
        if self.error is not None:
            raise self.error
        assert self.seen, f"no {self.kind.__name__} was shown"

    def __bool__(self) -> bool:
        self.check()
        return True


def when_dialog_opens(qtbot: QtBot, kind: type, act) -> DialogDriver:
    """Run ``act(dialog)`` on the next modal dialog of ``kind`` once it is shown."""
    return DialogDriver(kind, act)


def test_search_as_you_type_is_accent_insensitive(qtbot: QtBot, db: Database, people):
    # Given three people, one with accents in her family name
    add_person(people, "Ana", "Núñez", grade="7")
    add_person(people, "Liam", "Smith", grade="8")
    add_person(people, "Mei", "Nguyen", preferred_name="May")
    area = make_area(qtbot, db)
    assert area.status.text() == "3 people"

    # When the counselor presses Ctrl+F and types without accents
    area.table.setFocus()
    qtbot.keyClick(area.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert area.search.hasFocus()
    qtbot.keyClicks(area.search, "nunez")

    # Then the list narrows to her after the short pause, showing her name as written
    qtbot.waitUntil(lambda: names(area) == ["Ana Núñez"], timeout=2000)
    assert area.status.text() == "1 person found"

    # And the preferred name is what the list shows
    area.search.clear()
    qtbot.keyClicks(area.search, "mei")
    qtbot.waitUntil(lambda: names(area) == ["May Nguyen"], timeout=2000)


def test_add_person_with_keyboard_only(qtbot: QtBot, db: Database, people: PeopleService):
    area = make_area(qtbot, db)

    def fill(dialog: PersonDialog) -> None:
        qtbot.keyClicks(dialog.first_name, "Jordan")
        qtbot.keyClick(dialog.first_name, Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.focusWidget(), "Lee")
        # Alt+G jumps to Grade (label mnemonic); pick 9 by typing
        qtbot.keyClick(dialog, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
        assert dialog.grade.hasFocus()
        qtbot.keyClicks(dialog.grade, "9")
        qtbot.keyClick(dialog, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClicks(dialog.external_id, "S-900")
        qtbot.keyClick(dialog.external_id, Qt.Key.Key_Return)

    # When Ctrl+N is pressed and the form is filled from the keyboard, then Enter
    opened = when_dialog_opens(qtbot, PersonDialog, fill)
    area.table.setFocus()
    qtbot.keyClick(area.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    # Then the person is saved, listed, and selected
    assert opened
    rows = people.search("jordan")
    assert [(r.first_name, r.last_name, r.grade, r.external_id) for r in rows] == [
        ("Jordan", "Lee", "9", "S-900")
    ]
    assert area.selected_person().id == rows[0].id
    assert "Jordan Lee" in area.message.text()


def test_enter_opens_the_person_and_edit_is_an_action(
    qtbot: QtBot, db: Database, people: PeopleService
):
    person_id = add_person(people, "Sam", "Rivera", grade="6")
    area = make_area(qtbot, db)
    area.select_row(0)
    area.table.setFocus()
    # Enter opens the person's page, not the form
    qtbot.keyClick(area.table, Qt.Key.Key_Return)
    page = area.story_page
    assert area.stack.currentWidget() is page and page.title.text() == "Sam Rivera"

    def edit(dialog: PersonDialog) -> None:
        assert dialog.first_name.text() == "Sam"
        dialog.preferred_name.setText("Sammy")
        dialog.pronouns.setCurrentText("they/them")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    opened = when_dialog_opens(qtbot, PersonDialog, edit)
    qtbot.keyClick(page.edit_button, Qt.Key.Key_Space)
    assert opened
    details = people.details(person_id)
    assert details.data.preferred_name == "Sammy"
    assert details.data.pronouns == "they/them"
    assert page.title.text() == "Sammy Rivera"
    activate(qtbot, area)  # the form has closed: keys reach the area's window again
    qtbot.keyClick(page.edit_button, Qt.Key.Key_Escape)
    assert area.stack.currentWidget() is area.list_page
    assert names(area) == ["Sammy Rivera"]


def test_double_click_opens_the_person(qtbot: QtBot, db: Database, people: PeopleService):
    add_person(people, "Sam", "Rivera")
    area = make_area(qtbot, db)
    rect = area.table.visualRect(area.model.index(0, 0))
    # A real double-click starts with a press: the view checks both hit the same row.
    qtbot.mouseClick(area.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(area.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert area.stack.currentWidget() is area.story_page
    assert area.story_page.title.text() == "Sam Rivera"


def test_validation_error_shown_and_nothing_saved(qtbot: QtBot, people: PeopleService):
    # Given the add form with only a first name
    dialog = PersonDialog(people)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    qtbot.keyClicks(dialog.first_name, "Alex")

    # When Save is pressed
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    # Then the dialog stays open with the problem in words, the cursor on the field,
    # what was typed kept, and nothing saved
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert "Last name is required" in dialog.error.text()
    assert "Traceback" not in dialog.error.text()
    assert dialog.last_name.hasFocus()
    assert dialog.first_name.text() == "Alex"
    assert people.count().number == 0

    # And fixing it saves
    qtbot.keyClicks(dialog.last_name, "Kim")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert people.count().number == 1


def test_duplicate_id_is_refused_in_words(qtbot: QtBot, people: PeopleService):
    add_person(people, "Ana", "Núñez", external_id="1001")
    dialog = PersonDialog(people)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    dialog.first_name.setText("Other")
    dialog.last_name.setText("Person")
    dialog.external_id.setText("1001")
    dialog.accept()
    assert dialog.isVisible()
    assert "already belongs to Ana Núñez" in dialog.error.text()
    assert dialog.external_id.hasFocus()
    assert people.count().number == 1


def test_archive_then_show_archived_and_restore(qtbot: QtBot, db: Database, people):
    add_person(people, "Ana", "Núñez")
    add_person(people, "Liam", "Smith")
    area = make_area(qtbot, db)
    area.select_row(0)
    assert area.archive_button.text().replace("&", "") == "Archive"

    # When archived, the person leaves the list but is kept
    qtbot.mouseClick(area.archive_button, Qt.MouseButton.LeftButton)
    assert names(area) == ["Liam Smith"]
    assert area.status.text() == "1 person"
    assert people.count(include_archived=True).number == 2

    # Show archived brings them back, marked
    qtbot.mouseClick(area.show_archived, Qt.MouseButton.LeftButton)
    assert names(area) == ["Ana Núñez (archived)", "Liam Smith"]
    area.select_row(0)
    assert area.archive_button.text().replace("&", "") == "Restore"
    qtbot.mouseClick(area.archive_button, Qt.MouseButton.LeftButton)
    assert people.count().number == 2
    assert names(area) == ["Ana Núñez", "Liam Smith"]


def test_link_existing_guardian_and_unlink(qtbot: QtBot, db: Database, people: PeopleService):
    student_id = add_person(people, "Ana", "Núñez", grade="7")
    guardian_id = add_person(people, "Rosa", "Núñez", kind="guardian")
    dialog = PersonDialog(people, student_id)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    assert dialog.guardian_box.isVisible()

    def pick(picker: GuardianPicker) -> None:
        qtbot.keyClicks(picker.search, "rosa")
        qtbot.waitUntil(lambda: picker.model.rowCount() == 1 and picker.model.text == "rosa")
        qtbot.keyClick(picker.search, Qt.Key.Key_Down)
        qtbot.keyClicks(picker.relationship, "Mother")
        qtbot.mouseClick(picker.link_button, Qt.MouseButton.LeftButton)

    opened = when_dialog_opens(qtbot, GuardianPicker, pick)
    qtbot.mouseClick(dialog.link_button, Qt.MouseButton.LeftButton)
    assert opened
    # Nothing is written until Save
    assert people.details(student_id).guardians == []
    assert "Rosa Núñez — Mother" in dialog.guardian_list.item(0).text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    links = people.details(student_id).guardians
    assert [(g.guardian.id, g.relationship, g.can_consent) for g in links] == [
        (guardian_id, "Mother", True)
    ]

    # Unlink, then Cancel keeps the link; unlink then Save removes it
    again = PersonDialog(people, student_id)
    qtbot.addWidget(again)
    activate(qtbot, again)
    again.guardian_list.setCurrentRow(0)
    qtbot.mouseClick(again.unlink_button, Qt.MouseButton.LeftButton)
    again.reject()
    assert len(people.details(student_id).guardians) == 1
    third = PersonDialog(people, student_id)
    qtbot.addWidget(third)
    activate(qtbot, third)
    third.guardian_list.setCurrentRow(0)
    qtbot.mouseClick(third.unlink_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(third.save_button, Qt.MouseButton.LeftButton)
    assert people.details(student_id).guardians == []


def test_new_guardian_from_the_picker(qtbot: QtBot, people: PeopleService):
    # Given the guardian picker for a student, with the guardian's name typed
    picker = GuardianPicker(people, set())
    qtbot.addWidget(picker)
    activate(qtbot, picker)
    qtbot.keyClicks(picker.search, "Lori Begay")

    def new_guardian(editor: PersonDialog) -> None:
        # Then the form opens as a guardian, with the typed name filled in
        assert editor.kind.currentData() == "guardian"
        assert not editor.guardian_box.isVisible()
        assert (editor.first_name.text(), editor.last_name.text()) == ("Lori", "Begay")
        editor.phone.setText("555-0100")
        editor.accept()

    # When New guardian… is chosen and saved
    driver = when_dialog_opens(qtbot, PersonDialog, new_guardian)
    qtbot.mouseClick(picker.new_button, Qt.MouseButton.LeftButton)
    driver.check()

    # Then the new guardian is saved and ready to link
    assert picker.chosen is not None and picker.chosen.first_name == "Lori"
    assert picker.link_button.isEnabled()
    assert people.search("lori", kind="guardian")[0].id == picker.chosen.id


def test_pending_link_is_saved_with_a_new_student(qtbot: QtBot, people: PeopleService):
    guardian_id = add_person(people, "Lori", "Begay", kind="guardian")
    dialog = PersonDialog(people)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    dialog.first_name.setText("Kai")
    dialog.last_name.setText("Begay")

    def pick(picker: GuardianPicker) -> None:
        qtbot.waitUntil(lambda: picker.model.rowCount() == 1)
        picker.table.selectRow(0)
        picker.relationship.setText("Aunt")
        picker.accept()

    driver = when_dialog_opens(qtbot, GuardianPicker, pick)
    qtbot.mouseClick(dialog.link_button, Qt.MouseButton.LeftButton)
    driver.check()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    student = people.search("kai")[0]
    links = people.details(student.id).guardians
    assert [(g.guardian.id, g.relationship) for g in links] == [(guardian_id, "Aunt")]


def test_equity_fields_are_separate_and_saved(qtbot: QtBot, people: PeopleService):
    dialog = PersonDialog(people)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    assert not dialog.equity.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.equity.isVisible)  # a mnemonic "clicks" after a short animation
    dialog.first_name.setText("Zoë")
    dialog.last_name.setText("Okafor")
    dialog.english_learner.setCurrentIndex(dialog.english_learner.findData(True))
    dialog.gender.setText("Female")
    dialog.accept()
    data = people.details(dialog.saved.id).data
    assert data.english_learner is True
    assert data.gender == "Female"
    assert data.disability is None


def add_in_bulk(db: Database, count: int, *, family: str | None = None) -> None:
    """``count`` people in one transaction, the way a roster import adds many: StudentNNNN
    FamilyNNNN (or all of one ``family``)."""
    from circlekeeper.core.people.people import PersonData, search_text
    from circlekeeper.core.store.models import Person

    with db.sessions.begin() as session:
        for n in range(count):
            last = family if family is not None else f"Family{n:04d}"
            data = PersonData(first_name=f"Student{n:04d}", last_name=last)
            # A person's school is a record chosen by core.schools; none here.
            fields = {k: v for k, v in vars(data).items() if k != "school"}
            session.add(Person(**fields, search_text=search_text(data)))


def test_lazy_model_fetches_more_when_scrolled(qtbot: QtBot, db: Database):
    # Given 1,000 people inserted in bulk (the way a roster import would add many)
    add_in_bulk(db, 1000)
    area = make_area(qtbot, db)

    # Then only the first page is loaded, while the count tells the whole
    assert area.model.rowCount() == PeopleTableModel.PAGE_SIZE
    assert area.status.text() == "1,000 people"

    # When the list is scrolled to the bottom, more pages arrive
    area.table.setFocus()
    for _ in range(3):
        qtbot.keyClick(area.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        QApplication.processEvents()
    qtbot.waitUntil(lambda: area.model.rowCount() > 2 * PeopleTableModel.PAGE_SIZE)
    area.table.scrollToBottom()
    while area.model.canFetchMore():
        area.model.fetchMore()
    assert area.model.rowCount() == 1000
    assert names(area)[-1] == "Student0999 Family0999"


def test_a_screen_taller_than_a_page_is_filled_without_scrolling(qtbot: QtBot, db: Database):
    # Given more people than a page, and a list taller than a page of rows
    add_in_bulk(db, 300)
    area = make_area(qtbot, db)
    area.resize(1000, 40 * PeopleTableModel.PAGE_SIZE)

    # Then the view reads pages until its last row is past the bottom: no empty space below
    table = area.table
    qtbot.waitUntil(
        lambda: table.rowViewportPosition(area.model.rowCount() - 1) > table.viewport().height()
    )
    assert area.model.rowCount() > PeopleTableModel.PAGE_SIZE
    assert area.model.rowCount() < 300


def test_past_the_counts_cap_the_list_says_more_than_never_a_figure_it_did_not_count(
    qtbot: QtBot, db: Database
):
    # Given 1,001 people, one more than the count's cap (core/people/matching.COUNT_LIMIT)
    add_in_bulk(db, 1001, family="Family")
    area = make_area(qtbot, db)

    # Then the whole directory and a search matching them all say "more than 1,000"
    assert area.status.text() == "More than 1,000 people"
    area.search.setText("student")
    area.reload()
    assert area.status.text() == "More than 1,000 people found"
    assert area.model.rowCount() == PeopleTableModel.PAGE_SIZE

    # And a search under the cap is counted exactly
    area.search.setText("student09")
    area.reload()
    assert area.status.text() == "100 people found"


def test_model_passes_qt_model_tester(qtmodeltester, db: Database, people: PeopleService):
    for n in range(5):
        add_person(people, f"P{n}", "Tester", grade=str(n + 1))
    model = PeopleTableModel(people)
    model.set_query("")
    qtmodeltester.check(model)


def test_database_error_is_shown_in_words(qtbot: QtBot, db: Database, people, monkeypatch):
    from sqlalchemy.exc import OperationalError

    add_person(people, "Ana", "Núñez")
    area = make_area(qtbot, db)
    area.select_row(0)
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a: shown.append(text))
    )

    def broken(*_args: object, **_kw: object) -> None:
        # The storage error comes out of the operation pipeline as a plain-words problem.
        with area.service.ctx.write("archive a person"):
            raise OperationalError("UPDATE", {}, Exception("database is locked"))

    monkeypatch.setattr(area.service, "set_archived", broken)
    area.toggle_archived()
    assert shown and "Nothing already saved was lost" in shown[0]
    assert "locked" not in shown[0] and "Traceback" not in shown[0]


def test_ctrl_f_reaches_the_people_search_from_the_sidebar(qtbot: QtBot, db_path) -> None:
    from tests.ui.conftest import activate

    from circlekeeper.ui.main_window import MainWindow

    # Given the window open on Today with the keyboard in the sidebar
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_database(db_path, interactive=False)
    activate(qtbot, window)
    window.navigation.setFocus()
    qtbot.waitUntil(window.navigation.hasFocus)

    # When Ctrl+F is pressed there
    qtbot.keyClick(window.navigation, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)

    # Then People is shown with the keyboard in its search field
    qtbot.waitUntil(lambda: window.people.search.hasFocus())
    assert window.current_area() is window.people
    assert window.navigation.currentItem().text() == "People"

    # And from the sidebar again, with People shown, it goes back to the same field
    window.navigation.setFocus()
    qtbot.waitUntil(window.navigation.hasFocus)
    qtbot.keyClick(window.navigation, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.people.search.hasFocus())
    # And inside the area its own Ctrl+F still works (no clash between the two)
    window.people.table.setFocus()
    qtbot.waitUntil(window.people.table.hasFocus)
    qtbot.keyClick(window.people.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.people.search.hasFocus())
    window.close_database()


def test_the_kind_column_shows_every_kind_whole_in_spanish(
    qtbot: QtBot, db: Database, qapp
) -> None:
    # "Madre, padre o tutor" was cut to "Madre, padre …": the column had room for ten letters
    # whatever the language said.
    from circlekeeper.core.domain.enums import PersonKind
    from circlekeeper.ui.i18n import install_language
    from circlekeeper.ui.people.labels import kind_short_label

    install_language("es", qapp)
    try:
        area = make_area(qtbot, db)
        metrics = area.table.fontMetrics()
        room = area.table.columnWidth(PeopleTableModel.KIND)
        for kind in PersonKind:
            label = kind_short_label(kind.value)
            assert metrics.horizontalAdvance(label) + 12 <= room, label
    finally:
        install_language("en", qapp)
