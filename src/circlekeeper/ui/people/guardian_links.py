"""The guardians part of the person form: links and unlinks kept in the form, written on Save."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QListWidgetItem

from circlekeeper.core.domain.enums import PersonKind
from circlekeeper.core.people.people import GuardianRow, PersonRow
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.problems import DatabaseProblem

log = logging.getLogger(__name__)

PendingLink = tuple[PersonRow, str, bool]  # guardian, relationship, can consent


class GuardianLinks(QDialog):
    """The base of :class:`~circlekeeper.ui.people.dialog.PersonDialog`: the list of a student's
    guardians, the Link and Unlink buttons, and saving the links after the person."""

    if TYPE_CHECKING:
        guardian_list: Any
        unlink_button: Any
        service: Any
        kind: Any
        person_id: int | None
        _guardians: list[GuardianRow]
        _pending_links: list[PendingLink]
        _pending_unlinks: set[int]

        def show_problem(self, text: str) -> None: ...

    def _fill_guardians(self) -> None:
        self.guardian_list.clear()
        for link in self._guardians:
            if link.link_id in self._pending_unlinks:
                continue
            item = QListWidgetItem(self._guardian_text(link.guardian, link.relationship))
            item.setData(Qt.ItemDataRole.UserRole, ("linked", link.link_id))
            self.guardian_list.addItem(item)
        for position, (guardian, relationship, _consent) in enumerate(self._pending_links):
            text = self.tr("{guardian} (linked when you save)").format(
                guardian=self._guardian_text(guardian, relationship)
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, ("pending", position))
            self.guardian_list.addItem(item)
        if self.guardian_list.count() == 0:
            item = QListWidgetItem(self.tr("No guardians linked yet."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.guardian_list.addItem(item)
        self._update_guardian_buttons()

    def _guardian_text(self, guardian: PersonRow, relationship: str | None) -> str:
        name = guardian.display_name
        return f"{name} — {relationship}" if relationship else name

    def _update_guardian_buttons(self) -> None:
        item = self.guardian_list.currentItem()
        self.unlink_button.setEnabled(
            item is not None and item.data(Qt.ItemDataRole.UserRole) is not None
        )

    def link_guardian(self) -> None:
        from circlekeeper.ui.people.guardian_picker import GuardianPicker

        taken = {g.guardian.id for g in self._guardians if g.link_id not in self._pending_unlinks}
        taken |= {g.id for g, _r, _c in self._pending_links}
        if self.person_id is not None:
            taken.add(self.person_id)
        picker = GuardianPicker(self.service, taken, self)
        if picker.exec() and picker.chosen is not None:
            self._pending_links.append(
                (picker.chosen, picker.relationship.text().strip(), picker.can_consent.isChecked())
            )
            self._fill_guardians()
            self.guardian_list.setCurrentRow(self.guardian_list.count() - 1)

    def unlink_selected(self) -> None:
        item = self.guardian_list.currentItem()
        if item is None or item.data(Qt.ItemDataRole.UserRole) is None:
            return
        state, key = item.data(Qt.ItemDataRole.UserRole)
        if state == "linked":
            self._pending_unlinks.add(key)
        else:
            del self._pending_links[key]
        self._fill_guardians()

    def _save_links(self) -> bool:
        if self.person_id is None or self.kind.currentData() != PersonKind.STUDENT.value:
            return True
        try:
            for link_id in sorted(self._pending_unlinks):
                with contextlib.suppress(NotFound):  # already gone: the wish is fulfilled
                    self.service.unlink_guardian(link_id)
                self._pending_unlinks.discard(link_id)
            while self._pending_links:
                guardian, relationship, consent = self._pending_links[0]
                self.service.link_guardian(
                    self.person_id, guardian.id, relationship or None, can_consent=consent
                )
                self._pending_links.pop(0)
        except (InvalidInput, NotFound, DatabaseProblem) as problem:
            if isinstance(problem, DatabaseProblem):
                log.exception("Linking a guardian failed")
                problem_text = self.tr("the database did not answer")
            else:
                problem_text = str(problem)
            self.show_problem(
                self.tr(
                    "The person was saved, but a guardian link was not: {problem} "
                    "Fix it below and press Save again, or Cancel to keep what is saved."
                ).format(problem=problem_text)
            )
            self._guardians = self.service.details(self.person_id).guardians
            self._fill_guardians()
            return False
        return True
