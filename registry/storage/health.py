"""Whether the store answers, for the readiness probe."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine


def store_answers(engine: Engine) -> None:
    """Run the smallest statement there is; raises whatever the driver raises when the
    database cannot be reached."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1")).scalar_one()


__all__ = ["store_answers"]
