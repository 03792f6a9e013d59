"""Human, translatable names of the programme reports and the export formats."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("Reports", text)


def report_title(name: str) -> str:
    """The name a person chooses a report by (the command line uses the plain ``name``)."""
    titles = {
        "referrals": _tr("Referrals (the Big 5)"),
        "restorative": _tr("Restorative responses and their results"),
        "diversion": _tr("Exclusions the restorative route replaced"),
        "equity": _tr("Equity review (rates and risk ratios by group)"),
        "board": _tr("Annual summary for the board and families"),
        "monthly": _tr("Principal's monthly page"),
    }
    return titles.get(name, name)


# (format key, button text, file suffix, file dialog filter)
FORMATS: tuple[tuple[str, str, str, str], ...] = (
    ("pdf", "Save &PDF…", ".pdf", "PDF (*.pdf)"),
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
