"""The screens of circles, the live view, scripts and agreements speak to core, not to storage.

Storage errors reach them as the project's DatabaseProblem and their reads go through core
queries, so none of their modules imports SQLAlchemy. (Other areas join this list as they are
converted to the operation pipeline.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import circlekeeper

UI = Path(circlekeeper.__file__).parent / "ui"
CONVERTED = ("agreements", "circles", "live", "scripts")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_converted_screens_import_no_sqlalchemy() -> None:
    modules = [path for area in CONVERTED for path in sorted((UI / area).glob("*.py"))]
    assert len(modules) > 20
    offenders = {
        str(path.relative_to(UI)): sorted(
            m for m in _imports(path) if m.split(".")[0] == "sqlalchemy"
        )
        for path in modules
    }
    assert {name: found for name, found in offenders.items() if found} == {}
