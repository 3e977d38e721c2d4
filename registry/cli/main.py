"""``registry``: start, prepare, administer and verify from the command line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from registry import __version__
from registry.core.errors import ErrorKind, RegistryError
from registry.services.runtime.context import Registry
from registry.settings import SETTING_DOCS, Settings, load_settings

EXIT_USAGE = 2


def _settings_epilog() -> str:
    lines = ["Settings (environment variables):"]
    for doc in SETTING_DOCS:
        lines.append(f"  {doc.name}  [default: {doc.default}]")
        lines.append(f"      {doc.meaning}")
    return "\b\n" + "\n".join(lines)


def fail(error: RegistryError) -> None:
    """Print a registry error in both languages and exit (2 for bad input, else 1)."""
    click.echo(f"error {error.code}: {error.message_zh} / {error.message_en}", err=True)
    for problem in error.problems:
        click.echo(
            f"  {problem.pointer}: {problem.code} {problem.message_zh} / {problem.message_en}",
            err=True,
        )
    bad_input = error.kind in (ErrorKind.MALFORMED, ErrorKind.INVALID, ErrorKind.NOT_FOUND)
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


@click.group(
    epilog=_settings_epilog(),
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="registry")
def cli() -> None:
    """Talent-credential registry of the Yangtze River Delta demonstration zone.

    长三角生态绿色一体化发展示范区人才证书与互认登记系统：签发、二维码核验、伙伴接口。
    """


def main() -> None:
    """Entry point of the ``registry`` console script."""
    from registry.cli import (  # noqa: F401  (registers commands)
        admin,
        audit,
        authority,
        catalogues,
        lifecycle,
        personal,
        records,
        serve,
        sessions,
        trust,
    )

    cli()
