"""What every bundle carries, checked without building one (shared by Linux, Windows, macOS)."""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from types import ModuleType

import pytest

import circlekeeper
from circlekeeper import cli
from circlekeeper.core.paths import migrations_dir, resources_dir

from .conftest import PACKAGING, ROOT

LINUX = PACKAGING / "linux"
DESKTOP = LINUX / "org.circlekeeper.CircleKeeper.desktop"
METAINFO = LINUX / "org.circlekeeper.CircleKeeper.metainfo.xml"


def collected(bundle_data: ModuleType, root: Path = ROOT) -> set[str]:
    """Every file's path inside the bundle, as the spec hands them to PyInstaller."""
    return {f"{folder}/{Path(source).name}" for source, folder in bundle_data.data_files(root)}


def test_version_is_the_one_pyproject_points_at(bundle_data: ModuleType):
    assert bundle_data.project_version() == circlekeeper.__version__
    assert bundle_data.numeric_version("0.1.0") == (0, 1, 0, 0)
    assert bundle_data.numeric_version("1.2.3rc4+local") == (1, 2, 3, 0)


def test_every_migration_template_script_and_icon_is_carried(bundle_data: ModuleType):
    # Given what the program reads at run time from a checkout
    inside = collected(bundle_data)
    expected = [
        (migrations_dir(), "migrations"),
        (resources_dir(), "resources"),
    ]
    # Then each file is carried to where core.paths finds it in an installed copy
    for base, top in expected:
        for path in base.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                where = f"circlekeeper/_data/{top}/{path.relative_to(base).as_posix()}"
                assert where in inside, where
    assert "circlekeeper/_data/migrations/env.py" in inside
    assert any(re.search(r"/versions/0001_\w+\.py$", name) for name in inside)
    assert "circlekeeper/_data/resources/icons/circlekeeper-256.png" in inside


def test_compiled_translations_are_carried_wherever_they_are_built(
    bundle_data: ModuleType, tmp_path: Path
):
    # Given a checkout where translations were compiled next to their sources
    root = tmp_path / "checkout"
    for top in ("resources", "migrations"):
        shutil.copytree(ROOT / top, root / top)
    for compiled in root.rglob("*.qm"):  # what running the program here compiled meanwhile
        compiled.unlink()
    (root / "resources" / "i18n").mkdir(exist_ok=True)
    (root / "resources" / "i18n" / "circlekeeper_es.ts").write_text("<TS/>")
    (root / "resources" / "i18n" / "circlekeeper_es.qm").write_bytes(b"\x3c\xb8\x64\x18")
    (root / "resources" / "templates" / "extra_es.qm").write_bytes(b"\x3c\xb8\x64\x18")
    # Then every .qm is carried, and the .ts too (the program compiles it on first use)
    inside = collected(bundle_data, root)
    assert "circlekeeper/_data/resources/i18n/circlekeeper_es.qm" in inside
    assert "circlekeeper/_data/resources/templates/extra_es.qm" in inside
    assert "circlekeeper/_data/resources/i18n/circlekeeper_es.ts" in inside
    assert [p.name for p in bundle_data.translations(root)] == [
        "circlekeeper_es.qm",
        "extra_es.qm",
    ]


def test_modules_imported_by_name_are_listed(bundle_data: ModuleType):
    hidden = bundle_data.hidden_imports()
    # The subcommands cli.py imports with importlib
    for name in cli.COMMAND_MODULES:
        assert f"circlekeeper.commands.{name}" in hidden
    # And whatever the migration files import, each importable here
    for path in migrations_dir().rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module != "__future__":
                assert node.module in hidden, (path.name, node.module)
    for module in hidden:
        assert importlib.util.find_spec(module) is not None, module


@pytest.mark.parametrize(
    ("destination", "left_out"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
        ("PySide6/plugins/platforms/qwindows.dll", False),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", False),
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", False),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", False),
        ("PySide6/Qt/translations/qtbase_es.qm", False),
        ("PySide6/translations/qtbase_en.qm", False),
        ("circlekeeper/_data/resources/i18n/circlekeeper_fr.qm", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", False),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", True),
        ("PySide6/Qt/plugins/platforms/libqlinuxfb.so", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", True),
        ("PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-integration.so", True),
        ("PySide6/Qt/plugins/generic/libqtuiotouchplugin.so", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
        ("PySide6/Qt/lib/libQt6Network.so.6", True),
        ("libQt6Network.so.6", True),
        ("PySide6\\Qt6Network.dll", True),
        ("PySide6/Qt/lib/QtNetwork.framework/Versions/A/QtNetwork", True),
        ("PySide6/Qt/translations/qtbase_de.qm", True),
        ("PySide6/Qt/translations/qt_zh_CN.qm", True),
    ],
)
def test_what_is_left_out(bundle_data: ModuleType, destination: str, left_out: bool):
    assert bundle_data.left_out(destination) is left_out


def test_libraries_only_a_left_out_plugin_needed_go_too(bundle_data: ModuleType):
    # Given the GTK theme (left out) linking cairo and Qt's GUI library, which a kept plugin
    # links as well
    links = {
        "/qt/libqgtk3.so": {"libcairo.so.2", "libQt6Gui.so.6"},
        "/sys/libcairo.so.2": {"libpixman-1.so.0"},
        "/qt/libqxcb.so": {"libQt6Gui.so.6"},
    }
    entries = [
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/qt/libqgtk3.so", "BINARY"),
        ("libcairo.so.2", "/sys/libcairo.so.2", "BINARY"),
        ("libpixman-1.so.0", "/sys/libpixman-1.so.0", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/qt/libqxcb.so", "BINARY"),
        ("libQt6Gui.so.6", "/qt/libQt6Gui.so.6", "BINARY"),
    ]
    # When the bundle is trimmed
    kept = bundle_data.trim(entries, lambda source: links.get(source, set()))
    # Then cairo and what only cairo needed are gone, and the GUI library stays
    assert [entry[0] for entry in kept] == [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "libQt6Gui.so.6",
    ]


def test_icon_sizes_are_what_their_names_say(bundle_data: ModuleType):
    from PySide6.QtGui import QImage

    assert bundle_data.icon_svg().is_file()
    for size in bundle_data.ICON_SIZES:
        image = QImage(str(bundle_data.icon_file(size)))
        assert (image.width(), image.height()) == (size, size)


def test_windows_and_macos_icon_files_hold_every_size(bundle_data: ModuleType, tmp_path: Path):
    from PySide6.QtGui import QImage, QImageReader

    # The .ico Windows' program and installer use: Qt's own reader opens every size
    ico = bundle_data.write_ico(tmp_path / "circlekeeper.ico")
    reader = QImageReader(str(ico))
    sizes = []
    for _ in range(reader.imageCount()):
        sizes.append(reader.read().width())
        reader.jumpToNextImage()
    assert sorted(sizes) == sorted(bundle_data.ICO_SIZES)
    # The .icns macOS uses: each entry is one of the committed PNGs, lengths adding up
    icns = bundle_data.write_icns(tmp_path / "circlekeeper.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    offset, found = 8, []
    while offset < len(icns):
        kind, length = (
            icns[offset : offset + 4],
            struct.unpack(">I", icns[offset + 4 : offset + 8])[0],
        )
        found.append((kind, QImage.fromData(icns[offset + 8 : offset + length]).width()))
        offset += length
    assert found == [(kind, size) for size, kind in bundle_data.ICNS_TYPES]


def test_desktop_entry_metainfo_and_window_name_the_same_program(bundle_data: ModuleType):
    from circlekeeper.ui.identity import APP_ID

    assert bundle_data.APP_ID == APP_ID == DESKTOP.stem
    component = ElementTree.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP.name
    assert "Icon=circlekeeper\n" in DESKTOP.read_text()
    # The release being built has its notes
    versions = [release.get("version") for release in component.iter("release")]
    assert bundle_data.project_version() in versions


def test_metainfo_screenshots_are_the_committed_pictures(bundle_data: ModuleType):
    component = ElementTree.parse(METAINFO).getroot()
    images = list(component.iter("image"))
    assert images
    for image in images:
        picture = LINUX / "screenshots" / Path(image.text or "").name
        header = picture.read_bytes()[:24]
        width, height = struct.unpack(">II", header[16:24])
        assert (str(width), str(height)) == (image.get("width"), image.get("height")), picture


def test_desktop_entry_and_metainfo_pass_the_validators():
    for tool in ("desktop-file-validate", "appstreamcli"):
        assert shutil.which(tool), f"{tool} is missing: ./dev.sh test installs it"
    desktop = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True
    )
    assert desktop.returncode == 0 and "error" not in desktop.stdout, desktop.stdout
    metainfo = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert metainfo.returncode == 0, metainfo.stdout + metainfo.stderr


def test_windows_installer_takes_the_spec_folder_and_the_version_from_outside(
    bundle_data: ModuleType,
):
    script = (PACKAGING / "windows" / "circlekeeper.iss").read_text()
    spec = (PACKAGING / "circlekeeper.spec").read_text()
    # The installer packs the folder the spec's COLLECT makes, with the icon the spec writes
    assert "name=bundle_data.APP_NAME" in spec
    assert f'Source: "{{#Dist}}\\{bundle_data.APP_NAME}\\*"' in script
    assert "SetupIconFile=..\\..\\build\\circlekeeper.ico" in script
    assert 'BUILD = ROOT / "build"' in spec
    # And the version is passed in, never written twice
    assert "AppVersion={#AppVersion}" in script
    assert bundle_data.project_version() not in script
    # Its programs are the ones the spec makes on Windows
    assert 'name=f"{bundle_data.APP_NAME}-cli"' in spec
    assert "{app}\\circlekeeper.exe" in script


def test_ci_builds_and_checks_the_bundle_on_all_three_systems():
    workflow = (ROOT / ".github" / "workflows" / "bundles.yml").read_text()
    for system in ("ubuntu-", "windows-", "macos-"):
        assert f"- os: {system}" in workflow
    for step in (
        "python packaging/build.py",
        "python packaging/smoke.py dist/circlekeeper",
        "tests/packaging/test_bundle_data.py",
        "packaging\\windows\\circlekeeper.iss",
        "packaging/macos/make_dmg.sh",
    ):
        assert step in workflow, step
    for script in ("build.py", "smoke.py", "bundle_data.py", "macos/make_dmg.sh"):
        assert (PACKAGING / script).is_file()
