"""HTML exports: escaping, accents, strictness, the sandbox, user templates, the sharing copy."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from circlekeeper.core.circles.summary import CircleSummaryService
from circlekeeper.core.export import sample
from circlekeeper.core.export.templates import (
    DocumentTemplates,
    format_date,
    render_agreement,
    render_circle_summary,
    render_family_letter,
)
from circlekeeper.core.export.views import NoteView
from circlekeeper.core.operations import Context
from circlekeeper.core.paths import resources_dir
from circlekeeper.core.profiles.viewer import Viewer

BUILTIN = resources_dir() / "templates"
NASTY = "Tom <b>&amp;</b> \"Jerry\" & 'Spike' {{ 7*7 }} {% if true %}x{% endif %}"


def _templates(tmp_path: Path, **files: str) -> DocumentTemplates:
    user = tmp_path / "user-templates"
    user.mkdir(exist_ok=True)
    for name, text in files.items():
        (user / name).write_text(text, encoding="utf-8")
    return DocumentTemplates(BUILTIN, user)


@pytest.mark.parametrize("lang", ["en", "es", "en+es"])
def test_special_characters_print_literally(lang: str, home: Path) -> None:
    view = sample.sample_agreement()
    view = replace(
        view,
        harm_summary=NASTY,
        items=[replace(view.items[0], action=NASTY, responsible="O'Brien <Kid>")],
        parties=[replace(view.parties[0], name="Ana & <Bo>")] + view.parties[1:],
    )
    html = render_agreement(view, lang).html
    assert "Tom &lt;b&gt;&amp;amp;&lt;/b&gt; &#34;Jerry&#34; &amp; &#39;Spike&#39;" in html
    assert "{{ 7*7 }}" in html and "{% if true %}x{% endif %}" in html
    assert "49" not in html
    assert "O&#39;Brien &lt;Kid&gt;" in html and "Ana &amp; &lt;Bo&gt;" in html
    assert "<b>&amp;" not in html


def test_accented_names_survive(home: Path) -> None:
    for lang in ("en", "es", "en+es"):
        html = render_agreement(sample.sample_agreement(), lang).html
        assert "José Núñez" in html and "Lucía Núñez" in html


@pytest.mark.parametrize("lang", ["en", "es", "en+es"])
def test_every_item_name_date_and_signature_line_is_in_the_html(lang: str, home: Path) -> None:
    view = sample.sample_agreement(8)
    html = render_agreement(view, lang).html
    for item in view.items:
        assert item.action.replace("'", "&#39;") in html
        assert format_date(item.due_on, lang.split("+")[0]) in html
    for line in view.signature_lines:
        assert line.name in html
    if lang != "en":
        assert "Acuerdo de reparación" in html and "Firma" in html
    if lang != "es":
        assert "Repair Agreement" in html and "Signature" in html


def test_dates_in_each_language() -> None:
    assert format_date(date(2025, 3, 5), "en") == "March 5, 2025"
    assert format_date(date(2025, 3, 5), "es") == "5 de marzo de 2025"
    assert format_date(None, "en") == ""


def test_unknown_language_or_audience_is_refused(home: Path) -> None:
    with pytest.raises(ValueError, match="language"):
        render_agreement(sample.sample_agreement(), "fr")
    with pytest.raises(ValueError, match="audience"):
        render_agreement(sample.sample_agreement(), "en", "police")


def test_builtin_templates_are_strict(tmp_path: Path) -> None:
    templates = DocumentTemplates(BUILTIN)
    with pytest.raises(UndefinedError):
        templates.render("agreement.html", {"lang": "en", "langs": ["en"]})


def test_user_template_overrides_builtin(tmp_path: Path) -> None:
    templates = _templates(
        tmp_path, **{"agreement.html": "District {{ doc.items|length }} {{ doc.harm_summary }}"}
    )
    view = replace(sample.sample_agreement(), harm_summary="<script>")
    result = templates.render_agreement(view)
    assert result.html == "District 5 &lt;script&gt;" and result.warnings == []


@pytest.mark.parametrize(
    "attack",
    [
        "{{ doc.__class__.__mro__[1].__subclasses__() }}",
        "{{ doc.for_sharing.__globals__ }}",
        "{{ ''.__class__.__base__.__subclasses__() }}",
        "{{ lipsum.__globals__['os'].popen('id').read() }}",
        "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    ],
)
def test_template_reaching_python_internals_fails_safely(tmp_path: Path, attack: str) -> None:
    templates = _templates(tmp_path, **{"agreement.html": f"line one\n{attack}\n"})
    result = templates.render_agreement(sample.sample_agreement())
    assert "Repair Agreement" in result.html  # the built-in one
    assert "subclasses" not in result.html and "popen" not in result.html
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert "agreement.html" in warning and "built-in template was used" in warning


def test_broken_user_template_names_file_and_line(tmp_path: Path) -> None:
    templates = _templates(
        tmp_path, **{"agreement.html": "<p>ok</p>\n<p>still ok</p>\n{% if doc.items %}\n"}
    )
    result = templates.render_agreement(sample.sample_agreement())
    assert "Repair Agreement" in result.html
    assert "agreement.html, line 3" in result.warnings[0]


def test_user_template_with_unknown_name_names_the_line(tmp_path: Path) -> None:
    templates = _templates(tmp_path, **{"agreement.html": "a\nb\n{{ doc.no_such_field }}\n"})
    result = templates.render_agreement(sample.sample_agreement())
    assert "agreement.html, line 3" in result.warnings[0]
    assert "no_such_field" in result.warnings[0]


def test_broken_user_strings_fall_back_for_every_document(tmp_path: Path) -> None:
    templates = _templates(tmp_path, **{"_strings.html": "{% set strings = {'en': {}} %}"})
    result = templates.render_family_letter(sample.sample_family_letter())
    assert "José Núñez" in result.html and "_strings.html" not in result.html
    assert len(result.warnings) == 1


def test_missing_logo_is_left_out_with_a_warning(home: Path, tmp_path: Path) -> None:
    result = render_agreement(sample.sample_agreement(logo_path=str(tmp_path / "gone.png")))
    assert "<img" not in result.html
    assert "gone.png" in result.warnings[0]
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n")
    with_logo = render_agreement(sample.sample_agreement(logo_path=str(logo)))
    assert f'<img src="{logo.resolve().as_uri()}"' in with_logo.html and not with_logo.warnings


def test_sharing_copy_is_marked_and_has_only_what_is_needed(home: Path) -> None:
    view = sample.sample_agreement()
    school = render_agreement(view, "en", "school").html
    shared = render_agreement(view, "en", "sharing").html
    assert "FERPA" not in school
    assert "EDUCATION RECORD" in shared and "FERPA" in shared and "pass it on" in shared
    assert "he/him" in school and "he/him" not in shared
    assert ">Grade<" in school and ">Grade<" not in shared
    spanish = render_agreement(view, "es", "sharing").html
    assert "EXPEDIENTE EDUCATIVO" in spanish


def test_circle_summary_keeps_private_notes_out_of_shared_copies(home: Path) -> None:
    view = sample.sample_circle_summary()
    school = render_circle_summary(view, "en", "school").html
    shared = render_circle_summary(view, "en", "sharing").html
    private = "Remember to ask José&#39;s aunt about bus times."
    assert private in school
    assert private not in shared and "bus times" not in shared
    assert "Both students spoke in every round" in shared
    assert "EDUCATION RECORD" in shared


def test_circle_summary_from_the_database(conference, draft_id) -> None:
    from circlekeeper.core.store.models import Note

    with conference.db.sessions.begin() as session:
        session.add(
            Note(circle_id=conference.circle_id, text="Kept for the file", privacy="record")
        )
        session.add(Note(circle_id=conference.circle_id, text="Only mine", privacy="private"))
    service = CircleSummaryService(conference.db.sessions)
    view = service.view(conference.circle_id)
    assert [n.text for n in view.notes] == ["Kept for the file"]
    own = Viewer("Dana Whitfield", sees_unattributed=True)  # one user, no profiles
    mine = CircleSummaryService(Context(conference.db.sessions, viewer=own))
    assert len(mine.view(conference.circle_id).notes) == 2
    assert view.agreement is not None and len(view.agreement.items) == 3
    html = render_circle_summary(view, "en+es").html
    assert "Kept for the file" in html and "Only mine" not in html
    assert "Restorative conference" in html and "Conferencia restaurativa" in html
    assert "Olive Marsh" in html  # the observer attended; the summary lists everyone


def test_family_letter_in_three_languages(conference, draft_id) -> None:
    view = conference.agreements.family_letter(draft_id, conference.jose)
    for lang, words in (("en", "Dear Lucía Núñez"), ("es", "Estimada familia (Lucía Núñez)")):
        html = render_family_letter(view, lang).html
        assert words in html and "Item number 3" in html
    both = render_family_letter(view, "en+es").html
    assert "Sincerely" in both and "Atentamente" in both


def test_sharing_views_drop_private_notes_before_rendering() -> None:
    view = sample.sample_circle_summary()
    view = replace(view, notes=[*view.notes, NoteView("secret", True)])
    assert all(not n.private for n in view.for_sharing().notes)


def test_the_page_footer_speaks_the_documents_language() -> None:
    from circlekeeper.core.export.templates import agreement_page_title

    view = sample.sample_agreement()
    code = f"{view.uuid[:8]} v{view.version}"
    assert agreement_page_title(view, "es") == f"Acuerdo de reparación {code}"
    both = agreement_page_title(view, "en+es", "sharing")
    assert both.startswith(f"Repair agreement / Acuerdo de reparación {code}")
    assert "do not pass on" in both and "no compartir" in both
