"""Issuer authority and keys over time, on the local store: ``registry issuers``,
``scopes`` and ``keys generate|list|rotate|retire|compromise``. Every change is recorded
(actor ``cli``) and goes to the transparency log (regions, agreements, equivalences and
partners: ``registry.cli.recognition``)."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from registry.cli.invocation import comma_list, fail, opened_registry, option_day
from registry.core.errors import RegistryError, invalid
from registry.core.formats.ranges import SQL_INTEGER_MAX
from registry.services.authority import issuers as issuer_service
from registry.services.authority import keys as key_service
from registry.services.authority import scopes as scope_service
from registry.services.authority.issuers import ISSUER_KINDS
from registry.services.authority.keys import generate_key, list_keys
from registry.services.transparency.history import CLI_ACTOR


def _now() -> datetime:
    return datetime.now(UTC)


@click.group()
def issuers() -> None:
    """Issuing organisations (USCC checked, GB 32100)."""


@issuers.command("create")
@click.option("--uscc", required=True, help="Unified social credit code (18 characters).")
@click.option("--name-zh", required=True, help="Name in Chinese.")
@click.option("--name-en", required=True, help="Name in English.")
@click.option("--region", required=True, help="Division code of its region (registered).")
@click.option("--kind", type=click.Choice(ISSUER_KINDS), required=True, help="Kind of issuer.")
@click.option("--no-key", is_flag=True, help="Do not generate a first signing key.")
@click.option(
    "--jurisdiction",
    default="",
    help="Further regions its records count as issued in, comma-separated (a zone-wide body).",
)
def issuers_create(
    *,
    uscc: str,
    name_zh: str,
    name_en: str,
    region: str,
    kind: str,
    no_key: bool,
    jurisdiction: str,
) -> None:
    """Register an issuer; prints its USCC and first key id. Grant it a scope next."""
    with opened_registry() as registry:
        try:
            made = issuer_service.create_issuer(
                registry,
                actor=CLI_ACTOR,
                uscc=uscc,
                name_zh=name_zh,
                name_en=name_en,
                region=region,
                kind=kind,
                now=_now(),
                with_key=not no_key,
                jurisdiction=comma_list(jurisdiction),
            )
        except RegistryError as error:
            fail(error)
        click.echo(f"{made.uscc}\t{made.kid or '-'}")


@click.group()
def scopes() -> None:
    """What each issuer may issue, and when (never deleted; ending sets an end date)."""


@scopes.command("grant")
@click.option("--issuer", "uscc", required=True, help="USCC of the issuer.")
@click.option("--types", required=True, help="Record types, comma-separated.")
@click.option("--from", "valid_from", required=True, help="First day covered (YYYY-MM-DD).")
@click.option("--until", "valid_until", help="First day no longer covered (YYYY-MM-DD).")
@click.option("--series", default="", help="Title series codes, comma-separated (empty: any).")
@click.option("--specialties", default="", help="Specialty codes, comma-separated (empty: any).")
@click.option("--highest-level", help="Highest title level (empty: any).")
def scopes_grant(
    *,
    uscc: str,
    types: str,
    valid_from: str,
    valid_until: str | None,
    series: str,
    specialties: str,
    highest_level: str | None,
) -> None:
    """Grant an issuer a dated scope; prints the scope's number."""
    start = option_day(valid_from, "--from")
    assert start is not None
    request = scope_service.ScopeRequest(
        record_types=comma_list(types),
        valid_from=start,
        series=comma_list(series),
        specialties=comma_list(specialties),
        highest_level=highest_level or None,
        valid_until=option_day(valid_until, "--until"),
    )
    with opened_registry() as registry:
        try:
            scope = scope_service.grant_scope(
                registry, actor=CLI_ACTOR, uscc=uscc, request=request, now=_now()
            )
        except RegistryError as error:
            fail(error)
        click.echo(str(scope.scope_id))


@scopes.command("end")
@click.argument("scope_id", type=click.IntRange(1, SQL_INTEGER_MAX))
@click.option("--until", help="First day no longer covered (default: tomorrow, China time).")
def scopes_end(scope_id: int, until: str | None) -> None:
    """End scope SCOPE_ID; records issued under it keep verifying."""
    with opened_registry() as registry:
        try:
            scope = scope_service.end_scope(
                registry,
                actor=CLI_ACTOR,
                scope_id=scope_id,
                until=option_day(until, "--until"),
                now=_now(),
            )
        except RegistryError as error:
            fail(error)
        click.echo(f"scope {scope_id} ends {scope.valid_until} / 授权于该日起终止")


@scopes.command("list")
@click.option("--issuer", "uscc", required=True, help="USCC of the issuer.")
def scopes_list(uscc: str) -> None:
    """An issuer's scopes, ended ones included."""
    with opened_registry() as registry:
        try:
            found = scope_service.scopes_of(registry, uscc)
        except RegistryError as error:
            fail(error)
        click.echo("id\ttypes\tseries\tspecialties\thighest_level\tfrom\tuntil")
        for scope in found:
            click.echo(
                f"{scope.scope_id}\t{','.join(scope.record_types)}\t"
                f"{','.join(scope.series) or '*'}\t{','.join(scope.specialties) or '*'}\t"
                f"{scope.highest_level or '*'}\t{scope.valid_from}\t{scope.valid_until or '-'}"
            )


@click.group()
def keys() -> None:
    """Issuer signing keys (private parts encrypted with REGISTRY_KEY_PASSPHRASE)."""


@keys.command("generate")
@click.option("--issuer", "issuer_uscc", required=True, help="USCC of the issuer the key is for.")
def keys_generate(issuer_uscc: str) -> None:
    """Generate a new Ed25519 key for an issuer; it signs from now on (see also rotate)."""
    with opened_registry() as registry:
        try:
            view = generate_key(registry, actor=CLI_ACTOR, uscc=issuer_uscc, now=datetime.now(UTC))
        except RegistryError as error:
            fail(error)
        click.echo(f"{view.kid}\t{view.public_multikey}")


def _instant(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%dT%H:%M:%SZ}" if moment else "-"


@keys.command("list")
def keys_list() -> None:
    """List every key: issuer, key id, state, window, public key (never a private key)."""
    with opened_registry() as registry:
        click.echo("issuer\tkid\tstate\tvalid_from\tpublic_key\tvalid_until\tcompromised_at")
        for view in list_keys(registry):
            click.echo(
                f"{view.issuer_uscc}\t{view.kid}\t{view.state}\t{_instant(view.valid_from)}\t"
                f"{view.public_multikey}\t{_instant(view.valid_until)}\t"
                f"{_instant(view.compromised_at)}"
            )


@keys.command("rotate")
@click.option("--issuer", "uscc", required=True, help="USCC of the issuer.")
def keys_rotate(uscc: str) -> None:
    """A new key signs from now on; the old ones are retired and keep verifying."""
    with opened_registry() as registry:
        try:
            view = key_service.rotate_key(registry, actor=CLI_ACTOR, uscc=uscc, now=_now())
        except RegistryError as error:
            fail(error)
        click.echo(f"{view.kid}\t{view.public_multikey}")


@keys.command("retire")
@click.argument("kid")
def keys_retire(kid: str) -> None:
    """Key KID stops signing now; what it signed keeps verifying."""
    with opened_registry() as registry:
        try:
            key_service.retire_key(registry, actor=CLI_ACTOR, kid=kid, now=_now())
        except RegistryError as error:
            fail(error)
        click.echo(f"retired {kid} / 密钥已退役")


@keys.command("compromise")
@click.argument("kid")
@click.option("--at", help="Time of compromise, RFC 3339 with an offset (default: now).")
def keys_compromise(kid: str, at: str | None) -> None:
    """Mark key KID compromised: what it signed from then on fails, earlier records warn."""
    when = None
    if at is not None:
        try:
            when = datetime.fromisoformat(at.replace("Z", "+00:00"))
        except ValueError:
            when = None
        if when is None or when.tzinfo is None:
            fail(
                invalid(
                    "TIME_OFFSET_REQUIRED",
                    "--at 须为带时区偏移的时间（如 2025-03-01T08:00:00+08:00）",
                    "--at must be a time with an offset (like 2025-03-01T08:00:00+08:00)",
                )
            )
    with opened_registry() as registry:
        try:
            view = key_service.compromise_key(
                registry, actor=CLI_ACTOR, kid=kid, at=when, now=_now()
            )
        except RegistryError as error:
            fail(error)
        assert view.compromised_at is not None
        click.echo(
            f"compromised {kid} as of {view.compromised_at:%Y-%m-%dT%H:%M:%SZ} / 密钥已标记泄露"
            " (running servers: at once in the worker that serves the admin API, within about "
            "a second elsewhere)"
        )


COMMANDS: tuple[click.Command, ...] = (issuers, scopes, keys)
