"""Scripts: the built-ins, clear errors for malformed files, the library, and the CLI."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from circlekeeper.cli import run
from circlekeeper.core.domain.enums import CircleKind
from circlekeeper.core.domain.script import MAX_SCRIPT_BYTES, AddressedTo, InvalidScript, StageType
from circlekeeper.core.domain.script_checks import load_script, validate
from circlekeeper.core.domain.script_snapshot import (
    script_from_json,
    script_to_json,
    script_to_toml,
)
from circlekeeper.core.paths import resources_dir
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.scripts.scripts import ScriptInvalid, ScriptLibrary

BUILTINS = sorted((resources_dir() / "scripts").glob("*.toml"))

GOOD = """\
key = "tiny"
kind = "check_in"
title = "Tiny circle"
purpose = "A test."
languages = ["en", "es"]

[[stages]]
type = "opening"
title = "Opening"
words = "Welcome; staff must report threats of harm or abuse."

[[stages]]
type = "check_in"
title = "Check-in"
words = "Ask the question."
question = { en = "How are you?", es = "¿Cómo estás?" }
suggested_minutes = 5
tips = ["Keep it short."]
"""


@pytest.fixture
def library(tmp_path: Path) -> ScriptLibrary:
    return ScriptLibrary(custom_dir=tmp_path / "my-scripts")


@pytest.fixture
def cli_logging() -> Iterator[None]:
    """The CLI adds a log file handler; take it off again so tests do not leak open files."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def errors_of(text: str, source: str = "shared.toml") -> list[str]:
    script, errors = validate(text, source)
    assert script is None
    return [str(e) for e in errors]


# --- built-ins -----------------------------------------------------------------------------


def test_the_required_built_in_scripts_are_there() -> None:
    kinds = {load_script(p).kind for p in BUILTINS}
    assert {
        CircleKind.COMMUNITY_BUILDING,
        CircleKind.CHECK_IN,
        CircleKind.ACADEMIC,
        CircleKind.PROBLEM_SOLVING,
        CircleKind.HARM_REPAIR,
        CircleKind.REENTRY,
        CircleKind.STAFF,
        CircleKind.CONFERENCE,
    } <= kinds


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_every_built_in_validates_in_english_and_spanish(path: Path) -> None:
    script = load_script(path)
    assert script.key == path.stem
    assert script.languages == ("en", "es")
    for stage in script.stages:
        if stage.question:
            assert stage.question["en"] and stage.question["es"]
    # The limits of confidentiality are said at the start.
    opening = script.stages[0]
    assert opening.type in (StageType.OPENING, StageType.PREAMBLE)
    assert "report" in opening.words.lower()


def test_the_conference_script_asks_each_role_its_own_questions() -> None:
    script = load_script(resources_dir() / "scripts" / "conference.toml")
    types = [s.type for s in script.stages]
    assert types[0] is StageType.PREAMBLE
    assert {StageType.AGREEMENT, StageType.CLOSING, StageType.INFORMAL} <= set(types)
    addressed = [s.addressed_to for s in script.stages if s.type is StageType.QUESTIONS]
    assert {
        AddressedTo.RESPONSIBLE,
        AddressedTo.HARMED,
        AddressedTo.SUPPORTERS_OF_HARMED,
        AddressedTo.SUPPORTERS_OF_RESPONSIBLE,
    } <= set(addressed)
    assert addressed.index(AddressedTo.RESPONSIBLE) < addressed.index(AddressedTo.HARMED)
    assert types.index(StageType.AGREEMENT) < types.index(StageType.INFORMAL)


# --- malformed files: each its own clear error, with file and line ---------------------------


def test_bad_toml_names_the_line() -> None:
    text = GOOD.replace('title = "Check-in"', 'title = "Check-in')
    (error,) = errors_of(text)
    assert error.startswith("shared.toml:14: this is not valid TOML")


def test_unknown_stage_type_names_its_line_and_the_choices() -> None:
    text = GOOD.replace('type = "check_in"', 'type = "checkin"')
    (error,) = errors_of(text)
    assert error.startswith("shared.toml:13: stage 2 has an unknown stage type 'checkin'")
    assert "check_in" in error


def test_unknown_role_names_its_line() -> None:
    text = GOOD.replace("suggested_minutes = 5", 'addressed_to = "victim"\nsuggested_minutes = 5')
    (error,) = errors_of(text)
    assert error.startswith("shared.toml:17: stage 2 is addressed to an unknown role 'victim'")


def test_missing_fields_are_each_reported() -> None:
    text = GOOD.replace('words = "Ask the question."\n', "").replace('title = "Tiny circle"\n', "")
    errors = errors_of(text)
    assert "shared.toml:1: title is missing." in errors
    assert "shared.toml:11: stage 2's words is missing." in errors


def test_wrong_types_are_named_in_plain_words() -> None:
    text = GOOD.replace("suggested_minutes = 5", 'suggested_minutes = "five"').replace(
        'tips = ["Keep it short."]', 'tips = "Keep it short."'
    )
    errors = errors_of(text)
    assert any(e.startswith("shared.toml:17: stage 2's suggested_minutes") for e in errors)
    assert any(e.startswith("shared.toml:18: stage 2's tips must be a list") for e in errors)
    (error,) = errors_of(GOOD.replace('title = "Opening"', "title = 3"))
    assert error == "shared.toml:9: stage 1's title must be text, not a whole number."


def test_a_missing_translation_or_unknown_field_is_caught() -> None:
    text = GOOD.replace(', es = "¿Cómo estás?"', "").replace("tips =", "tipz =")
    errors = errors_of(text)
    assert "shared.toml:16: stage 2's question has no es version." in errors
    assert any(e.startswith("shared.toml:18: stage 2 has an unknown field 'tipz'") for e in errors)


def test_an_empty_stage_list_or_empty_file_is_refused() -> None:
    header = GOOD.split("[[stages]]")[0]
    (error,) = errors_of(header + "stages = []\n")
    assert error == "shared.toml:7: the script's list of stages is empty."
    assert "shared.toml:1: the script has no stages (add [[stages]] tables)." in errors_of("")


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_text(GOOD + "# " + "x" * MAX_SCRIPT_BYTES + "\n", encoding="utf-8")
    with pytest.raises(InvalidScript) as caught:
        load_script(path)
    (error,) = caught.value.errors
    assert str(error).startswith(f"{path}:1: the file is larger than 256 KB")


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(GOOD.replace("¿Cómo estás?", "Como estas").encode() + b"# caf\xe9\n")
    with pytest.raises(InvalidScript, match=r"latin1.toml:19: the file is not UTF-8"):
        load_script(path)


# --- snapshots and TOML writing ------------------------------------------------------------


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_snapshot_and_toml_roundtrips_give_the_same_script(path: Path) -> None:
    script = load_script(path)
    assert script_from_json(script_to_json(script)) == script
    assert load_script(script_to_toml(script)) == script


def test_awkward_text_survives_the_toml_writer() -> None:
    script = load_script(GOOD)
    odd = 'Quotes " and \\ backslash,\ttab,\nnew line, """ triple, and ñ'
    # Titles are one line (runs of spaces, tabs and line breaks become one space).
    one_line = 'Quotes " and \\ backslash, """ triple, and ñ'
    stage = script.stages[1]
    changed = type(script)(
        script.key,
        script.kind,
        one_line,
        odd,
        (script.stages[0], type(stage)(stage.type, one_line, odd, {"en": odd, "es": odd})),
        script.languages,
    )
    assert load_script(script_to_toml(changed)) == changed


# --- the library ---------------------------------------------------------------------------


def test_library_lists_built_ins_and_custom_scripts(library: ScriptLibrary) -> None:
    copy = library.duplicate("harm_repair")
    rows = library.scripts()
    assert [r.key for r in rows if r.builtin] == sorted(
        (r.key for r in rows if r.builtin), key=lambda k: library.get(k).title.casefold()
    )
    assert copy.key == "harm_repair-copy"
    custom = [r for r in rows if not r.builtin]
    assert [(r.key, r.title) for r in custom] == [
        ("harm_repair-copy", "Harm and repair circle (copy)")
    ]
    assert library.get("harm_repair-copy").stages == library.get("harm_repair").stages
    assert library.duplicate("harm_repair").key == "harm_repair-copy-2"


def test_built_ins_cannot_be_overwritten_or_deleted(library: ScriptLibrary) -> None:
    with pytest.raises(InvalidInput, match="built-in"):
        library.save(library.get("conference"))
    with pytest.raises(InvalidInput, match="cannot be deleted"):
        library.delete("conference")
    with pytest.raises(NotFound):
        library.delete("nothing-here")


def test_export_then_import_roundtrip(library: ScriptLibrary, tmp_path: Path) -> None:
    library.save(load_script(GOOD))
    exported = library.export("tiny", tmp_path / "shared.toml")
    with pytest.raises(InvalidInput, match="already exists"):
        library.export("tiny", exported)
    library.delete("tiny")
    with pytest.raises(NotFound):
        library.get("tiny")
    imported = library.import_file(exported)
    assert imported == load_script(GOOD)
    with pytest.raises(InvalidInput, match="already exists"):
        library.import_file(exported)
    assert library.import_file(exported, replace_existing=True) == imported


def test_importing_a_built_in_key_needs_a_new_name(library: ScriptLibrary, tmp_path: Path) -> None:
    exported = library.export("conference", tmp_path)
    assert exported.name == "conference.toml"
    with pytest.raises(InvalidInput, match="belongs to a built-in"):
        library.import_file(exported)
    renamed = library.import_file(exported, new_key="our-conference")
    assert library.get("our-conference").stages == renamed.stages


def test_a_bad_file_is_not_half_imported(library: ScriptLibrary, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace('type = "opening"', 'type = "openning"'), encoding="utf-8")
    with pytest.raises(ScriptInvalid) as caught:
        library.import_file(bad)
    assert str(caught.value.errors[0]).startswith(f"{bad}:8:")
    assert not library.custom_dir.exists() or not any(library.custom_dir.iterdir())


def test_broken_custom_files_are_skipped_and_explained(library: ScriptLibrary) -> None:
    library.custom_dir.mkdir(parents=True)
    (library.custom_dir / "broken.toml").write_text("key = ", encoding="utf-8")
    assert all(r.builtin for r in library.scripts())
    (problem,) = library.problems()
    assert problem.file.endswith("broken.toml") and problem.line == 1


# --- the command line ----------------------------------------------------------------------


def test_cli_validate_exit_codes(
    tmp_path: Path, home: Path, cli_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.toml"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace('kind = "check_in"', 'kind = "chat"'), encoding="utf-8")
    assert run(["scripts", "validate", str(good), *map(str, BUILTINS)]) == 0
    assert "good.toml: ok" in capsys.readouterr().out
    assert run(["scripts", "validate", str(good), str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:2: unknown kind of circle 'chat'" in err
    assert "1 of 2 files are not valid scripts." in err


def test_cli_list_export_import(
    tmp_path: Path, home: Path, cli_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.toml"
    assert run(["scripts", "export", "conference", "-o", str(out), "--database", "x.db"]) == 0
    assert load_script(out).key == "conference"
    assert run(["scripts", "export", "conference", "-o", str(out)]) == 2  # no silent overwrite
    assert run(["scripts", "import", str(out)]) == 2
    assert "built-in" in capsys.readouterr().err
    assert run(["scripts", "import", str(out), "--as", "ours"]) == 0
    assert (home / "scripts" / "ours.toml").is_file()
    capsys.readouterr()
    assert run(["scripts", "list"]) == 0
    listing = capsys.readouterr().out
    assert "conference" in listing and "ours" in listing and "custom" in listing
