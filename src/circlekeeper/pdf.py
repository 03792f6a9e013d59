"""Turning exported HTML into PDF files and printed pages, with Qt's own text engine.

This is the only module that lays documents out for paper: ``QTextDocument`` for the HTML and
``QPdfWriter`` (or a ``QPrinter`` handed in by the UI) for the pages. It uses QtGui only, so the
command line can make PDFs without widgets. Each page gets a footer with the document's title
and "page N of M".

``QPdfWriter`` reports nothing when it cannot write, so the target is checked before and the
file after; problems are raised as :class:`PdfProblem` in plain words.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)

PageSizeName = Literal["letter", "a4"]

_PAGE_SIZES = {"letter": QPageSize.PageSizeId.Letter, "a4": QPageSize.PageSizeId.A4}
_MARGINS_MM = QMarginsF(16, 14, 16, 12)
_RESOLUTION = 300  # dots per inch of the layout; text stays vector in the PDF
_FOOTER_PT = 7.5

_app_keeper: list[QGuiApplication] = []


class PdfProblem(Exception):
    """The PDF could not be written; the message says why and what to do."""


def ensure_gui_app() -> QGuiApplication:
    """Qt's text layout needs a QGuiApplication; make one (offscreen) if the process has none."""
    existing = QGuiApplication.instance()
    if existing is not None:
        return existing  # type: ignore[return-value]
    if "QT_QPA_PLATFORM" not in os.environ:
        # Exports never show a window; offscreen works with or without a display.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QGuiApplication([sys.argv[0] if sys.argv and sys.argv[0] else "circlekeeper"])
    _app_keeper.append(app)
    return app


def check_writable(path: Path) -> None:
    """Raise :class:`PdfProblem` unless a file can be written at ``path``."""
    if path.is_dir():
        raise PdfProblem(
            f"{path} is a folder. Give a file name, for example {path / 'export.pdf'}."
        )
    folder = path.parent
    if not folder.exists():
        raise PdfProblem(f"The folder {folder} does not exist. Create it or choose another place.")
    if not folder.is_dir():
        raise PdfProblem(f"{folder} is not a folder. Choose another place for the file.")
    existed = path.exists()
    try:
        with open(path, "ab"):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise PdfProblem(
            f"Cannot write {path} ({reason}). Nothing was saved; choose a place you can write "
            "to, or close the file if another program has it open."
        ) from None
    if not existed:
        path.unlink(missing_ok=True)


def make_document(html: str, *, title: str = "") -> QTextDocument:
    """A QTextDocument holding the HTML (images given as file paths or file:// URLs load)."""
    ensure_gui_app()
    doc = QTextDocument()
    doc.setDefaultFont(QFont("DejaVu Sans", 10))
    doc.setDocumentMargin(0)
    if title:
        doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    doc.setHtml(html)
    return doc


def _keep_headings_with_next(doc: QTextDocument, page_height: float) -> None:
    """Move a heading that would sit at the foot of a page to the next one.

    QTextDocument has no "keep with next"; a heading needs room for a few lines under it, or
    for the two blocks after it when they are taller (a note and a chart) and fit on a page.
    One heading moves per pass and the document is laid out again before the next, because a
    move shifts everything after it.
    """
    room = page_height * 0.12
    always_before = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
    layout = doc.documentLayout()
    for _ in range(40):
        moved, since = False, 0
        block = doc.begin()
        while block.isValid() and not moved:
            fmt = block.blockFormat()
            if (
                fmt.headingLevel()
                and not fmt.pageBreakPolicy() & always_before
                and QTextCursor(block).currentTable() is None
            ):
                rect = layout.blockBoundingRect(block)
                need = room
                following, after = block.next(), 0.0
                for _step in range(2):
                    if not following.isValid() or QTextCursor(following).currentTable():
                        break
                    after += layout.blockBoundingRect(following).height()
                    following = following.next()
                if after < page_height * 0.6:
                    need = max(room, after)
                page_bottom = (int(rect.top() // page_height) + 1) * page_height
                if rect.bottom() + need > page_bottom and rect.top() % page_height > room:
                    fmt.setPageBreakPolicy(always_before)
                    QTextCursor(block).setBlockFormat(fmt)
                    moved = True
                    since = block.position()
            block = block.next()
        if not moved:
            return
        # Qt relays out only part of a document after a block format changes; without this
        # the blocks after a moved heading kept an empty layout and were left out of the PDF.
        doc.markContentsDirty(since, doc.characterCount() - since)


def _tables(doc: QTextDocument) -> list[QTextTable]:
    """The document's tables with a header row, in order (nested ones included)."""
    found: list[QTextTable] = []
    block = doc.begin()
    while block.isValid():
        table = QTextCursor(block).currentTable()
        if table is not None and table.format().headerRowCount() and table not in found:
            found.append(table)
        block = block.next()
    return found


def _row_bottom(doc: QTextDocument, table: QTextTable, row: int) -> float:
    layout = doc.documentLayout()
    cell = table.cellAt(row, 0)
    return layout.blockBoundingRect(cell.lastCursorPosition().block()).bottom()


def _keep_table_starts(doc: QTextDocument, page_height: float, rows: int = 3) -> None:
    """Never leave a table's header and only one or two rows at the foot of a page.

    A signature table split after its first signer, or a list of agreement items whose header
    sits alone at the bottom, reads as a different document on each page. When fewer than
    ``rows`` of a table's rows (or all of them, when it has fewer) fit under its header on the
    page where it starts, the table moves to the next page, with the heading just above it
    when that heading is on the same page, so the heading, its lines and the table stay one.
    """
    always_before = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
    layout = doc.documentLayout()
    for _ in range(40):
        moved = False
        for table in _tables(doc):
            header = table.format().headerRowCount()
            body_rows = table.rows() - header
            if body_rows < 2:
                continue
            top = layout.frameBoundingRect(table).top()
            page_bottom = (int(top // page_height) + 1) * page_height
            if top % page_height < page_height * 0.05:
                continue  # already at the top of a page
            want = min(rows, body_rows)
            if _row_bottom(doc, table, header + want - 1) <= page_bottom + 0.5:
                continue
            # Find the heading just above (its own block, not in a table) on the same page.
            block = table.firstCursorPosition().block().previous()
            target = None
            for _step in range(8):
                if not block.isValid():
                    break
                rect = layout.blockBoundingRect(block)
                if int(rect.top() // page_height) != int(top // page_height):
                    break
                if block.blockFormat().headingLevel() and QTextCursor(block).currentTable() is None:
                    target = block
                    break
                block = block.previous()
            if target is not None:
                fmt = target.blockFormat()
                if fmt.pageBreakPolicy() & always_before:
                    continue
                fmt.setPageBreakPolicy(always_before)
                QTextCursor(target).setBlockFormat(fmt)
                since = target.position()
            else:
                table_format = table.format()
                if table_format.pageBreakPolicy() & always_before:
                    continue
                table_format.setPageBreakPolicy(always_before)
                table.setFormat(table_format)
                since = table.firstPosition()
            doc.markContentsDirty(since, doc.characterCount() - since)
            moved = True
            break
        if not moved:
            return


def _paint_pages(doc: QTextDocument, device: QPagedPaintDevice, footer: str, mark: str = "") -> int:
    """Lay the document out on the device's pages and paint them with a footer; return pages.

    ``mark`` (a draft copy's "DRAFT, not for signing") is painted in bold red in the middle of
    every page's footer, so no page of a draft can pass for the copy to sign."""
    doc.documentLayout().setPaintDevice(device)
    dpi = device.logicalDpiY()
    page = device.pageLayout().paintRectPixels(dpi)
    footer_font = QFont("DejaVu Sans")
    footer_font.setPointSizeF(_FOOTER_PT)
    footer_height = _FOOTER_PT * 2.6 * dpi / 72
    mark_height = _FOOTER_PT * 2.2 * dpi / 72 if mark else 0.0
    footer_height += mark_height
    body = QSizeF(page.width(), page.height() - footer_height)
    doc.setPageSize(body)
    _keep_headings_with_next(doc, body.height())
    _keep_table_starts(doc, body.height())
    pages = max(1, doc.pageCount())
    painter = QPainter()
    if not painter.begin(device):
        raise PdfProblem("The PDF or printer could not be opened for drawing.")
    try:
        for number in range(pages):
            if number:
                device.newPage()
            painter.save()
            painter.translate(0, -number * body.height())
            doc.drawContents(
                painter, QRectF(0, number * body.height(), body.width(), body.height())
            )
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(Qt.GlobalColor.darkGray)
            band = QRectF(0, body.height(), body.width(), footer_height)
            flags = Qt.AlignmentFlag.AlignBottom
            painter.drawText(band, flags | Qt.AlignmentFlag.AlignLeft, footer)
            painter.drawText(band, flags | Qt.AlignmentFlag.AlignRight, f"{number + 1} / {pages}")
            if mark:
                painter.save()
                mark_font = QFont(footer_font)
                mark_font.setBold(True)
                mark_font.setPointSizeF(_FOOTER_PT * 1.5)
                painter.setFont(mark_font)
                painter.setPen(QColor("#a00000"))
                top = QRectF(band.x(), band.y(), band.width(), mark_height)
                painter.drawText(top, Qt.AlignmentFlag.AlignCenter, mark)
                painter.restore()
    finally:
        painter.end()
    return pages


def html_to_pdf(
    html: str,
    path: Path,
    *,
    title: str,
    page_size: PageSizeName = "letter",
    prepare: Callable[[QTextDocument], None] | None = None,
    mark: str = "",
) -> int:
    """Write the HTML as a PDF file at ``path``; return the number of pages.

    ``prepare`` may adjust the laid-out document first (the reports draw their charts into it).
    The file is written beside the target and moved into place once complete, so a failed
    export never leaves half a PDF (or destroys the previous one).
    """
    path = Path(path).expanduser()
    check_writable(path)
    doc = make_document(html, title=title)
    if prepare is not None:
        prepare(doc)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".pdf", dir=path.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        writer = QPdfWriter(str(temp))
        writer.setTitle(title)
        writer.setCreator("circlekeeper")
        writer.setResolution(_RESOLUTION)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(_PAGE_SIZES[page_size]),
                QPageLayout.Orientation.Portrait,
                _MARGINS_MM,
                QPageLayout.Unit.Millimeter,
            )
        )
        pages = _paint_pages(doc, writer, title, mark)
        del writer  # the file is finished when the writer goes away
        if not temp.exists() or temp.stat().st_size == 0:
            raise PdfProblem(f"The PDF could not be written to {path}. Nothing was saved.")
        try:
            os.replace(temp, path)
        except OSError as exc:
            raise PdfProblem(
                f"Cannot write {path} ({exc.strerror or exc}). Nothing was saved."
            ) from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
    if not path.exists() or path.stat().st_size == 0:
        raise PdfProblem(f"The PDF could not be written to {path}. Nothing was saved.")
    return pages


def print_html(
    html: str,
    printer: QPagedPaintDevice,
    *,
    title: str = "",
    prepare: Callable[[QTextDocument], None] | None = None,
    mark: str = "",
) -> int:
    """Paint the HTML on a printer (or the print-preview's printer); return the page count."""
    doc = make_document(html, title=title)
    if prepare is not None:
        prepare(doc)
    return _paint_pages(doc, printer, title, mark)
