"""Modules imported after Qt are not read as text by PySide (circlekeeper.ui.pyside_imports)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import circlekeeper

SOURCES = Path(circlekeeper.__file__).parent

PROBE = """
import sys
sys.path.insert(0, sys.argv[1])
import PySide6.QtCore
if sys.argv[2] == "plainly":
    from circlekeeper.ui.pyside_imports import import_plainly
    import_plainly()
import probe_module
print(sys.modules["PySide6.support.feature"].pyside_feature_dict["probe_module"])
"""


def _feature_mark(tmp_path: Path, how: str) -> int:
    # A module that names PySide6 in its text: PySide's own check reads the text and finds it.
    (tmp_path / "probe_module.py").write_text("WORD = 'PySide6'\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path), how],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.split()[-1])


def test_a_module_imported_after_qt_is_not_read_for_features(tmp_path: Path) -> None:
    assert _feature_mark(tmp_path, "as-pyside-does") == 0  # read, and "PySide6" found in it
    assert _feature_mark(tmp_path, "plainly") == -1  # marked "ignore", never read


def test_no_module_switches_on_a_pyside_feature() -> None:
    # What makes the shortcut safe: a `from __feature__ import ...` anywhere in the program
    # would need PySide's reading back.
    users = []
    for path in sorted(SOURCES.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module] if isinstance(node, ast.ImportFrom) else []
                names += [alias.name for alias in node.names]
                if "__feature__" in names:
                    users.append(str(path.relative_to(SOURCES)))
    assert users == []
