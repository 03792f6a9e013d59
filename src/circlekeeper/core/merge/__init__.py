"""Merging another laptop's database into this one (a file, or the district's server).

:func:`preview_merge` says exactly what :func:`merge_database` would do and writes nothing;
:func:`merge_database` does it in one transaction on the target, so a merge that is killed
leaves the target as it was. Merging the same file twice changes nothing the second time.
See :mod:`.plan` for how records are matched and conflicts decided, :mod:`.apply` for how
they are written, :mod:`.report` for what is said about it.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from circlekeeper.core.merge.apply import apply_plan, hold_for_merge
from circlekeeper.core.merge.plan import (
    KEEP_CHOICES,
    KEEP_NEWER,
    KEEP_OTHER,
    KEEP_THIS,
    MergePlan,
    build_plan,
)
from circlekeeper.core.merge.report import MergeReport
from circlekeeper.core.merge.source import open_source
from circlekeeper.core.operations import Context
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.schema_version import KEPT_BY_TRIGGERS
from circlekeeper.core.store.server import patient_with_a_busy_server

log = logging.getLogger(__name__)

__all__ = [
    "KEEP_CHOICES",
    "KEEP_NEWER",
    "KEEP_OTHER",
    "KEEP_THIS",
    "MergeReport",
    "merge_database",
    "open_source",
    "preview_merge",
]


def _plan(source: Database, target_session: Session, name: str, keep: str) -> MergePlan:
    with source.sessions() as source_session:
        return build_plan(source_session, target_session, name, keep)


def _name(source: Database) -> str:
    return str(source.path) if source.path is not None else source.location


def preview_merge(
    ctx: Context, source: Database, target: str, keep: str = KEEP_NEWER
) -> MergeReport:
    """What merging ``source`` into the context's database would change; nothing is written."""
    ctx.viewer().check_merges()
    with ctx.read() as session:
        plan = _plan(source, session, _name(source), keep)
    return MergeReport.of(plan, target, applied=False)


def merge_database(
    ctx: Context, source: Database, target: str, keep: str = KEEP_NEWER
) -> MergeReport:
    """Merge ``source`` into the context's database, all in one transaction, and say what
    changed; a merge that finds nothing new writes nothing. ``keep`` says which change a
    record edited on both sides keeps (:data:`KEEP_CHOICES`; the newer one by default)."""
    ctx.viewer().check_merges()
    with ctx.write("merge a laptop's database") as session, patient_with_a_busy_server(session):
        hold_for_merge(session)
        plan = _plan(source, session, _name(source), keep)
        if plan.changes_anything:
            apply_plan(session, plan)
    if plan.changes_anything:
        _refresh_statistics(ctx, sorted({row.table for row in plan.inserts}))
    return MergeReport.of(plan, target, applied=plan.changes_anything)


def _refresh_statistics(ctx: Context, tables: list[str]) -> None:
    """Have a server plan and read the rows just merged in well, at once.

    PostgreSQL plans from statistics its autovacuum refreshes a minute or more after a big
    change; until then a laptop of ten years, just merged, is planned as the empty tables it
    went into (a student list took ten minutes instead of a fifth of a second). And until a
    table is vacuumed its visibility map is empty, so a walk of an index that holds every
    column it needs (the people search's lists) still reads each row from the table. So the
    tables written, and the search lists their triggers filled (``KEPT_BY_TRIGGERS``: the
    merge never names them, yet a one-letter people search counted in 60-135 ms without their
    statistics instead of about one), get ``VACUUM (ANALYZE)``: seconds for the largest demo,
    each committed on its own (VACUUM runs outside a transaction); a role that does not own
    a table is skipped by the server with a warning. The merge is saved before this: a
    failure here is logged, never reported as the merge's. A file plans without statistics.
    """
    with ctx.read() as session:
        engine = session.get_bind().engine
    if engine.dialect.name != "postgresql":
        return
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in [*tables, *KEPT_BY_TRIGGERS]:
                connection.execute(text(f'VACUUM (ANALYZE) "{table}"'))
    except SQLAlchemyError:
        log.warning("Refreshing the server's statistics after a merge failed", exc_info=True)
