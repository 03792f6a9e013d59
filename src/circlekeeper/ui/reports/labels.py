"""Human, translatable names of the formats a report can be saved in."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for the translation file; it is translated where it is shown."""
    return text


def _tr(text: str) -> str:
    return QCoreApplication.translate("Reports", text)


# (format key, button text, file suffix, file dialog filter); the texts are marked for the
# translation file here and translated where they are shown.
FORMATS: tuple[tuple[str, str, str, str], ...] = (
    ("pdf", QT_TRANSLATE_NOOP("Reports", "Save P&DF…"), ".pdf", "PDF (*.pdf)"),
    (
        "xlsx",
        QT_TRANSLATE_NOOP("Reports", "Save E&xcel…"),
        ".xlsx",
        QT_TRANSLATE_NOOP("Reports", "Excel workbook (*.xlsx)"),
    ),
    (
        "csv",
        QT_TRANSLATE_NOOP("Reports", "Save C&SV…"),
        ".csv",
        QT_TRANSLATE_NOOP("Reports", "CSV, one figure per line (*.csv)"),
    ),
    ("html", QT_TRANSLATE_NOOP("Reports", "Sa&ve HTML…"), ".html", "HTML (*.html)"),
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
