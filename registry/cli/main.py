"""``registry``: start, prepare, administer and verify from the command line."""

from __future__ import annotations

import click

from registry import __version__
from registry.cli import (
    audit,
    authority,
    catalogues,
    certificates,
    docs,
    lifecycle,
    personal,
    recognition,
    records,
    serve,
    sessions,
    tokens,
    trust,
)
from registry.settings import SETTING_DOCS


def _settings_epilog() -> str:
    lines = ["Settings (environment variables):"]
    for doc in SETTING_DOCS:
        lines.append(f"  {doc.name}  [default: {doc.default}]")
        lines.append(f"      {doc.meaning}")
    return "\b\n" + "\n".join(lines)


@click.group(
    epilog=_settings_epilog(),
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="registry")
def cli() -> None:
    """Talent-credential registry of the Yangtze River Delta demonstration zone.

    长三角生态绿色一体化发展示范区人才证书与互认登记系统：签发、二维码核验、伙伴接口。
    """


# Each command module defines plain click commands and lists them in ``COMMANDS``; none
# imports this module back.
for module in (
    audit,
    authority,
    catalogues,
    certificates,
    docs,
    lifecycle,
    personal,
    recognition,
    records,
    serve,
    sessions,
    tokens,
    trust,
):
    for command in module.COMMANDS:
        cli.add_command(command)


def main() -> None:
    """Entry point of the ``registry`` console script."""
    cli()
