"""Repair agreements in the window: the builder, watching one be kept, and the Agreements area."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QWidget

    from circlekeeper.core.store.database import Database


def open_agreement_for_circle(
    database: Database, circle_id: int, parent: QWidget | None = None
) -> QDialog:
    """Open the circle's current agreement, starting a draft if it has none, and show it.

    A draft opens in the builder; a signed or closed one in the follow-up view. Meant to be
    wired from the end-of-circle summary. Raises NotFound if the circle does not exist.
    """
    from circlekeeper.core.agreements.commands import AgreementService
    from circlekeeper.core.domain.enums import AgreementStatus
    from circlekeeper.ui.agreements.builder import AgreementBuilder
    from circlekeeper.ui.agreements.monitor import AgreementMonitor
    from circlekeeper.ui.operations import context_for

    service = AgreementService(context_for(database))
    current = [
        a
        for a in service.list_for(circle_id=circle_id)
        if a.status != AgreementStatus.SUPERSEDED.value
    ]
    agreement_id = current[-1].id if current else service.create_draft(circle_id=circle_id).id
    window: QDialog
    if not current or current[-1].status == AgreementStatus.DRAFT.value:
        window = AgreementBuilder(database, agreement_id, parent)
    else:
        window = AgreementMonitor(database, agreement_id, parent)
    window.show()
    return window
