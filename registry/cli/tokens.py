"""``registry tokens``: API bearer tokens on the local store (stored only as hashes)."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from registry.cli.invocation import fail, opened_registry
from registry.core.errors import RegistryError
from registry.core.formats.ranges import SQL_INTEGER_MAX
from registry.services.access.tokens import ROLES, create_token, list_tokens, revoke_token


@click.group()
def tokens() -> None:
    """API bearer tokens (stored only as hashes)."""


@tokens.command("create")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the token may do.")
@click.option("--issuer", "issuer_uscc", help="USCC of the issuer (required for --role issuer).")
@click.option(
    "--region", help="Division code of the partner's region (required for --role partner)."
)
@click.option("--name", default="", help="A label for the token's holder.")
@click.option(
    "--statutory-basis",
    help="Partners only: the law under which they must see ID numbers (then shown masked).",
)
def tokens_create(
    role: str,
    issuer_uscc: str | None,
    region: str | None,
    name: str,
    statutory_basis: str | None,
) -> None:
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
                statutory_basis=statutory_basis,
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
@click.argument("token_id", type=click.IntRange(1, SQL_INTEGER_MAX))
def tokens_revoke(token_id: int) -> None:
    """Revoke token TOKEN_ID (see `tokens list`); every server refuses it at its next request."""
    with opened_registry() as registry:
        try:
            revoke_token(registry, token_id, now=datetime.now(UTC))
        except RegistryError as error:
            fail(error)
        click.echo(f"revoked token {token_id} / 令牌已撤销")


COMMANDS: tuple[click.Command, ...] = (tokens,)
