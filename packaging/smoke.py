"""Start-up checks for a built bundle, the same on every system (CI and the tests use them).

    python packaging/smoke.py dist/circlekeeper

Runs the bundled program (not Python) with a home folder of its own: ``--version``, a demo
database, ``--self-test`` on it (the window paints offscreen and the data loads), a bilingual
PDF of a repair agreement, and encrypting the demo and opening it with its passphrase (the
bundled SQLCipher). Exits non-zero, saying which check failed, if any does.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

PASSPHRASE = "calm-circle-2026"


def program(bundle: Path) -> Path:
    """The bundle's command-line program (on Windows the console one, which prints)."""
    if sys.platform.startswith("win"):
        return bundle / "circlekeeper-cli.exe"
    return bundle / "circlekeeper"


class Bundle:
    """Runs one bundle's program with a private home folder, offscreen."""

    def __init__(self, bundle: Path, home: Path) -> None:
        self.program = program(bundle)
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        self.demo = home / "demo.sqlite3"

    def run(self, *args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess[str]:
        environment = {
            key: value
            for key, value in os.environ.items()
            # The bundle must work without the build's Python on any path.
            if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
        }
        environment.update(CIRCLEKEEPER_HOME=str(self.home), QT_QPA_PLATFORM="offscreen", **env)
        return subprocess.run(
            [str(self.program), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=environment,
            stdin=subprocess.DEVNULL,
            cwd=self.home,
        )

    def version(self) -> subprocess.CompletedProcess[str]:
        return self.run("--version")

    def make_demo(self) -> subprocess.CompletedProcess[str]:
        return self.run("demo", "--database", str(self.demo))

    def self_test(
        self, database: Path | None = None, **env: str
    ) -> subprocess.CompletedProcess[str]:
        return self.run("--database", str(database or self.demo), "--self-test", **env)

    def first_agreement(self) -> int:
        with sqlite3.connect(self.demo) as connection:
            (number,) = connection.execute("SELECT min(id) FROM agreement").fetchone()
        return int(number)

    def agreement_pdf(self, output: Path) -> subprocess.CompletedProcess[str]:
        return self.run(
            "export", "agreement", str(self.first_agreement()), "--lang", "en+es",
            "--database", str(self.demo), "-o", str(output),
        )  # fmt: skip

    def encrypt_copy(self, target: Path) -> subprocess.CompletedProcess[str]:
        target.write_bytes(self.demo.read_bytes())
        return self.run(
            "db", "encrypt", "--database", str(target), CIRCLEKEEPER_NEW_PASSPHRASE=PASSPHRASE
        )

    def check_encrypted(
        self, target: Path, passphrase: str = PASSPHRASE
    ) -> subprocess.CompletedProcess[str]:
        return self.run(
            "db", "check", "--database", str(target), CIRCLEKEEPER_PASSPHRASE=passphrase
        )


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="circlekeeper-smoke-") as folder:
        bundle = Bundle(Path(argv[0]), Path(folder) / "home")
        encrypted = bundle.home / "encrypted.sqlite3"
        pdf = bundle.home / "agreement.pdf"
        checks = [
            ("--version", bundle.version),
            ("demo database", bundle.make_demo),
            ("--self-test", bundle.self_test),
            ("agreement PDF", lambda: bundle.agreement_pdf(pdf)),
            ("encrypt", lambda: bundle.encrypt_copy(encrypted)),
            ("open encrypted", lambda: bundle.check_encrypted(encrypted)),
            ("--self-test encrypted", lambda: bundle.self_test(
                encrypted, CIRCLEKEEPER_PASSPHRASE=PASSPHRASE)),
        ]  # fmt: skip
        for name, check in checks:
            result = check()
            print(f"{name}: exit {result.returncode}\n{result.stdout.strip()}")
            if result.returncode != 0:
                print(f"FAILED: {name}\n{result.stderr}", file=sys.stderr)
                return 1
        if not pdf.read_bytes().startswith(b"%PDF"):
            print("FAILED: the agreement is not a PDF", file=sys.stderr)
            return 1
    print("all bundle checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
