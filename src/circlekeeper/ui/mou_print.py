"""Printing the one-page MOU summary (English and Spanish) to a PDF for the annual review."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from circlekeeper.core.store.database import Database


def write_mou_summary(database: Database, path: Path, lang: str = "en+es") -> int:
    """Write the summary as a PDF at ``path``; returns its page count."""
    from circlekeeper.core.export.mou_summary import (
        mou_page_title,
        mou_summary_view,
        render_mou_summary,
    )
    from circlekeeper.pdf import html_to_pdf

    view = mou_summary_view(database.sessions, date.today())
    result = render_mou_summary(view, lang)
    return html_to_pdf(result.html, path, title=mou_page_title(lang))


def print_mou_summary(parent: QWidget, database: Database) -> Path | None:
    """Ask where to save the summary, write it, and say where it went."""
    tr = QCoreApplication.translate
    name, _ = QFileDialog.getSaveFileName(
        parent,
        tr("MouPrint", "Save the MOU summary"),
        str(Path.home() / "mou-summary.pdf"),
        tr("MouPrint", "PDF files (*.pdf)"),
    )
    if not name:
        return None
    path = Path(name)
    from circlekeeper.pdf import PdfProblem

    try:
        write_mou_summary(database, path)
    except PdfProblem as problem:
        QMessageBox.warning(parent, tr("MouPrint", "Not saved"), str(problem))
        return None
    QMessageBox.information(
        parent,
        tr("MouPrint", "MOU summary saved"),
        tr("MouPrint", "The one-page summary (English and Spanish) is in {path}.").format(
            path=path
        ),
    )
    return path
