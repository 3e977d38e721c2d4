"""Shared pytest fixtures for tests/ and features/ (see tests/support/fixtures.py)."""

pytest_plugins = ["tests.support.fixtures", "pytester"]
