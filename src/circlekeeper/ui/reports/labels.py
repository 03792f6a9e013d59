"""Human, translatable names of the formats a report can be saved in."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("Reports", text)


# (format key, button text, file suffix, file dialog filter)
FORMATS: tuple[tuple[str, str, str, str], ...] = (
    ("pdf", "Save P&DF…", ".pdf", "PDF (*.pdf)"),
    ("xlsx", "Save E&xcel…", ".xlsx", "Excel workbook (*.xlsx)"),
    ("csv", "Save C&SV…", ".csv", "CSV, one figure per line (*.csv)"),
    ("html", "Save &HTML…", ".html", "HTML (*.html)"),
)


def format_button_text(key: str) -> str:
    return _tr(next(text for k, text, _, _ in FORMATS if k == key))


def format_accessible_name(key: str) -> str:
    names = {
        "pdf": _tr("Save the report as PDF"),
        "xlsx": _tr("Save the report as an Excel workbook"),
        "csv": _tr("Save the report as CSV, one figure per line"),
        "html": _tr("Save the report as HTML"),
    }
    return names[key]
