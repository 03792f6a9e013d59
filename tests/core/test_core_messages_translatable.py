"""Every message the core raises for a person can be shown in Spanish.

The core's plain-words problems carry a sentence a counselor reads. A sentence written as a bare
string (or an f-string) never reaches the translation file, so a Spanish-speaking keeper gets
English in the middle of a Spanish screen. This test reads the core's source and fails on any
problem raised with a literal message that does not go through ``_()``, and on any ``_()`` given
an f-string (its text would never match the catalogue).
"""

from __future__ import annotations

import ast
from pathlib import Path

import circlekeeper.core

CORE = Path(circlekeeper.core.__file__).parent
PROBLEMS = {"InvalidInput", "NotFound", "NotPermitted", "TryLater", "DatabaseProblem"}


def _called(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _problem_classes() -> set[str]:
    """The project's problems and every subclass the core defines of them."""
    names = set(PROBLEMS)
    grew = True
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in CORE.rglob("*.py")]
    while grew:
        grew = False
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names:
                    bases = {
                        b.id if isinstance(b, ast.Name) else getattr(b, "attr", "")
                        for b in node.bases
                    }
                    if bases & names:
                        names.add(node.name)
                        grew = True
    return names


def _untranslated_in(source: str, where: str, problems: set[str]) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        first = node.args[0]
        name = _called(node)
        if name in problems and (
            isinstance(first, ast.JoinedStr)
            or (isinstance(first, ast.Constant) and isinstance(first.value, str))
        ):
            found.append(f"{where}:{node.lineno}: {name}(...) without _()")
        if name == "_" and isinstance(first, ast.JoinedStr):
            found.append(f"{where}:{node.lineno}: _() given an f-string")
    return found


def _untranslated() -> list[str]:
    problems = _problem_classes()
    found: list[str] = []
    for path in sorted(CORE.rglob("*.py")):
        where = str(path.relative_to(CORE.parent))
        found += _untranslated_in(path.read_text(encoding="utf-8"), where, problems)
    return found


def test_every_problem_the_core_raises_goes_through_the_translation() -> None:
    assert _untranslated() == []


def test_the_check_finds_a_bare_message_and_passes_a_marked_one() -> None:
    # The scan itself must see a bare message, or the test above could never fail.
    bare = 'raise InvalidInput(f"No person {pid}.")\nraise NotFound("Gone.")\nx = _(f"{y}")\n'
    assert len(_untranslated_in(bare, "bare.py", PROBLEMS)) == 3
    marked = 'raise InvalidInput(_("No person {pid}.", pid=pid))\nraise NotFound(message)\n'
    assert _untranslated_in(marked, "marked.py", PROBLEMS) == []
    # A subclass the core defines counts as a problem too.
    assert "NotEligible" in _problem_classes()
