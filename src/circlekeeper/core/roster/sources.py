"""Opening a roster file, CSV or Excel, as a header and numbered lines of text values.

The rest of the reader never knows which kind of file it was: a spreadsheet's numbers and
date cells come out as the text a CSV export would hold (``1001``, ``2013-03-14``), and every
line keeps the number the person sees in their spreadsheet or text editor.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from circlekeeper.core.i18n import _
from circlekeeper.core.roster.rows import RosterError, RowError

_BINARY_SIGNATURES = {
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls)",
    b"%PDF": "a PDF document",
    b"SQLite format 3": "a database",
}


class SheetChoiceNeeded(RosterError):
    """The workbook has several sheets with data; the person must say which is the roster."""

    def __init__(self, message: str, sheets: list[str]) -> None:
        super().__init__(message)
        self.sheets = sheets


@dataclass
class Table:
    """A roster file opened: how it was read, its header, and its lines (or their problems)."""

    encoding: str
    delimiter: str
    header: list[str]
    lines: Iterator[tuple[int, list[str]] | RowError]
    sheet: str | None = None


def open_table(path: Path, sheet: str | None = None) -> Table:
    """Open ``path``: an Excel workbook (.xlsx) or a CSV file in any usual encoding."""
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise RosterError(
            _(
                "{path} is a folder; choose the roster file itself.",
                path=path,
            )
        ) from None
    except FileNotFoundError:
        raise RosterError(
            _(
                "{path} does not exist. Check the file name and folder.",
                path=path,
            )
        ) from None
    except OSError as exc:
        raise RosterError(
            _(
                "{path} could not be read ({strerror}).",
                path=path,
                strerror=exc.strerror,
            )
        ) from exc
    if raw.startswith(b"PK\x03\x04"):
        return _workbook(path, sheet)
    text, encoding = _decode(path, raw)
    return _csv(path, text, encoding)


def _csv(path: Path, text: str, encoding: str) -> Table:
    if not text.strip():
        raise RosterError(
            _(
                "{name} is empty. Export the roster again from the student information "
                "system, with a header line and one line per person.",
                name=path.name,
            )
        )
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\t\r\n")
    if controls > 8:
        raise RosterError(
            _(
                "{name} does not look like a CSV file (it holds unreadable characters). "
                "Export the roster from the student information system as CSV.",
                name=path.name,
            )
        )
    first_line = text.split("\n", 1)[0].strip("\r")
    skip_lines = 0
    delimiter = _delimiter(first_line)
    if first_line.lower().startswith("sep=") and len(first_line) == 5:
        delimiter, skip_lines = first_line[4], 1  # Excel's hint line
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for _i in range(skip_lines):
            next(reader)
        header = next(reader)
    except StopIteration:
        raise RosterError(
            _(
                "{name} has no header line.",
                name=path.name,
            )
        ) from None
    except csv.Error as exc:
        raise RosterError(
            _(
                "{name} line 1 could not be read as CSV ({exc}).",
                name=path.name,
                exc=exc,
            )
        ) from exc

    def lines() -> Iterator[tuple[int, list[str]] | RowError]:
        line = reader.line_num
        while True:
            start = line + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RowError(start, f"the line could not be read as CSV ({exc}).")
                line = reader.line_num
                continue
            line = reader.line_num
            yield start, values

    return Table(encoding, delimiter, [c.strip() for c in header], lines())


def _workbook(path: Path, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a zip that is not a workbook
        raise RosterError(
            _(
                "{name} looks like a zipped file but not an Excel workbook (.xlsx) that can "
                "be read. In the program that made it, save it as .xlsx or CSV and import that.",
                name=path.name,
            )
        ) from exc
    with_data = [ws.title for ws in book.worksheets if _has_data(ws)]
    if not with_data:
        raise RosterError(
            _(
                "{name} has no sheet with data in it.",
                name=path.name,
            )
        )
    if sheet is None:
        if len(with_data) > 1:
            names = ", ".join(repr(n) for n in with_data)
            raise SheetChoiceNeeded(
                _(
                    "{name} has several sheets with data ({names}), so nothing was read. "
                    "Choose the sheet that holds the roster.",
                    name=path.name,
                    names=names,
                ),
                with_data,
            )
        sheet = with_data[0]
    chosen = next((ws for ws in book.worksheets if ws.title.lower() == sheet.lower()), None)
    if chosen is None:
        names = ", ".join(repr(n) for n in with_data)
        raise RosterError(
            _(
                "{name} has no sheet named {sheet}. Its sheets: {names}.",
                name=path.name,
                sheet=repr(sheet),
                names=names,
            )
        )
    rows = chosen.iter_rows(values_only=True)
    header = [_text(v) for v in next(rows, ())]
    while header and not header[-1]:
        header.pop()

    def lines() -> Iterator[tuple[int, list[str]] | RowError]:
        try:
            for number, values in enumerate(rows, start=2):
                yield number, [_text(v) for v in values]
        finally:
            book.close()

    return Table("an Excel workbook", "", [c.strip() for c in header], lines(), chosen.title)


def _has_data(ws: object) -> bool:
    first = next(ws.iter_rows(max_row=1, values_only=True), ())  # type: ignore[attr-defined]
    return any(v not in (None, "") for v in first)


def _text(value: object) -> str:
    """A cell as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    name = path.name
    for signature, what in _BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            raise RosterError(
                _(
                    "{name} looks like {what}, not a CSV file. In the program that made it, "
                    "save or export it as CSV (comma-separated values) or .xlsx and import that "
                    "file.",
                    name=name,
                    what=what,
                )
            )
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "UTF-8 (with BOM)"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    if b"\x00" in raw[:8192]:
        raise RosterError(
            _(
                "{name} is not a text file, so it cannot be a CSV roster. "
                "Export the roster from the student information system as CSV.",
                name=name,
            )
        )
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # SIS exports on Windows are often Windows-1252; Latin-1 decodes anything else.
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "Latin-1"


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","
