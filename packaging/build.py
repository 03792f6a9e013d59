"""Build circlekeeper's bundle for this system, and on Linux the tarball schools install.

    python packaging/build.py [--dist DIR] [--work DIR] [--no-archive]

1. Compiles translations: every ``*.ts`` under ``resources/`` becomes a ``.qm`` beside it
   (``pyside6-lrelease``); the spec then carries every ``.qm`` there is.
2. Runs PyInstaller on ``packaging/circlekeeper.spec``: ``DIST/circlekeeper/`` (one folder; on
   macOS also ``DIST/circlekeeper.app``).
3. On Linux, lays out ``circlekeeper-VERSION-linux-ARCH/`` with the bundle, the desktop entry,
   the icons (SVG and PNG sizes), the AppStream metainfo and ``install.sh``, and packs it as
   ``DIST/circlekeeper-VERSION-linux-ARCH.tar.gz``.
4. Prints the sizes: the bundle, the archive, and the largest parts of the bundle.

Windows' installer (``packaging/windows/circlekeeper.iss``) and macOS's disk image
(``packaging/macos/make_dmg.sh``) take the folder or the ``.app`` from step 2.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bundle_data  # noqa: E402

LINUX = HERE / "linux"


def compile_translations(root: Path = bundle_data.ROOT) -> list[Path]:
    """Turn each ``.ts`` under resources/ into the ``.qm`` the program loads; the .qm made."""
    sources = sorted((root / "resources").rglob("*.ts"))
    if not sources:
        return []
    tool = shutil.which(
        "pyside6-lrelease",
        path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    )
    if tool is None:
        raise SystemExit("pyside6-lrelease (from PySide6) is needed to compile the translations")
    from circlekeeper.ui.i18n import catalogue_name, with_any_context

    made = []
    for source in sources:
        # The same catalogue the program would compile on first use (every translation also
        # under the any-context entry), named so the program finds it beside the .ts.
        text = source.read_bytes()
        code = source.stem.rsplit("_", 1)[-1]
        target = source.with_name(catalogue_name(code, text))
        for old in source.parent.glob(f"{source.stem}*.qm"):
            old.unlink()
        with tempfile.TemporaryDirectory() as work:
            ts = Path(work) / source.name
            ts.write_bytes(with_any_context(text))
            subprocess.run([tool, str(ts), "-qm", str(target)], check=True, capture_output=True)
        made.append(target)
    return made


def run_pyinstaller(dist: Path, work: Path) -> Path:
    """Build the one-folder bundle into ``dist``; the folder made."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(HERE / "circlekeeper.spec"),
        ],
        check=True,
    )
    return dist / bundle_data.APP_NAME


def linux_tree(bundle: Path, target: Path) -> Path:
    """Lay out the folder the Linux tarball holds: bundle, desktop entry, icons, metainfo."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(bundle, target / bundle_data.APP_NAME, symlinks=True)
    share = target / "share"
    entry = f"{bundle_data.APP_ID}.desktop"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(LINUX / entry, share / "applications" / entry)
    (share / "metainfo").mkdir()
    metainfo = f"{bundle_data.APP_ID}.metainfo.xml"
    shutil.copy2(LINUX / metainfo, share / "metainfo" / metainfo)
    icons = share / "icons" / "hicolor"
    for size in bundle_data.ICON_SIZES:
        folder = icons / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copy2(bundle_data.icon_file(size), folder / f"{bundle_data.APP_NAME}.png")
    (icons / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(
        bundle_data.icon_svg(), icons / "scalable" / "apps" / f"{bundle_data.APP_NAME}.svg"
    )
    shutil.copy2(LINUX / "install.sh", target / "install.sh")
    (target / "install.sh").chmod(0o755)
    return target


def pack(tree: Path, archive: Path) -> Path:
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(tree, arcname=tree.name)
    return archive


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def largest_parts(bundle: Path, count: int = 12) -> list[tuple[int, str]]:
    """The biggest files and package folders inside the bundle, biggest first."""
    inside = bundle / "_internal"
    sizes = []
    for item in inside.iterdir():
        size = (
            folder_size(item)
            if item.is_dir()
            else (0 if item.is_symlink() else item.stat().st_size)
        )
        sizes.append((size, item.name))
    qt = inside / "PySide6" / "Qt"
    if qt.is_dir():
        for item in (qt / "lib").iterdir() if (qt / "lib").is_dir() else ():
            if item.is_file() and not item.is_symlink():
                sizes.append((item.stat().st_size, f"PySide6/Qt/lib/{item.name}"))
        for name in ("plugins", "translations"):
            if (qt / name).is_dir():
                sizes.append((folder_size(qt / name), f"PySide6/Qt/{name}"))
    return sorted(sizes, reverse=True)[:count]


def mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=bundle_data.ROOT / "dist")
    parser.add_argument("--work", type=Path, default=bundle_data.ROOT / "build" / "pyinstaller")
    parser.add_argument("--no-archive", action="store_true", help="build the folder only")
    args = parser.parse_args(argv)
    version = bundle_data.project_version()
    for made in compile_translations():
        print(f"translation: {made.relative_to(bundle_data.ROOT)}")
    bundle = run_pyinstaller(args.dist, args.work)
    print(f"bundle: {bundle} ({mb(folder_size(bundle))})")
    for size, name in largest_parts(bundle):
        print(f"  {mb(size):>9}  {name}")
    if bundle_data.platform_name() == "linux" and not args.no_archive:
        name = f"{bundle_data.APP_NAME}-{version}-linux-{platform.machine()}"
        tree = linux_tree(bundle, args.dist / name)
        archive = pack(tree, args.dist / f"{name}.tar.gz")
        print(f"archive: {archive} ({mb(archive.stat().st_size)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
