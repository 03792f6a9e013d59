"""Moving an open test database up or down the real migration chain, on either engine."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from circlekeeper.core.paths import migrations_dir
from circlekeeper.core.store.database import Database


def migrate(db: Database, to: str, *, down: bool = False) -> None:
    """Upgrade (or with ``down``, downgrade) ``db`` to revision ``to`` on its own engine."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, to)
