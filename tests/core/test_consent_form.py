"""The consent form of a circle that deals with harm, made through the same path as the family
letter and read back from the PDF: a guardian's line for a minor, none for an adult, in English,
Spanish and both side by side; refused to an officer's profile."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CirclePlan
from circlekeeper.core.export.documents import consent_form
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.problems import InvalidInput, NotFound, NotPermitted
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.store.database import Database
from circlekeeper.pdf import html_to_pdf

WHEN = datetime(2026, 3, 12, 14, 0, tzinfo=UTC)


def _text(path: Path) -> str:
    pages = PdfReader(path).pages
    return unicodedata.normalize(
        "NFKC", " ".join(" ".join((p.extract_text() or "").split()) for p in pages)
    )


@pytest.fixture
def circle(db: Database) -> dict[str, int]:
    people = PeopleService(db.sessions)
    ana = people.create(PersonData("Ana", "Ruiz", grade="8", birth_date=date(2012, 5, 1))).id
    rosa = people.create(PersonData("Rosa", "Ruiz", kind="guardian")).id
    people.link_guardian(ana, rosa, "Mother")
    ben = people.create(PersonData("Ben", "Lee", kind="staff", title="Teacher")).id
    kim = people.create(PersonData("Kim", "Osei", kind="staff", title="Counselor")).id
    planner = CirclePlanner(db.sessions)
    plan = planner.plan(
        CirclePlan(kind="harm_repair", scheduled_at=WHEN, facilitator_id=kim, title="Repair")
    )
    planner.add_participant(plan.id, ana, "responsible")
    planner.add_participant(plan.id, ben, "harmed")
    return {"id": plan.id, "ana": ana, "ben": ben, "kim": kim}


@pytest.mark.parametrize(
    ("lang", "guardian_line", "voluntary"),
    [
        ("en", "Parent or guardian of Ana Ruiz", "Taking part is voluntary"),
        ("es", "Padre, madre o tutor de Ana Ruiz", "La participación es voluntaria"),
        ("en+es", "Padre, madre o tutor de Ana Ruiz", "Consent can be withdrawn at any time"),
    ],
)
def test_the_form_has_a_guardian_line_for_a_minor_and_not_for_an_adult(  # type: ignore[no-untyped-def]
    qapp, db, circle, tmp_path, lang, guardian_line, voluntary
) -> None:
    context = Context(db.sessions, actor="Kim Osei")
    minor = consent_form(context, circle["id"], lang, circle["ana"])
    adult = consent_form(context, circle["id"], lang, circle["ben"])
    html_to_pdf(minor.html, tmp_path / "minor.pdf", title=minor.title)
    html_to_pdf(adult.html, tmp_path / "adult.pdf", title=adult.title)
    minor_text, adult_text = _text(tmp_path / "minor.pdf"), _text(tmp_path / "adult.pdf")
    assert guardian_line in minor_text and "Rosa Ruiz" in minor_text
    assert voluntary in minor_text and voluntary in adult_text
    assert (
        "Ben Lee" in adult_text and guardian_line.replace("Ana Ruiz", "Ben Lee") not in adult_text
    )
    assert "guardian of" not in adult_text and "tutor de" not in adult_text
    assert "Kim Osei" in minor_text  # the facilitator
    # Every participant gets a page when none is named
    both = consent_form(context, circle["id"], lang)
    pages = html_to_pdf(both.html, tmp_path / "all.pdf", title=both.title)
    assert pages >= 2
    assert "Ana Ruiz" in _text(tmp_path / "all.pdf") and "Ben Lee" in _text(tmp_path / "all.pdf")


def test_the_form_is_refused_where_it_does_not_belong(db, circle) -> None:  # type: ignore[no-untyped-def]
    context = Context(db.sessions, actor="Kim Osei")
    with pytest.raises(NotFound, match="does not take part"):
        consent_form(context, circle["id"], "en", circle["kim"])  # the keeper signs nothing
    check_in = CirclePlanner(db.sessions).plan(CirclePlan(kind="check_in", title="Monday"))
    with pytest.raises(InvalidInput, match="deals with harm"):
        consent_form(context, check_in.id, "en")
    sro = Context(db.sessions, actor="Sam Reyes", viewer=Viewer(name="Sam Reyes", role="sro"))
    with pytest.raises(NotPermitted, match="counseling office"):
        consent_form(sro, circle["id"], "en")
