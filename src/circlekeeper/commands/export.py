"""``circlekeeper export agreement ID``: a repair agreement as PDF or HTML; ``export calendar``:
planned circles and open follow-ups as an .ics file (the same as ``calendar export``)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any

from circlekeeper.cli import UsageProblem, add_database_option, open_db
from circlekeeper.commands.acting import acting_context, add_profile_option


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "export",
        help="write an agreement, a family letter, a circle summary, a consent form or a survey "
        "form (PDF or HTML), or a calendar (.ics)",
    )
    kinds = parser.add_subparsers(dest="export_kind", metavar="WHAT", required=True)
    agreement = kinds.add_parser("agreement", help="a repair agreement, ready to print and sign")
    agreement.add_argument("id", metavar="ID", help="the agreement's number or its UUID")
    agreement.add_argument("--format", choices=("pdf", "html"), default="pdf")
    agreement.add_argument("--lang", choices=("en", "es", "en+es"), default="en")
    agreement.add_argument(
        "--sharing",
        action="store_true",
        help="the copy for sharing outside the counseling office (marked as an education record)",
    )
    agreement.add_argument(
        "--to",
        default="",
        metavar="WHO",
        help="with --sharing: who receives the copy (written in the students' record of "
        "disclosures)",
    )
    agreement.add_argument(
        "--basis",
        default=None,
        metavar="BASIS",
        help="with --sharing: the FERPA basis for sharing (school_official, "
        "health_safety_emergency, law_enforcement_unit, court_order, parental_consent, "
        "state_law_report)",
    )
    agreement.add_argument(
        "--draft",
        action="store_true",
        help="a copy to talk over, marked DRAFT on every page (the only copy an agreement with "
        "blanks still to fill in, such as [amount], can print)",
    )
    agreement.add_argument("--page-size", choices=("letter", "a4"), default="letter")
    agreement.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    add_database_option(agreement)
    add_profile_option(agreement)
    agreement.set_defaults(func=_export_agreement)
    survey = kinds.add_parser(
        "survey-form", help="the anonymous participant survey of a circle, to print and hand out"
    )
    survey.add_argument("circle", metavar="CIRCLE", type=int, help="the circle's number")
    survey.add_argument("--lang", choices=("en", "es", "en+es"), default="en+es")
    survey.add_argument(
        "--copies", type=int, help="how many forms (default: one per person in the circle)"
    )
    survey.add_argument("--format", choices=("pdf", "html"), default="pdf")
    survey.add_argument("--page-size", choices=("letter", "a4"), default="letter")
    survey.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    add_database_option(survey)
    survey.set_defaults(func=_export_survey_form)
    from circlekeeper.commands.calendar import add_export_arguments

    calendar = kinds.add_parser(
        "calendar", help="planned circles and open follow-ups as an .ics calendar file"
    )
    add_export_arguments(calendar)
    from circlekeeper.commands.export_documents import add_parsers

    add_parsers(kinds)
    add_database_option(parser)


def _export_agreement(args: argparse.Namespace) -> int:
    output: Path = args.output.expanduser()
    from circlekeeper.core.agreements.commands import AgreementService

    if (args.to or args.basis) and not args.sharing:
        raise UsageProblem(
            "--to and --basis describe a copy for sharing: add --sharing, or leave them out. "
            "Nothing was written."
        )
    db = open_db(args, create=False)
    try:
        # Whose limits apply: an SRO's profile gets the copy for sharing or a plain refusal.
        context = acting_context(args, db)
        viewer = context.viewer()
        audience = viewer.export_audience("sharing" if args.sharing else "school")
        service = AgreementService(context)
        agreement_id = service.resolve(args.id)
        view = service.view(agreement_id)
        from circlekeeper.core.cases.handoffs import HandOffService, check_basis
        from circlekeeper.core.operations import Context

        if args.sharing:
            check_basis(args.basis)
        _write_agreement(args, view, audience, output)
        if args.sharing:
            # The copy has left the school's hands: each student's record of disclosures says so.
            from datetime import date

            written = HandOffService(
                Context(db.sessions, actor=viewer.name or "command line", viewer=viewer)
            ).record_sharing_copy(
                agreement_id, on=date.today(), recipient=args.to, basis=args.basis
            )
            print(f"Recorded in the record of disclosures of {written} student(s).")
    finally:
        db.close()
    print(f"Wrote {output}.")
    return 0


def _write_agreement(args: argparse.Namespace, view: Any, audience: str, output: Path) -> None:
    from circlekeeper.core.export.templates import (
        agreement_page_title,
        draft_mark,
        render_agreement,
    )

    draft = bool(getattr(args, "draft", False))
    result = render_agreement(view, args.lang, audience, draft=draft)
    for warning in result.warnings:
        print(f"circlekeeper: warning: {warning}", file=sys.stderr)
    if args.format == "html":
        _write_html(result.html, output)
    else:
        from circlekeeper.pdf import PdfProblem, html_to_pdf

        title = agreement_page_title(view, args.lang, audience)
        try:
            html_to_pdf(
                result.html,
                output,
                title=title,
                page_size=args.page_size,
                mark=draft_mark(args.lang) if draft else "",
            )
        except PdfProblem as exc:
            raise UsageProblem(str(exc)) from None


def _export_survey_form(args: argparse.Namespace) -> int:
    output: Path = args.output.expanduser()
    from circlekeeper.core.export.survey_form import (
        render_survey_form,
        survey_form_title,
        survey_form_view,
    )

    db = open_db(args)
    try:
        view = survey_form_view(db.sessions, args.circle, copies=args.copies)
    finally:
        db.close()
    result = render_survey_form(view, args.lang)
    for warning in result.warnings:
        print(f"circlekeeper: warning: {warning}", file=sys.stderr)
    if args.format == "html":
        _write_html(result.html, output)
    else:
        from circlekeeper.pdf import PdfProblem, html_to_pdf

        try:
            pages = html_to_pdf(
                result.html,
                output,
                title=survey_form_title(view, args.lang),
                page_size=args.page_size,
            )
        except PdfProblem as exc:
            raise UsageProblem(str(exc)) from None
        print(f"Wrote {output} ({pages} page(s)).")
        return 0
    print(f"Wrote {output}.")
    return 0


def _write_html(html: str, output: Path) -> None:
    if output.is_dir():
        raise UsageProblem(
            f"{output} is a folder. Give a file name, for example {output / 'a.html'}."
        )
    if not output.parent.is_dir():
        raise UsageProblem(f"The folder {output.parent} does not exist.")
    temp = output.with_name(f".{output.name}.partial")
    try:
        temp.write_text(html, encoding="utf-8")
        temp.replace(output)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise UsageProblem(
            f"Cannot write {output} ({exc.strerror or exc}). Nothing was saved."
        ) from None
