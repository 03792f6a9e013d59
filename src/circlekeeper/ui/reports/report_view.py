"""A built report on screen: what it counts and how, then each section's chart and table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from circlekeeper.core.export.report_format import (
    NO_FIGURE_LEGEND,
    SUPPRESSED_LEGEND,
    UNSUPPRESSED_WARNING,
    label,
    period_text,
    prose,
    school_text,
)
from circlekeeper.core.reports.model import Report
from circlekeeper.ui.reports.section_view import SectionView
from circlekeeper.ui.style import heading, note


class ReportView(QScrollArea):
    """Scrolls through one report; ``show_report`` replaces what is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(self.tr("The report"))
        self.report: Report | None = None
        self.lang = "en"
        self.sections: list[SectionView] = []
        self.placeholder = note(
            self.tr(
                "Choose a report and its period, then press Build report. Numbers for fewer "
                "students than the smallest group you set are hidden."
            )
        )
        self.setWidget(self._page([self.placeholder]))

    def _page(self, widgets: list[QWidget]) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 16, 4)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch(1)
        return page

    def show_report(self, report: Report, lang: str) -> None:
        self.report = report
        self.lang = lang
        widgets: list[QWidget] = [heading(report.title.in_lang(lang))]
        if report.unsuppressed:
            warning = note("⚠ " + prose(UNSUPPRESSED_WARNING, lang))
            warning.setStyleSheet("QLabel { background: #fff3cd; padding: 6px; font-weight: bold }")
            widgets.append(warning)
        facts = QWidget()
        grid = QGridLayout(facts)
        grid.setContentsMargins(0, 0, 0, 0)
        self.facts: dict[str, QLabel] = {}
        for row, (key, value) in enumerate(
            (
                ("period", period_text(report, lang)),
                ("school", school_text(report, lang)),
                ("population", prose(report.population, lang)),
                ("suppression", prose(report.suppression, lang)),
            )
        ):
            name = QLabel(label(key, lang), facts)
            font = name.font()
            font.setBold(True)
            name.setFont(font)
            name.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            text = note(value, facts)
            text.setAccessibleName(f"{label(key, lang)}: {value}")
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(name, row, 0)
            grid.addWidget(text, row, 1)
            self.facts[key] = text
        grid.setColumnStretch(1, 1)
        widgets.append(facts)
        if report.is_empty and report.empty_message is not None:
            empty = heading(prose(report.empty_message, lang), level=2)
            empty.setWordWrap(True)
            widgets.append(empty)
        self.sections = [SectionView(section, lang) for section in report.sections]
        widgets.extend(self.sections)
        if report.definitions:
            widgets.append(heading(label("definitions", lang), level=2))
            widgets.extend(note(prose(d, lang)) for d in report.definitions)
        widgets.append(note(f"{prose(SUPPRESSED_LEGEND, lang)}\n{prose(NO_FIGURE_LEGEND, lang)}"))
        old = self.takeWidget()
        self.setWidget(self._page(widgets))
        if old is not None:
            old.deleteLater()
        self.verticalScrollBar().setValue(0)
