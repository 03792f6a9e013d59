"""Saving an exported report: the target checked first, the file written whole or not at all.

Every report format goes through here, so a bad path gets the same plain message from the
Reports area and the command line, and a failed export never leaves half a file behind (or
destroys the one that was there).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from circlekeeper.core.i18n import _
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.reports.model import Report
from circlekeeper.core.store.location import writable


def check_shareable(report: Report) -> None:
    """Refuse to put the internal view (nothing hidden) in a file or on paper.

    The internal view is for a counselor's or administrator's screen; a file or a printout
    leaves the office, and every one of them must hold the suppressed figures only.
    """
    if report.unsuppressed:
        raise InvalidInput(
            _(
                "The internal view, with nothing hidden, is for the screen "
                "only, so nothing was saved. Build the report without the "
                "internal view to save or print it."
            )
        )


def check_target(path: Path) -> Path:
    """The path to write, or :class:`InvalidInput` saying why a file cannot be written there."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise InvalidInput(
            _(
                "{path} is a folder. Give a file name, for example {value}.",
                path=path,
                value=path / "report",
            )
        )
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInput(
            _(
                "The folder {folder} does not exist. Nothing was saved; "
                "create it or choose another place.",
                folder=folder,
            )
        )
    # The database's rule: write bits count too, so "read-only" holds even for root.
    if not writable(folder) or (path.exists() and not writable(path)):
        raise InvalidInput(
            _(
                "Cannot write {path} (permission denied). Nothing was saved; "
                "choose a place you can write to.",
                path=path,
            )
        )
    return path


def write_whole(path: Path, write: Callable[[Path], None]) -> None:
    """Run ``write`` on a temporary file beside ``path`` and move it into place when complete."""
    path = check_target(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    temp = Path(name)
    try:
        write(temp)
        os.replace(temp, path)
    except OSError as exc:
        raise InvalidInput(
            _(
                "Cannot write {path} ({value}). Nothing was saved; choose a "
                "place you can write to, or close the file if another "
                "program has it open.",
                path=path,
                value=exc.strerror or exc,
            )
        ) from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
