"""Entry point: ``circlekeeper`` and ``python -m circlekeeper``."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from circlekeeper.cli import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
