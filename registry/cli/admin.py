"""``registry tokens`` and ``registry keys``: administration on the local store."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from registry.cli.main import cli, fail, opened_registry
from registry.core.errors import RegistryError, not_found
from registry.services.tokens import ROLES, create_token, list_tokens, revoke_token
from registry.storage.repositories import IssuerRepository, SigningKeyRepository


@cli.group()
def tokens() -> None:
    """API bearer tokens (stored only as hashes)."""


@tokens.command("create")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the token may do.")
@click.option("--issuer", "issuer_uscc", help="USCC of the issuer (required for --role issuer).")
@click.option(
    "--region", help="Division code of the partner's region (required for --role partner)."
)
@click.option("--name", default="", help="A label for the token's holder.")
def tokens_create(role: str, issuer_uscc: str | None, region: str | None, name: str) -> None:
    """Create a token; its secret is printed once, as the last line of output."""
    with opened_registry() as registry:
        try:
            secret = create_token(
                registry,
                role,
                now=datetime.now(UTC),
                issuer_uscc=issuer_uscc,
                region=region,
                name=name,
            )
        except RegistryError as error:
            fail(error)
        click.echo(f"created {role} token (shown once, store it safely) / 令牌仅显示一次", err=True)
        click.echo(secret)


@tokens.command("list")
def tokens_list() -> None:
    """List tokens: id, role, binding, state (secrets are never stored, so never shown)."""
    with opened_registry() as registry:
        click.echo("id\trole\tissuer\tregion\tstate\tcreated\tname")
        for token in list_tokens(registry):
            state = "revoked" if token.revoked_at else "active"
            created = f"{token.created_at:%Y-%m-%dT%H:%M:%SZ}"
            click.echo(
                f"{token.token_id}\t{token.role}\t{token.issuer_uscc or '-'}\t"
                f"{token.region or '-'}\t{state}\t{created}\t{token.name}"
            )


@tokens.command("revoke")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    """Revoke token TOKEN_ID (see `tokens list`); running servers refuse it within 10 s."""
    with opened_registry() as registry:
        try:
            revoke_token(registry, token_id, now=datetime.now(UTC))
        except RegistryError as error:
            fail(error)
        click.echo(f"revoked token {token_id} / 令牌已撤销")


@cli.group()
def keys() -> None:
    """Issuer signing keys (private parts encrypted with REGISTRY_KEY_PASSPHRASE)."""


@keys.command("generate")
@click.option("--issuer", "issuer_uscc", required=True, help="USCC of the issuer the key is for.")
def keys_generate(issuer_uscc: str) -> None:
    """Generate a new Ed25519 key for an issuer; it signs from now on."""
    with opened_registry() as registry:
        try:
            with registry.transaction() as session:
                issuer = IssuerRepository(session).by_uscc(issuer_uscc)
                if issuer is None or issuer.id is None:
                    raise not_found("ISSUER_UNKNOWN", "签发机构未登记", "no such issuer")
                row = SigningKeyRepository(session).add(
                    registry.keystore.new_key_row(issuer.id, datetime.now(UTC))
                )
        except RegistryError as error:
            fail(error)
        click.echo(f"{row.kid}\t{row.public_multikey}")


@keys.command("list")
def keys_list() -> None:
    """List every key: issuer, key id, state, public key (never a private key)."""
    with opened_registry() as registry, registry.reading() as session:
        issuers = {row.id: row.uscc for row in IssuerRepository(session).all()}
        click.echo("issuer\tkid\tstate\tvalid_from\tpublic_key")
        for row in SigningKeyRepository(session).all():
            click.echo(
                f"{issuers.get(row.issuer_id, '?')}\t{row.kid}\t{row.state}\t"
                f"{row.valid_from:%Y-%m-%dT%H:%M:%SZ}\t{row.public_multikey}"
            )
