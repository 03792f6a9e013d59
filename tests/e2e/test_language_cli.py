"""``--language`` and ``CIRCLEKEEPER_LANGUAGE``: Spanish for one run, a plain refusal for a typo."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Runner


@pytest.mark.slow
def test_an_unknown_language_exits_2_naming_the_choices(run_cli: Runner) -> None:
    result = run_cli("--language", "xx", "report", "--list")
    assert result.returncode == 2
    assert "There is no language called “xx”" in result.stderr
    assert "en (English), es (Español)" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_an_unknown_language_in_the_environment_exits_2(run_cli: Runner) -> None:
    result = run_cli("report", "--list", CIRCLEKEEPER_LANGUAGE="klingon")
    assert result.returncode == 2
    assert "“klingon”" in result.stderr


@pytest.mark.slow
def test_the_app_starts_in_spanish_for_one_run(run_cli: Runner, tmp_path: Path) -> None:
    database = tmp_path / "records.sqlite3"
    result = run_cli("--language", "es", "--database", str(database), "--self-test")
    assert result.returncode == 0, result.stderr
    assert "data_ready_ms=" in result.stdout
    # The Spanish catalogue was compiled into the cache for the next start
    compiled = list((run_cli.home / "cache" / "i18n").glob("circlekeeper_es-*.qm"))  # type: ignore[attr-defined]
    assert len(compiled) == 1
    # And the run's choice was not saved as the setting
    assert not (run_cli.home / "language.txt").exists()  # type: ignore[attr-defined]
