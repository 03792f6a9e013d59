"""Telling a district server's URL from a file's path, without loading the database layer.

The command line reads ``--database`` before anything else; this check must not import
SQLAlchemy, or every start of the window would wait for it before its first paint.
"""

from __future__ import annotations

SCHEMES = ("postgresql", "postgres")


def is_server_url(target: object) -> bool:
    """Whether a ``--database`` value names a server (``postgresql[+psycopg]://...``)."""
    value = str(target)
    return any(
        value.startswith(f"{scheme}://") or value.startswith(f"{scheme}+") for scheme in SCHEMES
    )
