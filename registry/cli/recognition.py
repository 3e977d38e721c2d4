"""Mutual recognition on the local store: ``registry regions``, ``agreements``,
``equivalences`` and ``partners``. Every change is recorded (actor ``cli``)."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from registry.cli.invocation import comma_list, fail, opened_registry, option_day
from registry.core.errors import RegistryError
from registry.core.trust.model import Equivalence
from registry.services.recognition import agreements as agreement_service
from registry.services.transparency.history import CLI_ACTOR


def _now() -> datetime:
    return datetime.now(UTC)


@click.group()
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


@click.group()
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
    start = option_day(effective_from, "--from")
    assert start is not None
    request = agreement_service.AgreementRequest(
        agreement_id=agreement_id,
        name_zh=name_zh,
        name_en=name_en,
        parties=comma_list(parties),
        record_types=comma_list(types),
        effective_from=start,
        legal_basis=basis,
        series=comma_list(series),
        levels=comma_list(levels),
        effective_until=option_day(effective_until, "--until"),
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
    end = option_day(until, "--until")
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


@click.group()
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


@click.group()
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


COMMANDS: tuple[click.Command, ...] = (
    regions,
    agreements,
    equivalences,
    partners,
)
