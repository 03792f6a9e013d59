"""The built wheel carries scripts, templates and migrations, and finds them once installed."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Builds the wheel and installs it into a fresh venv: minutes on a shared, slow machine.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("circlekeeper-*.whl")
    return built


def test_wheel_contains_resources_and_migrations(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "circlekeeper/_data/migrations/env.py" in names
    assert any(n.startswith("circlekeeper/_data/migrations/versions/0001") for n in names)
    assert any(n.startswith("circlekeeper/_data/resources/") for n in names)
    # The Spanish words travel as the .ts source; the app compiles it on first use
    assert "circlekeeper/_data/resources/i18n/circlekeeper_es.ts" in names


def test_installed_copy_finds_its_files_and_migrates(wheel: Path, tmp_path: Path) -> None:
    # Given a fresh venv holding only the wheel (third-party packages borrowed from this one,
    # so the test needs no network)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # When it looks for its bundled folders
    probe = (
        "from circlekeeper.core.paths import resources_dir, migrations_dir;"
        "print(resources_dir()); print(migrations_dir())"
    )
    found = subprocess.run(
        [python, "-c", probe], check=True, capture_output=True, text=True, cwd=tmp_path
    ).stdout.split()
    # Then they are the installed copies, not this checkout
    for folder in found:
        assert Path(folder).is_relative_to(venv), folder
    resources = Path(found[0])
    assert any((resources / "scripts").glob("*.toml")), "built-in scripts missing"
    assert any((resources / "templates").iterdir()), "templates missing"
    assert (resources / "i18n" / "circlekeeper_es.ts").is_file(), "Spanish translation missing"
    # And the installed command migrates a new database
    database = tmp_path / "records.sqlite3"
    result = subprocess.run(
        [venv / "bin" / "circlekeeper", "db", "upgrade", "--database", str(database)],
        capture_output=True,
        text=True,
        env={"CIRCLEKEEPER_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert database.exists()
