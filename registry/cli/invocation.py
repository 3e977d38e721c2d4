"""What every command shares: opening the registry, turning registry errors into clean
exits (2 for bad input, else 1), and reading dates and comma-separated lists from options."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import click

from registry.core.errors import ErrorKind, RegistryError, invalid
from registry.services.runtime.context import Registry
from registry.settings import Settings, load_settings

EXIT_USAGE = 2


def fail(error: RegistryError) -> None:
    """Print a registry error in both languages and exit (2 for bad input, else 1)."""
    click.echo(f"error {error.code}: {error.message_zh} / {error.message_en}", err=True)
    for problem in error.problems:
        click.echo(
            f"  {problem.pointer}: {problem.code} {problem.message_zh} / {problem.message_en}",
            err=True,
        )
    bad_input = error.kind in (
        ErrorKind.MALFORMED,
        ErrorKind.INVALID,
        ErrorKind.NOT_FOUND,
        ErrorKind.TOO_LARGE,  # a file or session over its limit: the input is refused
    )
    sys.exit(EXIT_USAGE if bad_input else 1)


@contextmanager
def opened_registry(settings: Settings | None = None) -> Iterator[Registry]:
    """Open the registry named by the settings; registry errors become clean exits."""
    registry = None
    try:
        registry = Registry.open(settings or load_settings())
        yield registry
    except RegistryError as error:
        fail(error)
    finally:
        if registry is not None:
            registry.close()


def option_day(value: str | None, option: str) -> date | None:
    """A ``YYYY-MM-DD`` option's date (None when not given); anything else exits with 2."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(invalid("DATE_INVALID", f"{option} 须为 YYYY-MM-DD", f"{option} must be YYYY-MM-DD"))
        raise  # unreachable: fail exits


def comma_list(value: str) -> tuple[str, ...]:
    """The non-empty, trimmed parts of a comma-separated option."""
    return tuple(part.strip() for part in value.split(",") if part.strip())
