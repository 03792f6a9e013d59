"""The Linux bundle, built once per test session the way a release is built, and run.

``python packaging/build.py`` makes the one-folder bundle and the tarball; the checks run the
bundled program itself (no Python of ours on any path), as a school's laptop would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from pypdf import PdfReader

import circlekeeper

from .conftest import PACKAGING, ROOT, load

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle"),
]

APP_ID = "org.circlekeeper.CircleKeeper"


@dataclass
class Built:
    bundle: Path
    archive: Path
    tree: Path
    log: str


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """One real build (a few minutes) shared by every check below."""
    out = tmp_path_factory.mktemp("bundle")
    result = subprocess.run(
        [
            sys.executable,
            str(PACKAGING / "build.py"),
            "--dist",
            str(out / "dist"),
            "--work",
            str(out / "work"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    print(result.stdout)  # the sizes, for whoever reads the test log
    (archive,) = (out / "dist").glob("circlekeeper-*-linux-*.tar.gz")
    unpacked = out / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="tar")
    (tree,) = unpacked.iterdir()
    return Built(out / "dist" / "circlekeeper", archive, tree, result.stdout)


@pytest.fixture
def smoke() -> ModuleType:
    return load("smoke")


@pytest.fixture
def bundled(built: Built, smoke: ModuleType, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The unpacked tarball's program, with a home folder of its own and a demo database."""
    runner = smoke.Bundle(built.tree / "circlekeeper", tmp_path / "home")
    made = runner.make_demo()
    assert made.returncode == 0, made.stderr
    return runner


def test_bundle_says_its_version(built: Built, smoke: ModuleType, tmp_path: Path):
    result = smoke.Bundle(built.bundle, tmp_path / "home").version()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"circlekeeper {circlekeeper.__version__}"


def test_bundle_starts_on_the_demo_and_loads_it(bundled):  # type: ignore[no-untyped-def]
    result = bundled.self_test()
    assert result.returncode == 0, result.stderr
    assert "first_paint_ms=" in result.stdout and "data_ready_ms=" in result.stdout


def test_bundle_prints_a_bilingual_agreement_pdf(bundled, tmp_path: Path):  # type: ignore[no-untyped-def]
    pdf = tmp_path / "agreement.pdf"
    result = bundled.agreement_pdf(pdf)
    assert result.returncode == 0, result.stderr
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "Repair Agreement" in text and "Acuerdo de reparación" in text


def test_bundle_encrypts_and_opens_with_the_passphrase_only(  # type: ignore[no-untyped-def]
    bundled, smoke: ModuleType, tmp_path: Path
):
    # Given the demo encrypted by the bundled SQLCipher
    encrypted = tmp_path / "encrypted.sqlite3"
    result = bundled.encrypt_copy(encrypted)
    assert result.returncode == 0, result.stderr
    assert not encrypted.read_bytes().startswith(b"SQLite format 3")
    # Then the passphrase opens it (command line and window), and another one is refused
    opened = bundled.check_encrypted(encrypted)
    assert opened.returncode == 0 and "encrypted" in opened.stdout, opened.stderr
    started = bundled.self_test(encrypted, CIRCLEKEEPER_PASSPHRASE=smoke.PASSPHRASE)
    assert started.returncode == 0, started.stderr
    wrong = bundled.check_encrypted(encrypted, "not-the-passphrase")
    assert wrong.returncode == 2 and "does not open" in wrong.stderr


def test_bundle_carries_what_it_reads_and_leaves_out_unused_qt(built: Built):
    inside = built.bundle / "_internal"
    data = inside / "circlekeeper" / "_data"
    migrations = sorted(p.name for p in (data / "migrations" / "versions").glob("*.py"))
    assert migrations == sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))
    assert (data / "migrations" / "env.py").is_file()
    assert (data / "resources" / "templates" / "agreement.html").is_file()
    assert (data / "resources" / "icons" / "circlekeeper-48.png").is_file()
    qt = inside / "PySide6" / "Qt"
    platforms = {p.name for p in (qt / "plugins" / "platforms").iterdir()}
    assert {"libqxcb.so", "libqwayland.so", "libqoffscreen.so"} <= platforms
    assert not platforms & {"libqvnc.so", "libqlinuxfb.so", "libqeglfs.so"}
    assert (qt / "plugins" / "printsupport").is_dir()
    assert {p.name for p in (qt / "translations").iterdir()} >= {"qtbase_es.qm", "qtbase_en.qm"}
    assert not (qt / "translations" / "qtbase_de.qm").exists()
    assert not list(inside.rglob("*Qt6Network*"))
    assert not list(inside.rglob("libgtk-3*")) and not list(inside.rglob("libcairo*"))


def test_tarball_holds_the_desktop_entry_icons_and_metainfo_and_they_validate(built: Built):
    share = built.tree / "share"
    desktop = share / "applications" / f"{APP_ID}.desktop"
    metainfo = share / "metainfo" / f"{APP_ID}.metainfo.xml"
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert (
            share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "circlekeeper.png"
        ).is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "circlekeeper.svg").is_file()
    assert (built.tree / "install.sh").stat().st_mode & 0o111
    check = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
    assert check.returncode == 0 and "error" not in check.stdout, check.stdout
    check = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(metainfo)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_install_script_installs_updates_and_removes_without_touching_records(
    built: Built, tmp_path: Path
):
    # Given the unpacked tarball and a user's records
    prefix, opt = tmp_path / "usr", tmp_path / "opt" / "circlekeeper"
    records = tmp_path / "records"
    records.mkdir()
    (records / "circlekeeper.sqlite3").write_bytes(b"kept")
    env = dict(os.environ, PREFIX=str(prefix), OPT=str(opt), CIRCLEKEEPER_HOME=str(records))
    install = [str(built.tree / "install.sh")]

    # When it is installed, and installed again (an update)
    for _ in range(2):
        done = subprocess.run(install, capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr

    # Then the command works, the menu entry starts this copy and validates
    version = subprocess.run(
        [str(prefix / "bin" / "circlekeeper"), "--version"], capture_output=True, text=True, env=env
    )
    assert version.stdout.strip() == f"circlekeeper {circlekeeper.__version__}"
    entry = prefix / "share" / "applications" / f"{APP_ID}.desktop"
    assert f'Exec="{opt}/circlekeeper"' in entry.read_text()
    check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert check.returncode == 0 and "error" not in check.stdout, check.stdout
    assert not list(opt.parent.glob("circlekeeper.*")), "an update left a copy behind"

    # And removing it takes the program away and leaves the records
    removed = subprocess.run([*install, "--uninstall"], capture_output=True, text=True, env=env)
    assert removed.returncode == 0, removed.stderr
    assert not opt.exists() and not (prefix / "bin" / "circlekeeper").exists()
    assert not entry.exists()
    assert (records / "circlekeeper.sqlite3").read_bytes() == b"kept"
    shutil.rmtree(prefix)
