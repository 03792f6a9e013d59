"""Time to save each programme report as PDF, XLSX and HTML, printed as medians.

Run: .venv/bin/python benchmarks/bench_report_exports.py [--database PATH] [--rounds N]
Uses the small demo (built into benchmarks/.data/small.sqlite3 if missing) unless a database is
given; each report covers the last school year, suppressed, in English and Spanish together
(the longest layout). The Reports area saves on the UI thread, so each should stay well under
a couple of seconds on an old laptop.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
SMALL = HERE / ".data" / "small.sqlite3"


def _ensure(path: Path) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "circlekeeper", "demo", "--size", "small", "--database", str(path)],
        check=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=SMALL)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    _ensure(args.database)

    from circlekeeper.core.export.report_xlsx import write_xlsx
    from circlekeeper.core.reports.engine import REPORT_NAMES, build_report
    from circlekeeper.core.store.database import open_database
    from circlekeeper.pdf import ensure_gui_app
    from circlekeeper.report_pdf import write_report_html, write_report_pdf

    ensure_gui_app()
    db = open_database(args.database)
    today = date.today()
    year = today.year if today.month >= 8 else today.year - 1
    start = date(year - 1, 8, 1)
    writers = {"pdf": write_report_pdf, "xlsx": write_xlsx, "html": write_report_html}
    print(f"period {start} – {today}; rounds {args.rounds}; lang en+es; medians in seconds")
    print(f"{'report':<12}" + "".join(f"{key:>8}" for key in writers) + "  sections")
    with tempfile.TemporaryDirectory() as folder:
        for name in REPORT_NAMES:
            report = build_report(name, db.sessions, start=start, end=today)
            line = f"{name:<12}"
            for key, write in writers.items():
                target = Path(folder) / f"{name}.{key}"
                times = []
                for _ in range(args.rounds):
                    began = time.perf_counter()
                    write(report, "en+es", target)
                    times.append(time.perf_counter() - began)
                line += f"{statistics.median(times):>8.2f}"
            print(f"{line}  {len(report.sections)}")
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
