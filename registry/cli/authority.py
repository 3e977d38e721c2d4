"""Issuer authority, keys over time and recognition, on the local store:
``registry issuers``, ``scopes``, ``keys rotate|retire|compromise``, ``regions``,
``agreements``, ``equivalences`` and ``partners``. Every change is recorded (actor ``cli``)
and issuer, scope and key changes go to the transparency log."""

from __future__ import annotations

from datetime import UTC, date, datetime

import click

from registry.cli.admin import keys
from registry.cli.main import cli, fail, opened_registry
from registry.core.errors import RegistryError, invalid
from registry.core.trust.model import Equivalence
from registry.services.authority import issuers as authority_service
from registry.services.authority import keys as key_service
from registry.services.authority.issuers import CLI_ACTOR, ISSUER_KINDS
from registry.services.recognition import agreements as agreement_service


def _now() -> datetime:
    return datetime.now(UTC)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(invalid("DATE_INVALID", f"{option} 须为 YYYY-MM-DD", f"{option} must be YYYY-MM-DD"))
        raise  # unreachable: fail exits


def _csv(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@cli.group()
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
            made = authority_service.create_issuer(
                registry,
                actor=CLI_ACTOR,
                uscc=uscc,
                name_zh=name_zh,
                name_en=name_en,
                region=region,
                kind=kind,
                now=_now(),
                with_key=not no_key,
                jurisdiction=_csv(jurisdiction),
            )
        except RegistryError as error:
            fail(error)
        click.echo(f"{made.uscc}\t{made.kid or '-'}")


@cli.group()
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
    start = _day(valid_from, "--from")
    assert start is not None
    request = authority_service.ScopeRequest(
        record_types=_csv(types),
        valid_from=start,
        series=_csv(series),
        specialties=_csv(specialties),
        highest_level=highest_level or None,
        valid_until=_day(valid_until, "--until"),
    )
    with opened_registry() as registry:
        try:
            scope = authority_service.grant_scope(
                registry, actor=CLI_ACTOR, uscc=uscc, request=request, now=_now()
            )
        except RegistryError as error:
            fail(error)
        click.echo(str(scope.scope_id))


@scopes.command("end")
@click.argument("scope_id", type=int)
@click.option("--until", help="First day no longer covered (default: tomorrow, China time).")
def scopes_end(scope_id: int, until: str | None) -> None:
    """End scope SCOPE_ID; records issued under it keep verifying."""
    with opened_registry() as registry:
        try:
            scope = authority_service.end_scope(
                registry,
                actor=CLI_ACTOR,
                scope_id=scope_id,
                until=_day(until, "--until"),
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
            found = authority_service.scopes_of(registry, uscc)
        except RegistryError as error:
            fail(error)
        click.echo("id\ttypes\tseries\tspecialties\thighest_level\tfrom\tuntil")
        for scope in found:
            click.echo(
                f"{scope.scope_id}\t{','.join(scope.record_types)}\t"
                f"{','.join(scope.series) or '*'}\t{','.join(scope.specialties) or '*'}\t"
                f"{scope.highest_level or '*'}\t{scope.valid_from}\t{scope.valid_until or '-'}"
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


@cli.group()
def regions() -> None:
    """Regions taking part (GB/T 2260 division codes)."""


@regions.command("add")
@click.option("--code", required=True, help="Division code (must be in the divisions list).")
@click.option("--name-zh", required=True, help="Name in Chinese.")
@click.option("--name-en", required=True, help="Name in English.")
def regions_add(code: str, name_zh: str, name_en: str) -> None:
    """Register a region."""
    with opened_registry() as registry:
        try:
            agreement_service.add_region(
                registry, actor=CLI_ACTOR, code=code, name_zh=name_zh, name_en=name_en, now=_now()
            )
        except RegistryError as error:
            fail(error)
        click.echo(f"region {code} added / 地区已登记")


@cli.group()
def agreements() -> None:
    """Recognition agreements among regions."""


@agreements.command("add")
@click.option("--id", "agreement_id", required=True, help="Identifier (letters, digits, . _ -).")
@click.option("--name-zh", required=True, help="Name in Chinese.")
@click.option("--name-en", required=True, help="Name in English.")
@click.option("--parties", required=True, help="Division codes, comma-separated (two or more).")
@click.option("--types", required=True, help="Record types covered, comma-separated.")
@click.option("--from", "effective_from", required=True, help="In force from (YYYY-MM-DD).")
@click.option("--until", "effective_until", help="First day no longer in force.")
@click.option("--series", default="", help="Series covered, comma-separated (empty: all).")
@click.option("--levels", default="", help="Levels covered, comma-separated (empty: all).")
@click.option("--basis", required=True, help="Legal basis: the document.")
@click.option("--article", help="The article of the document, when one is cited.")
def agreements_add(
    *,
    agreement_id: str,
    name_zh: str,
    name_en: str,
    parties: str,
    types: str,
    effective_from: str,
    effective_until: str | None,
    series: str,
    levels: str,
    basis: str,
    article: str | None,
) -> None:
    """Add a recognition agreement."""
    start = _day(effective_from, "--from")
    assert start is not None
    request = agreement_service.AgreementRequest(
        agreement_id=agreement_id,
        name_zh=name_zh,
        name_en=name_en,
        parties=_csv(parties),
        record_types=_csv(types),
        effective_from=start,
        legal_basis=basis,
        series=_csv(series),
        levels=_csv(levels),
        effective_until=_day(effective_until, "--until"),
        legal_article=article,
    )
    with opened_registry() as registry:
        try:
            agreement_service.add_agreement(registry, actor=CLI_ACTOR, request=request, now=_now())
        except RegistryError as error:
            fail(error)
        click.echo(f"agreement {agreement_id} added / 互认协议已登记")


@agreements.command("end")
@click.argument("agreement_id")
@click.option("--until", required=True, help="First day no longer in force (YYYY-MM-DD).")
def agreements_end(agreement_id: str, until: str) -> None:
    """End agreement AGREEMENT_ID (it is kept for the record)."""
    end = _day(until, "--until")
    assert end is not None
    with opened_registry() as registry:
        try:
            agreement_service.end_agreement(
                registry, actor=CLI_ACTOR, agreement_id=agreement_id, until=end, now=_now()
            )
        except RegistryError as error:
            fail(error)
        click.echo(f"agreement {agreement_id} ends {end} / 协议于该日起失效")


@agreements.command("list")
def agreements_list() -> None:
    """Every agreement with its parties, scope, dates and legal basis."""
    with opened_registry() as registry:
        click.echo("id\tparties\ttypes\tseries\tlevels\tfrom\tuntil\tbasis")
        for a in agreement_service.list_agreements(registry):
            click.echo(
                f"{a.agreement_id}\t{','.join(a.parties)}\t{','.join(a.record_types)}\t"
                f"{','.join(a.series) or '*'}\t{','.join(a.levels) or '*'}\t"
                f"{a.effective_from}\t{a.effective_until or '-'}\t{a.legal_basis}"
                + (f" {a.legal_article}" if a.legal_article else "")
            )


@cli.group()
def equivalences() -> None:
    """Equivalence tables: one region's terms in another region's vocabulary."""


@equivalences.command("add")
@click.option("--from-region", required=True, help="Region whose term is mapped.")
@click.option("--to-region", required=True, help="Region whose vocabulary it maps to.")
@click.option("--kind", type=click.Choice(["title_name", "level", "catalogue_item"]), required=True)
@click.option("--source", required=True, help="The term (a code for title_name and level).")
@click.option("--target", required=True, help="The term in the other region.")
@click.option("--label-zh", required=True, help="Label of the target in Chinese.")
@click.option("--label-en", required=True, help="Label of the target in English.")
@click.option("--agreement", help="The agreement the entry belongs to.")
@click.option("--demo", is_flag=True, help="Mark the entry as invented demo data.")
def equivalences_add(
    *,
    from_region: str,
    to_region: str,
    kind: str,
    source: str,
    target: str,
    label_zh: str,
    label_en: str,
    agreement: str | None,
    demo: bool,
) -> None:
    """Add an equivalence entry."""
    entry = Equivalence(
        from_region, to_region, kind, source, target, label_zh, label_en, agreement, demo
    )
    with opened_registry() as registry:
        try:
            agreement_service.add_equivalence(registry, actor=CLI_ACTOR, entry=entry, now=_now())
        except RegistryError as error:
            fail(error)
        click.echo(f"{from_region}:{source} -> {to_region}:{target} / 对照已登记")


@equivalences.command("list")
def equivalences_list() -> None:
    """Every equivalence entry."""
    with opened_registry() as registry:
        click.echo("from\tto\tkind\tsource\ttarget\tlabel_zh\tlabel_en\tagreement\tdemo")
        for e in agreement_service.list_equivalences(registry):
            click.echo(
                f"{e.from_region}\t{e.to_region}\t{e.kind}\t{e.source}\t{e.target}\t"
                f"{e.label_zh}\t{e.label_en}\t{e.agreement_id or '-'}\t{'demo' if e.demo else '-'}"
            )


@cli.group()
def partners() -> None:
    """Partner clients: systems of a region that verify through the partner API."""


@partners.command("create")
@click.option("--region", required=True, help="Division code of the partner's region.")
@click.option("--name", required=True, help="Name of the partner client.")
def partners_create(region: str, name: str) -> None:
    """Create a partner client's token; the secret is printed once, as the last line."""
    with opened_registry() as registry:
        try:
            created = agreement_service.create_partner(
                registry, actor=CLI_ACTOR, region=region, name=name, now=_now()
            )
        except RegistryError as error:
            fail(error)
        click.echo(
            f"partner client {created.token_id} {created.name} of {region} "
            "(token shown once) / 令牌仅显示一次",
            err=True,
        )
        click.echo(created.secret)
