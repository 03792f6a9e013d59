"""The user interface talks to core, never to the database library underneath it."""

from __future__ import annotations

import ast
from pathlib import Path

import circlekeeper.ui

UI = Path(circlekeeper.ui.__file__).parent


def sqlalchemy_imports(source: str) -> list[int]:
    """Line numbers of every import of sqlalchemy in ``source`` (at any depth: in functions,
    under ``if TYPE_CHECKING``, ``import sqlalchemy.orm``, ``from sqlalchemy... import``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        if any(name == "sqlalchemy" or name.startswith("sqlalchemy.") for name in names):
            found.append(node.lineno)
    return found


def test_the_scan_finds_every_form_of_import() -> None:
    source = (
        "import os\nimport sqlalchemy\nfrom sqlalchemy.orm import Session\n"
        "def f():\n    from sqlalchemy import select\n    import sqlalchemy.exc as e\n"
        "from circlekeeper.core import sqlalchemy_free\nfrom .sqlalchemy import x\n"
    )
    assert sqlalchemy_imports(source) == [2, 3, 5, 6]


def test_no_ui_module_imports_sqlalchemy() -> None:
    offenders = {
        str(path.relative_to(UI.parent)): lines
        for path in sorted(UI.rglob("*.py"))
        if (lines := sqlalchemy_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, (
        "These ui modules import sqlalchemy (line numbers); move the query into core and "
        f"catch the project's problems (DatabaseProblem) instead: {offenders}"
    )
