"""Rendering documents (agreements, circle summaries, family letters) from Jinja templates.

Templates live in ``resources/templates``; a school may put its own versions (district
letterhead, local wording) in the ``templates`` folder of the data home, and those win. Because
people edit them, every template runs in Jinja's ``SandboxedEnvironment`` with autoescaping and
``StrictUndefined``; the sandbox (``sandbox.py``) is immutable and bounds each render's work,
memory and output, so a template cannot hang the app or take gigabytes. When a user's template
cannot be used (bad syntax, a reach for Python internals, a name that does not exist, too much
work), the built-in template is used instead and the result carries a warning naming the file
and line; the details go to the log.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from jinja2 import StrictUndefined, TemplateSyntaxError
from jinja2.exceptions import SecurityError
from markupsafe import Markup, escape

from circlekeeper.core.agreements.placeholders import refuse_printing
from circlekeeper.core.export.sandbox import TIME_LIMIT_SECONDS, LimitedSandbox, TemplateTooCostly
from circlekeeper.core.export.views import (
    AgreementView,
    CircleSummaryView,
    ConsentFormView,
    FamilyLetterView,
    SchoolView,
    unfilled,
    without_spanish,
)
from circlekeeper.core.i18n import _

log = logging.getLogger(__name__)

Lang = Literal["en", "es", "en+es"]
Audience = Literal["school", "sharing"]
LANGS: tuple[str, ...] = ("en", "es", "en+es")
AUDIENCES: tuple[str, ...] = ("school", "sharing")

_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
}


@dataclass(frozen=True)
class RenderResult:
    """The rendered HTML and anything the person exporting should be told."""

    html: str
    warnings: list[str] = field(default_factory=list)


def format_date(value: date | None, lang: str = "en") -> str:
    """A date as people write it: "March 5, 2025" or "5 de marzo de 2025"; "" for none."""
    if value is None:
        return ""
    if lang == "es":
        return f"{value.day} de {_MONTHS['es'][value.month - 1]} de {value.year}"
    return f"{_MONTHS['en'][value.month - 1]} {value.day}, {value.year}"


def paragraphs(text: str | None) -> Markup:
    """Escaped text with its line breaks kept (as ``<br>``)."""
    lines = (text or "").strip().splitlines()
    return Markup("<br>").join(escape(line) for line in lines)


def _make_environment(folders: list[Path]) -> LimitedSandbox:
    env = LimitedSandbox(
        [str(f) for f in folders],
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
    )
    env.add_filter("fdate", format_date)
    env.add_filter("paragraphs", paragraphs)
    return env


def _describe(exc: BaseException, user_dir: Path) -> str:
    """Where in the user's files the template failed, and why, in plain words."""
    where = ""
    if isinstance(exc, TemplateSyntaxError):
        where = f"{exc.filename or exc.name}, line {exc.lineno}"
    else:
        root = str(user_dir.resolve())
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename and str(Path(frame.filename).resolve()).startswith(root):
                where = f"{frame.filename}, line {frame.lineno}"
                break
        if not where and isinstance(exc, TemplateTooCostly) and exc.filename:
            where = exc.filename
    if isinstance(exc, SecurityError):
        why = "it tries to reach parts of the program that templates may not use"
    elif isinstance(exc, TemplateSyntaxError):
        why = f"the template has a mistake: {exc.message}"
    elif isinstance(exc, TemplateTooCostly | RecursionError | MemoryError):
        why = str(exc) if isinstance(exc, TemplateTooCostly) else "it asks for too much work"
    else:
        why = str(exc) or type(exc).__name__
    return f"Your template {where or 'in ' + str(user_dir)} could not be used ({why}); " + (
        "the built-in template was used instead."
    )


class DocumentTemplates:
    """The sandboxed template set: the user's folder first, then the built-in templates."""

    def __init__(
        self,
        builtin_dir: Path,
        user_dir: Path | None = None,
        *,
        time_limit: float = TIME_LIMIT_SECONDS,
    ) -> None:
        self.builtin_dir = builtin_dir
        self.user_dir = user_dir
        self.time_limit = time_limit
        self._builtin = _make_environment([builtin_dir])
        self._user = _make_environment([user_dir, builtin_dir]) if user_dir else None

    def _has_user_templates(self) -> bool:
        return self.user_dir is not None and any(self.user_dir.rglob("*.html"))

    def render(
        self, name: str, context: Mapping[str, Any], warnings: list[str] | None = None
    ) -> RenderResult:
        """Render one template, falling back to the built-in one if the user's copy fails."""
        warnings = list(warnings or [])
        if self._user is not None and self.user_dir is not None and self._has_user_templates():
            try:
                template = self._user.get_template(name)
                html = self._user.render_limited(template, context, seconds=self.time_limit)
                return RenderResult(html, warnings)
            except Exception as exc:  # any failure of a user's template falls back
                log.warning("user template for %s failed", name, exc_info=True)
                warnings.append(_describe(exc, self.user_dir))
        template = self._builtin.get_template(name)
        return RenderResult(self._builtin.render_limited(template, context), warnings)

    def _context(
        self, doc: object, school: SchoolView, lang: str, audience: str
    ) -> tuple[dict[str, Any], list[str]]:
        if lang not in LANGS:
            raise ValueError(f"Unknown language {lang!r}; use one of {', '.join(LANGS)}.")
        if audience not in AUDIENCES:
            raise ValueError(f"Unknown audience {audience!r}; use 'school' or 'sharing'.")
        warnings: list[str] = []
        logo_src = None
        if school.logo_path:
            logo = Path(school.logo_path).expanduser()
            if logo.is_file():
                logo_src = logo.resolve().as_uri()
            else:
                warnings.append(
                    _(
                        "The logo file {logo} was not found, so the document was made without it. "
                        "Choose the logo again in Settings.",
                        logo=logo,
                    )
                )
        context = {
            "doc": doc,
            "school": school,
            "lang": lang,
            "langs": lang.split("+"),
            "audience": audience,
            "sharing": audience == "sharing",
            "logo_src": logo_src,
        }
        return context, warnings

    def render_view(self, name: str, doc: object, school: SchoolView, lang: str) -> RenderResult:
        """Render template ``name`` for ``doc`` under the school's letterhead (the school copy)."""
        context, warnings = self._context(doc, school, lang, "school")
        return self.render(name, context, warnings)

    def render_agreement(
        self,
        view: AgreementView,
        lang: str = "en",
        audience: str = "school",
        *,
        draft: bool = False,
    ) -> RenderResult:
        """The agreement for signing; refused while an item holds a blank to fill in, unless
        ``draft`` asks for a copy marked DRAFT (to talk it over, never to sign)."""
        if not draft:
            refuse_printing([(i.number, i.texts) for i in view.items])
        doc = view.for_sharing() if audience == "sharing" else view
        context, warnings = self._context(doc, view.school, lang, audience)
        context["draft_copy"] = draft
        self._spanish(context, view, lang, warnings)
        return self.render("agreement.html", context, warnings)

    def render_circle_summary(
        self, view: CircleSummaryView, lang: str = "en", audience: str = "school"
    ) -> RenderResult:
        """The summary; an agreement still holding blanks is named, not printed."""
        doc = view.for_sharing() if audience == "sharing" else view
        context, warnings = self._context(doc, view.school, lang, audience)
        context["agreement_unfilled"] = bool(view.agreement and unfilled(view.agreement.items))
        return self.render("circle_summary.html", context, warnings)

    def render_family_letter(
        self, view: FamilyLetterView, lang: str = "en", audience: str = "school"
    ) -> RenderResult:
        """The letter home; refused while an item it lists holds a blank to fill in."""
        refuse_printing([(i.number, i.texts) for i in view.items])
        doc = view.for_sharing() if audience == "sharing" else view
        context, warnings = self._context(doc, view.school, lang, audience)
        return self.render("family_letter.html", context, warnings)

    def render_consent_form(self, view: ConsentFormView, lang: str = "en") -> RenderResult:
        """The consent form, one page per person (school copy: it goes to the family)."""
        return self.render_view("consent_form.html", view, view.school, lang)

    @staticmethod
    def _spanish(
        context: dict[str, Any], view: AgreementView, lang: str, warnings: list[str]
    ) -> None:
        missing = without_spanish(view.items) if "es" in lang.split("+") else []
        context["no_spanish"] = missing
        if missing:
            warnings.append(
                _(
                    "Item {items} has no Spanish wording, so the Spanish copy prints its "
                    "English words and says so.",
                    items=", ".join(str(n) for n in missing),
                )
            )


@lru_cache(maxsize=4)
def _templates_for(builtin_dir: Path, user_dir: Path) -> DocumentTemplates:
    return DocumentTemplates(builtin_dir, user_dir)


def user_templates_dir() -> Path:
    """Where a school puts its own templates (they override the built-in ones by file name)."""
    from circlekeeper.core.paths import data_home

    return data_home() / "templates"


def default_templates() -> DocumentTemplates:
    """The installation's templates, compiled once per process (kept warm for exports)."""
    from circlekeeper.core.paths import resources_dir

    return _templates_for(resources_dir() / "templates", user_templates_dir())


_PAGE_TITLES = {
    "en": ("Repair agreement", "education record, do not pass on"),
    "es": ("Acuerdo de reparación", "registro educativo, no compartir"),
}
_DRAFT_MARKS = {"en": "DRAFT, not for signing", "es": "BORRADOR, no es para firmar"}


def agreement_page_title(view: AgreementView, lang: str = "en", audience: str = "school") -> str:
    """The line printed at the foot of every page, in the document's own language(s)."""
    languages = [part for part in lang.split("+") if part in _PAGE_TITLES] or ["en"]
    title = " / ".join(_PAGE_TITLES[part][0] for part in languages)
    title = f"{title} {view.uuid[:8]} v{view.version}"
    if audience == "sharing":
        title += " - " + " / ".join(_PAGE_TITLES[part][1] for part in languages)
    return title


def draft_mark(lang: str = "en") -> str:
    """The mark a draft copy carries on every page, in the document's own language(s)."""
    languages = [part for part in lang.split("+") if part in _DRAFT_MARKS] or ["en"]
    return " / ".join(_DRAFT_MARKS[part] for part in languages)


def render_agreement(
    view: AgreementView, lang: str = "en", audience: str = "school", *, draft: bool = False
) -> RenderResult:
    """An agreement rendered with the school's template (or the built-in one)."""
    return default_templates().render_agreement(view, lang, audience, draft=draft)


def render_circle_summary(
    view: CircleSummaryView, lang: str = "en", audience: str = "school"
) -> RenderResult:
    """A circle summary rendered with the school's template (or the built-in one)."""
    return default_templates().render_circle_summary(view, lang, audience)


def render_family_letter(
    view: FamilyLetterView, lang: str = "en", audience: str = "school"
) -> RenderResult:
    """A letter to a family rendered with the school's template (or the built-in one)."""
    return default_templates().render_family_letter(view, lang, audience)


def render_consent_form(view: ConsentFormView, lang: str = "en") -> RenderResult:
    """A circle's consent form rendered with the school's template (or the built-in one)."""
    return default_templates().render_consent_form(view, lang)
