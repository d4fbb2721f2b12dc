"""Alembic environment of Harbinger's store, used from the installed package without an ini file.

``harbinger.store.Store`` builds an ``alembic.config.Config`` in code (script_location = this
folder, sqlalchemy.url = the store's URL) and hands over its own open connection in
``config.attributes["connection"]``, so migrations run on the same engine (and the same
in-memory SQLite database) as the store. Run with only a URL (e.g. from the ``alembic`` command),
this file opens its own engine; offline mode writes the SQL for a DBA to review.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from harbinger.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_on(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    given = config.attributes.get("connection")
    if isinstance(given, sa.Connection):
        _run_on(given)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url (the store's database URL) in the Alembic config")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            _run_on(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    _run_offline()
else:
    _run_online()
