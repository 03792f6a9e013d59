"""Opening another laptop's database to merge it: checked first, and never changed.

The source must be a circlekeeper file at this release's schema, other than the target. It is
read with the standard checks (``core/store/database.py``) before anything opens it for real,
so a file that is refused is left exactly as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

from circlekeeper.core.i18n import _
from circlekeeper.core.store.addresses import is_server_url
from circlekeeper.core.store.database import (
    Database,
    SchemaState,
    inspect_schema,
    open_database,
    quick_check,
)
from circlekeeper.core.store.problems import DatabaseProblem, integrity_summary


def same_file(one: Path, other: Path) -> bool:
    """Whether two paths name one file (a link, another spelling of the path)."""
    try:
        return os.path.samefile(one, other)
    except OSError:
        return one.resolve() == other.resolve()


def open_source(source: Path | str, target: Database, passphrase: str | None = None) -> Database:
    """Open the database to merge from, read-only in spirit: refused in plain words if it is not
    a circlekeeper file, is from a newer (or older) release, or is the target itself."""
    if is_server_url(source):
        raise DatabaseProblem(
            _(
                "The database to merge from must be a laptop's file, not a "
                "server. Nothing was changed. Copy the laptop's database "
                "file and merge that file."
            )
        )
    path = Path(source).expanduser()
    if not path.exists():
        raise DatabaseProblem(
            _(
                "{path} does not exist, so there is nothing to merge. Nothing "
                "was changed. Check the file name.",
                path=path,
            )
        )
    if target.path is not None and same_file(path, target.path):
        raise DatabaseProblem(
            _(
                "{path} is the database being merged into: a database cannot "
                "be merged into itself. Nothing was changed. Choose the other "
                "laptop's file.",
                path=path,
            )
        )
    state = inspect_schema(path, passphrase)
    if state.state is SchemaState.NEWER:
        raise DatabaseProblem(
            _(
                "{path} was made by a newer version of circlekeeper (schema "
                "{revision}), so this version cannot merge it safely. Nothing "
                "was changed. Install the newer circlekeeper here first.",
                path=path,
                revision=state.revision,
            )
        )
    if state.state is SchemaState.OUTDATED:
        raise DatabaseProblem(
            _(
                "{path} was made by an older circlekeeper. Nothing was "
                "changed. Open it once with this version on its laptop (or run "
                "'circlekeeper db upgrade --database {path}'), then merge it.",
                path=path,
            )
        )
    if state.state in (SchemaState.EMPTY, SchemaState.MISSING):
        raise DatabaseProblem(
            _(
                "{path} holds no circlekeeper records, so there is nothing to "
                "merge. Nothing was changed.",
                path=path,
            )
        )
    problems = quick_check(path, passphrase)
    if problems != ["ok"]:
        raise DatabaseProblem(
            _(
                "{path} is damaged ({what}), so it was not merged. Nothing was "
                "changed. Merge the laptop's newest good backup instead.",
                path=path,
                what=integrity_summary(problems),
            )
        )
    return open_database(path, passphrase=passphrase, migrate=False, create=False, check=False)
