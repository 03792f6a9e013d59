"""The log goes to the platform's log folder, private, unless CIRCLEKEEPER_HOME says otherwise."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from circlekeeper.core.paths import log_dir

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG folders")


def _environment(user: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key != "CIRCLEKEEPER_HOME" and not key.startswith("XDG_")
    }
    environment.update(HOME=str(user), QT_QPA_PLATFORM="offscreen")
    return environment


def test_log_goes_to_the_xdg_state_folder_readable_by_its_owner_only(tmp_path: Path):
    # Given a user with no circlekeeper folders yet
    user = tmp_path / "user"
    user.mkdir()
    # When the real command line upgrades a database (alembic logs each step)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "circlekeeper",
            "db",
            "upgrade",
            "--database",
            str(tmp_path / "r.db"),
        ],
        capture_output=True,
        text=True,
        env=_environment(user),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    # Then the log is in ~/.local/state/circlekeeper/log, private, and not in the data folder
    folder = user / ".local" / "state" / "circlekeeper" / "log"
    logfile = folder / "circlekeeper.log"
    assert "Running upgrade" in logfile.read_text()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(logfile.stat().st_mode) == 0o600
    assert not (user / ".local" / "share" / "circlekeeper" / "logs").exists()


def test_a_chosen_home_keeps_its_logs_beside_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("CIRCLEKEEPER_HOME", str(tmp_path / "home"))
    assert log_dir() == tmp_path / "home" / "logs"
    monkeypatch.delenv("CIRCLEKEEPER_HOME")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert log_dir() == tmp_path / "state" / "circlekeeper" / "log"
