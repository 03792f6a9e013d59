"""What every circlekeeper bundle carries, for the PyInstaller spec on Linux, Windows and macOS.

The spec (``packaging/circlekeeper.spec``) and the tests import this file, so the three
platforms' builds collect the same things and a test can check them without building:

- the version, read the way ``pyproject.toml`` says (``[tool.hatch.version] path``);
- ``resources/`` (scripts, templates, icons, and every compiled translation ``*.qm``) and
  ``migrations/`` (alembic runs the ``.py`` files as source, so they go in as data), placed
  where ``circlekeeper.core.paths`` looks in an installed copy: ``circlekeeper/_data/``;
- the modules nobody imports by name: the subcommands (``cli.COMMAND_MODULES`` are imported
  with ``importlib``) and whatever the migration files import;
- what is left out: Qt modules and plugins the program never uses, and test tools.

Plain Python with no PyInstaller import, so it runs anywhere.
"""

from __future__ import annotations

import ast
import re
import struct
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "circlekeeper"
APP_ID = "org.circlekeeper.CircleKeeper"
DATA_PREFIX = "circlekeeper/_data"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

# Translations are built from .ts into .qm before the bundle is made (``lrelease`` or
# ``pyside6-lrelease``); whatever .qm files exist anywhere under resources/ are carried.
TRANSLATION_PATTERN = "*.qm"

# Qt modules the program never imports; leaving them out keeps their libraries and plugins out.
UNUSED_QT = (
    "PySide6.QtNetwork",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtXml",
    "PySide6.QtDBus",
    "PySide6.QtConcurrent",
    "PySide6.QtHelp",
    "PySide6.QtDesigner",
    "PySide6.QtUiTools",
)
# Developer and test tools that a school's copy never runs.
UNUSED_PYTHON = ("tkinter", "pytest", "pytestqt", "mypy", "ruff", "pypdf", "IPython", "pip")
EXCLUDES = UNUSED_QT + UNUSED_PYTHON

# Qt plugins the program never loads, measured in a Linux build: embedded-device and remote
# screens (eglfs, linuxfb, vnc, Vulkan display), touch input over the network (TUIO), and the
# GTK theme (it would pull GTK's own libraries in; Qt draws its own dialogs, and the desktop
# portal theme stays for native file dialogs).
UNUSED_QT_PLUGINS = (
    "qvnc",
    "qlinuxfb",
    "qeglfs",
    "qminimalegl",
    "qvkkhrdisplay",
    "qtuiotouchplugin",
    "qgtk3",
)
UNUSED_QT_PLUGIN_DIRS = ("egldeviceintegrations",)
# Qt libraries only those plugins needed.
UNUSED_QT_LIBRARIES = (
    "Qt6Network",
    "Qt6EglFSDeviceIntegration",
    "Qt6EglFsKmsSupport",
    "QtNetwork.framework",
)
# Qt's own translations (its dialogs' buttons) in the languages the program speaks.
QT_LANGUAGES = ("en", "es")


def project_version(root: Path = ROOT) -> str:
    """The version ``pyproject.toml`` points at (hatch reads it from the package's __init__)."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    fixed = project["project"].get("version")
    if fixed:
        return str(fixed)
    source = root / project["tool"]["hatch"]["version"]["path"]
    found = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', source.read_text("utf-8"), re.M)
    if found is None:
        raise ValueError(f"no __version__ in {source}")
    return found.group(1)


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """Four numbers for Windows' file version (``0.1.0rc1`` -> (0, 1, 0, 0))."""
    numbers = [int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3]]
    return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def data_files(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source file, folder inside the bundle) for every file the program reads at run time."""
    pairs: list[tuple[str, str]] = []
    for top in ("resources", "migrations"):
        base = root / top
        for path in sorted(base.rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            folder = Path(DATA_PREFIX, top, path.parent.relative_to(base))
            pairs.append((str(path), folder.as_posix()))
    return pairs


def translations(root: Path = ROOT) -> list[Path]:
    """The compiled translations that will be carried (built before the bundle)."""
    return sorted((root / "resources").rglob(TRANSLATION_PATTERN))


def command_modules(root: Path = ROOT) -> list[str]:
    """The subcommand modules ``cli.py`` imports by name at run time."""
    tree = ast.parse((root / "src/circlekeeper/cli.py").read_text("utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "COMMAND_MODULES" for t in node.targets)
            and isinstance(node.value, ast.Tuple)
        ):
            names = [ast.literal_eval(element) for element in node.value.elts]
            return [f"circlekeeper.commands.{name}" for name in names]
    raise ValueError("cli.py has no COMMAND_MODULES tuple")


def migration_imports(root: Path = ROOT) -> list[str]:
    """Every module the alembic environment and the migration files import."""
    modules: set[str] = set()
    for path in sorted((root / "migrations").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module)
    modules.discard("__future__")
    return sorted(modules)


def hidden_imports(root: Path = ROOT) -> list[str]:
    """Modules PyInstaller cannot see being imported, for ``Analysis(hiddenimports=...)``."""
    runtime = ["sqlcipher3.dbapi2", "sqlalchemy.dialects.sqlite", "alembic.ddl.sqlite"]
    return sorted(set(command_modules(root) + migration_imports(root) + runtime))


def icon_file(size: int = 256, root: Path = ROOT) -> Path:
    """The program's icon as a PNG of one size (PyInstaller turns it into .ico or .icns)."""
    return root / "resources" / "icons" / f"{APP_NAME}-{size}.png"


def icon_svg(root: Path = ROOT) -> Path:
    """The drawing every icon size is rendered from."""
    return root / "resources" / "icons" / f"{APP_NAME}.svg"


def platform_name() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def left_out(destination: str) -> bool:
    """True for a collected file (by its path in the bundle) the program never uses."""
    parts = PurePosixPath(destination.replace("\\", "/")).parts
    name = parts[-1] if parts else ""
    if any(library in part for library in UNUSED_QT_LIBRARIES for part in parts):
        return True
    if "plugins" in parts[:-1]:
        folder = parts[parts.index("plugins") + 1]
        stem = name.split(".")[0].removeprefix("lib")
        return folder in UNUSED_QT_PLUGIN_DIRS or stem in UNUSED_QT_PLUGINS
    if "translations" in parts[:-1] and "PySide6" in parts and name.endswith(".qm"):
        language = re.search(r"_([a-z]{2,3})(?:_[A-Z]{2})?\.qm$", name)
        return language is not None and language.group(1) not in QT_LANGUAGES
    return False


Entry = tuple[str, str, str]  # PyInstaller's TOC entry: (path in the bundle, source, kind)


def trim(entries: list[Entry], imports: Callable[[str], set[str]]) -> list[Entry]:
    """``entries`` without what :func:`left_out` names, nor libraries only those needed.

    ``imports(source)`` gives the names of the libraries a binary links to. A library that
    came in only because a left-out plugin links to it (the GTK theme brings cairo, pango,
    ATK) goes too; a library anything kept links to stays.
    """
    kept = [entry for entry in entries if not left_out(entry[0])]
    removed = [entry for entry in entries if left_out(entry[0])]
    while removed:
        wanted_by_removed = _linked(removed, imports)
        wanted_by_kept = _linked(kept, imports)
        orphans = [
            entry
            for entry in kept
            if entry[2] == "BINARY"
            and _base(entry[0]) in wanted_by_removed - wanted_by_kept
            and not _base(entry[0]).startswith(("python", "libpython"))
        ]
        kept = [entry for entry in kept if entry not in orphans]
        removed = orphans
    return kept


def _linked(entries: list[Entry], imports: Callable[[str], set[str]]) -> set[str]:
    return {_base(name) for e in entries if e[2] == "BINARY" for name in imports(e[1])}


def _base(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).name


def windows_version_file(path: Path, version: str) -> Path:
    """Write the version resource Windows shows in a file's Properties (PyInstaller's format)."""
    numbers = numeric_version(version)
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
      StringStruct('CompanyName', 'circlekeeper'),
      StringStruct('FileDescription', 'circlekeeper: restorative circles and conferences'),
      StringStruct('FileVersion', '{version}'),
      StringStruct('ProductName', 'circlekeeper'),
      StringStruct('ProductVersion', '{version}')])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS entry types holding PNG data, by pixel size (Apple's "icp4".."ic10").
ICNS_TYPES = (
    (16, b"icp4"),
    (32, b"icp5"),
    (64, b"icp6"),
    (128, b"ic07"),
    (256, b"ic08"),
    (512, b"ic09"),
)


def write_ico(path: Path, root: Path = ROOT) -> Path:
    """Windows' icon file, made of the committed PNGs (PNG entries, Windows Vista and later)."""
    images = [(size, icon_file(size, root).read_bytes()) for size in ICO_SIZES]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    directory = b""
    for size, data in images:
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + directory + b"".join(data for _size, data in images))
    return path


def write_icns(path: Path, root: Path = ROOT) -> Path:
    """macOS's icon file, made of the committed PNGs."""
    body = b""
    for size, kind in ICNS_TYPES:
        data = icon_file(size, root).read_bytes()
        body += kind + struct.pack(">I", len(data) + 8) + data
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"icns" + struct.pack(">I", len(body) + 8) + body)
    return path


def platform_icon(build: Path, root: Path = ROOT) -> Path | None:
    """The icon file PyInstaller gives this platform's program (None on Linux: the desktop
    entry names the installed icon)."""
    name = platform_name()
    if name == "windows":
        return write_ico(build / f"{APP_NAME}.ico", root)
    if name == "macos":
        return write_icns(build / f"{APP_NAME}.icns", root)
    return None


if __name__ == "__main__":
    # For shell steps (macOS disk image, CI): `python packaging/bundle_data.py version`, or
    # `... ico PATH` / `... icns PATH` to write an icon file.
    command = sys.argv[1] if len(sys.argv) > 1 else "version"
    if command == "version":
        print(project_version())
    elif command in ("ico", "icns"):
        made = (write_ico if command == "ico" else write_icns)(Path(sys.argv[2]))
        print(made)
    else:
        raise SystemExit(f"unknown command {command!r}: version, ico PATH or icns PATH")
