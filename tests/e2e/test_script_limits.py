"""Script files at their limits, through the real ``scripts validate`` and ``scripts import``.

A file nested thousands of levels deep, a 100,000-character title, thousands of stages: each is
refused with a message naming the file and saying what fits (exit 2, nothing imported).
Control characters are dropped from what is kept; line breaks stay where a text spans lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from circlekeeper.core.domain.script import LIMITS
from circlekeeper.core.domain.script_checks import load_script
from circlekeeper.core.domain.script_snapshot import script_from_json, script_to_json

HEADER = 'key = "{key}"\nkind = "check_in"\ntitle = "{title}"\n'
STAGE = '\n[[stages]]\ntype = "check_in"\ntitle = "Check-in"\nwords = "Welcome."\n'


def _custom_scripts(home: Path) -> list[str]:
    folder = home / "scripts"
    return sorted(p.name for p in folder.glob("*.toml")) if folder.is_dir() else []


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("x = " + "[" * 20_000 + "]" * 20_000 + "\n", "nested thousands of levels deep"),
        ("x = " + "{a = " * 5_000 + "1" + "}" * 5_000 + "\n", "nested thousands of levels deep"),
        (
            HEADER.format(key="long", title="T" * 100_000) + STAGE,
            f"title is 100,000 characters long; at most {LIMITS.title} fit",
        ),
        (
            HEADER.format(key="many", title="Many") + STAGE * 3_000,
            f"the script has 3,000 stages; at most {LIMITS.stages} fit",
        ),
        (
            HEADER.format(key="asks", title="Asks")
            + STAGE.replace('words = "Welcome."', f'words = "W."\nquestion = "{"q" * 2_001}"'),
            f"question (en) is 2,001 characters long; at most {LIMITS.question:,} fit",
        ),
    ],
    ids=["deep-arrays", "deep-tables", "long-title", "many-stages", "long-question"],
)
def test_oversized_scripts_are_refused_in_plain_words(
    run_cli, tmp_path: Path, body: str, words: str
) -> None:
    script = tmp_path / "shared.toml"
    script.write_text(body, encoding="utf-8")
    checked = run_cli("scripts", "validate", str(script))
    assert checked.returncode == 2, checked.stderr
    assert f"{script}:" in checked.stderr and words in checked.stderr
    assert "internal error" not in checked.stderr and "Traceback" not in checked.stderr
    imported = run_cli("scripts", "import", str(script))
    assert imported.returncode == 2, imported.stderr
    assert words in imported.stderr and "nothing was changed" in imported.stderr
    assert _custom_scripts(run_cli.home) == []


def test_control_characters_are_dropped_and_line_breaks_kept(run_cli, tmp_path: Path) -> None:
    script = tmp_path / "shared.toml"
    script.write_text(
        'key = "odd"\nkind = "check_in"\n'
        'title = "Morning\\u0007 circle\\u001b[2J\\u202e"\n'
        'purpose = "First line.\\u0000\\nSecond\\tline."\n'
        '\n[[stages]]\ntype = "check_in"\ntitle = "Check\\u0008-in"\n'
        'words = "Welcome.\\u200b\\nTake a breath."\n'
        'question = "How are you\\u007f today?"\n',
        encoding="utf-8",
    )
    imported = run_cli("scripts", "import", str(script))
    assert imported.returncode == 0, imported.stderr
    saved = load_script(run_cli.home / "scripts" / "odd.toml")
    assert saved.title == "Morning circle[2J"
    assert saved.purpose == "First line.\nSecond\tline."
    stage = saved.stages[0]
    assert stage.title == "Check-in" and stage.words == "Welcome.\nTake a breath."
    assert stage.question == {"en": "How are you today?"}


def test_a_circle_snapshot_is_read_back_whatever_the_limits() -> None:
    # A snapshot is history: a circle run before the limits keeps its script as it was.
    script = load_script(HEADER.format(key="old", title="Old") + STAGE)
    long_ago = script.__class__(
        script.key, script.kind, "T" * (LIMITS.title + 1), "", script.stages, script.languages
    )
    assert script_from_json(script_to_json(long_ago)).title == "T" * (LIMITS.title + 1)


def test_the_library_saves_scripts_without_control_characters(tmp_path: Path) -> None:
    # The script editor saves through the library: what lands in the file is the clean text.
    from circlekeeper.core.scripts.scripts import ScriptLibrary

    library = ScriptLibrary(custom_dir=tmp_path / "scripts")
    library.duplicate("check_in_out", "ours", title="Ours\x1b[31m\u202e")
    written = (tmp_path / "scripts" / "ours.toml").read_text(encoding="utf-8")
    assert "\x1b" not in written and "\\u001b" not in written and "\u202e" not in written
    assert library.get("ours").title == "Ours[31m"
