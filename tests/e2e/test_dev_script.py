"""``./dev.sh start`` says plainly when there is no desktop to open the window on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland sessions")
def test_start_without_a_desktop_session_explains_and_installs_nothing(tmp_path: Path):
    environment = {
        key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")
    }
    environment["PYTHON"] = str(tmp_path / "no-python-here")  # a venv would need it
    result = subprocess.run(
        ["bash", str(ROOT / "dev.sh"), "start"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert result.returncode == 2
    assert "no desktop session" in result.stderr
    assert "--self-test" in result.stderr
    assert "Installing" not in result.stderr
