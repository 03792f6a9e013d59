"""``circlekeeper export letter|summary|consent``: the family letter, the circle summary and the
consent form of a circle that deals with harm.

The case page and the circle plan make the same files through the same core functions
(``core/export/documents.py``), with the same rules: the viewer given by ``--profile``
decides what the summary shows (a private note only to its author, never to an officer), and
a family letter or a consent form is the counseling office's to write, so an officer's profile
is refused.
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
    consent = kinds.add_parser(
        "consent", help="the consent form of a circle that deals with harm, a page per person"
    )
    consent.add_argument("circle", metavar="CIRCLE", type=int, help="the circle's number")
    consent.add_argument(
        "--person",
        type=int,
        metavar="ID",
        help="the person the form is for (every person taking part when left out)",
    )
    _common(consent, default_lang="en", language_option=True)
    consent.set_defaults(func=_export_consent)


def _common(
    parser: argparse.ArgumentParser, *, default_lang: str, language_option: bool = False
) -> None:
    parser.add_argument("--format", choices=("pdf", "html"), default="pdf")
    if language_option:
        # --language en|es|both, with --lang and en+es kept as the other exports spell them
        parser.add_argument(
            "--language",
            "--lang",
            dest="lang",
            choices=("en", "es", "both", "en+es"),
            default=default_lang,
        )
    else:
        parser.add_argument("--lang", choices=("en", "es", "en+es"), default=default_lang)
    parser.add_argument("--page-size", choices=("letter", "a4"), default="letter")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    add_database_option(parser)
    add_profile_option(parser)


def _export_letter(args: argparse.Namespace) -> int:
    from circlekeeper.core.agreements.queries import AgreementQueries
    from circlekeeper.core.export.documents import family_letter, letter_students

    output: Path = args.output.expanduser()
    db = open_db(args, create=False)
    try:
        context = acting_context(args, db)
        context.viewer().check_writes_family_letter()
        agreement_id = AgreementQueries(context).resolve(args.id)
        student = args.student
        if student is None:
            students = letter_students(context, agreement_id)
            if len(students) != 1:
                listed = "; ".join(f"{pid}: {name}" for pid, name in students) or "none"
                raise UsageProblem(
                    "Say which student the letter is about with --student ID (students in "
                    f"this agreement: {listed}). Nothing was written."
                )
            student = students[0][0]
        document = family_letter(context, agreement_id, student, args.lang)
    finally:
        db.close()
    _write(args, document, output)
    return 0


def _export_summary(args: argparse.Namespace) -> int:
    from circlekeeper.core.export.documents import circle_summary

    output: Path = args.output.expanduser()
    db = open_db(args, create=False)
    try:
        document = circle_summary(acting_context(args, db), args.circle, args.lang)
    finally:
        db.close()
    _write(args, document, output)
    return 0


def _export_consent(args: argparse.Namespace) -> int:
    from circlekeeper.core.export.documents import consent_form

    output: Path = args.output.expanduser()
    lang = "en+es" if args.lang == "both" else args.lang
    db = open_db(args, create=False)
    try:
        document = consent_form(acting_context(args, db), args.circle, lang, args.person)
    finally:
        db.close()
    _write(args, document, output)
    return 0


def _write(args: argparse.Namespace, result: Any, output: Path) -> None:
    title = result.title
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
