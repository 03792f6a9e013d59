"""What the template limits cost, and how soon a costly school template falls back.

Run: ``.venv/bin/python benchmarks/bench_templates.py [--runs N]``. Prints medians: rendering the
built-in bilingual agreement (templates compiled once), and the time from asking for an
agreement to getting the built-in one back when a school's template asks for too much.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import time
from pathlib import Path

from circlekeeper.core.export import sample
from circlekeeper.core.export.templates import DocumentTemplates
from circlekeeper.core.paths import resources_dir

COSTLY = {
    "9**99999999": "{{ 9**99999999 }}",
    "'x' * 10**9": "{{ 'x' * 10**9 }}",
    "nested loops": "{% for a in range(9999) %}{% for b in range(9999) %}{% endfor %}{% endfor %}",
}


def median_ms(action: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # each fallback logs its traceback; not wanted here
    view = sample.sample_agreement(8)
    builtin = DocumentTemplates(resources_dir() / "templates")
    builtin.render_agreement(view, "en+es")
    ms = median_ms(lambda: builtin.render_agreement(view, "en+es"), args.runs)
    print(f"built-in agreement, en+es, 8 items: median {ms:.1f} ms over {args.runs} runs")
    with tempfile.TemporaryDirectory() as folder:
        for name, text in COSTLY.items():
            user = Path(folder) / str(len(list(Path(folder).iterdir())))
            user.mkdir()
            (user / "agreement.html").write_text(f"District\n{text}\n", encoding="utf-8")
            templates = DocumentTemplates(resources_dir() / "templates", user)
            templates.render_agreement(view)  # compile once
            runs = 3 if "loops" in name else args.runs
            ms = median_ms(lambda t=templates: t.render_agreement(view), runs)
            print(f"school template asking for {name}: falls back in median {ms:.0f} ms")


if __name__ == "__main__":
    main()
