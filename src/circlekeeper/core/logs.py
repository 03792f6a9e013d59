"""The log file: what went wrong and where, never what a record says.

IT staff read ``circlekeeper.log`` (in the platform's log folder, ``core.paths.log_dir``) to
find out why something failed, so it keeps the exception class, the SQL statement and the
traceback's frames. It never keeps the values a
statement carried (a private note's text, names, demographics): engines are made with
``hide_parameters=True`` (``store/engine.py``), and :class:`RecordSafeFormatter` is the second
net, cutting ``[parameters: ...]`` and quoted literals out of anything that reaches the file. The
file is 0600 in a 0700 folder and rotates: at most ``MAX_BYTES`` x (``BACKUP_COUNT`` + 1).
"""

from __future__ import annotations

import logging
import re
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any, cast

from circlekeeper.core.files import private_file, private_folder, private_opener

LOG_FILENAME = "circlekeeper.log"
MAX_BYTES = 1024 * 1024
BACKUP_COUNT = 3
HIDDEN = "[values hidden]"

# SQLAlchemy's StatementError text: "... [SQL: <statement>] [parameters: <values>] (Background...".
_PARAMETERS = re.compile(r"\[(?:SQL )?parameters: [^\n]*")
_SQL_BLOCK = re.compile(r"\[SQL: (?P<sql>.*?)\](?=\s*(?:\n\[|\n\(Background|\n|$))", re.S)
_LITERAL = re.compile(r"'(?:[^']|'')*'")


def scrub(text: str) -> str:
    """Text with the values of SQL statements taken out; the statements themselves stay."""
    if "[SQL" not in text and "parameters:" not in text:
        return text
    text = _PARAMETERS.sub(f"[parameters: {HIDDEN}]", text)
    return _SQL_BLOCK.sub(lambda m: f"[SQL: {_LITERAL.sub('?', m['sql'])}]", text)


class RecordSafeFormatter(logging.Formatter):
    """A formatter that never writes a statement's values, whatever the exception says."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's own name
        return scrub(super().formatException(ei))


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A size-capped, rotating log whose files only this account can read (0600 on POSIX)."""

    def _open(self) -> TextIOWrapper:
        stream = open(  # noqa: SIM115 - logging keeps the stream open
            self.baseFilename,
            self.mode,
            encoding=self.encoding,
            errors=self.errors,
            opener=private_opener,
        )
        private_file(Path(self.baseFilename))
        return cast(TextIOWrapper, stream)


def log_folder(home: Path) -> Path:
    """The log folder inside a given data folder (``CIRCLEKEEPER_HOME`` and tests)."""
    return home / "logs"


def setup_logging(home: Path | None = None) -> Path | None:
    """Send this process's log to ``circlekeeper.log`` in the platform's log folder; once only.

    The folder is ``core.paths.log_dir()`` (``logs/`` in ``home`` when one is given). The
    command line and the desktop app both call this, so both get the same rotating, private,
    value-free log. Returns the log file, or None when it cannot be written (the program then
    runs without a log rather than not at all).
    """
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, PrivateRotatingFileHandler):
            return Path(handler.baseFilename)
    try:
        if home is None:
            from circlekeeper.core.paths import data_home, log_dir

            folder = log_dir()
            if folder.parent == data_home():  # CIRCLEKEEPER_HOME: logs/ in the data folder
                private_folder(folder.parent)
            # Folders made on the way are 0700; one that was there (~/Library/Logs) is left.
            folder = private_folder(folder)
        else:
            private_folder(home)
            folder = private_folder(log_folder(home))
        logfile = folder / LOG_FILENAME
        for old in folder.glob(f"{LOG_FILENAME}*"):
            private_file(old)
        handler = PrivateRotatingFileHandler(
            logfile, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
        )
    except OSError:
        return None
    handler.setFormatter(RecordSafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return logfile
