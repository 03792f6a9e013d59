"""A hand-built report laid out as HTML and PDF (read back with pypdf), charts included.

The report (``core/export/report_sample.py``) holds each case a writer must get right: hidden
cells, a cell with no figure, a label that looks like a formula, both languages, two charts.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from circlekeeper.charts import BAR, LINE
from circlekeeper.core.export.report_format import SUPPRESSED_MARK, cell_text, number_text
from circlekeeper.core.export.report_html import render_report_html
from circlekeeper.core.export.report_sample import sample_report
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.reports.model import Cell, Row, Text, Unit


def _pdf_text(path: Path) -> str:
    pages = PdfReader(path).pages
    return unicodedata.normalize(
        "NFKC", " ".join(" ".join((p.extract_text() or "").split()) for p in pages)
    )


def _painted(path: Path, colour: str) -> bool:
    """Whether any page fills or strokes with ``colour`` (#rrggbb) in its drawing operators."""
    wanted = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    for page in PdfReader(path).pages:
        stream = page.get_contents()
        content = stream.get_data().decode("latin-1") if stream is not None else ""
        for found in re.finditer(r"([\d.]+) ([\d.]+) ([\d.]+) (?:scn|SCN|rg|RG)", content):
            if all(abs(float(v) - w) < 0.002 for v, w in zip(found.groups(), wanted, strict=True)):
                return True
    return False


def _cells_of(html: str) -> list[str]:
    return re.findall(r'<td class="num" align="right">([^<]*)</td>', html)


# -- the words and marks ---------------------------------------------------------------------


def test_numbers_are_written_the_way_each_language_writes_them() -> None:
    assert number_text(1234, Unit.COUNT, "en") == "1,234"
    assert number_text(1234, Unit.COUNT, "es") == "1234"
    assert number_text(12345.5, Unit.RATE, "es") == "12\u202f345,50"
    assert number_text(37.25, Unit.PERCENT, "en") == "37.2%"
    assert number_text(37.25, Unit.PERCENT, "es") == "37,2 %"
    assert number_text(2.142, Unit.RATIO, "en") == "2.14"
    assert cell_text(Cell(None, Unit.COUNT, suppressed=True)) == SUPPRESSED_MARK
    assert cell_text(Cell(None, Unit.RATE)) == "–"


# -- HTML -----------------------------------------------------------------------------------


def test_html_shows_every_figure_and_marks_hidden_ones(home: Path) -> None:
    report = sample_report()
    html = render_report_html(report, "en")
    expected = [cell_text(c, "en") for s in report.sections for r in s.rows for c in r.cells]
    assert _cells_of(html) == expected
    assert expected.count(SUPPRESSED_MARK) == 4
    for words in (report.population.en, report.suppression.en, report.definitions[0].en):
        assert words.replace("'", "&#39;") in html
    assert "September 1, 2025 – November 30, 2025" in html


@pytest.mark.parametrize(
    ("lang", "present", "absent"),
    [
        ("en", ["Referrals by incident type", "Defiance"], ["Remisiones por tipo", "Desafío"]),
        ("es", ["Remisiones por tipo de incidente", "Desafío", "0,45"], ["Defiance", "0.45"]),
        ("en+es", ["Referrals by incident type", "Remisiones por tipo de incidente", "Pelea"], []),
    ],
)
def test_html_in_each_language(home: Path, lang: str, present: list[str], absent: list[str]):
    html = render_report_html(sample_report(), lang)
    for words in present:
        assert words in html
    for words in absent:
        assert words not in html


def test_html_escapes_labels_and_embeds_the_charts_given(home: Path) -> None:
    report = sample_report()
    section = report.sections[1]
    rows = (*section.rows, Row("x", Text("<b onclick=x>", "<b onclick=x>"), section.rows[0].cells))
    report = dataclasses.replace(
        report, sections=(report.sections[0], dataclasses.replace(section, rows=rows))
    )
    html = render_report_html(report, "en", charts={"by_incident_type": "data:image/png;base64,AA"})
    assert "<b onclick" not in html and "&lt;b onclick=x&gt;" in html
    image = re.search(r'<img src="data:image/png;base64,AA"[^>]*alt="([^"]*)"', html)
    assert image is not None
    # The chart's numbers are in its name for a screen reader, hidden ones as the mark.
    assert "Defiance 48; Disruption 44; Fighting *" in image.group(1)
    assert html.count("<img") == 1  # only charts that were given


def test_html_of_an_empty_period_says_so_and_the_internal_view_warns(home: Path) -> None:
    empty = render_report_html(sample_report(empty=True), "es")
    assert "No se registraron remisiones en este periodo." in empty
    assert '<table width="100%" cellspacing="0" cellpadding="3" border="1"' not in empty
    internal = dataclasses.replace(sample_report(), unsuppressed=True)
    assert "Internal view: nothing is hidden" in render_report_html(internal, "en")
    assert "Internal view" not in render_report_html(sample_report(), "en")


def test_html_refuses_an_unknown_language(home: Path) -> None:
    with pytest.raises(InvalidInput, match="Unknown language 'fr'"):
        render_report_html(sample_report(), "fr")


# -- PDF ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es", "en+es"])
def test_pdf_holds_every_section_figure_and_chart(qapp, home: Path, tmp_path: Path, lang):
    from circlekeeper.report_pdf import write_report_pdf

    report = sample_report()
    out = tmp_path / f"report-{lang}.pdf"
    write_report_pdf(report, lang, out)
    text = _pdf_text(out)
    first = lang.split("+")[0]
    for section in report.sections:
        # Every section, including those after a heading moved to a new page (Qt once
        # dropped those blocks from the PDF).
        assert section.title.in_lang(first) in text
        for row in section.rows:
            for cell in row.cells:
                assert cell_text(cell, first) in text
    assert report.suppression.in_lang(first).split(",")[0] in text
    assert report.definitions[-1].in_lang(first) in text
    if lang == "en+es":
        assert report.suppression.es.split(",")[0] in text
    # The charts are drawn on the page as shapes (not pictures): their colours are painted.
    assert sum(len(page.images) for page in PdfReader(out).pages) == 0
    assert _painted(out, BAR.name()) and _painted(out, LINE.name())


def test_a_report_without_charts_paints_none(qapp, home: Path, tmp_path: Path) -> None:
    from circlekeeper.report_pdf import write_report_pdf

    report = sample_report()
    plain = tuple(dataclasses.replace(s, chart=None) for s in report.sections)
    out = tmp_path / "plain.pdf"
    write_report_pdf(dataclasses.replace(report, sections=plain), "en", out)
    assert not _painted(out, BAR.name()) and not _painted(out, LINE.name())
    assert report.sections[1].title.en in _pdf_text(out)


def test_pdf_to_a_missing_folder_is_refused_and_nothing_is_written(qapp, home, tmp_path):
    from circlekeeper.report_pdf import write_report_pdf

    target = tmp_path / "nowhere" / "report.pdf"
    with pytest.raises(InvalidInput, match="does not exist"):
        write_report_pdf(sample_report(), "en", target)
    assert not target.parent.exists()


@pytest.mark.parametrize("kind", ["pdf", "html"])
def test_the_internal_view_is_never_written_to_a_file(qapp, home, tmp_path: Path, kind: str):
    from circlekeeper.report_pdf import write_report_html, write_report_pdf

    write = write_report_pdf if kind == "pdf" else write_report_html
    out = tmp_path / f"internal.{kind}"
    with pytest.raises(InvalidInput, match="for the screen only"):
        write(dataclasses.replace(sample_report(), unsuppressed=True), "en", out)
    assert [p.name for p in tmp_path.iterdir()] == ["home"]


def test_html_file_carries_its_charts_inside(qapp, home: Path, tmp_path: Path) -> None:
    from circlekeeper.report_pdf import write_report_html

    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "report.html"
    out.write_text("the earlier copy", encoding="utf-8")
    write_report_html(sample_report(), "en+es", out)
    html = out.read_text(encoding="utf-8")
    assert html.count('<img src="data:image/png;base64,') == 2
    assert list(folder.iterdir()) == [out]  # no temporary file left beside it


def _key_figures():
    from circlekeeper.core.reports.model import Column, Section

    columns = tuple(
        Column(f"m{i}", Text(f"Measure {i}", f"Medida {i}"), Unit.COUNT) for i in range(5)
    )
    cells = tuple(Cell(float(10 + i), Unit.COUNT) for i in range(4)) + (
        Cell(None, Unit.COUNT, suppressed=True),
    )
    return Section(
        "key",
        Text("Key figures", "Cifras clave"),
        columns,
        (Row("all", Text("All", "Total"), cells),),
    )


def test_a_single_row_of_many_figures_reads_down_one_per_line(home: Path) -> None:
    report = dataclasses.replace(sample_report(), sections=(_key_figures(),))
    html = render_report_html(report, "es")
    for i in range(4):
        assert f'<tr><td>Medida {i}</td><td class="num" align="right">{10 + i}</td></tr>' in html
    assert '<tr><td>Medida 4</td><td class="num" align="right">*</td></tr>' in html


def test_a_schools_own_report_template_is_used_and_a_broken_one_falls_back(home: Path) -> None:
    from circlekeeper.core.export.report_html import render_report

    folder = home / "templates" / "reports"
    folder.mkdir(parents=True)
    mine = folder / "report.html"
    mine.write_text("<p>District letterhead</p>{{ report.title.en }}", encoding="utf-8")
    result = render_report(sample_report(), "en")
    assert result.html == "<p>District letterhead</p>Referrals (the Big 5)"
    assert result.warnings == []
    mine.write_text("{{ report.__class__.__mro__ }}", encoding="utf-8")
    result = render_report(sample_report(), "en")
    assert "Referrals per month" in result.html  # the built-in template
    assert "could not be used" in result.warnings[0]


def test_a_chart_with_fewer_than_two_shown_figures_is_not_drawn(qapp, home, tmp_path) -> None:
    from circlekeeper.core.export.report_format import has_chart
    from circlekeeper.report_pdf import report_pdf_html

    report = sample_report()
    by_type = report.sections[1]
    hidden = Cell(None, Unit.COUNT, suppressed=True)
    one_left = tuple(
        dataclasses.replace(row, cells=(hidden, *row.cells[1:])) if row.group != "defiance" else row
        for row in by_type.rows
    )
    lonely = dataclasses.replace(by_type, rows=one_left)
    assert has_chart(by_type) and not has_chart(lonely)
    html = report_pdf_html(dataclasses.replace(report, sections=(report.sections[0], lonely)), "en")
    assert html.count("<img") == 1  # the line chart only
