"""The case page's actions: moving the case along, closing it, its people, contacts and
follow-ups. Kept apart from the page's layout and reading (``page.py``)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from circlekeeper.core.cases.commands import OpenFollowUps
from circlekeeper.core.cases.rows import PartyRow
from circlekeeper.core.domain.enums import CircleKind, FollowUpStatus, Role
from circlekeeper.core.followups.rows import FollowUpData
from circlekeeper.ui.cases.common import (
    PROBLEMS,
    closure_label,
    problem_text,
    role_label,
    show_message,
    status_label,
)
from circlekeeper.ui.people.labels import count_text

if TYPE_CHECKING:
    from circlekeeper.ui.cases.page import CasePage


# The party a row of the page's people list stands for.
PARTY_ROLE = Qt.ItemDataRole.UserRole + 1


class CasePageActions:
    """What the buttons on a case page do (mixed into :class:`CasePage`)."""

    def family_letter(self: CasePage) -> object:  # type: ignore[misc]
        """Open the window that saves the letter home about the chosen (else newest) agreement."""
        from circlekeeper.ui.documents import open_family_letter

        if self.detail is None or not self.detail.agreements:
            return None
        row = self.agreements.currentRow()
        agreements = self.detail.agreements
        chosen = agreements[row] if 0 <= row < len(agreements) else agreements[-1]
        self.letter = open_family_letter(self, self.database, chosen.id)
        return self.letter

    def move_forward(self: CasePage) -> None:  # type: ignore[misc]
        if self.detail is None or self.detail.next_status is None:
            return
        target = self.detail.next_status
        case_id, version = self.detail.id, self.detail.row_version
        if self._run(lambda: self.cases.move(case_id, target, loaded_version=version)):
            self._after(self.tr("Moved to {step}.").format(step=status_label(target)))
            self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def move_back(self: CasePage) -> None:  # type: ignore[misc]
        from circlekeeper.ui.cases.dialogs import ReasonDialog

        if self.detail is None or self.detail.previous_status is None:
            return
        target = self.detail.previous_status
        dialog = ReasonDialog(
            self.tr("Go back a step"),
            self.tr("Why does the case go back to {step}?").format(step=status_label(target)),
            self,
        )
        if not dialog.exec():
            return
        reason = dialog.reason.text()
        case_id, version = self.detail.id, self.detail.row_version
        if self._run(
            lambda: self.cases.move(case_id, target, reason=reason, loaded_version=version)
        ):
            self._after(self.tr("Back to {step}.").format(step=status_label(target)))

    def close_case(self: CasePage) -> None:  # type: ignore[misc]
        from circlekeeper.ui.cases.dialogs import CloseCaseDialog, ask_about_open_follow_ups

        if self.detail is None:
            return
        dialog = CloseCaseDialog(self.clock().date(), self)
        if not dialog.exec():
            return
        reason, closed_on = dialog.choice()
        case_id, version = self.detail.id, self.detail.row_version
        try:
            cancelled = self.cases.close(case_id, reason, today=closed_on, loaded_version=version)
        except OpenFollowUps as open_ones:
            choice = ask_about_open_follow_ups(self, open_ones.follow_ups)
            if choice is None:
                show_message(self.message, self.tr("The case stays open; nothing was changed."))
                return
            try:
                cancelled = self.cases.close(
                    case_id,
                    reason,
                    today=closed_on,
                    open_follow_ups="cancel" if choice == "cancel" else "keep",
                    loaded_version=version,
                )
            except PROBLEMS as problem:
                show_message(self.message, problem_text(problem), problem=True)
                return
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return
        text = self.tr("Closed: {reason}.").format(reason=closure_label(reason))
        if cancelled:
            text += " " + count_text(
                len(cancelled),
                self.tr("1 follow-up cancelled."),
                self.tr("{count} follow-ups cancelled."),
            )
        self._after(text)

    # -- people ----------------------------------------------------------------------------

    def selected_party(self: CasePage) -> PartyRow | None:  # type: ignore[misc]
        item = self.parties.currentItem()
        party = item.data(PARTY_ROLE) if item is not None else None
        return party if isinstance(party, PartyRow) else None

    def add_party(self: CasePage) -> None:  # type: ignore[misc]
        from PySide6.QtWidgets import QInputDialog

        from circlekeeper.ui.cases.common import case_role_choices
        from circlekeeper.ui.cases.picker import PersonPickerDialog

        if self.detail is None:
            return
        picker = PersonPickerDialog(self.people, self.tr("Add a person to the case"), self)
        if not picker.exec() or picker.chosen is None:
            return
        choices = case_role_choices()
        label, ok = QInputDialog.getItem(
            self,
            self.tr("Role in the case"),
            self.tr("{name}'s role in this case:").format(name=picker.chosen.display_name),
            [text for _value, text in choices],
            0,
            False,
        )
        if not ok:
            return
        role = dict((text, value) for value, text in choices)[label]
        person = picker.chosen
        case_id = self.detail.id
        if self._run(lambda: self.cases.add_party(case_id, person.id, role)):
            self._after(self.tr("Added {name}.").format(name=person.display_name))

    def remove_party(self: CasePage) -> None:  # type: ignore[misc]
        party = self.selected_party()
        if party is None:
            return
        if self._run(lambda: self.cases.remove_party(party.id)):
            self._after(self.tr("Removed {name} from the case.").format(name=party.name))

    def open_party(self: CasePage) -> None:  # type: ignore[misc]
        party = self.selected_party()
        if party is not None:
            self.open_record.emit("person", party.person_id, None)

    def show_history(self: CasePage) -> None:  # type: ignore[misc]
        from circlekeeper.ui.cases.history import show_student_history

        party = self.selected_party()
        if party is not None:
            self.history_dialog = show_student_history(self.database, party.person_id, self)

    # -- contacts and follow-ups -----------------------------------------------------------

    def add_contact(self: CasePage) -> None:  # type: ignore[misc]
        from circlekeeper.ui.cases.dialogs import ContactDialog

        if self.detail is None:
            return
        people = [
            (p.person_id, f"{p.name} ({role_label(p.role)})")
            for p in sorted(self.detail.parties, key=lambda p: p.role != Role.GUARDIAN)
        ]
        dialog = ContactDialog(self.clock(), people, self)
        if not dialog.exec():
            return
        when, person_id, how, outcome, staff = dialog.values()
        case_id = self.detail.id
        if self._run(
            lambda: self.cases.add_contact(
                case_id, when, how, outcome, person_id=person_id, staff_name=staff
            )
        ):
            self._after(self.tr("Contact logged."))

    def add_follow_up(self: CasePage) -> None:  # type: ignore[misc]
        from circlekeeper.ui.cases.dialogs import FollowUpDialog

        if self.detail is None:
            return
        dialog = FollowUpDialog(self.people, self.clock().date() + timedelta(weeks=1), self)
        while dialog.exec():
            assert dialog.responsible is not None
            data = FollowUpData(
                due_on=dialog.due_on.date().toPython(),  # type: ignore[arg-type]
                responsible_id=dialog.responsible.id,
                purpose=dialog.purpose.text(),
                case_id=self.detail.id,
            )
            try:
                self.follow_ups.create(data)
            except PROBLEMS as problem:
                show_message(dialog.problem, problem_text(problem), problem=True)
                continue
            self._after(self.tr("Follow-up added."))
            return

    def _selected_closed_follow_up(self: CasePage) -> int | None:  # type: ignore[misc]
        row = self.follow_up_table.currentRow()
        if self.detail is None or not 0 <= row < len(self.detail.follow_ups):
            return None
        follow_up = self.detail.follow_ups[row]
        return follow_up.id if follow_up.status != FollowUpStatus.OPEN else None

    def _update_reopen(self: CasePage) -> None:  # type: ignore[misc]
        self.reopen_follow_up_button.setEnabled(self._selected_closed_follow_up() is not None)

    def reopen_follow_up(self: CasePage) -> None:  # type: ignore[misc]
        """Put a closed follow-up back as open (one closed as lapsed in a review, say)."""
        follow_up_id = self._selected_closed_follow_up()
        if follow_up_id is not None and self._run(lambda: self.follow_ups.reopen(follow_up_id)):
            self._after(self.tr("Follow-up reopened; it is open again."))

    def _conference_id(self: CasePage) -> int | None:  # type: ignore[misc]
        if self.detail is None:
            return None
        conferences = [
            c
            for c in self.detail.circles
            if c.kind == CircleKind.CONFERENCE and c.status != "cancelled"
        ]
        return conferences[-1].id if conferences else None

    def schedule_default_follow_ups(self: CasePage) -> None:  # type: ignore[misc]
        from circlekeeper.ui.cases.picker import PersonPickerDialog

        circle_id = self._conference_id()
        if circle_id is None:
            return
        picker = PersonPickerDialog(
            self.people,
            self.tr("Who does the check-ins?"),
            self,
            explanation=self.tr("Check-ins one and four weeks after the conference."),
            adults_only=True,
        )
        if not picker.exec() or picker.chosen is None:
            return
        who = picker.chosen.id
        zone = self.clock().tzinfo
        result: list[object] = []
        if self._run(
            lambda: result.extend(
                self.follow_ups.schedule_after_conference(circle_id, who, tz=zone)
            )
        ):
            if result:
                self._after(
                    count_text(
                        len(result),
                        self.tr("1 check-in scheduled."),
                        self.tr("{count} check-ins scheduled."),
                    )
                )
            else:
                self._after(self.tr("The check-ins were already scheduled."))
