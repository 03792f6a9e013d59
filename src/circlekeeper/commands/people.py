"""``circlekeeper people``: the people directory from the command line."""

from __future__ import annotations

from typing import Any


def register(sub: Any) -> None:
    sub.add_parser("people", help="import a roster of people")
