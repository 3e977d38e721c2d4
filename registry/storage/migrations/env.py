"""Alembic environment: runs on the connection handed in by ``engine.migrate``."""

from alembic import context
from sqlmodel import SQLModel

from registry.storage import authority_generation, session_jobs, tables  # noqa: F401  (registers the tables)

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through registry.storage.engine.migrate")
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
