"""The question for the circle stays in sight however long the keeper's words run."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from circlekeeper.core.domain.script import Stage, StageType
from circlekeeper.ui.live.stage_panel import StagePanel


def test_a_long_keepers_text_never_hides_the_question(qtbot: QtBot) -> None:
    # Given a stage whose keeper's words run far longer than the panel (as Spanish can)
    words = " ".join(["Diga qué se queda en el círculo y qué no."] * 30)
    question = "¿Qué necesita pasar para reparar el daño?"
    stage = Stage(StageType.OPENING, "Apertura", words, question={"es": question})
    panel = StagePanel()
    qtbot.addWidget(panel)
    panel.resize(620, 420)
    panel.show()

    # When the stage is shown
    panel.show_stage(0, stage, "es")
    qtbot.waitExposed(panel)

    # Then the whole question is on screen; the keeper's words scroll above it
    shown = panel.question.visibleRegion().boundingRect()
    assert panel.question.isVisible() and panel.question.text() == question
    assert shown.height() == panel.question.height() and shown.width() == panel.question.width()
