"""The schema versions this release knows, so start-up can check a file without alembic.

A test keeps this list equal to the alembic chain in ``migrations/versions``.
"""

from __future__ import annotations

REVISIONS: tuple[str, ...] = ("0001_initial",)
HEAD = REVISIONS[-1]
