"""The one hard line of the architecture: circlekeeper.core never loads Qt."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import importlib, pkgutil, sys
import circlekeeper.core as core
for module in pkgutil.walk_packages(core.__path__, "circlekeeper.core."):
    importlib.import_module(module.name)
print(",".join(sorted(n for n in sys.modules if n.startswith("PySide6") or n == "shiboken6")))
"""


def test_importing_every_core_module_loads_no_pyside6() -> None:
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
