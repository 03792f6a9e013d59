"""The built-in scripts are true to practice, in English and in Spanish.

Each rule here is one a keeper or a bilingual counselor would check by reading the scripts:
every kind of circle has a script; the talking piece comes before any round; the conference
keeps the harmed person's question about repair; the keeper's words, titles and tips exist in
Spanish; families are addressed as usted; no calques of English.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from circlekeeper.core.domain.enums import CircleKind
from circlekeeper.core.domain.script import AddressedTo, Script, StageType
from circlekeeper.core.domain.script_checks import load_script, validate
from circlekeeper.core.domain.script_snapshot import (
    script_from_json,
    script_to_json,
    script_to_toml,
)
from circlekeeper.core.paths import resources_dir

BUILTINS = sorted((resources_dir() / "scripts").glob("*.toml"))
SCRIPTS = {path.stem: load_script(path) for path in BUILTINS}
# Scripted meetings the facilitator leads question by question: no piece goes round.
FACILITATOR_LED = {CircleKind.CONFERENCE, CircleKind.PRE_MEETING}


def spanish_texts(script: Script) -> list[str]:
    texts = [script.title_in("es"), script.purpose_in("es")]
    for stage in script.stages:
        texts += [stage.title_in("es"), stage.words_in("es"), stage.question.get("es", "")]
        texts += list(stage.tips_in("es"))
    return texts


def test_every_kind_of_circle_has_a_built_in_script() -> None:
    kinds = {script.kind for script in SCRIPTS.values()}
    assert kinds == set(CircleKind), f"no script for: {sorted(set(CircleKind) - kinds)}"


@pytest.mark.parametrize("key", sorted(SCRIPTS))
def test_the_talking_piece_is_introduced_before_any_round(key: str) -> None:
    script = SCRIPTS[key]
    if script.kind in FACILITATOR_LED:
        assert not any(s.type is StageType.TALKING_PIECE for s in script.stages)
        return
    types = [stage.type for stage in script.stages]
    assert StageType.TALKING_PIECE in types, f"{key} never introduces the talking piece"
    piece = types.index(StageType.TALKING_PIECE)
    first_round = next(i for i, stage in enumerate(script.stages) if stage.has_round)
    assert piece < first_round, (
        f"{key}: stage {first_round + 1} ({script.stages[first_round].title}) passes the piece "
        "before it is introduced"
    )


def test_the_harmed_persons_last_question_is_about_making_things_right() -> None:
    harmed = [s for s in SCRIPTS["conference"].stages if s.addressed_to is AddressedTo.HARMED]
    assert harmed
    english = harmed[-1].question["en"]
    spanish = harmed[-1].question["es"]
    assert english.endswith("What needs to happen to make things right?")
    assert spanish.endswith("¿Qué tiene que pasar para reparar el daño?")
    assert "What needs to happen to make things right?" in harmed[-1].words


@pytest.mark.parametrize("key", sorted(SCRIPTS))
def test_the_keepers_words_titles_and_tips_are_in_spanish(key: str) -> None:
    script = SCRIPTS[key]
    assert "es" in script.languages
    assert script.title_in("es") != script.title
    assert script.untranslated("es") == []
    for stage in script.stages:
        assert stage.title_in("es") != stage.title, f"{key}: {stage.title!r} has no Spanish title"
        assert len(stage.tips_in("es")) == len(stage.tips), f"{key}: {stage.title!r} tips"
        if stage.tips:
            assert stage.tips_in("es") != stage.tips


# The usted forms a parent or guardian is asked in, and the tú forms that must not reach them.
TU_FORMS = re.compile(r"\b(pensaste|te ha afectado|quieres|tu |necesitas|crees)\b")


def test_supporters_and_guardians_are_addressed_as_usted_in_the_conference() -> None:
    for stage in SCRIPTS["conference"].stages:
        if stage.addressed_to in (
            AddressedTo.SUPPORTERS_OF_HARMED,
            AddressedTo.SUPPORTERS_OF_RESPONSIBLE,
        ):
            for text in (stage.question["es"], stage.words_in("es")):
                assert not TU_FORMS.search(text), text
                assert re.search(r"\b(pensó|le ha afectado|usted)\b", text), text


def test_families_are_addressed_as_usted_in_the_family_circle() -> None:
    for stage in SCRIPTS["family"].stages:
        assert not TU_FORMS.search(stage.question.get("es", "")), stage.question


# Calques and wrong words a bilingual counselor would not write.
CALQUES = re.compile(
    r"(llegas\b|para llegar|llegar a este|\breferencia\b"
    r"|Bienvenido de|Bienvenidos\.|este estudiante\b)",
    re.IGNORECASE,
)


@pytest.mark.parametrize("key", sorted(SCRIPTS))
def test_no_calques_and_inclusive_greetings_in_spanish(key: str) -> None:
    for text in spanish_texts(SCRIPTS[key]):
        assert not CALQUES.search(text), f"{key}: {text!r}"


@pytest.mark.parametrize("key", sorted(SCRIPTS))
def test_spanish_titles_use_spanish_capitalisation(key: str) -> None:
    script = SCRIPTS[key]
    for title in [script.title_in("es"), *(s.title_in("es") for s in script.stages)]:
        later = title.split()[1:]
        capitalised = [w for w in later if w[:1].isupper()]
        assert not capitalised, f"{key}: {title!r} capitalises {capitalised}"


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_spanish_words_survive_the_toml_writer_and_the_snapshot(path: Path) -> None:
    script = load_script(path)
    assert load_script(script_to_toml(script)) == script
    assert script_from_json(script_to_json(script)) == script


def test_a_language_table_with_an_unknown_field_or_an_undeclared_language_is_refused() -> None:
    base = """\
key = "tiny"
kind = "check_in"
title = "Tiny"
languages = ["en", "es"]

[[stages]]
type = "opening"
title = "Opening"
words = "Welcome."
question = { en = "Hi", es = "Hola" }
"""
    script, errors = validate(base + '\n[stages.es]\ntitle = "Apertura"\nwords = "Hola."\n')
    assert script is not None and errors == []
    assert script.stages[0].words_in("es") == "Hola."
    assert script.stages[0].words_in("fr") == "Welcome."  # falls back to English
    _, errors = validate(base + '\n[stages.es]\ntitel = "Apertura"\n')
    assert any("unknown field 'titel'" in str(e) for e in errors)
    _, errors = validate(base + '\n[stages.fr]\ntitle = "Ouverture"\n')
    assert any("unknown field 'fr'" in str(e) for e in errors)
    _, errors = validate(
        base.replace('languages = ["en", "es"]', 'languages = ["en", "es"]\nes = "x"')
    )
    assert any("must be a table" in str(e) for e in errors)


def test_printed_documents_say_remision_and_use_spanish_capitalisation() -> None:
    strings = (resources_dir() / "templates" / "_strings.html").read_text(encoding="utf-8")
    spanish = strings[strings.index('"es": {') :]
    assert not re.search(r"[Rr]eferencia|[Rr]eferido", spanish)
    for key in ("agreement_title", "circle_summary_title", "family_letter_title"):
        title = re.search(rf'"{key}": "([^"]+)"', spanish)
        assert title is not None
        assert not [w for w in title.group(1).split()[1:] if w[:1].isupper()], title.group(1)
