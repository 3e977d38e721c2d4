"""``registry holder-link`` and ``registry id-key``: holders' access links and the key that
seals ID and passport numbers, on the local store."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from registry.cli.invocation import fail, opened_registry
from registry.core.errors import RegistryError
from registry.services.access.tokens import Principal
from registry.services.people.holder import create_link, revoke_links
from registry.services.people.personal_data import reseal_all

_LOCAL_ADMIN = Principal(0, "admin", None, None, "cli")


@click.command("holder-link")
@click.argument("record")
@click.option("--revoke", is_flag=True, help="Revoke the record's link instead of making one.")
def holder_link(record: str, revoke: bool) -> None:
    """Make the personal access link of RECORD (a record id or its e-licence identifier)
    for its holder, replacing any earlier one; or revoke it. The link is printed once."""
    with opened_registry() as registry:
        try:
            now = datetime.now(UTC)
            if revoke:
                count = revoke_links(registry, _LOCAL_ADMIN, record, now=now)
                click.echo(f"revoked {count} link(s) / 已撤销 {count} 个访问链接")
                return
            link = create_link(registry, _LOCAL_ADMIN, record, now=now)
        except RegistryError as error:
            fail(error)
        click.echo("hand this link to the holder only / 仅交给持证人本人", err=True)
        click.echo(link.url)


@click.group("id-key")
def id_key() -> None:
    """The key that seals ID and passport numbers at rest (REGISTRY_ID_KEY)."""


@id_key.command("reseal")
def id_key_reseal() -> None:
    """Re-seal every stored number under the current key (the first in REGISTRY_ID_KEY).

    To rotate: put a new key first in REGISTRY_ID_KEY, keep the old one after a comma, run
    this, then drop the old key."""
    with opened_registry() as registry:
        try:
            count = reseal_all(registry)
            key_id = registry.id_keyring.current.key_id
        except RegistryError as error:
            fail(error)
        click.echo(f"re-sealed {count} number(s) under key {key_id} / 已用新密钥重新加密")


COMMANDS: tuple[click.Command, ...] = (
    holder_link,
    id_key,
)
