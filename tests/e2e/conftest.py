"""Helpers to run the real program as a subprocess with its own home folder."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Runner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_cli(tmp_path: Path) -> Runner:
    """Run ``python -m circlekeeper ARGS`` offscreen with CIRCLEKEEPER_HOME in tmp_path."""
    home = tmp_path / "cli-home"
    home.mkdir(exist_ok=True)

    def run(*args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
        environment = dict(os.environ, CIRCLEKEEPER_HOME=str(home), QT_QPA_PLATFORM="offscreen")
        environment.update(env)
        return subprocess.run(
            [sys.executable, "-m", "circlekeeper", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=environment,
            stdin=subprocess.DEVNULL,
        )

    run.home = home  # type: ignore[attr-defined]
    return run
