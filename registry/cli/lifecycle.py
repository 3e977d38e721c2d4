"""``registry suspend|reinstate|revoke|cancel ID --reason CODE``, ``registry amend ID FILE``
and ``registry history ID``: lifecycle changes on the local store, made by its operator
(recorded as the CLI)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from registry.cli.invocation import fail, opened_registry
from registry.core.codes import code_list
from registry.core.errors import RegistryError, invalid
from registry.services.access.tokens import Principal
from registry.services.issuance.issue import issue_record
from registry.services.lifecycle.changes import (
    Amendment,
    StatusChange,
    change_json,
    change_status,
    history,
)
from registry.services.records.stored import load_record
from registry.services.verification.offline import read_json

OPERATOR = Principal(0, "admin", None, None, "cli (local operator)")


def _reasons_help(action: str) -> str:
    codes = [e.code for e in code_list("status-reasons") if action in e.extra["actions"].split()]
    return "Reason code (status-reasons list): " + ", ".join(codes) + "."


def _print(change: StatusChange) -> None:
    body = change_json(change)
    reason = body["reason"] or {"code": "-", "zh": "", "en": ""}
    click.echo(f"{change.record_id}: {change.from_status} -> {change.to_status}")
    click.echo(f"  reason {reason['code']}: {reason['zh']} / {reason['en']}")
    if change.note:
        click.echo(f"  note {change.note}")


def _status_command(action: str, summary: str) -> click.Command:
    @click.command(name=action, help=summary + " Exit 0 done, 1 refused (conflict), 2 bad input.")
    @click.argument("record")
    @click.option("--reason", required=True, help=_reasons_help(action))
    @click.option("--note", help="Free text, up to 500 characters (ID numbers are masked).")
    @click.option("--json", "as_json", is_flag=True, help="Print the change as JSON.")
    def command(record: str, reason: str, note: str | None, as_json: bool) -> None:
        with opened_registry() as registry:
            try:
                change = change_status(
                    registry,
                    OPERATOR,
                    record,
                    action,
                    reason=reason,
                    note=note,
                    now=datetime.now(UTC),
                )
            except RegistryError as error:
                fail(error)
            if as_json:
                click.echo(json.dumps(change_json(change), ensure_ascii=False, indent=2))
            else:
                _print(change)

    return command


suspend = _status_command("suspend", "Suspend (暂扣) RECORD (record id or e-licence identifier).")
reinstate = _status_command("reinstate", "Reinstate a suspended RECORD.")
revoke = _status_command("revoke", "Revoke (撤销) RECORD for good.")
cancel = _status_command("cancel", "Cancel (注销) RECORD for good.")


@click.command()
@click.argument("record")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reason", help=_reasons_help("amend") + " Optional.")
@click.option("--note", help="Free text, up to 500 characters (needs --reason).")
def amend(record: str, file: Path, reason: str | None, note: str | None) -> None:
    """Issue a corrected version of RECORD from FILE.json ({credential, options} or a bare
    credential, as `registry issue` takes): same type and holder; the old version becomes
    superseded. Prints the new credential; its record id and QR URL go to stderr."""
    with opened_registry() as registry:
        try:
            body = read_json(file.read_bytes())
            credential = body.get("credential", body) if isinstance(body, dict) else None
            options = body.get("options", {}) if isinstance(body, dict) else {}
            if not isinstance(credential, dict) or not isinstance(options, dict):
                raise invalid(
                    "REQUEST_INVALID",
                    "文件必须是 JSON 对象（credential 与 options 亦然）",
                    "the file must hold a JSON object (and so must credential and options)",
                )
            issuer = load_record(registry, record).issuer_uscc
            issued = issue_record(
                registry,
                Principal(0, "issuer", issuer, None, OPERATOR.name),
                credential,
                now=datetime.now(UTC),
                idempotency_key=options.get("idempotencyKey"),
                amends=Amendment(record, reason, note),
            )
        except RegistryError as error:
            fail(error)
        click.echo(json.dumps(issued.credential, ensure_ascii=False, indent=2))
        click.echo(f"record {issued.record_id}\nQR {issued.qr_url}", err=True)


@click.command(name="history")
@click.argument("record")
def history_command(record: str) -> None:
    """Every status change of RECORD, oldest first, as JSON lines."""
    with opened_registry() as registry:
        try:
            _, changes = history(registry, OPERATOR, record)
        except RegistryError as error:
            fail(error)
        for change in changes:
            click.echo(json.dumps(change_json(change), ensure_ascii=False))


COMMANDS: tuple[click.Command, ...] = (suspend, reinstate, revoke, cancel, amend, history_command)
