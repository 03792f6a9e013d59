"""What people wait for, on a district's ten years: one command, medians and ratios.

Run: ``.venv/bin/python benchmarks/run.py [--quick] [--runs N] [--database PATH] [--data DIR]``

- ``--quick``: the small demo (one school year) instead of the large one; a minute or two.
- ``--runs N``: start-up runs of each kind, interleaved (default 5).
- ``--database PATH``: measure this demo database instead of building one (it is upgraded to
  the current schema first; an encrypted copy is made beside it once, for the encrypted start).
- ``--database postgresql+psycopg://...``: a district server (a throwaway database the run may
  write into): the demo parts run on the cached file; the record views (open a case, a
  student's history, Today, the people search, Ctrl+K's query) run again on this server,
  holding the same demo (merged in with ``db merge`` when the database is empty), reported as
  ``…_postgresql``;
  and the concurrency part (20 keepers at once, ``bench_concurrency.py``) runs there too.
  Without a URL, when PostgreSQL is installed, the record views run on a durable cluster kept
  beside the cached demos (``pg-large``; loaded the first time only, which takes a while for
  the large demo) and the concurrency part on a throwaway one (``--no-server`` skips both).
- ``--merge-laptops N`` (``--merge-into URL``): also merge N small demo laptops into one
  PostgreSQL database, a throwaway cluster unless a URL is given (``bench_merge.py``).
- ``--data DIR``: where built demos are cached (default ``$CIRCLEKEEPER_BENCH_DATA`` or
  ``~/.cache/circlekeeper-bench``), outside the repository. Building the large demo takes
  several minutes on a 2-core laptop, so it is built once, cached there, and reused.

Each measure prints one line ``BENCH <name> p50_ms=<n> p95_ms=<n> p99_ms=<n> goal_ms=<n>``
(``ratio=<n> goal=<n>`` for ratios, ``peak_mib=<n> goal_mib=<n>`` for memory), then a table.
Start-up is measured beside a bare PySide6 window process in the same run (and beside the least a
start that paints and loads SQLAlchemy's models can take, ``START_FLOOR``), and the floors (a
bare commit with synchronous=FULL in WAL, an indexed lookup) beside the figures they bound.
Speed goals live here, never in tests. Ctrl+K is measured as the person sees it: a key typed
into the real field, until its results are painted (the 120 ms typing pause, which waits for
the next key, is left out).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
# What the Ctrl+K measures type, a letter at a time.
CTRL_K_WORDS = ("maria gonzalez", "nguyen", "s", "bleacher", "okafor", "repair", "jose nunez")
PASSPHRASE = "benchmark passphrase"
results: list[tuple[str, str, str]] = []  # name, figure, goal

BARE_WINDOW = """
import sys, time
from circlekeeper.clock import ms_since_process_start
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1100, 720)
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(f"first_paint_ms={ms_since_process_start()}", flush=True)
            w.removeEventFilter(self); QTimer.singleShot(0, app.quit)
        return False
watch = Watch(); w.installEventFilter(watch); w.show(); app.exec()
"""

# The least any start that paints with PySide6 and reads with SQLAlchemy's ORM can take: the
# bare window, then (collector off and frozen after, and later imports spared PySide's reading
# of their source, as the app's start has it) the data layer imported and the models mapped
# and configured, and nothing else. The self-test cannot go below it.
START_FLOOR = BARE_WINDOW.replace(
    "QTimer.singleShot(0, app.quit)", "QTimer.singleShot(0, data)"
).replace(
    "watch = Watch()",
    """import gc
gc.disable()
from circlekeeper.ui.pyside_imports import import_plainly
import_plainly()
def data():
    import circlekeeper.core.store.database
    import circlekeeper.core.store.models
    from sqlalchemy.orm import configure_mappers
    configure_mappers()
    print(f"data_ready_ms={ms_since_process_start()}", flush=True)
    gc.freeze()
    app.quit()
watch = Watch()""",
)

ROSTER = """
import resource, sys, time
from pathlib import Path
from circlekeeper.core.store.database import open_database
from circlekeeper.core.roster.commands import import_roster
from circlekeeper.core.roster.queries import compare
from circlekeeper.core.roster.reading import read_roster
db = open_database(Path(sys.argv[1]))
start = time.perf_counter()
result = import_roster(db.sessions, read_roster(Path(sys.argv[2])))
seconds = time.perf_counter() - start
# The re-import's review: the same file read again and compared field by field.
start = time.perf_counter()
plan = compare(db.sessions, read_roster(Path(sys.argv[2])))
preview = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"created={result.created} seconds={seconds:.1f} preview_seconds={preview:.1f} "
      f"unchanged={plan.unchanged} peak_mib={peak:.0f}")
"""


def _pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def report_times(name: str, values: list[float], goal_ms: float, *, key: str = "p95") -> None:
    p50, p95, p99 = statistics.median(values), _pct(values, 0.95), _pct(values, 0.99)
    print(
        f"BENCH {name} p50_ms={p50:.2f} p95_ms={p95:.2f} p99_ms={p99:.2f} goal_ms={goal_ms:g}",
        flush=True,
    )
    figure = {"p50": p50, "p95": p95, "p99": p99}[key]
    results.append((name, f"{key} {figure:.2f} ms", f"{key} <= {goal_ms:g} ms"))


def report_ratio(name: str, ratio: float, goal: float, detail: str = "") -> None:
    print(f"BENCH {name} ratio={ratio:.2f} goal={goal:g}{detail}", flush=True)
    results.append((name, f"{ratio:.2f}x", f"<= {goal:g}x"))


def _env(home: Path, **extra: str) -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", CIRCLEKEEPER_HOME=str(home), **extra)


def _cli(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "circlekeeper", *args],
        capture_output=True,
        text=True,
        env=_env(home, **env),
    )
    if done.returncode != 0:  # the program's own words, not only its exit status
        raise SystemExit(
            f"circlekeeper {' '.join(args[:2])} failed ({done.returncode}):\n"
            f"{done.stderr.strip() or done.stdout.strip()}"
        )
    return done


def prepare(args: argparse.Namespace) -> tuple[Path, Path, Path]:
    """The demo to measure (built once and cached), its encrypted twin, and a home folder."""
    data = Path(
        args.data or os.environ.get("CIRCLEKEEPER_BENCH_DATA") or "~/.cache/circlekeeper-bench"
    ).expanduser()
    data.mkdir(parents=True, exist_ok=True)
    home = data / "home"
    size = "small" if args.quick else "large"
    plain = Path(args.database).expanduser() if args.database else data / f"{size}.sqlite3"
    if not plain.exists():
        print(f"building the {size} demo once into {plain} (cached for later runs)…", flush=True)
        start = time.perf_counter()
        _cli(home, "demo", "--size", size, "--database", str(plain))
        print(f"  built in {time.perf_counter() - start:.0f} s", flush=True)
    # Bring an older copy up to the current schema once, so no run times a migration.
    _cli(home, "db", "upgrade", "--database", str(plain))
    encrypted = plain.with_name(f"{plain.stem}-encrypted.sqlite3")
    if not encrypted.exists() or encrypted.stat().st_mtime < plain.stat().st_mtime:
        print(f"making an encrypted copy once: {encrypted}…", flush=True)
        from circlekeeper.core.store.database import backup_database
        from circlekeeper.core.store.encryption import encrypt_database

        encrypted.unlink(missing_ok=True)
        backup_database(plain, encrypted)
        encrypt_database(encrypted, PASSPHRASE, backups=False)
    return plain, encrypted, home


def as_installed() -> None:
    """Give the program its bytecode, as every copy a school runs has it.

    pip compiles a wheel's modules as it installs them, and the Linux bundle carries them
    compiled; a checkout run where ``PYTHONDONTWRITEBYTECODE`` is set (as on the benchmark
    machine) would otherwise compile ~75 modules afresh at every start (about 40 ms of the
    first paint) and measure the checkout instead of the program. Writes ``__pycache__``
    beside the sources (ignored by git); a copy already compiled is left as it is.
    """
    import compileall

    import circlekeeper

    compileall.compile_dir(Path(circlekeeper.__file__).parent, quiet=1)


def startup(plain: Path, encrypted: Path, home: Path, runs: int) -> None:
    def timed(cmd: list[str], **env: str) -> tuple[float, dict[str, int]]:
        start = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, env=_env(home, **env))
        wall = (time.perf_counter() - start) * 1000
        if out.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stderr}")
        pairs = (ln.split("=", 1) for ln in out.stdout.split() if "=" in ln)
        return wall, {k: int(v) for k, v in pairs}

    app = [sys.executable, "-m", "circlekeeper", "--self-test", "--database"]
    as_installed()
    figures: dict[str, list[float]] = {}
    for _ in range(runs):  # interleaved, so machine noise hits all alike
        for name, cmd, env in (
            ("bare", [sys.executable, "-c", BARE_WINDOW], {}),
            ("floor", [sys.executable, "-c", START_FLOOR], {}),
            ("plain", [*app, str(plain)], {}),
            ("encrypted", [*app, str(encrypted)], {"CIRCLEKEEPER_PASSPHRASE": PASSPHRASE}),
        ):
            wall, fig = timed(cmd, **env)
            figures.setdefault(f"{name}_whole", []).append(wall)
            figures.setdefault(f"{name}_paint", []).append(fig["first_paint_ms"])
            if "data_ready_ms" in fig:
                figures.setdefault(f"{name}_ready", []).append(fig["data_ready_ms"])
    med = {k: statistics.median(v) for k, v in figures.items()}
    detail = (
        f" bare_ms={med['bare_whole']:.0f} self_test_ms={med['plain_whole']:.0f}"
        f" data_ready_ms={med['plain_ready']:.0f}"
    )
    report_ratio("self_test_whole_vs_bare", med["plain_whole"] / med["bare_whole"], 3, detail)
    # What the goal above leaves once the window and the data layer alone are paid for.
    report_ratio(
        "floor_start_whole_vs_bare",
        med["floor_whole"] / med["bare_whole"],
        3,
        f" floor_ms={med['floor_whole']:.0f} floor_data_ready_ms={med['floor_ready']:.0f}",
    )
    report_ratio(
        "first_paint_vs_bare",
        med["plain_paint"] / med["bare_paint"],
        1.3,
        f" bare_ms={med['bare_paint']:.0f} app_ms={med['plain_paint']:.0f}",
    )
    report_ratio(
        "encrypted_start_vs_plain",
        med["encrypted_whole"] / med["plain_whole"],
        1.2,
        f" encrypted_ms={med['encrypted_whole']:.0f} plain_ms={med['plain_whole']:.0f}",
    )


def floors(plain: Path) -> None:
    """What no figure can beat: a durable commit, and a lookup through an index."""
    import sqlite3

    with tempfile.TemporaryDirectory() as folder:
        conn = sqlite3.connect(Path(folder) / "floor.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        conn.execute("INSERT INTO t VALUES (1, '')")
        times = []
        for n in range(200):
            start = time.perf_counter()
            conn.execute("BEGIN")
            conn.execute("UPDATE t SET v = ? WHERE id = 1", (str(n),))
            conn.execute("COMMIT")
            times.append((time.perf_counter() - start) * 1000)
        conn.close()
    report_times("floor_bare_commit", times, 16, key="p50")
    conn = sqlite3.connect(f"{plain.resolve().as_uri()}?mode=ro", uri=True)
    top = conn.execute("SELECT max(id) FROM participant").fetchone()[0]
    rng = random.Random(1)
    times = []
    for _ in range(500):
        start = time.perf_counter()
        conn.execute(
            "SELECT id, role FROM participant WHERE person_id = ?", (rng.randint(1, top),)
        ).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    conn.close()
    report_times("floor_indexed_lookup", times, 5, key="p50")


def _timed(work: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return times


def queries(plain: Path | str, on: str = "") -> None:
    """Open a case, a student's history, Today, the people search and Ctrl+K's query (core, per
    key) on ``plain`` (a file, or
    a server's URL; ``on`` names the engine in the figures' names, "" for the file)."""
    from datetime import datetime

    from sqlalchemy import text

    from circlekeeper.core.cases.commands import CaseService
    from circlekeeper.core.people.people import PeopleService
    from circlekeeper.core.people.story import person_story
    from circlekeeper.core.store.database import open_database
    from circlekeeper.core.today.today import today_view

    db = open_database(plain)
    rng = random.Random(7)
    with db.sessions() as session:
        cases = list(session.scalars(text("SELECT id FROM case_file")))
        students = list(
            # Students (a facilitator's page lists every circle they kept, a different measure).
            session.scalars(
                text(
                    "SELECT DISTINCT participant.person_id FROM participant JOIN person"
                    " ON person.id = participant.person_id WHERE person.kind = 'student'"
                    " LIMIT 20000"
                )
            )
        )
    cases_service = CaseService(db.sessions)
    # The same 100 cases and students, read once to warm the page cache, then measured: the
    # figure is the query's cost, not the disk's (a cold read is a disk seek on any schema).
    some_cases = [rng.choice(cases) for _ in range(100)]
    some_students = [rng.choice(students) for _ in range(100)]
    for case_id in some_cases:
        cases_service.detail(case_id)
    for person_id in some_students:
        person_story(db.sessions, person_id)
    picked = iter(some_cases * 2)
    report_times(
        f"open_case{on}", _timed(lambda: cases_service.detail(next(picked)), 200), 5, key="p50"
    )
    chosen = iter(some_students * 2)
    # The student page's one read (core/people/story.py): every section for one person.
    report_times(
        f"student_history{on}",
        _timed(lambda: person_story(db.sessions, next(chosen)), 200),
        5,
        key="p50",
    )
    now = datetime.now().astimezone()
    report_times(
        f"today_build{on}",
        _timed(lambda: today_view(db.sessions, now.date(), now), 30),
        20,
        key="p50",
    )
    from circlekeeper.ui.people.model import PeopleTableModel

    directory = PeopleTableModel(PeopleService(db.sessions))
    typed = ["m", "ma", "mar", "mari", "maria", "ng", "ngu", "nguy", "jos", "jose"]
    typed += ["o", "ok", "oka", "okaf", "zz", "smi", "q", "qu", "s", "so"]
    # The first pass of a process also compiles each shape of statement once (the first key
    # ~27 ms on the large demo), as the other views are read once before they are measured:
    # it is reported on its own line, and the goal is read on the passes after it.
    first, times = [], []
    for measured in (first, *[times] * 5):
        for prefix in typed:  # what the directory's model reads per key: the first page, and
            start = time.perf_counter()  # the count when the page came full
            directory.set_query(prefix)
            measured.append((time.perf_counter() - start) * 1000)
    report_times(f"people_search_first_pass{on}", first, 2)
    report_times(f"people_search_as_you_type{on}", times, 2)
    # Ctrl+K's query per key (core, without the popup: ctrl_k_keystroke_to_paint times the
    # popup on the file), on each engine, for the keys the popup's measure types.
    from circlekeeper.core.operations import Context
    from circlekeeper.core.search.search import everywhere

    context = Context(db.sessions, actor="Benchmark")
    keys = [w[:n] for w in CTRL_K_WORDS for n in range(1, len(w) + 1)]
    for key in keys:  # read once, as the views above are
        everywhere(context, key)
    typing = iter(keys * 2)
    times = _timed(lambda: everywhere(context, next(typing)), len(keys) * 2)
    report_times(f"ctrl_k_query{on}", times, 30)
    db.close()


def _wait_for_paint(app: object, widget: object, after: float, marks: list[float]) -> None:
    deadline = time.perf_counter() + 5
    while not any(m >= after for m in marks) and time.perf_counter() < deadline:
        app.processEvents()  # type: ignore[attr-defined]


def gui(plain: Path, actions: int) -> None:
    from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from circlekeeper.core.circles.commands import CirclePlanner
    from circlekeeper.core.circles.rows import CirclePlan
    from circlekeeper.core.people.people import PeopleService
    from circlekeeper.core.store.database import open_database
    from circlekeeper.ui.live.facilitator import FacilitatorWindow
    from circlekeeper.ui.search.popup import SearchPopup
    from circlekeeper.ui.style import apply_calm_style

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_calm_style(app)  # type: ignore[arg-type]
    db = open_database(plain)
    db.require_sound()  # as the app does on its worker, before anything is typed

    class Paints(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.marks: list[float] = []

        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.marks.append(time.perf_counter())
            return False

    # Ctrl+K: each key typed into the real field, until its results are painted.
    popup = SearchPopup(db)
    popup.resize(640, 520)
    popup.popup()
    paints = Paints()
    popup.results.viewport().installEventFilter(paints)
    app.processEvents()
    times = []
    for word in CTRL_K_WORDS:
        popup.field.clear()
        app.processEvents()
        for char in word:
            start = time.perf_counter()
            QTest.keyClick(popup.field, char)
            popup.search_in_background()  # the typing pause has passed
            while popup.searching:
                # Wait as the program's event loop waits (asleep until the worker's answer or
                # a timer arrives): a loop spinning here took the interpreter's lock from the
                # worker doing the search, about 7 ms of every keystroke the app never pays.
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            done = time.perf_counter()
            _wait_for_paint(app, popup, done, paints.marks)
            times.append((max([m for m in paints.marks if m >= done] or [done]) - start) * 1000)
    popup.close()
    report_times("ctrl_k_keystroke_to_paint", times, 30)

    # The facilitator window: a key press, committed (synchronous=FULL) and painted.
    sys.path.insert(0, str(HERE))
    from bench_facilitation import signed_in_as_the_app_is

    signed_in_as_the_app_is(db)
    people = PeopleService(db.sessions).search("", limit=20)
    planner = CirclePlanner(db.sessions)
    cid = planner.plan(
        CirclePlan(
            kind="community_building",
            script_key="community_building",
            facilitator_id=people[0].id,
        )
    ).id
    for row in people[1:]:
        planner.add_participant(cid, row.id)
    window = FacilitatorWindow(db, cid)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    app.processEvents()
    script = window.script
    while not script.stages[window.state.stage_index].has_round:  # type: ignore[union-attr]
        QTest.keyClick(window, Qt.Key.Key_PageDown)
    app.processEvents()
    times = []
    for n in range(actions):
        key = (
            Qt.Key.Key_Backspace
            if n % 10 == 9
            else Qt.Key.Key_P
            if n % 5 == 2
            else Qt.Key.Key_Space
        )
        start = time.perf_counter()
        QTest.keyClick(window, key)
        app.processEvents()  # the ring and labels repaint here
        times.append((time.perf_counter() - start) * 1000)
    window.close()
    db.close()
    report_times("facilitator_key_to_paint", times, 16, key="p99")


def roster(home: Path, rows: int) -> None:
    """Import a district's roster into a new database in a child process; its peak memory."""
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "roster.csv"
        with csv_path.open("w", encoding="utf-8") as out:
            # A PowerSchool export: pre-K as -1, compact dates, guardian phone and email.
            out.write(
                "Student_Number,First_Name,Last_Name,Grade_Level,DOB,Mother,Home_Phone,"
                "GuardianEmail\n"
            )
            for n in range(rows):
                out.write(
                    f"S{n:06d},First{n},Last{n % 997},{n % 14 - 1},2012{1 + n % 12:02d}"
                    f"{1 + n % 28:02d},Parent{n} Last{n},555-{n:07d},p{n}@example.org\n"
                )
        result = subprocess.run(
            [sys.executable, "-c", ROSTER, str(Path(folder) / "r.sqlite3"), str(csv_path)],
            capture_output=True,
            text=True,
            env=_env(home),
        )
    if result.returncode != 0:
        raise SystemExit(f"roster import failed:\n{result.stderr}")
    figures = dict(pair.split("=", 1) for pair in result.stdout.split())
    print(
        f"BENCH roster_import_{rows // 1000}k peak_mib={figures['peak_mib']} goal_mib=200 "
        f"seconds={figures['seconds']} preview_seconds={figures['preview_seconds']}",
        flush=True,
    )
    results.append((f"roster_import_{rows // 1000}k", f"{figures['peak_mib']} MiB", "<= 200 MiB"))


def server_queries(plain: Path, data: Path, url: str | None) -> None:
    """The same record views on a district server holding the same demo (``_postgresql``).

    The demo goes in the way a district takes laptops in (``db merge``), once: into ``url``
    when it is empty, else into a cluster kept beside the cached demos (started for the run,
    stopped after, loaded the first time only; several minutes for the large demo).
    """
    sys.path.insert(0, str(HERE.parent))
    from tests.pg_cluster import start_cluster, why_no_server

    cluster = None
    if url is None:
        reason = why_no_server()
        if reason is not None:
            print(f"server queries: skipped, no PostgreSQL server ({reason})", flush=True)
            return
        cluster = start_cluster(durable=True, folder=_kept_cluster_folder(data, plain))
        if not cluster.sql("SELECT 1 FROM pg_database WHERE datname = 'demo'"):
            cluster.sql("CREATE DATABASE demo")
        url = cluster.url("demo")
    try:
        from sqlalchemy import text

        from circlekeeper.core.store.database import open_database

        _cli(data / "home", "db", "upgrade", "--database", url)
        db = open_database(url)
        with db.sessions() as session:
            people = session.scalar(text("SELECT count(*) FROM person"))
        db.close()
        if not people:
            print(f"loading {plain.name} into the server once (db merge)…", flush=True)
            start = time.perf_counter()
            _cli(data / "home", "db", "merge", str(plain), "--into", url)
            print(f"  loaded in {time.perf_counter() - start:.0f} s", flush=True)
            _cli(data / "home", "db", "check", "--database", url)
        queries(url, "_postgresql")
    finally:
        if cluster is not None:
            cluster.stop(keep=True)


def _kept_cluster_folder(data: Path, plain: Path) -> Path:
    """Where the server holding ``plain``'s demo is kept: beside it, where the ``postgres``
    user (the server's, when run as root) can reach; else in the temp folder."""
    folder = data / f"pg-{plain.stem}"
    if os.geteuid() == 0 and not all(os.stat(p).st_mode & 0o001 for p in folder.parents):
        folder = Path(tempfile.gettempdir()) / f"circlekeeper-bench-pg-{plain.stem}"
    return folder


def concurrency(url: str | None, actions: int) -> None:
    """20 keepers running their own circles at once on one PostgreSQL server (processes)."""
    sys.path.insert(0, str(HERE))
    import bench_concurrency

    print(
        f"concurrency: 20 keepers as processes, {actions} rounds of actions each, as fast as "
        "answered, then each pressing every 100 ms",
        flush=True,
    )
    bench_concurrency.run(url, 20, actions, report_times=report_times, every=(0.0, 100.0))


def merging(data: Path, args: argparse.Namespace) -> None:
    """Laptops merged into one PostgreSQL database (``bench_merge.py``), an optional part."""
    sys.path.insert(0, str(HERE))
    import bench_merge

    seconds = bench_merge.run(args.merge_laptops, data, args.merge_into)
    bench_merge.report(seconds)
    for n in (5, 10, 20):
        if len(seconds) >= n:
            median = statistics.median(seconds[:n])
            results.append((f"merge_{n}", f"{median:.1f} s each", "<= 60 s each"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="the small demo instead")
    parser.add_argument("--runs", type=int, default=5, help="start-up runs of each kind")
    parser.add_argument("--database", help="measure this demo database (not built)")
    parser.add_argument("--data", help="where built demos are cached")
    parser.add_argument(
        "--no-server", action="store_true", help="skip the district-server concurrency part"
    )
    parser.add_argument(
        "--merge-laptops",
        type=int,
        default=0,
        metavar="N",
        help="also merge N small demo laptops into a throwaway PostgreSQL server (e.g. 20)",
    )
    parser.add_argument(
        "--merge-into", metavar="URL", help="an empty PostgreSQL database for --merge-laptops"
    )
    args = parser.parse_args()
    server_url = None
    if args.database and args.database.startswith(("postgresql", "postgres")):
        server_url, args.database = args.database, None
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    plain, encrypted, home = prepare(args)
    os.environ["CIRCLEKEEPER_HOME"] = str(home)
    print(f"measuring {plain} ({plain.stat().st_size / 2**20:.0f} MiB)", flush=True)
    floors(plain)
    startup(plain, encrypted, home, args.runs)
    queries(plain)
    if server_url is not None or not args.no_server:
        server_queries(plain, home.parent, server_url)
    gui(plain, 100 if args.quick else 300)
    roster(home, 5_000 if args.quick else 50_000)
    if server_url is not None or not args.no_server:
        concurrency(server_url, 50 if args.quick else 200)
    if args.merge_laptops:
        merging(home.parent, args)
    width = max(len(name) for name, _f, _g in results)
    print(f"\n{'measure':<{width}}  {'now':>14}  goal")
    for name, figure, goal in results:
        print(f"{name:<{width}}  {figure:>14}  {goal}")


if __name__ == "__main__":
    main()
