"""``registry catalogue``: import and list qualification-equivalence catalogues."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from pathlib import Path

import click

from registry.cli.invocation import fail, opened_registry
from registry.core.errors import RegistryError
from registry.services.qualifications.catalogues import (
    MAX_FILE_BYTES,
    file_too_large,
    import_catalogue_version,
    list_catalogues,
)


def _operator() -> str:
    """Who imports, as the version records it: the local account."""
    try:
        return f"cli {getpass.getuser()}"
    except (OSError, KeyError):  # no name for this uid (containers)
        return "cli"


@click.group()
def catalogue() -> None:
    """Qualification-equivalence catalogues (比照认定目录), imported as versions."""


@catalogue.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--catalogue", "catalogue_id", required=True, help="Catalogue id, e.g. SH-FQ.")
@click.option("--version", required=True, help="The new version's label, e.g. 2025.1.")
@click.option("--name-zh", help="Chinese name (required for a new catalogue).")
@click.option("--name-en", help="English name (required for a new catalogue).")
def catalogue_import(
    file: Path, catalogue_id: str, version: str, name_zh: str | None, name_en: str | None
) -> None:
    """Import FILE (CSV in UTF-8, or XLSX) as a new VERSION of a catalogue.

    Columns (Chinese or English headers): 条目编号 item, 境外职业资格 foreignQualification,
    颁证机构 awardingBody, 国家或地区 country, 对应职称系列 series, 对应级别 level,
    对应专业 specialty (optional), 行业 industry. A file with any bad row is refused whole.
    """
    if file.stat().st_size > MAX_FILE_BYTES:
        fail(file_too_large())
    data = file.read_bytes()

    def progress(rows: int) -> None:
        click.echo(f"rows read / 已读取行数: {rows}", err=True)

    with opened_registry() as registry:
        try:
            imported = import_catalogue_version(
                registry,
                catalogue_id,
                version,
                data,
                source_name=file.name,
                imported_by=_operator(),
                now=datetime.now(UTC),
                name_zh=name_zh,
                name_en=name_en,
                progress=progress,
            )
        except RegistryError as error:
            fail(error)
        click.echo(
            f"imported {imported.catalogue} {imported.version}: {imported.item_count} items / "
            f"已导入 {imported.item_count} 个条目 (sha256 {imported.source_digest})"
        )


@catalogue.command("list")
def catalogue_list() -> None:
    """List catalogues and their versions."""
    with opened_registry() as registry:
        click.echo("catalogue\tversion\titems\timported\tname")
        for summary in list_catalogues(registry):
            for version in summary.versions:
                click.echo(
                    f"{summary.catalogue}\t{version.version}\t{version.item_count}\t"
                    f"{version.imported_at:%Y-%m-%dT%H:%M:%SZ}\t{version.name_zh}"
                )


COMMANDS: tuple[click.Command, ...] = (catalogue,)
