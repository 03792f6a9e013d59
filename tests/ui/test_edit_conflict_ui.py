"""Someone else saved the agreement first: the builder keeps the typed text and offers a reload."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from tests.ui.a11y import unnamed_controls

from circlekeeper.core.agreements.commands import AgreementService
from circlekeeper.core.agreements.rows import AgreementHeader
from circlekeeper.core.operations import Context
from circlekeeper.ui.agreements.builder import AgreementBuilder

_spec = importlib.util.spec_from_file_location(
    "core_conference_fixtures_conflicts", Path(__file__).parents[1] / "core" / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_fixtures = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _fixtures
_spec.loader.exec_module(_fixtures)

TYPED = "José took Amara's headphones at lunch and they broke; he has said so himself."


def test_a_second_save_shows_who_changed_what_and_keeps_the_typed_text(qtbot, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Given a draft open in the builder on this laptop
    c = _fixtures.build_conference(db)
    draft_id = _fixtures.draft_with_items(c, 1)
    builder = AgreementBuilder(db, draft_id)
    qtbot.addWidget(builder)
    builder.resize(1366, 768)
    builder.show()
    stored_before = builder.details.header

    # and another counselor, elsewhere, moves its follow-up date and saves first
    other = AgreementService(Context(db.sessions, actor="Marcus Bell"))
    seen = other.get(draft_id)
    other.update_header(
        draft_id,
        AgreementHeader(
            harm_summary=seen.header.harm_summary,
            if_not_kept=seen.header.if_not_kept,
            follow_up_on=date(2025, 5, 20),
            follow_up_by_id=seen.header.follow_up_by_id,
        ),
        loaded_version=seen.summary.row_version,
    )

    # When the counselor here types a new description of the harm and it is saved
    builder.harm_summary.setPlainText(TYPED)
    assert builder.save_header() is False

    # Then the builder says who changed what, and nothing typed is gone
    notice = builder.conflict
    assert notice.isVisible()
    assert "Marcus Bell" in notice.message.text()
    assert "follow up on: 2025-04-15 → 2025-05-20" in notice.message.text()
    assert builder.harm_summary.toPlainText() == TYPED
    assert TYPED in notice.entries.text()
    assert notice.reload_button.isVisible()
    assert not unnamed_controls(notice)
    # and nothing was written over the other counselor's save
    stored = other.get(draft_id).header
    assert stored.harm_summary == stored_before.harm_summary
    assert stored.follow_up_on == date(2025, 5, 20)
    builder.grab().save(str(tmp_path / "conflict.png"))

    # When they load the saved version
    qtbot.mouseClick(notice.reload_button, Qt.MouseButton.LeftButton)

    # Then the form shows the saved agreement, their words stay listed to enter again
    assert builder.harm_summary.toPlainText() == stored_before.harm_summary
    assert builder.follow_up_on.date().toPython() == date(2025, 5, 20)
    assert TYPED in notice.entries.text()
    assert not notice.reload_button.isVisible()
    # and entering them again now saves, keeping the other counselor's date
    builder.harm_summary.setPlainText(TYPED)
    assert builder.save_header() is True
    stored = other.get(draft_id).header
    assert (stored.harm_summary, stored.follow_up_on) == (TYPED, date(2025, 5, 20))


def test_the_person_editor_refuses_a_stale_save_and_lists_what_was_typed(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from circlekeeper.core.people.people import PeopleService, PersonData
    from circlekeeper.ui.people.dialog import PersonDialog

    # Given a student's record open on this laptop
    here = PeopleService(Context(db.sessions, actor="Dana Whitfield"))
    person_id = here.create(PersonData("Amara", "Okafor", grade="8", phone="555-0100")).id
    dialog = PersonDialog(here, person_id)
    qtbot.addWidget(dialog)
    dialog.show()
    # and a colleague who changes the phone number and saves first
    other = PeopleService(Context(db.sessions, actor="Marcus Bell"))
    seen = other.details(person_id)
    other.update(
        person_id,
        PersonData("Amara", "Okafor", grade="8", phone="555-0199"),
        loaded_version=seen.row_version,
    )

    # When the counselor here changes the e-mail and saves
    dialog.email.setText("amara.family@example.org")
    dialog.accept()

    # Then the window stays open, names the other change, and keeps the typed e-mail
    assert dialog.isVisible()
    assert "Marcus Bell" in dialog.conflict.message.text()
    assert "phone: 555-0100 → 555-0199" in dialog.conflict.message.text()
    assert "amara.family@example.org" in dialog.conflict.entries.text()
    assert dialog.email.text() == "amara.family@example.org"
    assert other.details(person_id).data.email is None

    # When they load the saved version and enter the e-mail again, it saves over nothing
    qtbot.mouseClick(dialog.conflict.reload_button, Qt.MouseButton.LeftButton)
    assert dialog.phone.text() == "555-0199"
    dialog.email.setText("amara.family@example.org")
    dialog.accept()
    stored = other.details(person_id).data
    assert (stored.phone, stored.email) == ("555-0199", "amara.family@example.org")
