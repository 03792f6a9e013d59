"""``circlekeeper export letter|summary``: the family letter and the circle summary.

Both documents already print from their screens; these commands make the same files from the
command line, with the same rules: the viewer given by ``--profile`` decides what the summary
shows (a private note only to its author, never to an officer), and a family letter is the
counseling office's to write, so an officer's profile is refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from circlekeeper.cli import UsageProblem, add_database_option, open_db
from circlekeeper.commands.acting import acting_context, add_profile_option


def add_parsers(kinds: Any) -> None:
    """Add ``letter`` and ``summary`` to ``circlekeeper export``."""
    letter = kinds.add_parser(
        "letter", help="the letter to a student's family about a repair agreement"
    )
    letter.add_argument("id", metavar="AGREEMENT", help="the agreement's number or its UUID")
    letter.add_argument(
        "--student",
        type=int,
        metavar="ID",
        help="the student the letter is about (needed when the agreement has several)",
    )
    _common(letter, default_lang="en")
    letter.set_defaults(func=_export_letter)
    summary = kinds.add_parser("summary", help="the summary of a circle that was held")
    summary.add_argument("circle", metavar="CIRCLE", type=int, help="the circle's number")
    _common(summary, default_lang="en")
    summary.set_defaults(func=_export_summary)


def _common(parser: argparse.ArgumentParser, *, default_lang: str) -> None:
    parser.add_argument("--format", choices=("pdf", "html"), default="pdf")
    parser.add_argument("--lang", choices=("en", "es", "en+es"), default=default_lang)
    parser.add_argument("--page-size", choices=("letter", "a4"), default="letter")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    add_database_option(parser)
    add_profile_option(parser)


def _students(view: Any) -> list[Any]:
    return [p for p in view.parties if p.kind == "student"]


def _export_letter(args: argparse.Namespace) -> int:
    from circlekeeper.core.agreements.commands import AgreementService
    from circlekeeper.core.export.templates import render_family_letter

    output: Path = args.output.expanduser()
    db = open_db(args, create=False)
    try:
        context = acting_context(args, db)
        viewer = context.viewer()
        if viewer.is_sro:
            raise UsageProblem(
                "A letter to a family comes from the counseling office; a school resource "
                "officer's profile cannot write one. Nothing was written. Ask a counselor."
            )
        service = AgreementService(context)
        agreement_id = service.resolve(args.id)
        student = args.student
        if student is None:
            students = _students(service.view(agreement_id))
            if len(students) != 1:
                listed = "; ".join(f"{p.person_id}: {p.name}" for p in students) or "none"
                raise UsageProblem(
                    "Say which student the letter is about with --student ID (students in "
                    f"this agreement: {listed}). Nothing was written."
                )
            student = students[0].person_id
        view = service.family_letter(agreement_id, student)
    finally:
        db.close()
    result = render_family_letter(view, args.lang)
    title = {"en": "Letter to the family", "es": "Carta a la familia"}
    _write(args, result, output, " / ".join(title[x] for x in args.lang.split("+")))
    return 0


def _export_summary(args: argparse.Namespace) -> int:
    from circlekeeper.core.circles.summary import CircleSummaryService
    from circlekeeper.core.export.templates import render_circle_summary

    output: Path = args.output.expanduser()
    db = open_db(args, create=False)
    try:
        context = acting_context(args, db)
        audience = "sharing" if context.viewer().is_sro else "school"
        view = CircleSummaryService(context).view(args.circle)
    finally:
        db.close()
    result = render_circle_summary(view, args.lang, audience)
    title = {"en": "Circle summary", "es": "Resumen del círculo"}
    _write(args, result, output, " / ".join(title[x] for x in args.lang.split("+")))
    return 0


def _write(args: argparse.Namespace, result: Any, output: Path, title: str) -> None:
    from circlekeeper.commands.export import _write_html

    for warning in result.warnings:
        print(f"circlekeeper: warning: {warning}", file=sys.stderr)
    if args.format == "html":
        _write_html(result.html, output)
        print(f"Wrote {output}.")
        return
    from circlekeeper.pdf import PdfProblem, html_to_pdf

    try:
        pages = html_to_pdf(result.html, output, title=title, page_size=args.page_size)
    except PdfProblem as exc:
        raise UsageProblem(str(exc)) from None
    print(f"Wrote {output} ({pages} page(s)).")
