"""A school's template cannot hang the app or take gigabytes: each costly ask falls back.

The attacks run in a child process (so a regression that really hangs or eats memory is caught
by the child's timeout rather than taking the test run down), which reports, per attack, which
template was used, the warning, and the peak memory the render allocated (tracemalloc).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from circlekeeper.core.export import sample
from circlekeeper.core.export.templates import DocumentTemplates
from circlekeeper.core.paths import resources_dir

BUILTIN = resources_dir() / "templates"
DOUBLINGS = "".join("{% set s = s ~ s %}" for _ in range(40))
ATTACKS = {
    "huge power": "{{ 9**99999999 }}",
    "huge text": "{{ 'x' * 10**9 }}",
    "huge list": "{{ [1] * 10**9 }}",
    "huge range": "{% for i in range(10**9) %}{% endfor %}",
    "nested loops over ranges": (
        "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}"
    ),
    "nested loops over a list": (
        "{% set l = range(5000)|list %}{% for a in l %}{% for b in l %}{% endfor %}{% endfor %}"
    ),
    "text doubling with ~": "{% set s = 'x' * 50000 %}" + DOUBLINGS + "{{ s|length }}",
    "text doubling in a namespace": (
        "{% set ns = namespace(s='xxxxxxxxxx') %}{% for i in range(60) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
    ),
    "number squaring": (
        "{% set ns = namespace(n=3) %}{% for i in range(100) %}"
        "{% set ns.n = ns.n * ns.n %}{% endfor %}"
    ),
    "long sum of texts": "{% set s = 'x' * 90000 %}{{ s + s }}",
    "center filter": "{{ 'x'|center(1000000000) }}",
    "ljust method": "{{ 'x'.ljust(1000000000) }}",
    "format width": "{{ '{:>999999999}'.format(1) }}",
    "percent width": "{{ '%0999999999d' % 1 }}",
    "percent star width": "{{ '%*d' % (999999999, 1) }}",
    "format filter width": "{{ '%999999999s'|format('a') }}",
    "replace method squaring": "{% set s = 'x' * 50000 %}{{ s.replace('x', s) }}",
    "replace filter squaring": "{% set s = 'x' * 50000 %}{{ s|replace('x', s) }}",
    "join": "{% set s = 'x' * 50000 %}{{ s.join(range(10000)|map('string')|list) }}",
    "indent": "{% set s = '\\n' * 90000 %}{{ s|indent(9999) }}",
    "exponential macro": (
        "{% macro m(n) %}{% if n > 0 %}{{ m(n - 1) }}{{ m(n - 1) }}{% endif %}{% endmacro %}"
        "{{ m(40) }}"
    ),
    "endless recursion": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "a list of one list many times": ("{% set a = [1] * 10000 %}{% set b = [a] * 10000 %}{{ b }}"),
    "a written-out list of one list many times": (
        "{% set a = [1] * 50000 %}{% set b = [" + "a, " * 1000 + "] %}{{ b }}"
    ),
    "joining a list of one list many times": (
        "{% set a = [1] * 50000 %}{% set b = [" + "a, " * 1000 + "] %}{{ b ~ '' }}"
    ),
    "filtering a list of one list many times": (
        "{% set a = [1] * 50000 %}{% set b = [" + "a, " * 1000 + "] %}{{ b|string }}"
    ),
    "a written-out list too long to compile": "{% set b = [" + "1, " * 20000 + "] %}",
    "a template too long to compile": "{% if true %}<p>{{ 1 }}</p>{% endif %}\n" * 4000,
    "a mapping of one long text many times": ("{{ dict.fromkeys(range(10000), 'x' * 50000) }}"),
    "many medium texts side by side": "".join(
        f"{{% set v{n} = 'x' * 99999 %}}" for n in range(1900)
    ),
    "too much output": "{% for i in range(10000) %}{{ 'x' * 50000 }}{% endfor %}",
}
_CHILD = r"""
import json, sys, tracemalloc
from pathlib import Path
from circlekeeper.core.export import sample
from circlekeeper.core.export.templates import DocumentTemplates
from circlekeeper.core.paths import resources_dir

attacks = json.loads(sys.stdin.read())
folder = Path(sys.argv[1])
tracemalloc.start()
for name, text in attacks.items():
    user = folder / str(len(list(folder.iterdir())))
    user.mkdir()
    (user / "agreement.html").write_text("line one\n" + text + "\n", encoding="utf-8")
    templates = DocumentTemplates(resources_dir() / "templates", user, time_limit=1.0)
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    result = templates.render_agreement(sample.sample_agreement())
    peak = tracemalloc.get_traced_memory()[1] - before
    print(json.dumps({"name": name, "builtin": "Repair Agreement" in result.html,
                      "warnings": result.warnings, "peak": peak}), flush=True)
"""


@pytest.mark.slow
def test_every_costly_template_falls_back_with_bounded_memory(tmp_path: Path) -> None:
    # Given school templates that each ask for far too much work or memory
    # When each renders (in a child process, with a guard that only a hang would reach)
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(tmp_path)],
        input=json.dumps(ATTACKS),
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CIRCLEKEEPER_HOME": str(tmp_path)},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = {r["name"]: r for r in map(json.loads, done.stdout.splitlines())}

    # Then every one fell back to the built-in template, said so, and stayed small in memory
    assert set(results) == set(ATTACKS)
    for name, result in results.items():
        assert result["builtin"], name
        assert len(result["warnings"]) == 1, (name, result)
        warning = result["warnings"][0]
        assert "built-in template was used instead" in warning, (name, warning)
        assert "agreement.html" in warning, (name, warning)
        assert result["peak"] < 64 * 2**20, (name, result["peak"])
    # Where Jinja knows it, the warning names the line of the costly expression
    for name in ("huge power", "huge text", "huge range", "center filter", "format width"):
        assert "agreement.html, line 2" in results[name]["warnings"][0], name
    assert "too large for a document" in results["huge text"]["warnings"][0]
    assert "still working after 1 seconds" in results["nested loops over a list"]["warnings"][0]
    assert "output passed" in results["too much output"]["warnings"][0]


def _templates(tmp_path: Path, text: str, **options: float) -> DocumentTemplates:
    user = tmp_path / "user-templates"
    user.mkdir(exist_ok=True)
    (user / "agreement.html").write_text(text, encoding="utf-8")
    return DocumentTemplates(BUILTIN, user, **options)


def test_ordinary_template_arithmetic_and_loops_still_work(tmp_path: Path) -> None:
    # A district template that counts, formats money and numbers, and loops a little
    text = (
        "{% for i in range(3) %}{{ i }}{% endfor %}|{{ '{:,}'.format(125000) }}|"
        "{{ '%d' % 123456 }}|{{ 2**10 }}|{{ '-' * 20 }}|{{ doc.items|length * 3 }}|"
        "{{ ('a' ~ 'b')|upper }}|{{ doc.items|map(attribute='action')|join('; ')|length > 0 }}|"
        "{{ 'x'|center(9) }}|{% for item in doc.items %}{{ loop.index }}{% endfor %}"
    )
    result = _templates(tmp_path, text).render_agreement(sample.sample_agreement())
    assert result.warnings == []
    assert result.html == (
        "012|125,000|123456|1024|--------------------|15|AB|True|    x    |12345"
    )


def test_a_template_file_too_large_to_be_one_is_not_read(tmp_path: Path) -> None:
    text = "<p>" + "x" * 1_100_000 + "</p>"
    result = _templates(tmp_path, text).render_agreement(sample.sample_agreement())
    assert "Repair Agreement" in result.html
    assert "larger than 1,000,000 bytes" in result.warnings[0]


def test_a_long_agreement_renders_with_the_built_in_templates(home: Path) -> None:
    # The limits leave room for any real document: 200 items and long texts
    from circlekeeper.core.export.templates import render_agreement

    view = sample.sample_agreement(8)
    items = [replace(view.items[0], action=f"Item {n} " + "words " * 400) for n in range(200)]
    html = render_agreement(replace(view, items=items), "en+es").html
    assert "Item 199 " in html


@pytest.mark.parametrize("limit", [0.2])
def test_the_time_limit_applies_to_loops_that_write_nothing(tmp_path: Path, limit: float) -> None:
    text = "{% for a in range(9999) %}{% for b in range(9999) %}{% endfor %}{% endfor %}"
    result = _templates(tmp_path, text, time_limit=limit).render_agreement(
        sample.sample_agreement()
    )
    assert "still working after 0.2 seconds" in result.warnings[0]
