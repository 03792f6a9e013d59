"""Alembic environment for circlekeeper.

The program passes an open connection in ``config.attributes['connection']``; the alembic
command line falls back to ``sqlalchemy.url``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from circlekeeper.core.store.models import Base
from circlekeeper.core.store.schema_version import is_managed_table

config = context.config
target_metadata = Base.metadata


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave the FTS5 search index (made by hand in a migration) out of autogenerate."""
    return type_ != "table" or is_managed_table(name)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    # Like every engine circlekeeper makes: a failed statement never shows its values.
    engine = create_engine(config.get_main_option("sqlalchemy.url"), hide_parameters=True)
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()  # a server's pooled connection must not outlive the command
