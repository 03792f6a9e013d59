"""Blanks left in an agreement ([amount], [name]) and its Spanish wording, through the core.

The rule is in ``core/agreements/placeholders.py``: activation, printing and the family letter
refuse while a blank is left; a draft copy may print, marked DRAFT on every page.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader

from circlekeeper.core.agreements.catalogue import item_catalogue
from circlekeeper.core.agreements.placeholders import UnfilledBlanks, blank_spans, blanks
from circlekeeper.core.agreements.rows import ItemData
from circlekeeper.core.circles.summary import CircleSummaryService
from circlekeeper.core.export.templates import (
    draft_mark,
    render_agreement,
    render_circle_summary,
    render_family_letter,
)
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.models import FollowUp

SIGNED = date(2025, 3, 4)


def _restitution() -> ItemData:
    template = next(t for t in item_catalogue("en") if t.kind == "restitution")
    return ItemData.from_template(template)


def _sign_all(c, agreement_id: int) -> None:  # type: ignore[no-untyped-def]
    for pid in (c.jose, c.amara, c.dana, c.sam):
        c.agreements.record_signature(agreement_id, pid, SIGNED)


def _flat(html: str) -> str:
    return " ".join(html.split())


def test_blanks_are_words_in_square_brackets() -> None:
    text = "Pay back [amount] for [what was damaged or lost], or [hours] hours."
    assert blanks(text) == ["[amount]", "[what was damaged or lost]", "[hours]"]
    assert [text[a:b] for a, b in blank_spans(text)] == blanks(text)
    assert blanks("Pay $60 in three instalments of $20.") == []
    assert blanks("") == blanks(None) == []
    # Every typical item carries blanks, in English and in Spanish
    for template in item_catalogue("en"):
        assert blanks(template.action), template.title
        assert blanks(template.action_es), template.title


def test_the_catalogue_carries_both_wordings_whichever_list_is_shown() -> None:
    english, spanish = item_catalogue("en"), item_catalogue("es")
    assert [t.kind for t in english] == [t.kind for t in spanish]
    for en, es in zip(english, spanish, strict=True):
        assert en.action == es.action and en.action_es == es.action_es
        assert en.title != es.title
    restitution = _restitution()
    assert "[amount]" in restitution.action and "[cantidad]" in restitution.action_es
    assert restitution.verification_es.startswith("La oficina")


def test_activation_is_refused_while_an_item_holds_a_blank(conference, draft_id, db) -> None:  # type: ignore[no-untyped-def]
    c = conference
    data = _restitution()
    data.responsible_id = c.jose
    row = c.agreements.add_item(draft_id, data)
    _sign_all(c, draft_id)
    # When the counselor activates with item 4 still holding [amount]
    with pytest.raises(UnfilledBlanks) as refused:
        c.agreements.activate(draft_id)
    message = str(refused.value)
    assert "Item 4" in message and "[amount]" in message and "Nothing was changed" in message
    assert refused.value.items == [4]
    assert isinstance(refused.value, InvalidInput)  # shown like every other plain refusal
    # Nothing changed: still a draft, no follow-up scheduled
    assert c.agreements.get(draft_id).summary.status == "draft"
    with db.sessions() as session:
        assert session.query(FollowUp).filter_by(agreement_id=draft_id).count() == 0
    # A blank left only in the Spanish wording blocks too
    data.action = "Pay back $60 for the headphones, in three instalments of $20."
    data.verification = "The office keeps a receipt for each instalment."
    c.agreements.update_item(row.id, data)
    with pytest.raises(UnfilledBlanks, match=r"\[cantidad\]"):
        c.agreements.activate(draft_id)
    # Filled in both languages, it activates
    data.action_es = "Reponer 60 dólares por los audífonos, en tres pagos de 20 dólares."
    data.verification_es = "La oficina guarda un recibo de cada pago."
    c.agreements.update_item(row.id, data)
    assert c.agreements.activate(draft_id).agreement.status == "active"
    stored = c.agreements.get(draft_id).items[3].data
    assert stored.action_es.startswith("Reponer 60") and stored.verification_es


def test_printing_is_refused_but_a_draft_copy_is_marked(conference, draft_id) -> None:  # type: ignore[no-untyped-def]
    c = conference
    data = _restitution()
    data.responsible_id = c.jose
    c.agreements.add_item(draft_id, data)
    view = c.agreements.view(draft_id)
    for lang in ("en", "es", "en+es"):
        with pytest.raises(UnfilledBlanks, match="cannot be printed"):
            render_agreement(view, lang)
        with pytest.raises(UnfilledBlanks):
            render_agreement(view, lang, "sharing")
    html = _flat(render_agreement(view, "en+es", draft=True).html)
    assert "DRAFT FOR DISCUSSION" in html and "BORRADOR PARA CONVERSAR" in html
    assert draft_mark("en+es") == "DRAFT, not for signing / BORRADOR, no es para firmar"
    # The letter home lists the items too: refused the same way
    with pytest.raises(UnfilledBlanks):
        render_family_letter(c.agreements.family_letter(draft_id, c.jose), "en")
    # The circle summary names the agreement as still being written instead of printing it
    summary = _flat(
        render_circle_summary(CircleSummaryService(c.db.sessions).view(c.circle_id)).html
    )
    assert "still being written" in summary
    assert "[amount]" not in summary and "Item number 1" not in summary


def test_a_spanish_copy_prints_the_spanish_wording_and_names_items_without(
    conference, draft_id
) -> None:  # type: ignore[no-untyped-def]
    c = conference
    first = c.agreements.get(draft_id).items[0]
    data = first.data
    data.action_es = "Dar dos horas de servicio en la biblioteca."
    data.verification_es = "La bibliotecaria firma el registro."
    c.agreements.update_item(first.id, data)
    view = c.agreements.view(draft_id)
    result = render_agreement(view, "es")
    html = _flat(result.html)
    assert "Dar dos horas de servicio en la biblioteca." in html
    assert "La bibliotecaria firma el registro." in html
    assert "Compromisos sin redacción en español: 2, 3." in html
    assert "Este compromiso todavía no tiene redacción en español" in html
    assert any("Item 2, 3 has no Spanish wording" in w for w in result.warnings)
    # The English copy says nothing about Spanish
    english = render_agreement(view, "en")
    assert "redacción" not in english.html and not english.warnings
    # Side by side: one column per language in the same row, not one language under the other
    both = _flat(render_agreement(view, "en+es").html)
    assert '<th width="29%">English</th><th width="29%">Español</th>' in both
    row = both.split("Item number 1: do the agreed thing", 1)[1].split("</tr>", 1)[0]
    assert "Dar dos horas de servicio" in row


def test_a_draft_copy_pdf_carries_the_mark_on_every_page(
    qapp, conference, make_draft, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from circlekeeper.pdf import html_to_pdf

    c = conference
    agreement_id = make_draft(30)
    data = _restitution()
    data.responsible_id = c.jose
    c.agreements.add_item(agreement_id, data)
    view = c.agreements.view(agreement_id)
    out = tmp_path / "draft.pdf"
    pages = html_to_pdf(
        render_agreement(view, "en", draft=True).html, out, title="t", mark=draft_mark("en")
    )
    assert pages >= 2
    texts = [
        " ".join(unicodedata.normalize("NFKC", p.extract_text()).split())
        for p in PdfReader(out).pages
    ]
    assert all("DRAFT, not for signing" in t for t in texts), texts
    # The blanks are there for the group to talk over: the draft copy does not hide them
    assert "[amount]" in " ".join(texts)
