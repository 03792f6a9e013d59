"""A realistic demonstration database, for trying circlekeeper and for measuring it.

``small`` is about one school year at one secondary school; ``large`` is about ten years of a
district, big enough to show whether lists, searches and reports stay quick. The database is
built beside the target through the real migrations, filled with bulk inserts straight into
SQLite (the ORM would take many minutes for the large one), and renamed into place only when
complete, so a cancelled or failed build leaves nothing behind.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from circlekeeper.core.demo.cases import Builder
from circlekeeper.core.demo.plan import SIZES, Cancelled, Plan, Progress
from circlekeeper.core.demo.writer import DemoCancelled, Writer
from circlekeeper.core.files import (
    place_without_overwriting,
    remove_leftovers,
    remove_with_journals,
    temporary_beside,
)
from circlekeeper.core.i18n import _
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.problems import DatabaseProblem, disk_problem

__all__ = ["DemoCancelled", "DemoSummary", "build_demo"]


@dataclass(frozen=True)
class DemoSummary:
    """What a demo build wrote, and how long it took."""

    path: Path
    size: str
    people: int
    cases: int
    circles: int
    participants: int
    agreements: int
    follow_ups: int
    seconds: float


BUILDING = ".building"


def build_demo(
    path: Path,
    size: str = "small",
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    seed: int = 7,
    today: date | None = None,
) -> DemoSummary:
    """Build a demo database at ``path`` (which must not exist yet) and say what went in.

    Raises :class:`InvalidInput` when the target exists or the size is unknown, and
    :class:`DemoCancelled` when ``cancelled()`` turns true; either way nothing is left behind.
    The same seed and day always give the same people, cases and circles.
    """
    began = time.perf_counter()
    path = Path(path).expanduser()
    plan = SIZES.get(size)
    if plan is None:
        raise InvalidInput(
            _(
                "Unknown demo size {size}; choose one of: {sizes}.",
                size=repr(size),
                sizes=", ".join(SIZES),
            )
        )
    if path.is_dir():
        raise InvalidInput(
            _(
                "{path} is a folder; give a file name for the demo, for example {file}.",
                path=path,
                file=path / "demo.sqlite3",
            )
        )
    if path.exists():
        raise InvalidInput(
            _(
                "{path} already exists; the demo will not overwrite it. Choose a new file name.",
                path=path,
            )
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(path, BUILDING)  # what an earlier build that was killed left behind
        temporary = temporary_beside(path, BUILDING)
    except OSError as exc:
        raise disk_problem(exc, f"The demo could not be written to {path}") or InvalidInput(
            _(
                "The demo could not be written to {path} ({strerror}). "
                "Choose a folder you can write to.",
                path=path,
                strerror=exc.strerror or exc,
            )
        ) from exc
    try:
        database = open_database(temporary)
        try:
            SettingsService(database.sessions).save(
                SchoolSettings(
                    school_name=plan.schools[0][0]
                    if len(plan.schools) == 1
                    else "Riverbend Unified School District",
                    school_address="1450 Cedar Ridge Road, Riverbend, WA 98000",
                )
            )
        finally:
            database.close()
        counts = _fill(temporary, plan, seed, today or date.today(), progress, cancelled)
        try:
            place_without_overwriting(temporary, path)
        except FileExistsError:
            raise InvalidInput(
                _(
                    "{path} already exists (it appeared while this demo was being built, perhaps "
                    "by another build); it was left as it is. Choose a new file name.",
                    path=path,
                )
            ) from None
    except (sqlite3.Error, OSError, DatabaseProblem) as exc:
        remove_with_journals(temporary)
        # The engine has already put a refused write in words; say it about the demo instead.
        cause = exc.__cause__ if isinstance(exc, DatabaseProblem) else exc
        problem = disk_problem(cause or exc, f"The demo could not be written to {path}")
        if problem is None:
            raise
        raise problem from exc
    except BaseException:
        remove_with_journals(temporary)
        raise
    return DemoSummary(
        path=path,
        size=size,
        people=counts["person"],
        cases=counts["case_file"],
        circles=counts["circle"],
        participants=counts["participant"],
        agreements=counts["agreement"],
        follow_ups=counts["follow_up"],
        seconds=round(time.perf_counter() - began, 2),
    )


def _fill(
    path: Path,
    plan: Plan,
    seed: int,
    today: date,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> dict[str, int]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # The file is private to this build until renamed, so durability can wait for the end.
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA cache_size=-200000")
        conn.execute("BEGIN")
        writer = Writer(conn, cancelled)
        builder = Builder(plan, writer, seed, today)
        builder.incident_types = dict(conn.execute("SELECT key, id FROM incident_type").fetchall())
        people = plan.students + plan.staff_per_school * len(plan.schools) + plan.community
        total = people + plan.cases + plan.circles
        done = 0

        def tick(amount: int) -> None:
            nonlocal done
            done = min(total, done + amount)
            writer.check()
            if progress is not None:
                progress(done, total)

        builder.build_people(tick)
        builder.build_cases(tick)
        # Guardians came on top of the planned people; count them as part of that step.
        done = plan.students + plan.staff_per_school * len(plan.schools) + plan.community
        done += plan.cases + writer.counts["circle"]
        tick(0)
        writer.flush_all()
        builder.build_proactive(max(0, plan.circles - writer.counts["circle"]), tick)
        writer.flush_all()
        from circlekeeper.core.demo.evaluation import add_evaluation

        writer.counts.update(add_evaluation(conn, seed))
        builder.build_sro_log(conn)
        writer.check()
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode=WAL")
        if progress is not None:
            progress(total, total)
        return dict(writer.counts)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
