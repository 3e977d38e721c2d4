"""Fixtures of the interop tests: the node project installed once per session."""

from __future__ import annotations

import pytest

from tests.interop.node import Node, install


@pytest.fixture(scope="session")
def node() -> Node:
    """Digital Bazaar's libraries under node, installed by ``npm ci`` (or a clean skip)."""
    return install()


@pytest.fixture
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """SQLite only: these tests check formats against another implementation, not stores."""
    return f"sqlite:///{tmp_path_factory.mktemp('store') / 'registry.db'}"
