"""How big a demo is: schools, grades and counts for each size."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[int, int], None]

Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class Plan:
    schools: tuple[tuple[str, tuple[int, ...]], ...]  # name, grades taught
    days: int  # how far back the records go
    students: int
    staff_per_school: int
    community: int
    cases: int
    circles: int
    recorded_share: float  # completed circles whose turns were kept in the app


SMALL = Plan(
    schools=(("Cedar Ridge Secondary School", tuple(range(6, 13))),),
    days=300,
    students=420,
    staff_per_school=36,
    community=8,
    cases=120,
    circles=700,
    recorded_share=0.6,
)

MIDDLE = (6, 7, 8)

HIGH = (9, 10, 11, 12)

LARGE = Plan(
    schools=(
        ("César Chávez Middle School", MIDDLE),
        ("Maya Angelou Middle School", MIDDLE),
        ("Sequoyah Middle School", MIDDLE),
        ("Lakeview Middle School", MIDDLE),
        ("Riverside Middle School", MIDDLE),
        ("Pinecrest Middle School", MIDDLE),
        ("Frederick Douglass High School", HIGH),
        ("Cedar Ridge High School", HIGH),
        ("Roosevelt High School", HIGH),
        ("Westfield High School", HIGH),
    ),
    days=3650,
    students=36_300,
    staff_per_school=250,
    community=600,
    cases=40_000,
    circles=200_000,
    recorded_share=0.12,
)

SIZES = {"small": SMALL, "large": LARGE}
