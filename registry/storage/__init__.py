"""Persistence: the only ring that imports SQLModel and SQLAlchemy."""
