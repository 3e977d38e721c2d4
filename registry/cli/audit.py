"""``registry audit URL``: a partner checks that a registry's transparency log was never
rewritten. Exit codes: 0 passed, 1 audit failure, 2 bad input or registry unreachable."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from registry.cli.invocation import EXIT_USAGE, fail
from registry.core.errors import RegistryError
from registry.services.transparency.audit import Audit
from registry.services.transparency.audit_report import AuditReport
from registry.services.transparency.audit_state import (
    AuditState,
    Fetch,
    RegistryUnreachableError,
    default_state_path,
    fetch_json,
)

EXIT_FAILED = 1


def _base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        click.echo(
            "error AUDIT_URL_INVALID: 请给出登记系统的 http(s) 基础地址 / "
            "give the registry's http(s) base URL (no query or fragment)",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    return url.rstrip("/")


def _print(report: AuditReport) -> None:
    click.echo(f"registry {report.url}")
    for finding in report.findings:
        zh, en = finding.message
        click.echo(f"  {finding.outcome:<6}  {finding.code}  {zh} / {en}")
    if report.ok:
        click.echo("audit passed / 审计通过")
    else:
        click.echo(f"audit FAILED / 审计未通过: {', '.join(report.failures)}")


@click.command()
@click.argument("url")
@click.option(
    "--pin",
    metavar="KID",
    help="Trust this log key id (as published at URL/log/keys). Without it, the first run "
    "pins the key that signs the head.",
)
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="State file (pinned keys, last verified head) "
    "[default: <user data dir>/yrd-registry/audit/<registry>.json].",
)
@click.option(
    "--record", "records", multiple=True, metavar="ID", help="Check this record's inclusion."
)
@click.option(
    "--entries",
    is_flag=True,
    help="Fetch every entry (not only those appended since the last run), check its leaf "
    "hash, recompute the root.",
)
@click.option(
    "--deep",
    is_flag=True,
    help="Like --entries, and check every entry's inclusion proof (every stored subtree hash).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def audit(
    context: click.Context,
    url: str,
    *,
    pin: str | None,
    state_path: Path | None,
    records: tuple[str, ...],
    entries: bool,
    deep: bool,
    as_json: bool,
) -> None:
    """Audit the transparency log of the registry at URL (its base URL).

    Each run also fetches the entries appended since the last run (every entry on the
    first run) and checks them against the signed head.

    审计登记系统的透明日志：核对树头签名、与上次所见树头的一致性（发现分叉或回退）、
    指定记录的包含证明，取回上次审计以来新增的条目（首次审计取回全部）逐一核对，
    并可取回全部条目重算根哈希。
    """
    base = _base_url(url)
    fetch: Fetch = (context.obj or {}).get("fetch", fetch_json)
    path = state_path or default_state_path(base)
    try:
        state = AuditState.load(path, base)
        report = Audit(base, state, fetch).run(pin=pin, records=records, entries=entries, deep=deep)
    except RegistryError as error:
        fail(error)
    except RegistryUnreachableError as error:
        click.echo(
            f"error REGISTRY_UNREACHABLE: 无法访问登记系统 / the registry cannot be reached "
            f"({error})",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    if report.ok:
        state.save(path)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        _print(report)
    sys.exit(0 if report.ok else EXIT_FAILED)


COMMANDS: tuple[click.Command, ...] = (audit,)
