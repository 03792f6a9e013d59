"""Made-up documents for previewing templates and timing exports, without a database.

A school editing its own templates can preview them with these; the benchmarks time them.
Every name here is invented.
"""

from __future__ import annotations

from datetime import date, timedelta

from circlekeeper.core.export.views import (
    AgreementView,
    CircleSummaryView,
    FamilyLetterView,
    ItemView,
    NoteView,
    PartyView,
    SchoolView,
    SignatureLine,
)

_DAY = date(2025, 3, 4)


def sample_school(logo_path: str = "") -> SchoolView:
    """A fictional school, for previewing templates."""
    return SchoolView(
        "Riverside Middle School",
        "1200 Alder Street\nSpringfield, OR 97477\n(541) 555-0142",
        logo_path,
        "Dana Whitfield",
        "School counselor",
    )


def sample_agreement(items: int = 5, *, logo_path: str = "") -> AgreementView:
    """A typical conference agreement: two students, their guardians, staff; ``items`` items."""
    parties = [
        PartyView(1, "José Núñez", "responsible", "student", True, "8", "he/him"),
        PartyView(2, "Amara Okafor", "harmed", "student", True, "8", "she/her"),
        PartyView(3, "Lucía Núñez", "guardian", "guardian", False, supporter_of="José Núñez"),
        PartyView(4, "Grace Okafor", "supporter", "guardian", False, supporter_of="Amara Okafor"),
        PartyView(5, "Dana Whitfield", "facilitator", "staff"),
        PartyView(6, "Officer Sam Reyes", "co_facilitator", "sro"),
    ]
    base = [
        (
            "apology",
            "Apologise to Amara in a handwritten letter, as she asked.",
            "Amara tells Ms. Whitfield she received it.",
            "Dana Whitfield",
            "Lucía Núñez",
        ),
        (
            "restitution",
            "Pay $60 for the broken headphones in three instalments of $20.",
            "The office keeps a receipt for each instalment.",
            "Dana Whitfield",
            "Lucía Núñez",
        ),
        (
            "service",
            "Help the library staff re-shelve books for 6 hours at lunch.",
            "The librarian signs the hours log.",
            "Dana Whitfield",
            None,
        ),
        (
            "behaviour",
            "Keep hands and words to himself in the hallway and the bus line.",
            "Weekly check-in with Ms. Whitfield.",
            "Dana Whitfield",
            "Lucía Núñez",
        ),
        (
            "school_support",
            "The school will pair José with a mentor for the rest of term.",
            "Ms. Whitfield confirms the first meeting.",
            "Dana Whitfield",
            None,
        ),
        (
            "counselling",
            "Attend the two-session workshop on handling frustration.",
            "The workshop leader confirms attendance.",
            "Dana Whitfield",
            None,
        ),
    ]
    rows = []
    for n in range(items):
        kind, action, check, verifier, supporter = base[n % len(base)]
        rows.append(
            ItemView(
                n + 1,
                kind,
                action,
                "José Núñez",
                _DAY + timedelta(days=7 * (n % 8 + 1)),
                check,
                verifier,
                supporter,
                responsible_id=1,
            )
        )
    lines = [
        SignatureLine(p.name, "participant", role=p.role, person_id=p.person_id)
        for p in parties
        if p.kind != "guardian"
    ] + [
        SignatureLine("Lucía Núñez", "guardian", guardian_of="José Núñez", person_id=3),
        SignatureLine("Grace Okafor", "guardian", guardian_of="Amara Okafor", person_id=4),
    ]
    return AgreementView(
        id=1,
        uuid="3f2c9a10-6b1e-4c55-9d1a-2f7e8b0c4d11",
        version=1,
        status="active",
        school=sample_school(logo_path),
        created_on=_DAY,
        agreed_on=_DAY,
        closed_on=None,
        printed_on=_DAY,
        harm_summary="During lunch on February 26, José grabbed Amara's headphones, and they "
        "broke when they fell. Amara felt embarrassed in front of her friends and has been "
        "avoiding the cafeteria since.",
        if_not_kept="The group meets again. If José chooses not to take part, the matter returns "
        "to the assistant principal under the usual discipline policy.",
        follow_up_on=_DAY + timedelta(days=42),
        follow_up_by="Dana Whitfield",
        parties=parties,
        items=rows,
        signature_lines=lines,
        circle_title="Conference: cafeteria headphones",
        circle_kind="conference",
        held_on=_DAY,
        location="Counseling office",
        referral_source="teacher",
        referred_on=_DAY - timedelta(days=6),
        incident_on=_DAY - timedelta(days=6),
        case_description="Referred by the lunch supervisor.",
    )


def sample_circle_summary(*, logo_path: str = "") -> CircleSummaryView:
    """A fictional circle summary, for previewing its template."""
    agreement = sample_agreement(logo_path=logo_path)
    return CircleSummaryView(
        id=1,
        uuid="0b6d2f4e-1c3a-4e8b-a2d9-7f1e3c5b9a20",
        school=agreement.school,
        kind="conference",
        title="Conference: cafeteria headphones",
        purpose="To understand what happened at lunch, who was affected, and agree how to "
        "make it right.",
        status="completed",
        held_on=_DAY,
        started_at="14:05",
        ended_at="15:10",
        location="Counseling office",
        facilitator="Dana Whitfield",
        co_facilitator="Officer Sam Reyes",
        printed_on=_DAY,
        participants=agreement.parties,
        attendance={p.person_id: "present" for p in agreement.parties},
        notes=[
            NoteView("Both students spoke in every round; Amara chose the form of apology.", False),
            NoteView("Remember to ask José's aunt about bus times.", True, "D. Whitfield"),
        ],
        agreement=agreement,
    )


def sample_family_letter(*, logo_path: str = "") -> FamilyLetterView:
    """A fictional letter to a family, for previewing its template."""
    agreement = sample_agreement(logo_path=logo_path)
    return FamilyLetterView(
        agreement=agreement,
        student_name="José Núñez",
        student_id=1,
        guardian_names=["Lucía Núñez"],
        items=agreement.items,
        printed_on=_DAY,
    )
