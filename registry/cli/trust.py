"""``registry trust``: this registry's trust list and root-key fingerprint, and the trust
lists of other registries imported under a pinned fingerprint."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from registry.cli.invocation import fail, opened_registry
from registry.core.errors import RegistryError
from registry.core.formats.timefmt import format_instant
from registry.core.trustlists.trustlist import freshness, grouped
from registry.services.transparency.history import CLI_ACTOR
from registry.services.trust.trustlist_imports import import_trust_list, imported_lists
from registry.services.trust.trustlist_publication import TrustListPublisher, root_key_fingerprint
from registry.services.verification.offline import read_trust_list_document


@click.group()
def trust() -> None:
    """Trust lists: this registry's (signed by its root key) and imported ones.

    The root-key fingerprint is the SHA-256 of the 32 raw bytes of the Ed25519 root public
    key, as 64 hex digits; whoever imports this registry's list pins it.
    """


@trust.command("fingerprint")
def trust_fingerprint() -> None:
    """Print the root key's fingerprint (the key is created on first use)."""
    with opened_registry() as registry:
        kid, fingerprint = root_key_fingerprint(registry, datetime.now(UTC))
    click.echo(f"root key {kid}, SHA-256 / 根密钥指纹: {grouped(fingerprint)}", err=True)
    click.echo(fingerprint)


@trust.command("export")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the list to this file [default: standard output].",
)
def trust_export(out: Path | None) -> None:
    """Write this registry's current signed trust list (what GET /trust-list serves)."""
    with opened_registry() as registry:
        published = TrustListPublisher(registry).current(datetime.now(UTC))
    text = json.dumps(published.document, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
    click.echo(f"trust list sequence {published.sequence} / 信任列表序号", err=True)


@trust.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--pin",
    required=True,
    help="Fingerprint of the other registry's root key, obtained from it out of band.",
)
def trust_import(file: Path, pin: str) -> None:
    """Import another registry's trust list FILE, verified against the pinned fingerprint.

    Refused (exit 2): a wrong pin or signature, an expired list, or a rollback (a lower
    sequence than already imported, or the same sequence with other content).
    """
    with opened_registry() as registry:
        try:
            document = read_trust_list_document(file)
            outcome = import_trust_list(
                registry, document, actor=CLI_ACTOR, pin=pin, now=datetime.now(UTC)
            )
        except RegistryError as error:
            fail(error)
    listed = outcome.trust_list
    if outcome.action == "unchanged":
        click.echo(
            f"unchanged: {listed.base_url} sequence {listed.sequence} is already imported"
            " / 已导入该版本，未作更改"
        )
        return
    content = listed.content
    click.echo(
        f"{outcome.action}: {listed.base_url} sequence {listed.sequence}, "
        f"{len(content.issuers)} issuers, {len(content.keys)} keys, "
        f"{len(content.agreements)} agreements / 信任列表已导入"
    )


@trust.command("list")
def trust_list() -> None:
    """List the imported trust lists with their state (current, stale or expired)."""
    now = datetime.now(UTC)
    with opened_registry() as registry:
        lists = imported_lists(registry)
    click.echo("registry\tsequence\tissued\texpires\tstate\tfingerprint")
    for item in lists:
        _, code = freshness(item.issued, item.expires, now)
        state = code.removeprefix("TRUST_LIST_").lower()
        click.echo(
            f"{item.base_url}\t{item.sequence}\t{format_instant(item.issued)}\t"
            f"{format_instant(item.expires)}\t{state}\t{item.fingerprint}"
        )


COMMANDS: tuple[click.Command, ...] = (trust,)
