"""Export time of a typical repair agreement: warm (in-process) and cold (the CLI command).

Run: ``.venv/bin/python benchmarks/bench_export.py [--runs N]``. Target: warm <= 200 ms.
Warm = view from the database + render HTML + PDF, with templates already compiled.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def build(db_path: Path) -> int:
    from circlekeeper.core.agreements.commands import AgreementService
    from circlekeeper.core.agreements.rows import AgreementHeader, ItemData
    from circlekeeper.core.people.people import PeopleService, PersonData
    from circlekeeper.core.store.database import open_database
    from circlekeeper.core.store.models import Case

    db = open_database(db_path)
    with db.sessions.begin() as session:
        case = Case(referred_on=date(2025, 2, 1), incident_category="property")
        session.add(case)
        session.flush()
        case_id = case.id
    people = PeopleService(db.sessions)
    jose = people.create(PersonData("José", "Núñez", grade="8")).id
    lucia = people.create(PersonData("Lucía", "Núñez", kind="guardian")).id
    people.link_guardian(jose, lucia)
    dana = people.create(PersonData("Dana", "Whitfield", kind="staff")).id
    service = AgreementService(db.sessions)
    draft = service.create_draft(
        case_id=case_id,
        header=AgreementHeader(
            "A typical harm summary. " * 6, "We meet again.", date(2025, 4, 1), dana
        ),
    )
    for n, template in enumerate(service.catalogue()):
        data = ItemData.from_template(template)
        data.responsible_id, data.verifier_id, data.supporter_id = jose, dana, lucia
        data.due_on = date(2025, 3, 1 + n)
        service.add_item(draft.id, data)
    db.close()
    return draft.id


def warm(db_path: Path, agreement_id: int, runs: int) -> list[float]:
    from circlekeeper.core.agreements.commands import AgreementService
    from circlekeeper.core.export.templates import render_agreement
    from circlekeeper.core.store.database import open_database
    from circlekeeper.pdf import html_to_pdf

    db = open_database(db_path)
    service = AgreementService(db.sessions)
    out = db_path.parent / "warm.pdf"
    times = []
    for _ in range(runs + 1):  # the first run compiles templates and starts Qt: not counted
        start = time.perf_counter()
        html = render_agreement(service.view(agreement_id), "en+es").html
        html_to_pdf(html, out, title="bench")
        times.append((time.perf_counter() - start) * 1000)
    db.close()
    return times[1:]


def cold(db_path: Path, agreement_id: int, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "circlekeeper",
                "export",
                "agreement",
                str(agreement_id),
                "--lang",
                "en+es",
                "-o",
                str(db_path.parent / "cold.pdf"),
                "--database",
                str(db_path),
            ],
            check=True,
            capture_output=True,
        )
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--cold-runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CIRCLEKEEPER_HOME"] = folder
        db_path = Path(folder) / "bench.sqlite3"
        agreement_id = build(db_path)
        w = warm(db_path, agreement_id, args.runs)
        c = cold(db_path, agreement_id, args.cold_runs)
    print(
        f"warm export (view + HTML + PDF, en+es, 6 items): median {statistics.median(w):.1f} ms, "
        f"min {min(w):.1f}, max {max(w):.1f} over {len(w)} runs (target <= 200 ms)"
    )
    print(
        f"cold CLI export (new process): median {statistics.median(c):.0f} ms, "
        f"min {min(c):.0f}, max {max(c):.0f} over {len(c)} runs"
    )


if __name__ == "__main__":
    main()
