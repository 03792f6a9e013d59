"""Showing the blanks an agreement item still holds (``[amount]``, ``[name]``) while it is edited.

Which words are blanks is the core's rule (``core/agreements/placeholders.py``); this module only
paints them: a highlighter for the item's text boxes and a short line saying what is left.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from circlekeeper.core.agreements.placeholders import blank_spans, blanks
from circlekeeper.ui.agreements.labels import tr_agreement

#: The colour a blank is painted with: a marker-pen yellow that dark text reads well on.
BLANK_BACKGROUND = "#ffe36e"


def blank_format() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(BLANK_BACKGROUND))
    fmt.setForeground(QColor("#3b2a00"))
    return fmt


class BlankHighlighter(QSyntaxHighlighter):
    """Paints every blank of a text box in marker yellow as the person types."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._format = blank_format()
        self.rehighlight()  # the text already there, now rather than on the next event turn

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt's name)
        for start, end in blank_spans(text):
            self.setFormat(start, end - start, self._format)


def blanks_left_text(texts: list[str | None], *, most: int | None = None) -> str:
    """The blanks still to fill in, as "Still to fill in: [amount], [name]" ("" for none).

    ``most`` shortens the list (for a table cell) with "…".
    """
    found: list[str] = []
    for text in texts:
        for blank in blanks(text):
            if blank not in found:
                found.append(blank)
    if not found:
        return ""
    shown = found if most is None or len(found) <= most else [*found[:most], "…"]
    return tr_agreement("Still to fill in: {blanks}").format(blanks=", ".join(shown))
