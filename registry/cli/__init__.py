"""The ``registry`` command."""

from registry.cli.main import main

__all__ = ["main"]
